"""The main process's share of an article: storing it (dedup, events, clusters, rule matching,
alerts queued) and delivering its alerts, on a fresh SQLite database, without the pool or HTTP.

    .venv/bin/python bench/store.py [--articles 400]

Builds --articles bench pages (bench/pages.py), cleans and extracts them once in this
process (not timed), then stores them through `monitor.processing.store_results` in
batches of 32 as the pipeline's writer does, with bench/pipeline.py's rules, and
delivers the queued alerts to the console channel (written to a buffer). Prints the
thread CPU per stored article and per delivered alert: the figures bench/pipeline.py's
"main process" line sums with fetching and polling.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def processed(folder: Path, n: int) -> list:
    """(NewItem, (article, events, signature)) for n bench pages, cleaned and extracted here."""
    from pages import build_corpus

    from monitor import cpu
    from monitor.models import FeedItem, Page
    from monitor.store import NewItem

    corpus = build_corpus(folder, articles=n)
    out = []
    for spec in corpus.pages:
        url = f"http://127.0.0.1:1{spec.path}"
        item = FeedItem(source=f"feed{spec.feed}", guid=f"bench:{spec.feed}:{spec.index}", url=url, link=url,
                        title=spec.title, summary=spec.summary, published=spec.published, lang=spec.lang)
        result, _parts = cpu.timed_clean_and_extract(Page(url=url, body=(folder / spec.path.lstrip("/")).read_bytes()),
                                                     item)
        out.append((NewItem(None, item.source, item), result))
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=400)
    args = ap.parse_args(argv)

    import yaml
    from pipeline import RULES

    from monitor import processing
    from monitor.config import load_config
    from monitor.deliver import deliver_due
    from monitor.pipeline import CycleReport
    from monitor.rules import load_rules
    from monitor.runtime import build_runtime

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = processed(folder / "pages", args.articles)
        cfg = folder / "config"
        (cfg / "rules").mkdir(parents=True)
        feeds = sorted({entry.source for entry, _ in items})
        (cfg / "sources.yaml").write_text(yaml.safe_dump(
            {"sources": [{"name": f, "url": f"http://127.0.0.1:1/{f}.xml"} for f in feeds]}))
        (cfg / "monitor.yaml").write_text(yaml.safe_dump(
            {"database": {"url": f"sqlite:///{folder}/bench.db"}, "workers": {"clean_processes": 0}}))
        (cfg / "rules" / "bench.yaml").write_text(RULES, encoding="utf-8")
        config = load_config(cfg)
        rt = build_runtime(config, load_rules(cfg / "rules", config.settings.channel_names()),
                           console=io.StringIO(), processes=0)
        report = CycleReport()
        t0 = time.thread_time()
        for k in range(0, len(items), 32):
            processing.store_results(rt, items[k : k + 32], report)
        store_ms = (time.thread_time() - t0) * 1000 / len(items)
        t0 = time.thread_time()
        sent = deliver_due(rt.store, rt.notifier, config.settings.delivery,
                           now=datetime.now(timezone.utc) + timedelta(days=2), limit=100_000).sent
        deliver_ms = (time.thread_time() - t0) * 1000 / max(1, sent)
        rt.store.engine.dispose()
    print(f"{len(items)} articles: {report.articles} stored, {report.duplicates} duplicates, {report.events} events, "
          f"{report.alerts_queued} alerts queued, {sent} delivered")
    print(f"store CPU per article: {store_ms:.2f} ms   delivery CPU per alert: {deliver_ms:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
