"""`monitor check` and `--help` must stay quick: they never load the extractor's patterns
(about 0.3 s of regex compilation) nor the pure-Python YAML loader for the gazetteer.
Timing itself is measured by bench/cli_start.py, not here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("monitor.extract.strike", "monitor.extract.negotiation", "monitor.extract.places", "trafilatura")


def _imported(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "monitor.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stderr


def test_check_does_not_load_the_extractor():
    modules = {line.rsplit("|", 1)[-1].strip() for line in _imported("check", "--config", "config").splitlines()}
    assert "monitor.rules" in modules  # the check did load and validate the rules
    assert "monitor.gazetteer" in modules
    assert not [m for m in HEAVY if m in modules]


def test_help_loads_nothing_of_the_pipeline():
    modules = {line.rsplit("|", 1)[-1].strip() for line in _imported("--help").splitlines()}
    assert not [m for m in HEAVY + ("monitor.rules", "sqlalchemy") if m in modules]


def test_extract_events_still_loads_on_first_call():
    from monitor.extract import extract_events

    events = extract_events("L'armée de l'air ukrainienne a abattu 41 des 47 drones lancés par la Russie "
                            "dans la nuit contre Kharkiv.", "fr")
    assert [(e.kind, e.drones.launched, e.drones.destroyed) for e in events] == [("strike", 47, 41)]


def test_the_polling_path_does_not_load_numpy():
    # numpy is 20 MB resident: a process that only polls (bench/poll.py, the poll queue) must not carry it
    code = ("import sys\n"
            "from monitor.pipeline import poll_sources\nfrom monitor.store import Store\nfrom monitor.http import HttpClient\n"
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
