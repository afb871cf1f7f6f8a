"""Fetch stage: download the article page an item links to.

Links come from third-party feeds, so they are untrusted: unless the source is
configured with `allow_private: true`, a link (or any redirect hop) that resolves
to a loopback, private, link-local or metadata address is refused.
"""

from __future__ import annotations

from monitor.http import FetchError, HttpClient
from monitor.models import FeedItem, Page

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


async def fetch_page(client: HttpClient, item: FeedItem, *, allow_private: bool) -> Page:
    """Return the page bytes; raise FetchError with a clear reason otherwise."""
    link = item.link or item.url
    if not link:
        raise FetchError("item has no link to fetch")
    resp = await client.get(link, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
                            guard=not allow_private)
    if resp.status != 200:
        raise FetchError(f"HTTP {resp.status} for {link}")
    ctype = (resp.content_type or "").split(";")[0].strip().lower()
    if ctype and not ctype.startswith(_HTML_TYPES):
        raise FetchError(f"not an article page: Content-Type {ctype} for {link}")
    return Page(url=resp.url, body=resp.body, content_type=resp.content_type)
