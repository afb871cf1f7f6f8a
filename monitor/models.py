"""Typed values that flow between pipeline stages.

poll -> FeedItem -> fetch -> Page -> clean -> Article -> dedup -> extract -> events
-> match (MatchInput) -> deliver. Each stage is a function from one of these to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from monitor.events import Event


@dataclass(frozen=True)
class FeedItem:
    """One entry of a polled feed, already sanitised to plain text."""

    source: str
    guid: str
    url: str | None  # canonical URL (tracking parameters removed)
    link: str | None  # the link as published
    title: str
    summary: str
    published: datetime | None
    lang: str | None = None


@dataclass
class PollResult:
    """Outcome of polling one source."""

    source: str
    status: int | None  # HTTP status; None when the request failed
    items: list[FeedItem] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    not_modified: bool = False
    ttl_seconds: int | None = None  # feed <ttl> or Cache-Control max-age
    retry_after: float | None = None


@dataclass(frozen=True)
class Page:
    """An article page as fetched (bytes, never decoded by us)."""

    url: str
    body: bytes
    content_type: str | None = None


@dataclass
class Article:
    """A cleaned article: what trafilatura kept, plus language and date."""

    url: str | None
    title: str
    text: str
    lang: str | None
    published: datetime | None
    source: str | None = None
    guid: str | None = None
    content_hash: str | None = None

    def as_schema(self) -> dict:
        """Article part of SPEC's `monitor extract --json` object."""
        return {
            "url": self.url,
            "title": self.title,
            "lang": self.lang,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
        }


@dataclass(frozen=True)
class MatchInput:
    """What a watch rule is evaluated against.

    `event` is None for an article with no extracted event: only text-level keys
    (keywords, regex, languages, sources) can match it.
    """

    event: Event | None
    title: str
    text: str
    lang: str | None
    sources: frozenset[str] = frozenset()  # distinct source names reporting it
    languages: frozenset[str] = frozenset()  # languages of its reports
    published: datetime | None = None

    @property
    def n_sources(self) -> int:
        return len(self.sources)
