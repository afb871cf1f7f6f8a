"""Extraction speed: 1,000 articles of ~5 KB built from the seed and test-set texts.

Usage: python bench/extract_speed.py [N]
Prints wall and CPU ms per article (p50, p99, mean), CPU ms per stage (sentence split,
strikes, negotiations) and peak RSS before and after the run (memory must stay flat).
Extraction only: no I/O inside the timed loop. On a shared machine compare CPU times of
back-to-back runs; wall times there mostly measure the neighbours.
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
    # ../shared/seeds and /work/shared/seeds are one folder when the project sits in /work: read it once
    for folder in dict.fromkeys(f.resolve() for f in SOURCES if f.is_dir()):
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


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def stages(articles: list[str]) -> dict[str, float]:
    """CPU ms per article of each stage (split, strikes, negotiations), best of 3 passes."""
    from monitor.extract.negotiation import extract_negotiations
    from monitor.extract.sentences import split_sentences
    from monitor.extract.strike import extract_strikes

    best = {"split": 1e9, "strikes": 1e9, "negotiations": 1e9}
    for _ in range(3):
        spent = dict.fromkeys(best, 0.0)
        for text in articles:
            t0 = time.process_time()
            sentences = split_sentences(text)
            t1 = time.process_time()
            extract_strikes(sentences, None)
            t2 = time.process_time()
            extract_negotiations(sentences)
            t3 = time.process_time()
            spent["split"] += t1 - t0
            spent["strikes"] += t2 - t1
            spent["negotiations"] += t3 - t2
        best = {k: min(best[k], v * 1000 / len(articles)) for k, v in spent.items()}
    return best


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    articles = corpus(n)
    for text in articles[:20]:  # warm-up: imports, gazetteer load, regex caches
        extract_events(text)
    rss_before = peak_rss_mb()
    wall, cpu = [], []
    for text in articles:
        t0, c0 = time.perf_counter(), time.process_time()
        extract_events(text)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    avg_kb = sum(len(a.encode()) for a in articles) / len(articles) / 1024
    print(f"articles: {n}  mean size: {avg_kb:.1f} KB")
    print(f"wall ms/article  p50: {_pct(wall, .5):.2f}  p99: {_pct(wall, .99):.2f}  mean: {statistics.mean(wall):.2f}")
    print(f"CPU  ms/article  p50: {_pct(cpu, .5):.2f}  p99: {_pct(cpu, .99):.2f}  mean: {statistics.mean(cpu):.2f}"
          "  (CPU time: steadier than wall time on a shared, loaded machine)")
    parts = stages(articles[: min(n, 200)])
    print("CPU ms/article by stage (best of 3): " + "  ".join(f"{k} {v:.2f}" for k, v in parts.items()))
    print(f"peak RSS MB  after warm-up: {rss_before:.1f}  after run: {peak_rss_mb():.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
