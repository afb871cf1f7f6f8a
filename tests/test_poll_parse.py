"""Parsing and scheduling pieces: the lxml fast path gives exactly feedparser's items,
plain_text never lets markup through, header hints and backoff arithmetic."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from multidict import CIMultiDict

from monitor.config import PollSettings, SourceConfig
from monitor.feedserver import atom, rss
from monitor.poll import _fast_parse, _feedparser, parse_feed, plain_text
from monitor.schedule import backoff, cache_hint, poll_interval, retry_after_seconds

SRC = SourceConfig(name="s", url="http://example.org/feed", lang="fr")
NOW = datetime(2025, 7, 4, 8, 0, tzinfo=timezone.utc)


def rss_doc() -> bytes:
    items = [
        {"title": "Frappe sur Kyiv &amp; <b>Odesa</b>", "link": "https://ex.org/a?utm_source=rss", "guid": "g1",
         "description": "<p>Nuit d'attaques</p><script>alert(1)</script><!-- <script>x</script> -->",
         "pubDate": format_datetime(NOW)},
        {"title": "No guid", "link": "https://ex.org/b", "description": "&lt;img src=x onerror=alert(1)&gt;texte",
         "pubDate": "Fri, 04 Jul 2025 07:00:00 +0200"},
        {"title": "Guid only", "guid": "https://ex.org/c", "description": "plain"},
        {"title": "Opaque guid", "guid": "urn:x:1", "description": "x"},
    ]
    doc = rss("Le Quotidien", "https://ex.org/", items, ttl=30)
    doc = doc.replace("<item><title>No guid", '<item><content:encoded xmlns:content="http://purl.org/rss/1.0/'
                      'modules/content/">&lt;p&gt;Long &lt;em&gt;content&lt;/em&gt; body here&lt;/p&gt;'
                      "</content:encoded><title>No guid")
    return doc.encode()


def atom_doc() -> bytes:
    entries = [{"title": "Talks <in> Riyadh", "link": "https://ex.org/t", "id": "urn:t:1",
                "summary": "<b>bold</b> summary", "updated": "2025-07-04T08:00:00Z"},
               {"title": "Second", "link": "https://ex.org/u", "id": "urn:t:2", "summary": "",
                "updated": "2025-07-03T08:00:00+02:00"}]
    return atom("Wire", "https://ex.org/", entries).encode()


@pytest.mark.parametrize("body,ctype", [(rss_doc(), "application/rss+xml; charset=utf-8"),
                                        (atom_doc(), "application/atom+xml")])
def test_fast_path_matches_feedparser(body, ctype):
    assert _fast_parse(body, ctype) is not None
    fast, ttl, problem, warning = parse_feed(body, {"Content-Type": ctype}, SRC)
    slow, slow_ttl, *_ = _feedparser(body, {"Content-Type": ctype}, SRC)
    assert fast == slow and ttl == slow_ttl and problem is None and warning is None
    assert all("<" not in i.title + i.summary for i in fast)


def test_fast_path_declines_what_it_does_not_know():
    body = rss_doc()
    assert _fast_parse(body, "text/plain") is None
    assert _fast_parse(body, "application/rss+xml; charset=iso-8859-1") is None
    assert _fast_parse(b'<?xml version="1.0" encoding="koi8-r"?><rss version="2.0"/>', "application/xml") is None
    assert _fast_parse(b"<!DOCTYPE rss [<!ENTITY x 'y'>]><rss version='2.0'/>", "application/xml") is None
    assert _fast_parse(b"<rss version='2.0'><channel>", "application/xml") is None  # ill-formed


def test_entity_expansion_is_not_a_bomb():
    lol = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
                      for i in range(1, 10))
           + b']><rss version="2.0"><channel><item><title>&lol9;</title></item></channel></rss>')
    items, _ttl, problem, _warning = parse_feed(lol, {"Content-Type": "application/rss+xml"}, SRC)
    assert all(len(i.title) < 1_000_000 for i in items)


@pytest.mark.parametrize("raw,text", [
    ("<p>a</p><script>evil()</script>b", "a b"),
    ("x<!-- <script>evil()</script> -->y", "x y"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;ok", "ok"),
    ("<scr<script>x</script>ipt>alert(1)</script>", "alert(1)"),
    ("AT&amp;T &lt; 3 &amp; 5 > 2", "AT&T < 3 & 5 > 2"),
    ("<style>p{}</style><b>bold</b>", "bold"),
    ("don\u0092t", "don\u2019t"),
    (None, ""),
])
def test_plain_text(raw, text):
    assert plain_text(raw) == text


def test_cache_hints_and_retry_after():
    h = CIMultiDict({"Cache-Control": "public, max-age=600", "Age": "100"})
    assert cache_hint(h) == 500
    assert cache_hint(CIMultiDict({"Cache-Control": "no-store, max-age=600"})) is None
    h = CIMultiDict({"Date": "Fri, 04 Jul 2025 08:00:00 GMT", "Expires": "Fri, 04 Jul 2025 08:30:00 GMT"})
    assert cache_hint(h) == 1800
    assert cache_hint(CIMultiDict({"Expires": "0"})) is None
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Fri, 04 Jul 2025 09:00:00 GMT", now=NOW) == 3600
    assert retry_after_seconds("Fri, 04 Jul 2025 07:00:00 GMT", now=NOW) == 0
    assert retry_after_seconds("soon") is None


def test_backoff_and_interval_bounds():
    cap = timedelta(hours=1)
    waits = [backoff(n, timedelta(minutes=5), cap) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 5, 5, 8)]
    assert waits[-1] == cap and waits == sorted(waits)
    assert backoff(10_000, timedelta(minutes=5), cap) == cap  # forever, no overflow
    poll = PollSettings(min_interval="2m", max_interval="1h", default_interval="10m")
    assert poll_interval(poll, None, None) == timedelta(minutes=10)
    assert poll_interval(poll, None, 120) == timedelta(minutes=2)
    assert poll_interval(poll, None, 86400) == timedelta(hours=1)
    assert poll_interval(poll, timedelta(minutes=7), 120) == timedelta(minutes=7)
