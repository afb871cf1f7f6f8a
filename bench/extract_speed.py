"""Extraction speed: 1,000 articles of ~5 KB built from the seed and test-set texts.

Usage: python bench/extract_speed.py [N]
Prints ms per article (p50, p99, mean) and peak RSS before and after the run
(memory must stay flat). Extraction only: no I/O inside the timed loop.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.extract import extract_events  # noqa: E402

SOURCES = [ROOT.parent / "shared" / "seeds", Path("/work/shared/seeds"), ROOT / "tests" / "data" / "extract"]


def corpus(n: int, size: int = 5000) -> list[str]:
    texts: list[str] = []
    for folder in SOURCES:
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise SystemExit("no source texts found")
    out: list[str] = []
    i = 0
    while len(out) < n:
        parts: list[str] = []
        while sum(len(p) for p in parts) < size:
            parts.append(texts[i % len(texts)])
            i += 1
        out.append("\n".join(parts)[: size + 500])
    return out


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    articles = corpus(n)
    for text in articles[:20]:  # warm-up: imports, gazetteer load, regex caches
        extract_events(text)
    rss_before = peak_rss_mb()
    times = []
    for text in articles:
        t0 = time.perf_counter()
        extract_events(text)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p50 = times[len(times) // 2]
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    avg_kb = sum(len(a.encode()) for a in articles) / len(articles) / 1024
    print(f"articles: {n}  mean size: {avg_kb:.1f} KB")
    print(f"ms/article  p50: {p50:.2f}  p99: {p99:.2f}  mean: {statistics.mean(times):.2f}")
    print(f"peak RSS MB  after warm-up: {rss_before:.1f}  after run: {peak_rss_mb():.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
