"""`make demo`: the seed articles served offline, one cycle, alerts printed."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_demo_prints_alerts_for_the_seeds():
    proc = subprocess.run([sys.executable, "-m", "monitor.demo"], cwd=ROOT, capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "massive-strike-on-ukraine: RU strike on UA (Kyiv): 539 drones launched, 268 destroyed" in out
    assert "us-russia-ceasefire-talks: " in out
    assert "Traceback" not in proc.stderr
