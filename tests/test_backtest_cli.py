"""`monitor backtest` over stored events: which rules would have matched; nothing is sent."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import yaml

from conftest import write_config
from monitor.cli import main
from monitor.feedserver import rss

ARTICLES = Path(__file__).parent / "data" / "articles"


def test_backtest_lists_matches_and_sends_nothing(feed_server, smtp_server, tmp_path, capsys):
    title, _, body = (ARTICLES / "en-kyiv-night.txt").read_text(encoding="utf-8").partition("\n")
    feed = feed_server.publish("/feed.xml", rss("Wire", feed_server.url("/"), [
        {"title": title, "link": feed_server.url("/a.html"), "guid": "a", "description": body,
         "pubDate": format_datetime(datetime.now(timezone.utc))}], lang="en"), "application/rss+xml")
    cfg = write_config(tmp_path / "config", sources=[{"name": "wire", "url": feed, "fetch_article": False}],
                       channels={"desk": smtp_server.url()}, rules=[])
    assert main(["once", "--config", str(cfg)]) == 0  # no rules yet: stores, alerts nothing
    (cfg / "rules" / "rules.yaml").write_text(yaml.safe_dump({"version": 1, "rules": [
        {"name": "kyiv-hit", "match": {"kind": "strike", "places": ["Kiev"]}, "notify": ["desk"]},
        {"name": "ceasefire-talks", "match": {"kind": "negotiation", "topics": ["ceasefire"]}, "notify": ["desk"]},
    ]}))
    capsys.readouterr()
    assert main(["backtest", "--config", str(cfg), "--since", "7d"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["kyiv-hit"][1] == "1" and lines["ceasefire-talks"][1] == "0"
    assert "nothing was sent" in out
    assert smtp_server.messages == []
    assert main(["backtest", "--config", str(cfg), "--rule", "kyiv-hitt"]) == 1
    assert "did you mean" in capsys.readouterr().err
