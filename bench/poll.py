"""Poll benchmark: 2,000 local feeds of 20 items each, two cycles.

    .venv/bin/python bench/poll.py [--feeds 2000] [--items 20] [--db sqlite:///...]

A local aiohttp server in a subprocess serves the feeds (so its CPU and memory are
not counted). Cycle 1: every item is new (fetch, parse, dedup, store; no article
fetch, no processing: `pipeline.poll_sources` only). Cycle 2: every feed answers
304. Prints wall time, feeds per second and peak memory (RSS high-water mark of
this process, and the Python heap peak from tracemalloc in a separate run would
distort timings, so it is not used) for each cycle.

The feeds all live on 127.0.0.1, so the per-host politeness limits are lifted
(per_host_delay 0, per_host = concurrency), standing for 2,000 distinct hosts.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def serve(port_queue, n_feeds: int, n_items: int) -> None:
    """The feed server (child process): RSS with ETag, 304 on If-None-Match."""
    import hashlib

    from aiohttp import web

    from monitor.feedserver import rss

    now = datetime.now(timezone.utc)
    bodies = {}
    for f in range(n_feeds):
        items = [{"title": f"Feed {f} item {i}: drones over Kharkiv & <b>Odesa</b>",
                  "link": f"https://news{f}.example.org/a/{i}?utm_source=rss",
                  "guid": f"urn:feed{f}:item{i}",
                  "description": f"<p>Overnight, <b>{i + 10}</b> drones were launched; air defence "
                                 f"reported {i + 5} shot down.</p><script>alert(1)</script>",
                  "pubDate": format_datetime(now - timedelta(minutes=7 * i + f % 20))}
                 for i in range(n_items)]
        body = rss(f"Feed {f}", f"https://news{f}.example.org/", items, lang="en").encode()
        bodies[f"/feed/{f}.xml"] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')

    async def handle(request: web.Request) -> web.StreamResponse:
        hit = bodies.get(request.path)
        if hit is None:
            return web.Response(status=404)
        body, etag = hit
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, headers={"ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
        await site.start()
        port_queue.put(runner.addresses[0][1])
        await asyncio.Event().wait()

    asyncio.run(main())


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run(args, port: int, folder: Path) -> None:
    import yaml

    from monitor.config import load_config
    from monitor.http import HttpClient
    from monitor.pipeline import CycleReport, Runtime, poll_sources
    from monitor.runtime import freeze_startup_heap
    from monitor.store import Store

    sources = [{"name": f"feed{f}", "url": f"http://127.0.0.1:{port}/feed/{f}.xml", "fetch_article": False,
                "allow_private": True} for f in range(args.feeds)]
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}))
    (folder / "monitor.yaml").write_text(yaml.safe_dump({
        "database": {"url": args.db or f"sqlite:///{folder / 'bench.db'}"},
        "http": {"concurrency": args.concurrency, "per_host": min(args.concurrency, 100), "per_host_delay": 0}}))
    config = load_config(folder)
    store = Store(config.database_url)
    store.sync_sources([(s.name, s.url) for s in config.sources])
    rt = Runtime(config=config, store=store, notifier=None, ruleset=None)
    freeze_startup_heap()  # as build_runtime does for every command
    print(f"{args.feeds} feeds x {args.items} items, concurrency {args.concurrency}, "
          f"baseline peak RSS {peak_rss_mb():.0f} MB")
    async with HttpClient(config.settings.http) as client:
        for name in ("cycle 1 (all new)", "cycle 2 (all 304)"):
            report = CycleReport()
            t0 = time.perf_counter()
            await poll_sources(rt, client, config.sources, report, force=True)
            wall = time.perf_counter() - t0
            print(f"{name}: {wall:.2f} s, {report.polled / wall:.0f} feeds/s, {report.new_items} new items, "
                  f"{report.not_modified} unchanged, {len(report.source_errors)} errors, "
                  f"peak RSS {peak_rss_mb():.0f} MB")
    store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=100)
    ap.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    args = ap.parse_args()
    ctx = multiprocessing.get_context("spawn")
    ports = ctx.Queue()
    server = ctx.Process(target=serve, args=(ports, args.feeds, args.items), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=60)
        with tempfile.TemporaryDirectory() as tmp:
            asyncio.run(run(args, port, Path(tmp)))
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
