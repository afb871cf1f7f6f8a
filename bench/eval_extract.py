"""Score the event extractor against a labels file.

Usage: python bench/eval_extract.py LABELS.yaml
Prints event precision/recall per kind, per-field scores and every miss
(definitions in monitor/extract/scoring.py). Exit 0, or 1 on a bad labels file.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.extract.scoring import format_report, score  # noqa: E402


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: eval_extract.py LABELS.yaml", file=sys.stderr)
        return 2
    try:
        report = score(argv[0])
    except (OSError, KeyError, ValueError) as exc:
        print(f"{argv[0]}: {exc}", file=sys.stderr)
        return 1
    print(format_report(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
