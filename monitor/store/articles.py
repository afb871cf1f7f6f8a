"""Articles, events, near-duplicate bands and event clusters.

`save_article` stores one processed article and everything that follows from it
(events, cluster links, alerts) in ONE transaction. The decisions (which cluster,
which alert) are made by `monitor.correlate` through the `ArticleTx` handle, so
the logic never touches SQL and the SQL never decides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from functools import lru_cache

from sqlalchemy import func, select, text, update
from sqlmodel import Session

from monitor.cluster import ClusterView
from monitor.events import Event, event_from_dict
from monitor.models import Article
from monitor.neardup import THRESHOLD, Signature
from monitor.store.tables import (ArticleRow, ClusterAlertRow, EventClusterRow, EventRow, ItemRow, LshBandRow,
                                  utcnow)


@dataclass(frozen=True)
class ReportRef:
    source: str | None
    url: str | None
    title: str
    lang: str | None


@dataclass(frozen=True)
class SaveResult:
    article_id: int
    event_ids: list[int]
    queued: int
    near_duplicate_of: int | None


@lru_cache(maxsize=4)
def _band_query(n: int):
    return text(" UNION ALL ".join(f"SELECT article_id FROM lsh_band WHERE band = :b{i} AND hash = :h{i}"
                                   for i in range(n)))


class ArticleTx:
    """Queries and writes `monitor.correlate` may use inside one article's transaction."""

    def __init__(self, store, session: Session):
        self.store, self.s = store, session
        self.postgres = store.engine.dialect.name == "postgresql"

    def near_duplicate(self, sig: Signature | None) -> int | None:
        """The original article whose text this one nearly repeats, if any."""
        if sig is None:
            return None
        pairs = sig.bands()
        # one indexed equality lookup per band, glued with UNION ALL (a row-value IN or a
        # chain of ORs makes SQLite scan the index instead)
        params = {}
        for i, (b, h) in enumerate(pairs):
            params[f"b{i}"], params[f"h{i}"] = b, h
        hits = self.s.execute(_band_query(len(pairs)), params).scalars().all()
        if not hits:
            return None
        counts: dict[int, int] = {}
        for article_id in hits:
            counts[article_id] = counts.get(article_id, 0) + 1
        candidates = sorted(counts, key=counts.get, reverse=True)[:20]
        best, best_sim = None, THRESHOLD
        for article_id, data in self.s.execute(select(ArticleRow.id, ArticleRow.minhash).where(
                ArticleRow.id.in_(candidates))).all():
            if data:
                sim = sig.similarity(Signature.from_bytes(data))
                if sim > best_sim or (sim == best_sim and best is None):
                    best, best_sim = article_id, sim
        return best

    def add_bands(self, article_id: int, sig: Signature) -> None:
        self.s.add_all([LshBandRow(band=b, hash=h, article_id=article_id) for b, h in sig.bands()])

    def lock_key(self, key: str) -> None:
        """Serialise cluster decisions on one key across processes (PostgreSQL)."""
        if self.postgres:
            self.s.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))

    def clusters(self, key: str, since: datetime, until: datetime) -> list[ClusterView]:
        rows = self.s.execute(select(EventClusterRow).where(
            EventClusterRow.key == key, EventClusterRow.last_seen >= since, EventClusterRow.first_seen <= until)
            .order_by(EventClusterRow.last_seen.desc()).limit(50)).scalars()
        return [ClusterView(r.id, event_from_dict(json.loads(r.data)), r.first_seen, r.last_seen) for r in rows]

    def create_cluster(self, key: str, event: Event, when: datetime, source: str | None, lang: str | None) -> int:
        row = EventClusterRow(kind=event.kind, key=key, data=event.model_dump_json(), first_seen=when,
                              last_seen=when, reports=1, sources=json.dumps([source] if source else []),
                              languages=json.dumps([lang] if lang else []))
        self.s.add(row)
        self.s.flush()
        return row.id

    def update_cluster(self, cluster_id: int, event: Event, when: datetime, source: str | None,
                       lang: str | None) -> None:
        row = self.s.get(EventClusterRow, cluster_id)
        sources, langs = json.loads(row.sources), json.loads(row.languages)
        if source and source not in sources:
            sources.append(source)
        if lang and lang not in langs:
            langs.append(lang)
        row.data, row.reports = event.model_dump_json(), row.reports + 1
        row.sources, row.languages = json.dumps(sources), json.dumps(langs)
        row.first_seen, row.last_seen = min(row.first_seen, when), max(row.last_seen, when)
        row.updated_at = utcnow()
        self.s.add(row)

    def add_report_to_clusters_of(self, article_id: int, source: str | None, lang: str | None) -> None:
        """An exact copy from another outlet corroborates the original's events (`min_sources`)."""
        rows = self.s.execute(select(EventClusterRow).join(EventRow, EventRow.cluster_id == EventClusterRow.id)
                              .where(EventRow.article_id == article_id)).scalars().unique()
        for row in rows:
            sources = json.loads(row.sources)
            if source and source not in sources:
                self.update_cluster(row.id, event_from_dict(json.loads(row.data)), row.last_seen, source, lang)

    def link_event(self, event_id: int, cluster_id: int) -> None:
        self.s.execute(update(EventRow).where(EventRow.id == event_id).values(cluster_id=cluster_id))

    def cluster_sources(self, cluster_id: int) -> tuple[frozenset[str], frozenset[str]]:
        row = self.s.get(EventClusterRow, cluster_id)
        return frozenset(json.loads(row.sources)), frozenset(json.loads(row.languages))

    def cluster_reports(self, cluster_id: int, limit: int = 30) -> list[ReportRef]:
        rows = self.s.execute(select(ArticleRow.source, ArticleRow.url, ArticleRow.title, ArticleRow.lang)
                              .join(EventRow, EventRow.article_id == ArticleRow.id)
                              .where(EventRow.cluster_id == cluster_id).order_by(ArticleRow.id).limit(limit)).all()
        seen, out = set(), []
        for source, url, title, lang in rows:
            if (source, url) not in seen:
                seen.add((source, url))
                out.append(ReportRef(source, url, title, lang))
        return out

    def alerted(self, rule: str, cluster_id: int) -> tuple[int, Event] | None:
        row = self.s.get(ClusterAlertRow, (rule, cluster_id))
        return (row.revision, event_from_dict(json.loads(row.data))) if row else None

    def set_alerted(self, rule: str, cluster_id: int, revision: int, event: Event) -> None:
        row = self.s.get(ClusterAlertRow, (rule, cluster_id))
        if row is None:
            row = ClusterAlertRow(rule=rule, cluster_id=cluster_id)
        row.revision, row.data, row.updated_at = revision, event.model_dump_json(), utcnow()
        self.s.add(row)


class ArticlesMixin:
    """Store methods for articles, events and clusters (mixed into Store)."""

    def find_duplicate(self, url: str | None, content_hash: str) -> int | None:
        with self.session() as s:
            if url:
                hit = s.execute(select(ArticleRow.id).where(ArticleRow.url == url)).scalars().first()
                if hit:
                    return hit
            return s.execute(select(ArticleRow.id).where(ArticleRow.content_hash == content_hash,
                                                         ArticleRow.duplicate_of.is_(None))
                             .order_by(ArticleRow.id)).scalars().first()

    def save_article(self, item_id: int | None, article: Article, events: list[Event], duplicate_of: int | None,
                     decide, signature: Signature | None = None) -> SaveResult:
        """Store the article; unless it is an exact duplicate, its events and near-duplicate bands,
        then the alerts `decide(tx, article_id, [(event_id, event)], near_duplicate_of)` returns;
        mark the item; all in one transaction."""
        with self.session() as s:
            tx = ArticleTx(self, s)
            url = article.url
            if url and s.execute(select(ArticleRow.id).where(ArticleRow.url == url)).scalars().first():
                url = None  # same URL already stored (republished content): keep the row, drop the URL
            near = tx.near_duplicate(signature) if duplicate_of is None else None
            row = ArticleRow(url=url, source=article.source, title=article.title, text=article.text,
                             lang=article.lang, published=article.published,
                             content_hash=article.content_hash or "", duplicate_of=duplicate_of,
                             near_duplicate_of=near, minhash=signature.to_bytes() if signature else None)
            s.add(row)
            s.flush()
            event_ids: list[int] = []
            queued = 0
            if duplicate_of is None:
                if near is None and signature is not None:
                    tx.add_bands(row.id, signature)
                for ev in events:
                    er = EventRow(article_id=row.id, kind=ev.kind, data=ev.model_dump_json(),
                                  reported_at=article.published)
                    s.add(er)
                    s.flush()
                    event_ids.append(er.id)
                queued = self._queue(s, decide(tx, row.id, list(zip(event_ids, events)), near))
            else:
                tx.add_report_to_clusters_of(duplicate_of, article.source, article.lang)
            if item_id is not None:
                state = "duplicate" if duplicate_of or near else "done"
                s.execute(update(ItemRow).where(ItemRow.id == item_id).values(
                    state=state, article_id=row.id, error=None))
            s.commit()
            return SaveResult(row.id, event_ids, queued, near)

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
