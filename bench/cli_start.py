"""Start-up time of the command line: `monitor --help` and `monitor check`.

Usage: python bench/cli_start.py [RUNS]
Prints the best and median wall time of each over RUNS runs (default 7) of a fresh
interpreter on the shipped config/. Target (issue #9): both under 0.5 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONITOR = [sys.executable, "-m", "monitor.cli"]


def timed(args: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(MONITOR + args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return out


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 7
    for label, args in (("monitor --help", ["--help"]), ("monitor check", ["check", "--config", "config"])):
        t = timed(args, runs)
        print(f"{label:15} best {min(t):.2f} s  median {statistics.median(t):.2f} s  ({runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
