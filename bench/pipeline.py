"""End-to-end pipeline throughput against trafilatura alone, on the same pages, in one run.

    .venv/bin/python bench/pipeline.py [--articles 1000] [--processes 2] [--prefill 0,10000,100000]

A local server (monitor.feedserver, in a child process) publishes articles/20 RSS
feeds whose items link to varied, realistic news pages of 80-150 KB (bench/pages.py:
French and English bodies made from the test texts, each with its own navigation,
ads, related links and comments).

For each --prefill size: a fresh SQLite database, pre-filled with that many
synthetic stored articles (bench/prefill.py), and `build_runtime` on a temporary
config with a few rules. The feeds are split into --rounds groups; for each group,
one real `run_cycle` over its feeds (poll, fetch, clean+extract in the process pool,
dedup, store, correlate, match, queue alerts, deliver to the console channel,
written to /dev/null), and trafilatura alone (`monitor.clean.clean_html`, the call
the pipeline makes) on the same pages in a pool of as many processes, in
alternating order. Interleaving keeps the comparison fair on a machine shared
with other work: both see the same load. Both pools are warm before timing.

Prints articles/s for both, the stage breakdown, CPU per article, peak memory
(PSS and RSS of the main process, the pool processes and their fork server),
database size per article, the query plans of the per-article queries, and ends
with one line: `pipeline/trafilatura throughput ratio: 0.NN` (the lowest over the
--prefill sizes run).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from procstat import MemorySampler, cpu_seconds, forkserver_pid, pool_pids, status_kb  # noqa: E402
from report import Totals, print_size  # noqa: E402

RULES = """version: 1
rules:
  - {name: massive-strike-on-ukraine, match: {kind: strike, target: [UA], drones_launched: {gte: 100}},
     notify: [console]}
  - {name: kyiv-hit, match: {kind: strike, places: [Kyiv]}, notify: [console]}
  - {name: drones-over-russia, match: {kind: strike, target: [RU], drones_destroyed: {gte: 30}}, notify: [console]}
  - {name: us-russia-talks, match: {kind: negotiation, parties: [US, RU]}, notify: [console]}
  - {name: north-korean-weapons, match: {keywords: ["nord-coréen", "North Korean"], languages: [fr, en]},
     notify: [console]}
"""


def serve(folder: str, ports) -> None:
    """Child process: publish every page and feed of the corpus, then serve until killed."""
    from monitor.feedserver import FeedServer

    root = Path(folder)
    server = FeedServer().__enter__()
    base = server.url("")
    for path in root.rglob("*"):
        if path.is_file():
            rel = "/" + path.relative_to(root).as_posix()
            if rel.startswith("/feed/"):
                server.publish(rel, path.read_text(encoding="utf-8").replace("{base}", base),
                               "application/rss+xml; charset=utf-8")
            else:
                server.publish(rel, path.read_bytes())
    ports.put(server.port)
    threading.Event().wait()


def wait_started(pool: ProcessPoolExecutor, n: int) -> None:
    """Until each of the n pool processes has started (and run its warm-up initializer)."""
    from monitor import cpu

    seen: set[int] = set()
    deadline = time.monotonic() + 180
    while len(seen) < n and time.monotonic() < deadline:
        seen |= {f.result() for f in [pool.submit(cpu.ping) for _ in range(n)]}


def yardstick_pool(processes: int) -> ProcessPoolExecutor:
    """The pool for trafilatura alone: spawned processes (they share no pages with the
    monitor's pool, so the monitor's memory figures do not depend on it), warmed."""
    from monitor import cpu

    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"), initializer=cpu.warm)
    wait_started(pool, processes)
    return pool


def trafilatura_alone(pool: ProcessPoolExecutor, files: list[Path], processes: int) -> tuple[float, float]:
    """Wall seconds and pool CPU seconds of `clean_html` on every file, at most 4 per process in flight."""
    from monitor import clean

    pids = pool_pids(pool)
    cpu0 = sum(cpu_seconds(p) for p in pids)
    pending, window = set(), 4 * processes
    t0 = time.perf_counter()
    for i, path in enumerate(files):
        if len(pending) >= window:
            _done, pending = wait(pending, return_when=FIRST_COMPLETED)
        pending.add(pool.submit(clean.clean_html, path.read_bytes(), f"http://127.0.0.1/a/{i}.html"))
    for f in pending:
        f.result()
    return time.perf_counter() - t0, sum(cpu_seconds(p) for p in pids) - cpu0


def write_config(folder: Path, port: int, corpus, db: Path, args) -> Path:
    import yaml

    cfg = folder / "config"
    (cfg / "rules").mkdir(parents=True, exist_ok=True)
    sources = [{"name": f"feed{f}", "url": f"http://127.0.0.1:{port}/feed/{f}.xml", "lang": lang,
                "allow_private": True} for f, (_outlet, lang) in sorted(corpus.feeds.items())]
    (cfg / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
    conc = args.concurrency
    (cfg / "monitor.yaml").write_text(yaml.safe_dump({
        "database": {"url": f"sqlite:///{db}"},
        # every page is on 127.0.0.1: the per-host politeness limits are lifted (stands for many hosts)
        "http": {"concurrency": conc, "per_host": min(conc, 100), "per_host_delay": "0s"},
        "workers": {"clean_processes": args.processes}}))
    (cfg / "rules" / "bench.yaml").write_text(RULES, encoding="utf-8")
    return cfg


def reset_peak_rss() -> None:
    """Start this process's VmHWM afresh (Linux >= 4.0), so each size reports its own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def db_bytes(db: Path) -> int:
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def run_size(n: int, corpus, cfg: Path, db: Path, yardstick, server_pid: int, args) -> Totals:
    """Prefill, then alternate pipeline rounds and trafilatura-alone rounds over the same pages."""
    from monitor.pipeline import run_cycle
    from monitor.runtime import build_runtime, close_runtime, load_all
    from monitor.store import Store

    totals = Totals(prefilled=n)
    if n:
        from prefill import prefill

        Store(f"sqlite:///{db}").close()  # the schema first
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as filler:
            totals.fill_s = filler.submit(prefill, str(db), n).result()  # its page cache is not ours
    reset_peak_rss()
    config, rules = load_all(cfg)
    devnull = open(os.devnull, "w")
    rt = build_runtime(config, rules, console=devnull)
    totals.db_before = db_bytes(db)
    feeds = sorted(corpus.feeds)
    groups = [feeds[i::args.rounds] for i in range(args.rounds) if feeds[i::args.rounds]]
    try:
        wait_started(rt.executor, args.processes)
        mem = MemorySampler(lambda: [os.getpid(), *pool_pids(rt.executor), forkserver_pid() or 0])
        mem.start()
        for r, group in enumerate(groups):
            names = {f"feed{f}" for f in group}
            files = [path for spec, path in zip(corpus.pages, corpus.page_files()) if spec.feed in group]
            sources = [s for s in config.sources if s.name in names]
            for step in (("T", "P") if r % 2 == 0 else ("P", "T")):
                if step == "T":
                    wall, cpu = trafilatura_alone(yardstick, files, args.processes)
                    totals.add_yardstick(len(files), wall, cpu)
                    continue
                pids = pool_pids(rt.executor)
                cpu0 = (time.process_time() - mem.cpu, sum(cpu_seconds(p) for p in pids), cpu_seconds(server_pid))
                t0 = time.perf_counter()
                report = asyncio.run(run_cycle(rt, sources))
                wall = time.perf_counter() - t0
                cpu1 = (time.process_time() - mem.cpu, sum(cpu_seconds(p) for p in pids), cpu_seconds(server_pid))
                totals.add_pipeline(report, wall, *(b - a for a, b in zip(cpu0, cpu1)))
        mem.stop()
        totals.peak_pss, totals.peak_rss = mem.peak_pss, mem.peak_rss
        totals.hwm = {"main": status_kb(os.getpid(), "VmHWM"), "fork server": status_kb(forkserver_pid() or 0, "VmHWM")}
        for k, pid in enumerate(pool_pids(rt.executor)):
            totals.hwm[f"pool {k + 1}"] = status_kb(pid, "VmHWM")
    finally:
        close_runtime(rt)
        devnull.close()
    totals.db_after = db_bytes(db)
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--per-feed", type=int, default=20)
    ap.add_argument("--processes", type=int, default=2, help="pool processes, for both measurements")
    ap.add_argument("--concurrency", type=int, default=50, help="HTTP requests in flight")
    ap.add_argument("--rounds", type=int, default=4, help="alternating pipeline / trafilatura rounds")
    ap.add_argument("--prefill", default="0", help="stored articles before the run; a comma list runs each")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    sizes = [int(x) for x in args.prefill.split(",")]
    from pages import build_corpus
    from plans import print_plans

    tmp = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    t = time.perf_counter()
    corpus = build_corpus(tmp / "site", args.articles, args.per_feed, args.seed)
    kb = [p.size / 1024 for p in corpus.pages]
    print(f"{len(corpus.pages)} pages in {len(corpus.feeds)} feeds, {min(kb):.0f}-{max(kb):.0f} KB (mean "
          f"{sum(kb) / len(kb):.0f}), {corpus.copies} syndicated copies, built in {time.perf_counter() - t:.0f} s; "
          f"{args.processes} pool processes, {args.rounds} rounds; {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")
    ctx = multiprocessing.get_context("spawn")
    ports = ctx.Queue()
    server = ctx.Process(target=serve, args=(str(tmp / "site"), ports), daemon=True)
    server.start()
    ratios = []
    try:
        port = ports.get(timeout=300)
        yardstick = yardstick_pool(args.processes)
        try:
            for n in sizes:
                run_dir = tmp / f"run-{n}"
                run_dir.mkdir()
                db = run_dir / "bench.db"
                cfg = write_config(run_dir, port, corpus, db, args)
                totals = run_size(n, corpus, cfg, db, yardstick, server.pid, args)
                print_size(totals)
                ratios.append(totals.ratio())
                if n == sizes[-1]:
                    print_plans(db)
        finally:
            yardstick.shutdown()
    finally:
        server.terminate()
        server.join()
        if args.keep:
            print(f"kept {tmp}")
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print(f"pipeline/trafilatura throughput ratio: {min(ratios):.2f}")


if __name__ == "__main__":
    main()
