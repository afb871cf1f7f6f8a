"""Storing poll outcomes in bulk (monitor.store.polls): one executemany UPDATE per batch
must leave every source with exactly its own state, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from conftest import write_config
from monitor.config import load_config
from monitor.feedserver import rss
from monitor.http import HttpClient
from monitor.models import FeedItem, PollResult
from monitor.pipeline import CycleReport, Runtime, poll_sources
from monitor.store import Store
from monitor.store.polls import POLL_COLUMNS, PollRecord

T1 = datetime(2025, 7, 4, 8, 0, tzinfo=timezone.utc)
T2 = T1 + timedelta(minutes=30)
COLUMNS = (*POLL_COLUMNS, "failing_notified", "name", "url")


def _item(source: str, guid: str, published: datetime) -> FeedItem:
    return FeedItem(source=source, guid=guid, url=f"https://example.org/{guid}", link=f"https://example.org/{guid}",
                    title=guid, summary="", published=published, lang="en")


def _rec(source: str, status: int | None, *, at: timedelta, items=(), error=None, etag=None, modified=None,
         gap=None) -> PollRecord:
    result = PollResult(source=source, status=status, error=error, etag=etag, last_modified=modified,
                        not_modified=status == 304)
    return PollRecord(result, T1 + at, list(items), None, gap)


def _state(row) -> dict:
    return {c: getattr(row, c) for c in COLUMNS}


def test_a_batch_of_polls_stores_each_sources_own_state(db_url):
    store = Store(db_url)
    try:
        names = ["fresh", "unchanged", "bare", "failing", "recovers", "twice"]
        store.sync_sources([(n, f"https://example.org/{n}.xml") for n in names])
        store.record_polls([
            _rec("fresh", 200, at=timedelta(minutes=10), etag='"f1"', modified="Fri, 04 Jul 2025 07:00:00 GMT",
                 items=[_item("fresh", "f-a", T1 - timedelta(hours=2)), _item("fresh", "f-b", T1 - timedelta(hours=1))],
                 gap=3600.0),
            _rec("unchanged", 200, at=timedelta(minutes=11), etag='"u1"', modified="Thu, 03 Jul 2025 10:00:00 GMT"),
            _rec("bare", 200, at=timedelta(minutes=12)),
            _rec("failing", None, at=timedelta(minutes=1), error="cannot fetch: refused"),
            _rec("recovers", 500, at=timedelta(minutes=1), error="HTTP 500"),
            _rec("twice", 200, at=timedelta(minutes=13), etag='"t1"'),
        ], now=T1)
        store.set_source_health([("recovers", {"failing_notified": True})])  # its "failing" notice went out

        stored = store.record_polls([
            _rec("fresh", 200, at=timedelta(minutes=40), etag='"f2"', modified="Fri, 04 Jul 2025 08:20:00 GMT",
                 items=[_item("fresh", "f-b", T1 - timedelta(hours=1)),
                        _item("fresh", "f-c", T2 - timedelta(minutes=5))],
                 gap=1800.0),
            _rec("unchanged", 304, at=timedelta(minutes=41), etag='"u1"', modified="Thu, 03 Jul 2025 10:00:00 GMT"),
            _rec("bare", 304, at=timedelta(minutes=42)),  # no validators at all: nothing to keep or change
            _rec("failing", None, at=timedelta(minutes=35), error="cannot fetch: refused again"),
            _rec("recovers", 304, at=timedelta(minutes=43)),
            _rec("twice", 304, at=timedelta(minutes=44), etag='"t1"'),
            _rec("twice", None, at=timedelta(minutes=31), error="timed out"),  # the same source twice: in order
        ], now=T2)

        rows = {n: _state(store.source(n)) for n in names}
        base = {"failing_notified": False, "quiet_notified": False, "last_warning": None, "post_gap_seconds": None,
                "items_seen": 0, "last_item_at": None, "last_error": None, "last_error_at": None,
                "failing_since": None, "consecutive_failures": 0, "last_polled_at": T2, "polls": 2}
        expected = {
            "fresh": {**base, "last_status": 200, "next_poll_at": T1 + timedelta(minutes=40), "last_success_at": T2,
                      "etag": '"f2"', "last_modified": "Fri, 04 Jul 2025 08:20:00 GMT", "post_gap_seconds": 1800.0,
                      "items_seen": 3, "last_item_at": T2 - timedelta(minutes=5)},
            "unchanged": {**base, "last_status": 304, "next_poll_at": T1 + timedelta(minutes=41),
                          "last_success_at": T2, "etag": '"u1"', "last_modified": "Thu, 03 Jul 2025 10:00:00 GMT"},
            "bare": {**base, "last_status": 304, "next_poll_at": T1 + timedelta(minutes=42), "last_success_at": T2,
                     "etag": None, "last_modified": None},
            "failing": {**base, "last_status": None, "next_poll_at": T1 + timedelta(minutes=35),
                        "last_success_at": None, "etag": None, "last_modified": None, "consecutive_failures": 2,
                        "failing_since": T1, "last_error": "cannot fetch: refused again", "last_error_at": T2},
            "recovers": {**base, "last_status": 304, "next_poll_at": T1 + timedelta(minutes=43),
                         "last_success_at": T2, "etag": None, "last_modified": None, "failing_notified": True,
                         "failing_since": T1,  # kept until the "recovered" notice is queued
                         "last_error": "HTTP 500", "last_error_at": T1},
            "twice": {**base, "polls": 3, "last_status": None, "next_poll_at": T1 + timedelta(minutes=31),
                      "last_success_at": T2, "etag": '"t1"', "last_modified": None, "consecutive_failures": 1,
                      "failing_since": T2, "last_error": "timed out", "last_error_at": T2},
        }
        for name in names:
            assert rows[name] == {**expected[name], "name": name, "url": f"https://example.org/{name}.xml"}, name
        # the rows handed to the health review carry the stored values
        assert [_state(row) for row, _ids in stored] == [rows[n] for n in [*names, "twice"]]
        assert [len(ids) for _row, ids in stored] == [1, 0, 0, 0, 0, 0, 0]
    finally:
        store.close()


def _feed(prefix: str, every: timedelta) -> str:
    now = datetime.now(timezone.utc)
    return rss(prefix, "https://news.example.org/", [
        {"title": f"{prefix} {i}", "link": f"https://news.example.org/{prefix}/{i}", "guid": f"{prefix}-{i}",
         "description": "text", "pubDate": format_datetime(now - every * i)} for i in range(6)])


def _cycle(rt: Runtime) -> CycleReport:
    async def go() -> CycleReport:
        report = CycleReport()
        async with HttpClient(rt.config.settings.http) as client:
            await poll_sources(rt, client, rt.config.sources, report, force=True)
        return report

    return asyncio.run(go())


def test_a_cycle_of_304s_keeps_validators_and_schedules_each_source_by_its_rate(feed_server, tmp_path, db_url):
    paces = {"busy": timedelta(minutes=2), "hourly": timedelta(hours=1), "daily": timedelta(days=1)}
    urls = {name: feed_server.publish(f"/{name}.xml", _feed(name, every), "application/rss+xml")
            for name, every in paces.items()}
    sources = [{"name": n, "url": u, "fetch_article": False} for n, u in urls.items()]
    cfg = load_config(write_config(tmp_path / "config", sources=sources, db_url=db_url, extra={
        "http": {"per_host_delay": "0s", "per_host": 20},
        "poll": {"jitter": 0, "min_interval": "3m", "max_interval": "2h"}}))
    store = Store(cfg.database_url)
    store.sync_sources([(s.name, s.url) for s in cfg.sources])
    rt = Runtime(config=cfg, store=store, notifier=None, ruleset=None)
    try:
        first = _cycle(rt)
        before = {n: store.source(n) for n in paces}
        second = _cycle(rt)
        assert first.new_items > 0 and (second.new_items, second.not_modified, second.source_errors) == (0, 3, {})
        waits = {"busy": 180, "hourly": 1800, "daily": 7200}  # the learned rates, within the bounds
        for name in paces:
            row, old = store.source(name), before[name]
            assert row.polls == 2 and row.last_status == 304 and row.consecutive_failures == 0
            assert row.last_success_at == row.last_polled_at > old.last_polled_at
            assert (row.next_poll_at - row.last_polled_at).total_seconds() == waits[name]
            assert (row.etag, row.last_modified) == (old.etag, old.last_modified) != (None, None)
            assert (row.items_seen, row.last_item_at, row.post_gap_seconds) == \
                (old.items_seen, old.last_item_at, old.post_gap_seconds)
            assert feed_server.hits_for(f"/{name}.xml")[-1].headers.get("If-None-Match") == old.etag
    finally:
        store.close()
