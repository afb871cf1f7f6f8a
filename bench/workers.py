"""Workers benchmark: articles per second with 1, 2 and 3 `monitor worker` processes on
PostgreSQL, and the same load on SQLite in one process (`monitor once`).

    MONITOR_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/workers.py [--sources 20] [--items 25] [--workers 1,2,3] [--clean-processes 1]

The load: SOURCES local RSS feeds of ITEMS items each; every item links to a full news
page (navigation, ads, comments: monitor.demo.pages) whose text mixes sentences of the
seed articles, so each item is fetched, cleaned (trafilatura), deduplicated (MinHash),
extracted and matched. The pages are served by a separate process, so its CPU is not
counted. Each PostgreSQL run gets a fresh schema; workers start first, then one
scheduler defers the polls. Articles per second = articles stored / (last article's
commit - first article's commit), which leaves process start-up out.
`--clean-processes 1` (default): every worker, and the SQLite process, cleans in one
pool process of its own (about one core each, with the database writes beside it);
the machine's core count bounds what more workers can give.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _sentences() -> list[str]:
    out = []
    for path in sorted((ROOT / "monitor" / "demo" / "seeds").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").split(". "):
            if 40 < len(line) < 400:
                out.append(line.strip().rstrip(".") + ".")
    return out


def serve(port_queue, n_sources: int, n_items: int) -> None:
    """The web (child process): feeds and their article pages."""
    from monitor.demo.pages import news_page
    from monitor.feedserver import FeedServer, rss

    pool = _sentences()
    now = datetime.now(timezone.utc)
    with FeedServer() as server:
        for s in range(n_sources):
            items = []
            for i in range(n_items):
                rng = random.Random(s * 100_000 + i)
                text = "\n".join(" ".join(rng.sample(pool, 3)) + f" (dépêche {s}-{i}, réf. {rng.randrange(10**9)})"
                                 for _ in range(4))
                path = f"/site{s}/article/{i}.html"
                server.publish(path, news_page(f"Dépêche {s}-{i}", text, outlet=f"Site {s}", seed=i))
                items.append({"title": f"Dépêche {s}-{i}", "link": server.url(path), "guid": f"s{s}-i{i}",
                              "description": "Résumé.", "pubDate": format_datetime(now)})
            server.publish(f"/feed/{s}.xml", rss(f"Site {s}", server.url("/"), items), "application/rss+xml")
        port_queue.put(server.port)
        signal.sigwait({signal.SIGTERM})


def write_config(folder: Path, port: int, n_sources: int, db_url: str, clean: int) -> Path:
    import yaml

    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "monitor.yaml").write_text(yaml.safe_dump({
        "database": {"url": db_url}, "workers": {"clean_processes": clean},
        "http": {"per_host_delay": "0s", "per_host": 50, "concurrency": 50}, "channels": {}}))
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": f"site{s}", "url": f"http://127.0.0.1:{port}/feed/{s}.xml", "kind": "rss", "lang": "fr",
         "interval": "1h", "allow_private": True} for s in range(n_sources)]}))
    (folder / "rules" / "rules.yaml").write_text(yaml.safe_dump({"version": 1, "rules": [
        {"name": "strike", "match": {"kind": "strike"}, "notify": ["console"]}]}, allow_unicode=True))
    return folder


def monitor(cfg: Path, *args: str, log: Path) -> subprocess.Popen:
    with open(log, "ab") as fh:
        return subprocess.Popen([sys.executable, "-m", "monitor", *args, "--config", str(cfg)], cwd=ROOT,
                                stdout=fh, stderr=subprocess.STDOUT, env=dict(os.environ, PYTHONUNBUFFERED="1"))


def articles(db_url: str) -> tuple[int, float]:
    """(articles stored, seconds between the first and the last commit)."""
    from sqlalchemy import func, select

    from monitor.store import Store
    from monitor.store.tables import ArticleRow

    store = Store(db_url, migrate=False)
    try:
        with store.session() as s:
            n, first, last = s.execute(select(func.count(), func.min(ArticleRow.created_at),
                                              func.max(ArticleRow.created_at))).one()
        return n, ((last - first).total_seconds() if n > 1 else 0.0)
    finally:
        store.close()


def done(db_url: str, expected: int) -> bool:
    """Every item polled and none left to process."""
    from monitor.store import Store

    store = Store(db_url, migrate=False)
    try:
        return store.counts()["items"] >= expected and not store.pending_items(limit=1)
    finally:
        store.close()


def run_postgres(base: str, tmp: Path, port: int, args, workers: int) -> tuple[int, float]:
    from sqlalchemy import create_engine

    from monitor.cli import main
    from monitor.store.db import normalise_url

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalise_url(base))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    folder = tmp / f"pg{workers}"
    cfg = write_config(folder, port, args.sources, url, args.clean_processes)
    procs = []
    try:
        main(["db", "upgrade", "--config", str(cfg)])
        procs = [monitor(cfg, "worker", "--no-watch-rules", log=folder / f"worker{k}.log") for k in range(workers)]
        deadline = time.time() + 120
        while time.time() < deadline and sum("poll jobs" in (folder / f"worker{k}.log").read_text()
                                             for k in range(workers)) < workers:
            time.sleep(0.2)
        procs.append(monitor(cfg, "run", "--scheduler-only", log=folder / "scheduler.log"))
        deadline = time.time() + args.timeout
        while time.time() < deadline and not done(url, args.sources * args.items):
            time.sleep(0.5)
        return articles(url)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                p.kill()
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def run_sqlite(tmp: Path, port: int, args) -> tuple[int, float]:
    folder = tmp / "sqlite"
    url = f"sqlite:///{folder / 'monitor.db'}"
    cfg = write_config(folder, port, args.sources, url, args.clean_processes)
    proc = monitor(cfg, "once", log=folder / "once.log")
    proc.wait(args.timeout)
    return articles(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=20)
    parser.add_argument("--items", type=int, default=25)
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument("--clean-processes", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--keep", type=Path, help="Keep configurations and logs in this folder.")
    args = parser.parse_args()
    base = os.environ.get("MONITOR_TEST_POSTGRES_URL")
    queue = multiprocessing.Queue()
    web = multiprocessing.Process(target=serve, args=(queue, args.sources, args.items), daemon=True)
    web.start()
    port = queue.get(timeout=120)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as scratch:
            tmp = args.keep or scratch
            n, secs = run_sqlite(Path(tmp), port, args)
            rows.append(("SQLite, one process (monitor once)", "1", n, secs))
            if not base:
                print("MONITOR_TEST_POSTGRES_URL is not set: PostgreSQL runs skipped", file=sys.stderr)
            for w in [int(x) for x in args.workers.split(",")] if base else []:
                n, secs = run_postgres(base, Path(tmp), port, args, w)
                rows.append((f"PostgreSQL, {w} worker{'s' if w > 1 else ''} + 1 scheduler", str(w), n, secs))
    finally:
        web.terminate()
    print(f"\n{args.sources} sources x {args.items} items, clean_processes={args.clean_processes}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print(f"{'setup':<40} {'workers':>7} {'articles':>8} {'seconds':>8} {'articles/s':>10}")
    for name, w, n, secs in rows:
        rate = (n - 1) / secs if secs else 0.0
        print(f"{name:<40} {w:>7} {n:>8} {secs:>8.1f} {rate:>10.1f}")


if __name__ == "__main__":
    main()
