"""`make demo`: the five seed articles, served as two RSS feeds from a local HTTP
server, one cycle, the alerts printed. Works offline."""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

import yaml

from monitor.demo.pages import news_page
from monitor.feedserver import FeedServer, rss

HERE = Path(__file__).resolve().parent
FEEDS = {"veille-fr": "Veille Ukraine (démo)", "fil-europe": "Fil Europe (démo)"}


def publish_seeds(server: FeedServer) -> dict[str, str]:
    """Publish every seed page and the two feeds; return feed name -> feed URL."""
    meta = yaml.safe_load((HERE / "seeds" / "meta.yaml").read_text(encoding="utf-8"))
    items: dict[str, list[dict]] = {name: [] for name in FEEDS}
    for i, m in enumerate(meta):
        text = (HERE / "seeds" / m["file"]).read_text(encoding="utf-8")
        path = f"/{m['feed']}/{Path(m['file']).stem}.html"
        link = server.publish(path, news_page(m["title"], text, outlet=FEEDS[m["feed"]],
                                              published=m["published"], seed=i))
        items[m["feed"]].append({"title": m["title"], "link": link, "guid": link,
                                 "description": text[:200] + "…",
                                 "pubDate": format_datetime(datetime.fromisoformat(m["published"]))})
    return {name: server.publish(f"/{name}/rss.xml", rss(title, server.url(f"/{name}/"), items[name]),
                                 "application/rss+xml; charset=utf-8")
            for name, title in FEEDS.items()}


def write_config(folder: Path, feeds: dict[str, str]) -> Path:
    (folder / "rules").mkdir(parents=True, exist_ok=True)
    (folder / "monitor.yaml").write_text(yaml.safe_dump({
        "database": {"url": f"sqlite:///{folder / 'demo.db'}"},
        "workers": {"clean_processes": 2},
        "channels": {},
    }), encoding="utf-8")
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"name": name, "url": url, "kind": "rss", "lang": "fr", "allow_private": True,
         "backfill": "3650d", "tags": ["demo"]} for name, url in feeds.items()]}, allow_unicode=True),
        encoding="utf-8")
    shutil.copy(HERE / "rules.yaml", folder / "rules" / "demo.yaml")
    return folder


def main() -> int:
    from monitor.pipeline import run_cycle
    from monitor.runtime import build_runtime, close_runtime, load_all, setup_logging

    setup_logging(False)
    with tempfile.TemporaryDirectory(prefix="monitor-demo-") as tmp, FeedServer() as server:
        feeds = publish_seeds(server)
        config, rules = load_all(write_config(Path(tmp), feeds))
        print(f"demo: serving {len(feeds)} feeds of seed articles at {server.url('/')}", flush=True)
        print(f"demo: {len(rules.rules)} rules, alerts go to the console channel\n", flush=True)
        rt = build_runtime(config, rules)
        started = time.perf_counter()
        try:
            report = asyncio.run(run_cycle(rt))
        finally:
            close_runtime(rt)
        print(f"demo: one cycle in {time.perf_counter() - started:.1f} s: {report.summary()}", flush=True)
        return 0 if report.delivery.sent else 1


if __name__ == "__main__":
    sys.exit(main())
