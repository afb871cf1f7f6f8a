"""Store operations used by the pipeline and the CLI.

Writes are grouped per unit of work: one transaction per batch of polled feeds
(monitor.store.polls), one per processed article (article + events + alerts + item
state together), so a crash leaves either all of it or none, and unprocessed items
are simply picked up again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session

from monitor.events import Event, event_from_dict
from monitor.models import Article, FeedItem, PollResult
from monitor.store import db
from monitor.store.articles import ArticlesMixin
from monitor.store.outbox import AlertDraft, OutboxMixin
from monitor.store.polls import PollRecord, PollsMixin  # noqa: F401  (PollRecord: its old home)
from monitor.store.tables import AlertRow, ArticleRow, EventRow, ItemRow, SourceRow, utcnow


@dataclass(frozen=True)
class NewItem:
    """A stored item waiting to be processed."""

    id: int
    source: str
    item: FeedItem


class Store(ArticlesMixin, OutboxMixin, PollsMixin):
    def __init__(self, url: str, *, migrate: bool = True):
        self.engine: Engine = db.make_engine(url)
        if migrate:
            db.upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def _insert_ignore(self, table, index_elements: list[str]):
        """INSERT ... ON CONFLICT DO NOTHING, RETURNING the new rows' ids; the rows are given at
        execution (an executemany: one cached statement, whatever the rows and their number)."""
        return _insert_ignore(self.engine.dialect.name, table, tuple(index_elements))

    # -- sources ---------------------------------------------------------
    def sync_sources(self, sources: list[tuple[str, str]]) -> None:
        """Make sure every configured (name, url) has a row; update changed URLs."""
        with self.session() as s:
            existing = {r.name: r for r in s.execute(select(SourceRow)).scalars()}
            for name, url in sources:
                row = existing.get(name)
                if row is None:
                    s.execute(self._insert_ignore(SourceRow.__table__, ["name"]), [{
                        "name": name, "url": url, "polls": 0, "items_seen": 0,
                        "consecutive_failures": 0, "failing_notified": False}])
                elif row.url != url:
                    row.url, row.etag, row.last_modified = url, None, None
                    s.add(row)
            s.commit()

    def source(self, name: str) -> SourceRow | None:
        with self.session() as s:
            return s.execute(select(SourceRow).where(SourceRow.name == name)).scalars().first()

    def sources(self, names: list[str] | None = None) -> list[SourceRow]:
        """Every source's row, or only those named."""
        with self.session() as s:
            q = select(SourceRow).order_by(SourceRow.name)
            if names is not None:
                q = q.where(SourceRow.name.in_(names))
            return list(s.execute(q).scalars())

    def record_poll(self, result: PollResult, *, now: datetime, next_poll_at: datetime,
                    new_items: list[FeedItem], backfill_before: datetime | None,
                    post_gap_seconds: float | None = None) -> list[int]:
        """Store a poll outcome and its new items in one transaction; return new item ids.

        Items published before `backfill_before` (first poll only) are stored as
        already seen (state "backfill") and never processed.
        """
        rec = PollRecord(result, next_poll_at, new_items, backfill_before, post_gap_seconds)
        return self.record_polls([rec], now=now)[0][1]  # monitor.store.polls

    def set_source_health(self, changes: list[tuple[str, dict]]) -> None:
        """Apply health flag changes [(source name, {column: value})] in one transaction."""
        if not changes:
            return
        with self.session() as s:
            for name, values in changes:
                s.execute(update(SourceRow).where(SourceRow.name == name).values(**values))
            s.commit()

    def known_guids(self, source: str, guids: list[str]) -> set[str]:
        with self.session() as s:
            sid = select(SourceRow.id).where(SourceRow.name == source).scalar_subquery()
            out: set[str] = set()
            for chunk in _chunks(guids, 500):
                out |= set(s.execute(select(ItemRow.guid).where(ItemRow.source_id == sid,
                                                             ItemRow.guid.in_(chunk))).scalars())
            return out

    def items_per_day(self, days: int = 7) -> dict[str, float]:
        """Items first seen per day over the last `days` days (or since the first poll)."""
        since = utcnow() - timedelta(days=days)
        with self.session() as s:
            q = (select(SourceRow.name, func.count(ItemRow.id), func.min(ItemRow.seen_at))
                 .join(ItemRow, ItemRow.source_id == SourceRow.id)
                 .where(ItemRow.seen_at >= since).group_by(SourceRow.name))
            out = {}
            for name, count, first in s.execute(q).all():
                first = first.replace(tzinfo=first.tzinfo or timezone.utc) if isinstance(first, datetime) else since
                span = max((utcnow() - max(first, since)).total_seconds() / 86400, 1.0)
                out[name] = count / span
            return out

    # -- items -----------------------------------------------------------
    def pending_items(self, limit: int = 1000, max_attempts: int = 5, *, source: str | None = None) -> list[NewItem]:
        with self.session() as s:
            q = (select(ItemRow, SourceRow.name).join(SourceRow, SourceRow.id == ItemRow.source_id)
                 .where(ItemRow.state == "new", ItemRow.attempts < max_attempts))
            if source is not None:
                q = q.where(SourceRow.name == source)
            q = q.order_by(ItemRow.id).limit(limit)
            out = []
            for row, name in s.execute(q).all():
                out.append(NewItem(row.id, name, FeedItem(
                    source=name, guid=row.guid, url=row.url, link=row.link, title=row.title,
                    summary=row.summary, published=row.published, lang=row.lang)))
            return out

    def item_failed(self, item_id: int, error: str, max_attempts: int = 5) -> None:
        with self.session() as s:
            row = s.get(ItemRow, item_id)
            row.attempts += 1
            row.error = error[:2000]
            if row.attempts >= max_attempts:
                row.state = "error"
            s.add(row)
            s.commit()

    # -- articles, events, alerts ------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.session() as s:
            return {name: s.execute(select(func.count()).select_from(t)).scalar_one()
                    for name, t in (("sources", SourceRow), ("items", ItemRow), ("articles", ArticleRow),
                                    ("events", EventRow), ("alerts", AlertRow))}


def _chunks(rows: list, size: int):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def since_delta(delta: timedelta) -> datetime:
    return utcnow() - delta


@lru_cache(maxsize=16)
def _insert_ignore(dialect: str, table, index_elements: tuple[str, ...]):
    stmt = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    return stmt.on_conflict_do_nothing(index_elements=list(index_elements)).returning(table.c.id)
