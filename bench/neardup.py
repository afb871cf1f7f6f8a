"""Near-duplicate lookup cost against 10k, 100k and 1M stored articles (SQLite).

For each size, a database created by the real migrations is filled with that many
stored articles shaped like the ones the pipeline writes (url, source, title, ~2.5 KB
of text, language, dates, content hash, a 128-value MinHash signature) and the 20
LSH band rows of each signature, computed by the production `Signature.bands()`. The
signatures are random (what a lookup costs depends on the number and spread of band
rows, not on the prose). The fill runs in a child process through sqlite3's
executemany in one transaction, journal off and a large page cache, in the order the
pipeline writes (article by article, its 20 bands after it): 1M articles take minutes.

The lookups then go through the production path, `ArticleTx.near_duplicate` (what
`Store.save_article` calls) on a `Store` engine: half are perturbed copies of stored
signatures (20% of values changed: similarity ~0.8, expected to find that article),
half are new signatures (expected to find nothing). Each lookup's wall time and CPU
time (time.thread_time) are recorded, and the time the thread waited for a CPU on a
run queue (/proc/thread-self/schedstat): where the slowest 1% spend more wall than
CPU, they waited; the run-queue share of that is other processes holding both cores,
the rest is blocking (I/O, locks).

Prints per size: p50/p99/max wall, p50/p99 CPU, the slowest 1%'s mean wall, CPU and
run-queue wait, correct answers, band table + index size, database size, peak RSS of
the measuring process (the fill's own memory is its child's and is printed apart),
fill time and load average. With --dir the databases are kept (neardup-<size>.db) and --reuse
measures them again without filling, e.g. when the machine is less loaded:

    .venv/bin/python bench/neardup.py [--sizes 10000,100000,1000000] [--lookups 2000]
    .venv/bin/python bench/neardup.py --dir /tmp/neardup-bench [--reuse]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta, timezone
from multiprocessing import get_context
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.neardup import NUM_PERM, Signature  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.store.articletx import ArticleTx  # noqa: E402

WORDS = ("drones missiles attaque nuit défense région ville énergie frappe négociations président accord "
         "cessez-le-feu sommet overnight attack air defence region city energy strike talks president").split()
CHUNK = 10_000  # articles per executemany (all in one transaction)


def _ts(t: datetime) -> str:  # how UTCDateTime stores a datetime on SQLite
    return t.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(db: str, n: int, seed: int = 7, text_chars: int = 2500, days: int = 90) -> tuple[float, float]:
    """Create `db` at the migrations' head and store `n` articles and their bands; (seconds, peak RSS MB)."""
    t0 = time.perf_counter()
    Store(f"sqlite:///{db}").close()  # the real schema (migrations), in WAL mode
    rng = np.random.default_rng(seed)
    pyrng = __import__("random").Random(seed)
    texts = [" ".join(pyrng.choices(WORDS, k=text_chars // 8))[:text_chars] for _ in range(500)]
    sources = [f"source-{k}" for k in range(200)]
    now = datetime.now(timezone.utc)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=OFF")  # a benchmark file: no rollback needed, no WAL to checkpoint
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-2000000")  # 2 GB: the band index stays in memory while it is built
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("BEGIN")
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        minhashes = rng.integers(0, 2**32, size=(hi - lo, NUM_PERM), dtype=np.uint64)
        hashes = rng.bytes(32 * (hi - lo)).hex()
        arts, bands = [], []
        for j in range(hi - lo):
            aid = lo + j + 1
            src = sources[aid % len(sources)]
            when = _ts(now - timedelta(seconds=days * 86400 * (n - aid) / n))
            sig = Signature(minhashes[j])
            arts.append((aid, f"https://{src}.example.org/news/{aid}", src, f"Article {aid} title",
                         f"{aid} {texts[aid % len(texts)]}", "fr" if aid % 3 else "en", when,
                         hashes[64 * j:64 * (j + 1)], when, sig.to_bytes()))
            bands += [(b, h, aid) for b, h in sig.bands()]
            # the pipeline writes an article, then its bands: the same order here, one executemany per chunk
        con.executemany("INSERT INTO article (id, url, source, title, text, lang, published, content_hash, "
                        "created_at, minhash) VALUES (?,?,?,?,?,?,?,?,?,?)", arts)
        con.executemany("INSERT INTO lsh_band (band, hash, article_id) VALUES (?,?,?)", bands)
    con.execute("COMMIT")
    con.execute("PRAGMA journal_mode=WAL")  # as the store runs it
    con.close()
    fd = os.open(db, os.O_RDONLY)
    try:  # on disk before the lookups start: the kernel writing it back would stall their reads
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sizes_mb(db: Path) -> tuple[float, float]:
    """(lsh_band table + its primary key index, whole database) in MB."""
    con = sqlite3.connect(db)
    try:
        band = sum(con.execute("SELECT pgsize FROM dbstat WHERE name = ? AND aggregate = TRUE", (name,)).fetchone()[0]
                   for name in ("lsh_band", "sqlite_autoindex_lsh_band_1"))
    finally:
        con.close()
    return band / 1e6, sum(f.stat().st_size for f in db.parent.glob(db.name + "*")) / 1e6


def queries(db: Path, n_lookups: int, seed: int) -> list[tuple[Signature, int | None]]:
    """Half perturbed copies of stored signatures (expect that article), half new ones (expect none)."""
    rng = np.random.default_rng(seed)
    con = sqlite3.connect(db)
    try:
        stored = con.execute("SELECT max(id) FROM article").fetchone()[0]
        ids = [int(x) for x in rng.integers(1, stored + 1, n_lookups // 2 + 1)]
        marks = ",".join("?" * len(ids))
        minhash = dict(con.execute(f"SELECT id, minhash FROM article WHERE id IN ({marks})", ids).fetchall())
    finally:
        con.close()
    out = []
    for q in range(n_lookups):
        if q % 2 == 0:
            target = ids[q // 2]
            values = Signature.from_bytes(minhash[target]).values.copy()
            flip = rng.choice(NUM_PERM, NUM_PERM // 5, replace=False)
            values[flip] = rng.integers(0, 2**32, len(flip), dtype=np.uint64)
            out.append((Signature(values), target))
        else:
            out.append((Signature(rng.integers(0, 2**32, NUM_PERM, dtype=np.uint64)), None))
    return out


def measure(db: Path, n_lookups: int, seed: int, per_tx: int = 50) -> dict:
    store = Store(f"sqlite:///{db}")
    stored = store.engine.connect().exec_driver_sql("SELECT count(*) FROM article").scalar()
    warm = queries(db, 200, seed + 1)
    todo = queries(db, n_lookups, seed)
    walls, cpus, queued, ok = [], [], [], 0
    # this thread's time waiting on a run queue (Linux schedstat, ns): wall - CPU - that = blocked (I/O, locks)
    sched = os.open("/proc/thread-self/schedstat", os.O_RDONLY) if os.path.exists("/proc/thread-self/schedstat") \
        else None
    run_delay = (lambda: int(os.pread(sched, 200, 0).split()[1]) / 1e6) if sched is not None else (lambda: 0.0)
    load0 = os.getloadavg()[0]
    for batch, timed in ((warm, False), (todo, True)):
        for lo in range(0, len(batch), per_tx):  # several lookups per transaction, as the writer stores
            with store.session() as s:
                tx = ArticleTx(store, s)
                for sig, target in batch[lo:lo + per_tx]:
                    d = run_delay()
                    w, c = time.perf_counter(), time.thread_time()
                    found = tx.near_duplicate(sig)
                    c, w = time.thread_time() - c, time.perf_counter() - w
                    d = run_delay() - d
                    if timed:
                        walls.append(w * 1000)
                        cpus.append(c * 1000)
                        queued.append(d)
                        ok += found == target
    load1 = os.getloadavg()[0]
    store.close()
    if sched is not None:
        os.close(sched)
    slow = sorted(range(len(walls)), key=walls.__getitem__)[-max(1, len(walls) // 100):]
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(len(xs) * p))]  # noqa: E731
    return {"stored": stored, "p50": statistics.median(walls), "p99": q(walls, 0.99), "max": max(walls),
            "cpu50": statistics.median(cpus), "cpu99": q(cpus, 0.99),
            "slow_wall": statistics.mean(walls[i] for i in slow), "slow_cpu": statistics.mean(cpus[i] for i in slow),
            "slow_queued": statistics.mean(queued[i] for i in slow),
            "correct": ok / len(walls), "load": (load0, load1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--lookups", type=int, default=2000)
    ap.add_argument("--dir", help="keep the databases here (neardup-<size>.db); default: a temporary directory")
    ap.add_argument("--reuse", action="store_true", help="measure the databases in --dir again, without filling")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    if args.reuse and not args.dir:
        ap.error("--reuse needs --dir")
    tmp = None if args.dir else tempfile.TemporaryDirectory()
    where = Path(args.dir or tmp.name)
    where.mkdir(parents=True, exist_ok=True)
    print(f"{'stored':>9} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'cpu p50':>7} {'cpu p99':>7} "
          f"{'slowest 1% wall/cpu/run-queue ms':>32} {'correct':>7} {'bands MB':>8} {'db MB':>7} {'RSS MB':>6} "
          f"{'fill s':>6} {'fill RSS':>8}  load (before/after)")
    try:
        for size in sizes:
            db = where / f"neardup-{size}.db"
            fill_s = fill_rss = float("nan")
            if not args.reuse:
                for f in where.glob(db.name + "*"):
                    f.unlink()
                # a child process: its page cache and memory are not the measuring process's
                with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
                    fill_s, fill_rss = pool.submit(fill, str(db), size).result()
            elif not db.exists():
                sys.exit(f"{db} is missing: run without --reuse first")
            gc.collect()
            r = measure(db, args.lookups, seed=size)
            band_mb, db_mb = sizes_mb(db)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            slow = f"{r['slow_wall']:.2f}/{r['slow_cpu']:.2f}/{r['slow_queued']:.2f}"
            print(f"{r['stored']:>9} {r['p50']:>7.2f} {r['p99']:>7.2f} {r['max']:>7.2f} {r['cpu50']:>7.2f} "
                  f"{r['cpu99']:>7.2f} {slow:>32} {r['correct']:>7.3f} {band_mb:>8.0f} {db_mb:>7.0f} {rss:>6.0f} "
                  f"{fill_s:>6.1f} {fill_rss:>8.0f}  {r['load'][0]:.2f}/{r['load'][1]:.2f}", flush=True)
    finally:
        if tmp:
            tmp.cleanup()


if __name__ == "__main__":
    main()
