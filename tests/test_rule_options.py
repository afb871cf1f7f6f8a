"""Rule options end to end: throttle folds, quiet hours hold, digests gather, then one message goes out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from conftest import write_config
from monitor.alert import Notifier
from monitor.cli import main
from monitor.config import load_config
from monitor.deliver import deliver_due
from monitor.feedserver import rss
from monitor.store import Store

TEXTS = [
    ("Alpha brigade reports drone sightings", "Soldiers of the alpha brigade said they saw drones near the river."),
    ("Alpha unit rotates out", "The alpha unit left the front line after three months, officials said."),
    ("New alpha commander named", "The ministry named a new commander for the alpha unit on Tuesday."),
]


def _setup(feed_server, smtp_server, tmp_path, option: dict):
    now = datetime.now(timezone.utc)
    items = [{"title": t, "link": feed_server.url(f"/{i}.html"), "guid": f"g{i}", "description": d,
              "pubDate": format_datetime(now - timedelta(minutes=i))} for i, (t, d) in enumerate(TEXTS)]
    feed = feed_server.publish("/feed.xml", rss("Wire", feed_server.url("/"), items, lang="en"),
                               "application/rss+xml")
    cfg = write_config(tmp_path / "config", sources=[{"name": "wire", "url": feed, "fetch_article": False}],
                       channels={"desk": smtp_server.url()},
                       rules=[{"name": "alpha-watch", "match": {"keywords": ["alpha"]}, "notify": ["desk"], **option}])
    assert main(["once", "--config", str(cfg)]) == 0
    return cfg


def _deliver_at(cfg, when: datetime):
    config = load_config(cfg)
    store = Store(config.database_url)
    try:
        return deliver_due(store, Notifier(config.settings), config.settings.delivery, now=when)
    finally:
        store.close()


def test_throttle_sends_one_then_folds_the_rest_into_the_next(feed_server, smtp_server, tmp_path):
    cfg = _setup(feed_server, smtp_server, tmp_path, {"throttle": "1h"})
    assert len(smtp_server.messages) == 1
    _deliver_at(cfg, datetime.now(timezone.utc) + timedelta(minutes=30))
    assert len(smtp_server.messages) == 1, "nothing more inside the window"
    _deliver_at(cfg, datetime.now(timezone.utc) + timedelta(hours=1, minutes=1))
    assert len(smtp_server.messages) == 2
    subject, body = smtp_server.subjects()[1], smtp_server.bodies()[1]
    assert subject == "alpha-watch: 2 alerts held for this batch"
    assert sum(t in body for t, _ in TEXTS) == 2


@pytest.mark.parametrize("option", [
    {"quiet_hours": {"start": "{start}", "end": "{end}", "tz": "UTC"}},
    {"digest": {"daily_at": "{end}", "tz": "UTC"}},
], ids=["quiet_hours", "digest"])
def test_quiet_hours_and_digest_hold_everything_for_one_message(feed_server, smtp_server, tmp_path, option):
    now = datetime.now(timezone.utc)
    start, end = (now - timedelta(hours=1)).strftime("%H:%M"), (now + timedelta(hours=2)).strftime("%H:%M")
    key, value = next(iter(option.items()))
    option = {key: {k: v.format(start=start, end=end) for k, v in value.items()}}
    cfg = _setup(feed_server, smtp_server, tmp_path, option)
    assert smtp_server.messages == []
    _deliver_at(cfg, now + timedelta(hours=1))
    assert smtp_server.messages == []
    _deliver_at(cfg, now + timedelta(hours=2, minutes=1))
    assert len(smtp_server.messages) == 1
    assert smtp_server.subjects()[0] == "alpha-watch: 3 alerts held for this batch"
    assert all(t in smtp_server.bodies()[0] for t, _ in TEXTS)
