"""Polling against real local feed servers: Retry-After, backoff and recovery, failing /
recovered / quiet admin notices (once each), adaptive intervals, cache hints, charsets,
HTML at a feed URL, `monitor sources`, and many sources at once."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from conftest import write_config
from monitor.cli import main
from monitor.config import load_config
from monitor.feedserver import rss
from monitor.http import HttpClient
from monitor.pipeline import CycleReport, Runtime, poll_sources
from monitor.store import Store

NOW = datetime.now(timezone.utc)


def feed(n: int = 5, every: timedelta = timedelta(minutes=10), latest: timedelta = timedelta(0),
         prefix: str = "x", **kw) -> str:
    items = [{"title": f"{prefix} item {i}", "link": f"https://news.example.org/{prefix}/{i}",
              "guid": f"{prefix}-{i}", "description": f"<p>About {prefix} {i}</p>",
              "pubDate": format_datetime(NOW - latest - every * i)} for i in range(n)]
    return rss("Feed", "https://news.example.org/", items, **kw)


def runtime(tmp_path, sources: list[dict], **settings) -> Runtime:
    base = {"http": {"per_host_delay": "0s", "per_host": 20}, "poll": {"jitter": 0}}
    for key, value in settings.items():
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) else value
    cfg = load_config(write_config(tmp_path / "config", sources=sources, extra=base))
    store = Store(cfg.database_url)
    store.sync_sources([(s.name, s.url) for s in cfg.sources])
    return Runtime(config=cfg, store=store, notifier=None, ruleset=None)


def poll(rt: Runtime, force: bool = True) -> CycleReport:
    async def go():
        report = CycleReport()
        async with HttpClient(rt.config.settings.http) as client:
            await poll_sources(rt, client, rt.config.sources, report, force=force)
        return report

    return asyncio.run(go())


def wait_of(rt: Runtime, name: str) -> float:
    row = rt.store.source(name)
    return (row.next_poll_at - row.last_polled_at).total_seconds()


def health_alerts(rt: Runtime) -> list:
    return sorted((a for a in rt.store.alerts(limit=1000) if a.rule == "source-health"), key=lambda a: a.id)


def src(name: str, url: str, **kw) -> dict:
    return {"name": name, "url": url, "fetch_article": False, **kw}


def test_retry_after_seconds_and_http_date_on_429_and_503(feed_server, tmp_path):
    later = format_datetime(datetime.now(timezone.utc) + timedelta(hours=2), usegmt=True)
    a = feed_server.publish("/a.xml", b"slow down", "text/plain", status=429, headers={"Retry-After": "900"})
    b = feed_server.publish("/b.xml", b"busy", "text/plain", status=503, headers={"Retry-After": later})
    rt = runtime(tmp_path, [src("a", a), src("b", b)])
    poll(rt)
    assert wait_of(rt, "a") >= 900
    assert 7100 <= wait_of(rt, "b") <= 7300
    assert rt.store.source("a").last_error == "HTTP 429"
    # not due yet: a second, unforced poll leaves them alone
    hits = len(feed_server.hits)
    poll(rt, force=False)
    assert len(feed_server.hits) == hits


def test_backoff_grows_caps_and_recovery_resets_with_one_alert_each(feed_server, tmp_path):
    url = feed_server.publish("/down.xml", b"oops", "text/plain", status=500)
    rt = runtime(tmp_path, [src("flaky", url, interval="30s")], admin_channel="console",
                 poll={"max_backoff": "5m", "failing_after": 3})
    waits = []
    for _ in range(6):
        poll(rt)
        waits.append(wait_of(rt, "flaky"))
    assert waits == [60, 120, 240, 300, 300, 300]
    alerts = health_alerts(rt)
    assert [a.title for a in alerts] == ["source-health: source flaky failing"]
    assert alerts[0].channel == "console" and alerts[0].subject.startswith("source:flaky:failing:")
    assert "HTTP 500" in alerts[0].body and "6" not in alerts[0].title

    feed_server.publish("/down.xml", feed(), "application/rss+xml")  # back up
    poll(rt)
    row = rt.store.source("flaky")
    assert row.consecutive_failures == 0 and wait_of(rt, "flaky") == 30
    poll(rt)
    alerts = health_alerts(rt)
    assert [a.title for a in alerts] == ["source-health: source flaky failing", "source-health: source flaky recovered"]
    assert alerts[1].subject.replace("recovered", "failing") == alerts[0].subject

    # a new outage is a new episode: one more failing notice
    feed_server.publish("/down.xml", b"oops", "text/plain", status=502)
    for _ in range(4):
        poll(rt)
    assert len(health_alerts(rt)) == 3


def test_no_admin_channel_no_alert_but_table_shows_failing(feed_server, tmp_path, capsys):
    url = feed_server.publish("/gone.xml", b"gone", "text/plain", status=404)
    rt = runtime(tmp_path, [src("gone", url)], poll={"failing_after": 2})
    poll(rt)
    poll(rt)
    assert health_alerts(rt) == []
    assert main(["sources", "--config", str(rt.config.dir), "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["status"] == "failing" and row["last_error"] == "HTTP 404" and row["failures"] == 2
    assert row["next_poll"] != "-" and row["last_error_at"] != "-"


def test_quiet_source_alerts_once_and_resets_when_it_posts(feed_server, tmp_path):
    url = feed_server.publish("/q.xml", feed(6, every=timedelta(minutes=10), latest=timedelta(days=2)),
                              "application/rss+xml")
    rt = runtime(tmp_path, [src("sleepy", url)], admin_channel="console",
                 poll={"quiet_factor": 6, "quiet_min": "30m"})
    poll(rt)
    poll(rt)
    alerts = health_alerts(rt)
    assert [a.title for a in alerts] == ["source-health: source sleepy went quiet"]
    assert "usually posts every 10 min" in alerts[0].body
    feed_server.publish("/q.xml", feed(6, every=timedelta(minutes=10), prefix="fresh"), "application/rss+xml")
    poll(rt)
    row = rt.store.source("sleepy")
    assert not row.quiet_notified and len(health_alerts(rt)) == 1


def test_adaptive_interval_follows_posting_rate_within_bounds(feed_server, tmp_path):
    busy = feed_server.publish("/busy.xml", feed(20, every=timedelta(minutes=2), prefix="b"), "application/rss+xml")
    daily = feed_server.publish("/daily.xml", feed(10, every=timedelta(days=1), prefix="d"), "application/rss+xml")
    hourly = feed_server.publish("/hourly.xml", feed(10, every=timedelta(hours=1), prefix="h"), "application/rss+xml")
    fixed = feed_server.publish("/fixed.xml", feed(10, every=timedelta(minutes=2), prefix="f"), "application/rss+xml")
    rt = runtime(tmp_path, [src("busy", busy), src("daily", daily), src("hourly", hourly),
                            src("fixed", fixed, interval="15m")],
                 poll={"min_interval": "3m", "max_interval": "2h"})
    poll(rt)
    assert wait_of(rt, "busy") == 180  # every 2 min -> the floor
    assert wait_of(rt, "daily") == 7200  # daily -> the ceiling
    assert wait_of(rt, "hourly") == 1800  # half the usual gap
    assert wait_of(rt, "fixed") == 900  # a configured interval wins
    poll(rt)  # 304: the learned rate is kept
    assert wait_of(rt, "busy") == 180 and rt.store.source("busy").post_gap_seconds == pytest.approx(120, rel=0.01)


def test_cache_control_expires_and_ttl_lengthen_the_wait(feed_server, tmp_path):
    expires = format_datetime(datetime.now(timezone.utc) + timedelta(minutes=20), usegmt=True)
    a = feed_server.publish("/cc.xml", feed(prefix="a"), "application/rss+xml",
                            headers={"Cache-Control": "public, max-age=1800"})
    b = feed_server.publish("/exp.xml", feed(prefix="b"), "application/rss+xml", headers={"Expires": expires})
    c = feed_server.publish("/ttl.xml", feed(prefix="c", ttl=45), "application/rss+xml")
    d = feed_server.publish("/huge.xml", feed(prefix="d"), "application/rss+xml",
                            headers={"Cache-Control": "max-age=864000"})
    e = feed_server.publish("/nocache.xml", feed(prefix="e"), "application/rss+xml",
                            headers={"Cache-Control": "no-cache, max-age=3000"})
    rt = runtime(tmp_path, [src(n, u, interval="1m") for n, u in zip("abcde", (a, b, c, d, e))],
                 poll={"max_interval": "1h"})
    poll(rt)
    assert wait_of(rt, "a") == 1800
    assert 1150 <= wait_of(rt, "b") <= 1210
    assert wait_of(rt, "c") == 2700
    assert wait_of(rt, "d") == 3600  # bounded by poll.max_interval
    assert wait_of(rt, "e") == 60


def test_html_page_at_feed_url_and_charsets(feed_server, tmp_path, capsys):
    html = feed_server.publish("/page.xml", "<!DOCTYPE html><html><body><h1>Home</h1></body></html>")
    body = ('<rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
            "<title>Kyïv, Odésa: €</title></item></channel></rss>")
    by_header = feed_server.publish("/h.xml", body.replace("€", "").encode("iso-8859-1"),
                                    "application/rss+xml; charset=iso-8859-1")
    by_decl = feed_server.publish("/d.xml", ('<?xml version="1.0" encoding="windows-1252"?>' + body)
                                  .encode("windows-1252"), "application/xml")
    header_wins = feed_server.publish("/w.xml", ('<?xml version="1.0" encoding="utf-8"?>' + body)
                                      .encode("windows-1252"), "text/xml; charset=windows-1252")
    rt = runtime(tmp_path, [src("html", html), src("h", by_header), src("d", by_decl), src("w", header_wins)])
    report = poll(rt)
    assert report.source_errors["html"].startswith("not a feed: the URL serves an HTML page (text/html)")
    titles = {name: rt.store.pending_items() for name in ("h",)}
    got = {i.source: i.item.title for i in rt.store.pending_items()}
    assert got == {"h": "Kyïv, Odésa:", "d": "Kyïv, Odésa: €", "w": "Kyïv, Odésa: €"}, titles
    assert main(["sources", "--config", str(rt.config.dir), "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["html"]["status"] == "error" and "not a feed" in rows["html"]["last_error"]
    assert rows["d"]["status"] == "ok"


def test_many_sources_at_once_overlap_and_the_loop_stays_responsive(feed_server, tmp_path):
    """120 feeds that each take 0.3 s to answer: concurrent, not 36 s in a row; big feeds parse
    in threads, so the event loop keeps ticking."""
    sources = []
    for i in range(120):
        sources.append(src(f"s{i}", feed_server.publish(f"/s{i}.xml", feed(3, prefix=f"s{i}"),
                                                        "application/rss+xml", delay=0.3)))
    big = rss("Big", "https://big.example.org/", [
        {"title": f"&lt;b&gt;big {i}&lt;/b&gt;", "guid": f"big-{i}", "description": "<p>word</p>" * 50}
        for i in range(300)])
    for i in range(2):  # an RSS version the fast path does not take: feedparser, the slow path
        sources.append(src(f"big{i}", feed_server.publish(f"/big{i}.xml", big.replace('version="2.0"', 'version="0.94"'),
                                                          "application/rss+xml")))
    rt = runtime(tmp_path, sources, http={"per_host": 20, "concurrency": 20})  # FeedServer: listen backlog 5
    lags = []

    async def go():
        async def ticker():
            last = time.monotonic()
            while True:
                await asyncio.sleep(0.01)
                now = time.monotonic()
                lags.append(now - last - 0.01)
                last = now

        tick = asyncio.create_task(ticker())
        report = CycleReport()
        t0 = time.monotonic()
        async with HttpClient(rt.config.settings.http) as client:
            await poll_sources(rt, client, rt.config.sources, report, force=True)
        tick.cancel()
        return report, time.monotonic() - t0

    report, took = asyncio.run(go())
    assert report.polled == 122 and not report.source_errors, report.source_errors
    assert report.new_items == 120 * 3 + 2 * 300
    print(f"took {took:.2f} s, max loop lag {max(lags):.3f} s")
    assert took < 20, took  # one after the other: over 36 s for the slow feeds alone
    assert max(lags) < 1.5, max(lags)
