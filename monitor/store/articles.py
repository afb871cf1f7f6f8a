"""Articles, events, near-duplicate bands and event clusters.

`save_article` stores one processed article and everything that follows from it
(events, cluster links, alerts) in ONE transaction. The decisions (which cluster,
which alert) are made by `monitor.correlate` through the `ArticleTx` handle, so
the logic never touches SQL and the SQL never decides.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from monitor.events import Event, event_from_dict
from monitor.models import Article
from monitor.neardup import Signature
from monitor.store.articletx import A, E, ArticleTx, ReportRef  # noqa: F401  (ReportRef: its old home)
from monitor.store.hotsql import HotQuery
from monitor.store.tables import ArticleRow, EventClusterRow, EventRow, ItemRow, utcnow

BY_URL = select(A.c.id).where(A.c.url == bindparam("url")).limit(1)
BY_HASH = (select(A.c.id).where(A.c.content_hash == bindparam("hash"), A.c.duplicate_of.is_(None))
           .order_by(A.c.id).limit(1))
HOT_BY_URL, HOT_BY_HASH = HotQuery(BY_URL), HotQuery(BY_HASH)  # every stored article (monitor.store.hotsql)
INSERT_ARTICLE = insert(A).returning(A.c.id)
INSERT_EVENTS = insert(E).returning(E.c.id, sort_by_parameter_order=True)
log = logging.getLogger(__name__)
# Every lock a batch may need, taken at its start in one sorted pass (PostgreSQL): the
# cluster keys of its events (ArticleTx.lock_key takes the same ids, so later calls are
# re-entrant no-ops), and its URLs, text hashes and LSH bands, so that a copy stored by
# another worker at the same moment is seen as a duplicate instead of racing it.
LOCK_ALL = text("SELECT count(pg_advisory_xact_lock(h)) FROM "
                "(SELECT DISTINCT hashtext(k) AS h FROM unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS ids")
RETRYABLE = {"40P01", "40001"}  # deadlock detected, serialization failure: the batch is retried whole
ATTEMPTS = 4
ITEM_DONE = update(ItemRow.__table__).where(ItemRow.__table__.c.id == bindparam("iid")).values(
    state=bindparam("v_state"), article_id=bindparam("v_article"), error=None)


@dataclass(frozen=True)
class SaveResult:
    article_id: int
    event_ids: list[int]
    queued: int
    near_duplicate_of: int | None
    duplicate_of: int | None = None


@dataclass(frozen=True)
class ArticleToSave:
    """One processed article for `save_articles`; `decide` as in `save_article`."""

    item_id: int | None
    article: Article
    events: list[Event]
    decide: Callable
    signature: Signature | None = None
    lock_keys: tuple[str, ...] = ()  # the cluster keys `decide` will lock (monitor.cluster.key)

    def locks(self) -> list[str]:
        keys = list(self.lock_keys)
        if self.article.url:
            keys.append(f"url:{self.article.url}")
        if self.article.content_hash:
            keys.append(f"hash:{self.article.content_hash}")
        if self.signature is not None:
            keys += [f"band:{b}:{h}" for b, h in self.signature.bands()]
        return keys


class ArticlesMixin:
    """Store methods for articles, events and clusters (mixed into Store)."""

    def find_duplicate(self, url: str | None, content_hash: str) -> int | None:
        with self.session() as s:
            return self._duplicate(s.connection(), url, content_hash)[0]

    @staticmethod
    def _duplicate(conn, url: str | None, content_hash: str) -> tuple[int | None, bool]:
        """The stored article with this URL, else the original with this text hash; and whether
        the URL is taken."""
        if url:
            hit = HOT_BY_URL.first(conn, {"url": url})
            if hit:
                return hit[0], True
        hit = HOT_BY_HASH.first(conn, {"hash": content_hash})
        return (hit[0] if hit else None), False

    def save_articles(self, entries: list[ArticleToSave]) -> list[SaveResult]:
        """Dedup and store several articles, in order, in ONE transaction (see `save_article`);
        each article sees the ones before it, so two copies in one batch are still duplicates.

        Several processes may store at once (PostgreSQL workers): each batch first takes all
        its locks in sorted order, and a batch that still meets a deadlock (row locks taken
        by the duplicate path) is rolled back and retried whole."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._save_batch(entries)
            except OperationalError as exc:
                if attempt == ATTEMPTS or getattr(exc.orig, "sqlstate", None) not in RETRYABLE:
                    raise
                log.warning("storing %d articles met a deadlock (attempt %d of %d); retrying",
                            len(entries), attempt, ATTEMPTS)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
        raise AssertionError("unreachable")

    def _save_batch(self, entries: list[ArticleToSave]) -> list[SaveResult]:
        with self.session() as s:
            conn = s.connection()
            if conn.dialect.name == "postgresql":
                conn.execute(LOCK_ALL, {"keys": [k for e in entries for k in e.locks()]})
            else:  # SQLite: take the write lock before the duplicate checks, not at the first INSERT
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            out, items = [], []
            for e in entries:
                duplicate_of, url_taken = self._duplicate(conn, e.article.url, e.article.content_hash or "")
                saved = self._save(s, None, e.article, e.events, duplicate_of, e.decide, e.signature, url_taken)
                out.append(saved)
                if e.item_id is not None:
                    items.append({"iid": e.item_id, "v_article": saved.article_id,
                                  "v_state": "duplicate" if duplicate_of or saved.near_duplicate_of else "done"})
            if items:
                conn.execute(ITEM_DONE, items)
            s.commit()
            return out

    def save_article(self, item_id: int | None, article: Article, events: list[Event], duplicate_of: int | None,
                     decide, signature: Signature | None = None) -> SaveResult:
        """Store the article; unless it is an exact duplicate, its events and near-duplicate bands,
        then the alerts `decide(tx, article_id, [(event_id, event)], near_duplicate_of)` returns;
        mark the item; all in one transaction."""
        with self.session() as s:
            result = self._save(s, item_id, article, events, duplicate_of, decide, signature, None)
            s.commit()
            return result

    def _save(self, s: Session, item_id: int | None, article: Article, events: list[Event],
              duplicate_of: int | None, decide, signature: Signature | None, url_taken: bool | None) -> SaveResult:
        tx = ArticleTx(self, s)
        conn, now = tx.conn, utcnow()
        url = article.url
        if url and (url_taken if url_taken is not None else HOT_BY_URL.first(conn, {"url": url})):
            url = None  # same URL already stored (republished content): keep the row, drop the URL
        near = tx.near_duplicate(signature) if duplicate_of is None else None
        article_id = conn.execute(INSERT_ARTICLE, {
            "url": url, "source": article.source, "title": article.title, "text": article.text,
            "lang": article.lang, "published": article.published, "content_hash": article.content_hash or "",
            "duplicate_of": duplicate_of, "near_duplicate_of": near, "created_at": now,
            "minhash": signature.to_bytes() if signature else None}).scalar_one()
        event_ids: list[int] = []
        queued = 0
        if duplicate_of is None:
            if near is None and signature is not None:
                tx.add_bands(article_id, signature)
            if events:
                event_ids = list(conn.execute(INSERT_EVENTS, [
                    {"article_id": article_id, "kind": ev.kind, "data": ev.model_dump_json(),
                     "reported_at": article.published, "created_at": now} for ev in events]).scalars())
            queued = self._queue(s, decide(tx, article_id, list(zip(event_ids, events)), near))
        else:
            tx.add_report_to_clusters_of(duplicate_of, article.source, article.lang)
        tx.flush()
        if item_id is not None:
            conn.execute(ITEM_DONE, {"iid": item_id, "v_state": "duplicate" if duplicate_of or near else "done",
                                     "v_article": article_id})
        return SaveResult(article_id, event_ids, queued, near, duplicate_of)

    def events(self, since: datetime | None = None, limit: int | None = None) -> list[tuple[EventRow, ArticleRow]]:
        with self.session() as s:
            q = select(EventRow, ArticleRow).join(ArticleRow, ArticleRow.id == EventRow.article_id)
            if since:
                q = q.where(EventRow.created_at >= since)
            q = q.order_by(EventRow.id.desc())
            if limit:
                q = q.limit(limit)
            return [(e, a) for e, a in s.execute(q).all()]

    def clusters_since(self, since: datetime | None = None, limit: int | None = None) -> list[EventClusterRow]:
        with self.session() as s:
            q = select(EventClusterRow)
            if since:
                q = q.where(EventClusterRow.last_seen >= since)
            q = q.order_by(EventClusterRow.last_seen.desc())
            return list(s.execute(q.limit(limit) if limit else q).scalars())

    def clusters_with_article(self, since: datetime | None = None) -> list[tuple[EventClusterRow, ArticleRow]]:
        """Each cluster with the first article that reported it (for backtests)."""
        with self.session() as s:
            first = (select(EventRow.cluster_id, func.min(EventRow.article_id).label("article_id"))
                     .where(EventRow.cluster_id.is_not(None)).group_by(EventRow.cluster_id).subquery())
            q = (select(EventClusterRow, ArticleRow).join(first, first.c.cluster_id == EventClusterRow.id)
                 .join(ArticleRow, ArticleRow.id == first.c.article_id))
            if since:
                q = q.where(EventClusterRow.last_seen >= since)
            return [(c, a) for c, a in s.execute(q.order_by(EventClusterRow.id)).all()]

    def articles(self, since: datetime | None = None) -> list[ArticleRow]:
        with self.session() as s:
            q = select(ArticleRow).where(ArticleRow.duplicate_of.is_(None), ArticleRow.near_duplicate_of.is_(None))
            if since:
                q = q.where(ArticleRow.created_at >= since)
            return list(s.execute(q.order_by(ArticleRow.id)).scalars())

    @staticmethod
    def event_of(row) -> Event:
        return event_from_dict(json.loads(row.data))


def window(when: datetime, span: timedelta) -> tuple[datetime, datetime]:
    return when - span * 1.5, when + span * 1.5
