"""Poll stage: conditional GET of a feed, then feedparser on the bytes and headers.

feedparser never sees a URL (it would fetch it itself, synchronously, with none
of our limits); it gets the body and the response headers so that it honours the
charset of Content-Type.
"""

from __future__ import annotations

import asyncio
import calendar
import html
import re
from datetime import datetime, timezone

import feedparser

from monitor.config import SourceConfig
from monitor.dedup import canonical_url, item_guid
from monitor.http import FetchError, HttpClient
from monitor.models import FeedItem, PollResult

_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_WS = re.compile(r"\s+")
_MAX_AGE = re.compile(r"max-age=(\d+)")


def plain_text(value: str | None) -> str:
    """Feed fields may hold HTML: keep the words, never the markup or scripts."""
    if not value:
        return ""
    text = _TAG.sub(" ", _SCRIPT.sub(" ", value))
    text = html.unescape(text)
    text = _TAG.sub(" ", _SCRIPT.sub(" ", text))  # entities may have hidden markup
    return _WS.sub(" ", text).strip()


def _when(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def parse_feed(body: bytes, headers: dict[str, str], src: SourceConfig) -> tuple[list[FeedItem], int | None, str | None]:
    """Parse feed bytes into items. Returns (items, ttl seconds, problem or None)."""
    parsed = feedparser.parse(body, response_headers={k.lower(): v for k, v in headers.items()},
                              sanitize_html=True, resolve_relative_uris=True)
    items: list[FeedItem] = []
    for entry in parsed.entries:
        link = entry.get("link") or None
        title = plain_text(entry.get("title"))
        summary = entry.get("summary") or ""
        if entry.get("content"):
            summary = max((c.get("value", "") for c in entry.content), key=len) or summary
        published = _when(entry)
        guid = item_guid(entry.get("id"), link, title, entry.get("published"))
        items.append(FeedItem(source=src.name, guid=guid, url=canonical_url(link), link=link,
                              title=title, summary=plain_text(summary), published=published,
                              lang=src.lang))
    ttl = None
    raw_ttl = parsed.feed.get("ttl") if hasattr(parsed, "feed") else None
    if raw_ttl and str(raw_ttl).strip().isdigit():
        ttl = int(str(raw_ttl).strip()) * 60
    problem = None
    if parsed.get("bozo") and not items:
        exc = parsed.get("bozo_exception")
        problem = f"not a valid feed: {exc.__class__.__name__ if exc else 'parse error'}: {exc}"[:500]
    elif not items and not parsed.get("version"):
        problem = "not a feed (no RSS/Atom found)"
    return items, ttl, problem


async def poll_source(client: HttpClient, src: SourceConfig, etag: str | None,
                      last_modified: str | None) -> PollResult:
    """Conditional GET of one source and parse; never raises for network or feed errors."""
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        resp = await client.get(src.url, headers=headers, guard=False)
    except FetchError as exc:
        return PollResult(source=src.name, status=None, error=str(exc))
    max_age = _MAX_AGE.search(resp.headers.get("Cache-Control", ""))
    result = PollResult(source=src.name, status=resp.status,
                        etag=resp.headers.get("ETag") or etag,
                        last_modified=resp.headers.get("Last-Modified") or last_modified,
                        ttl_seconds=int(max_age.group(1)) if max_age else None)
    if resp.status == 304:
        result.not_modified = True
        return result
    if resp.status != 200:
        retry = resp.headers.get("Retry-After", "")
        result.retry_after = float(retry) if retry.strip().isdigit() else None
        result.error = f"HTTP {resp.status}"
        result.etag, result.last_modified = etag, last_modified
        return result
    items, ttl, problem = await asyncio.to_thread(parse_feed, resp.body, dict(resp.headers), src)
    result.items = items
    if ttl and not result.ttl_seconds:
        result.ttl_seconds = ttl
    if problem:
        result.error = problem
    return result
