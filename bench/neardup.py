"""Near-duplicate lookup cost against 10k, 100k and 1M stored articles (SQLite).

Stored articles get random MinHash signatures (what the LSH lookup cost depends
on is the number of band rows, not the text), inserted in bulk; then 1,000
lookups through the store's real `near_duplicate` query: half are perturbed
copies of stored articles (20% of signature values changed: similarity ~0.8),
half are new. Prints p50/p99 lookup time, hit rate, database size and peak RSS.

    .venv/bin/python bench/neardup.py [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.neardup import NUM_PERM, Signature  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.articles import ArticleTx  # noqa: E402
from monitor.store.tables import ArticleRow, LshBandRow  # noqa: E402


def fill(store: Store, start: int, stop: int, rng: np.random.Generator, keep: dict) -> None:
    batch = 5000
    with store.engine.begin() as conn:
        for lo in range(start, stop, batch):
            hi = min(lo + batch, stop)
            arts, bands = [], []
            for i in range(lo, hi):
                sig = Signature(rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64))
                if i % 997 == 0:
                    keep[i + 1] = sig
                arts.append({"id": i + 1, "title": "", "text": "", "content_hash": f"h{i}", "minhash": sig.to_bytes()})
                bands += [{"band": b, "hash": h, "article_id": i + 1} for b, h in sig.bands()]
            conn.execute(ArticleRow.__table__.insert(), arts)
            conn.execute(LshBandRow.__table__.insert(), bands)


def measure(store: Store, keep: dict, rng: np.random.Generator, n: int = 1000) -> tuple[float, float, float]:
    ids = list(keep)
    times, hits = [], 0
    with store.session() as s:
        tx = ArticleTx(store, s)
        for q in range(n):
            if q % 2 == 0:
                target = ids[q % len(ids)]
                values = keep[target].values.copy()
                flip = rng.choice(NUM_PERM, NUM_PERM // 5, replace=False)
                values[flip] = rng.integers(0, 2**32, len(flip), dtype=np.uint64)
                sig = Signature(values)
            else:
                target, sig = None, Signature(rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64))
            t = time.perf_counter()
            found = tx.near_duplicate(sig)
            times.append((time.perf_counter() - t) * 1000)
            hits += found == target if target else found is None
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1], hits / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store(f"sqlite:///{path}")
        keep: dict = {}
        done = 0
        print(f"{'stored':>9} {'p50 ms':>7} {'p99 ms':>7} {'correct':>8} {'db MB':>7} {'peak RSS MB':>11} {'fill s':>7}")
        for size in sizes:
            t = time.perf_counter()
            fill(store, done, size, rng, keep)
            fill_s = time.perf_counter() - t
            done = size
            p50, p99, ok = measure(store, keep, rng)
            db_mb = sum(f.stat().st_size for f in Path(tmp).glob("bench.db*")) / 1e6
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{size:>9} {p50:>7.2f} {p99:>7.2f} {ok:>8.3f} {db_mb:>7.0f} {rss:>11.0f} {fill_s:>7.1f}", flush=True)
        store.close()


if __name__ == "__main__":
    main()
