"""bench/store.py runs end to end on a few pages and prints the figures the README quotes."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_store_benchmark_prints_its_figures():
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "store.py"), "--articles", "12"],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    stored = re.search(r"12 articles: (\d+) stored, (\d+) duplicates, (\d+) events", out.stdout)
    assert stored and int(stored.group(1)) + int(stored.group(2)) == 12 and int(stored.group(3)) > 0, out.stdout
    assert re.search(r"store CPU per article: \d+\.\d\d ms   delivery CPU per alert: \d+\.\d{3} ms", out.stdout), out.stdout
