"""`ArticleTx`: the queries and writes `monitor.correlate` makes inside an article's transaction.

Every statement here runs for every stored article, so they are SQLAlchemy Core
statements built once, executed on the session's connection: no ORM objects,
flushes or identity-map work per article. Those that run several times per
article go straight to the DBAPI cursor (monitor.store.hotsql), compiled once.
Each is an indexed lookup (see bench/plans.py). A cluster read in this
transaction is kept, so updating it and reading its sources again costs no query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from monitor.cluster import ClusterView
from monitor.events import Event, event_from_dict
from monitor.neardup import THRESHOLD, Signature
from monitor.store import hotsql
from monitor.store.hotsql import HotQuery, utc_value
from monitor.store.tables import ArticleRow, ClusterAlertRow, EventClusterRow, EventRow, LshBandRow, utcnow

A, E, C = ArticleRow.__table__, EventRow.__table__, EventClusterRow.__table__
CA, BAND = ClusterAlertRow.__table__, LshBandRow.__table__
_CLUSTER_COLS = (C.c.id, C.c.data, C.c.first_seen, C.c.last_seen, C.c.sources, C.c.languages)
CLUSTERS = (select(*_CLUSTER_COLS).where(C.c.key == bindparam("key"), C.c.last_seen >= bindparam("since"),
                                         C.c.first_seen <= bindparam("until"))
            .order_by(C.c.last_seen.desc()).limit(50))
CLUSTER = select(*_CLUSTER_COLS).where(C.c.id == bindparam("cid"))
CLUSTERS_OF_ARTICLE = (select(*_CLUSTER_COLS).join(E, E.c.cluster_id == C.c.id)
                       .where(E.c.article_id == bindparam("aid")).distinct())
INSERT_CLUSTER = insert(C).returning(C.c.id)
UPDATE_CLUSTER = update(C).where(C.c.id == bindparam("cid")).values(
    data=bindparam("v_data"), reports=C.c.reports + 1, sources=bindparam("v_sources"),
    languages=bindparam("v_languages"), first_seen=bindparam("v_first"), last_seen=bindparam("v_last"),
    updated_at=bindparam("v_updated"))
LINK_EVENT = update(E).where(E.c.id == bindparam("eid")).values(cluster_id=bindparam("v_cluster"))
REPORTS = (select(A.c.source, A.c.url, A.c.title, A.c.lang).join(E, E.c.article_id == A.c.id)
           .where(E.c.cluster_id == bindparam("cid")).order_by(A.c.id))
ALERTED = select(CA.c.revision, CA.c.data).where(CA.c.rule == bindparam("rule"), CA.c.cluster_id == bindparam("cid"))
INSERT_BANDS = insert(BAND)
# run once or more per stored article: straight on the DBAPI cursor (monitor.store.hotsql)
HOT_CLUSTERS, HOT_CLUSTER = HotQuery(CLUSTERS), HotQuery(CLUSTER)  # ~20 candidate rows when news is busy
HOT_UPDATE_CLUSTER, HOT_LINK_EVENT = HotQuery(UPDATE_CLUSTER), HotQuery(LINK_EVENT)
HOT_ALERTED, HOT_BANDS = HotQuery(ALERTED), HotQuery(INSERT_BANDS)


@dataclass(frozen=True)
class ReportRef:
    source: str | None
    url: str | None
    title: str
    lang: str | None


NEAR_CANDIDATES = 20  # articles sharing the most bands whose full signatures are compared


@lru_cache(maxsize=4)
def near_duplicate_sql(bands: int, paramstyle: str) -> str:
    """One statement for a whole lookup: the articles sharing the most bands with the signature, with
    their signatures. One indexed equality search per band (the primary key's index, covering), glued
    with UNION ALL: a row-value IN or a chain of ORs makes SQLite scan the index instead."""
    mark = "?" if paramstyle == "qmark" else "%s"
    hits = " UNION ALL ".join(f"SELECT article_id FROM lsh_band WHERE band = {b} AND hash = {mark}"
                              for b in range(bands))
    return (f"SELECT article.id, article.minhash FROM (SELECT article_id, count(*) AS shared FROM ({hits}) AS hit "
            f"GROUP BY article_id ORDER BY shared DESC, article_id LIMIT {NEAR_CANDIDATES}) AS top "
            "JOIN article ON article.id = top.article_id ORDER BY article.id")


@lru_cache(maxsize=4096)
def stored_event(data: str) -> Event:
    """The event of a stored JSON form (cached: candidate clusters are read again and again).
    Callers treat events as values (merge builds new ones), so sharing them is safe."""
    return event_from_dict(json.loads(data))


@lru_cache(maxsize=2)
def _set_alerted(dialect: str) -> HotQuery:
    stmt = (postgresql if dialect == "postgresql" else sqlite).insert(CA).values(
        rule=bindparam("v_rule"), cluster_id=bindparam("v_cid"), revision=bindparam("v_revision"),
        data=bindparam("v_data"), updated_at=bindparam("v_updated"))
    return HotQuery(stmt.on_conflict_do_update(index_elements=["rule", "cluster_id"], set_={
        "revision": stmt.excluded.revision, "data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at}))


class ArticleTx:
    """Queries and writes `monitor.correlate` may use inside one article's transaction."""

    def __init__(self, store, session):
        self.store, self.s = store, session
        self.conn = session.connection()
        self.dialect = self.conn.dialect.name
        self.postgres = self.dialect == "postgresql"
        self._rows: dict[int, list] = {}  # cluster id -> [data, first_seen, last_seen, sources, languages]
        self._links: list[dict] = []  # event -> cluster links not written yet (one statement for all)

    def near_duplicate(self, sig: Signature | None) -> int | None:
        """The original article whose text this one nearly repeats, if any."""
        if sig is None:
            return None
        hashes = [h for _, h in sig.bands()]
        # the hot path of every stored article: one statement, run on the DBAPI cursor of this
        # transaction's connection (no statement or result objects); the driver keeps it prepared
        # (sqlite3's statement cache, psycopg's prepared statements)
        rows = hotsql.execute(self.conn, near_duplicate_sql(len(hashes), self.conn.dialect.paramstyle), hashes)
        # the most similar at or above the threshold; on a tie, the earliest article (rows by id)
        best, best_sim = None, THRESHOLD
        for article_id, data in rows:
            if data:
                sim = sig.similarity(Signature.from_bytes(data))
                if sim > best_sim or (sim == best_sim and best is None):
                    best, best_sim = article_id, sim
        return best

    def add_bands(self, article_id: int, sig: Signature) -> None:
        HOT_BANDS.run_many(self.conn, [{"band": b, "hash": h, "article_id": article_id} for b, h in sig.bands()])

    def lock_key(self, key: str) -> None:
        """Serialise cluster decisions on one key across processes (PostgreSQL)."""
        if self.postgres:
            self.conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(key))))

    def _keep(self, rows) -> list[ClusterView]:
        out = []
        for cid, data, first, last, sources, languages in rows:
            first, last = utc_value(first), utc_value(last)
            self._rows[cid] = [data, first, last, sources, languages]
            out.append(ClusterView(cid, stored_event(data), first, last))
        return out

    def _row(self, cluster_id: int) -> list:
        if cluster_id not in self._rows:
            self._keep(HOT_CLUSTER.rows(self.conn, {"cid": cluster_id}))
        return self._rows[cluster_id]

    def clusters(self, key: str, since: datetime, until: datetime) -> list[ClusterView]:
        return self._keep(HOT_CLUSTERS.rows(self.conn, {"key": key, "since": since, "until": until}))

    def create_cluster(self, key: str, event: Event, when: datetime, source: str | None, lang: str | None) -> int:
        now = utcnow()
        values = {"kind": event.kind, "key": key, "data": event.model_dump_json(), "first_seen": when,
                  "last_seen": when, "reports": 1, "sources": json.dumps([source] if source else []),
                  "languages": json.dumps([lang] if lang else []), "created_at": now, "updated_at": now}
        cid = self.conn.execute(INSERT_CLUSTER, values).scalar_one()
        self._rows[cid] = [values["data"], when, when, values["sources"], values["languages"]]
        return cid

    def update_cluster(self, cluster_id: int, event: Event, when: datetime, source: str | None,
                       lang: str | None) -> None:
        row = self._row(cluster_id)
        sources, langs = json.loads(row[3]), json.loads(row[4])
        if source and source not in sources:
            sources.append(source)
        if lang and lang not in langs:
            langs.append(lang)
        row[:] = [event.model_dump_json(), min(row[1], when), max(row[2], when), json.dumps(sources),
                  json.dumps(langs)]
        HOT_UPDATE_CLUSTER.run(self.conn, {"cid": cluster_id, "v_data": row[0], "v_first": row[1],
                                           "v_last": row[2], "v_sources": row[3], "v_languages": row[4],
                                           "v_updated": utcnow()})

    def add_report_to_clusters_of(self, article_id: int, source: str | None, lang: str | None) -> None:
        """An exact copy from another outlet corroborates the original's events (`min_sources`)."""
        self.flush()
        for view in self._keep(self.conn.execute(CLUSTERS_OF_ARTICLE, {"aid": article_id}).all()):
            if source and source not in json.loads(self._rows[view.id][3]):
                self.update_cluster(view.id, view.event, view.last_seen, source, lang)

    def link_event(self, event_id: int, cluster_id: int) -> None:
        self._links.append({"eid": event_id, "v_cluster": cluster_id})

    def flush(self) -> None:
        """Write the pending event links (before any query that reads them, and at the end)."""
        if self._links:
            HOT_LINK_EVENT.run_many(self.conn, self._links)
            self._links = []

    def cluster_sources(self, cluster_id: int) -> tuple[frozenset[str], frozenset[str]]:
        row = self._row(cluster_id)
        return frozenset(json.loads(row[3])), frozenset(json.loads(row[4]))

    def cluster_reports(self, cluster_id: int, limit: int = 30) -> list[ReportRef]:
        self.flush()
        rows = (HOT_REPORTS_30.rows(self.conn, {"cid": cluster_id}) if limit == 30
                else self.conn.execute(REPORTS.limit(limit), {"cid": cluster_id}).all())
        seen, out = set(), []
        for source, url, title, lang in rows:
            if (source, url) not in seen:
                seen.add((source, url))
                out.append(ReportRef(source, url, title, lang))
        return out

    def release_times(self, rule: str) -> tuple[datetime | None, datetime | None]:
        """(latest scheduled send of `rule`, its pending batch's time) for throttle and digests."""
        return self.store.last_release(self.s, rule)

    def alerted(self, rule: str, cluster_id: int) -> tuple[int, Event] | None:
        row = HOT_ALERTED.first(self.conn, {"rule": rule, "cid": cluster_id})
        return (row[0], stored_event(row[1])) if row else None

    def set_alerted(self, rule: str, cluster_id: int, revision: int, event: Event) -> None:
        _set_alerted(self.dialect).run(self.conn, {"v_rule": rule, "v_cid": cluster_id, "v_revision": revision,
                                                   "v_data": event.model_dump_json(), "v_updated": utcnow()})


HOT_REPORTS_30 = HotQuery(REPORTS.limit(30))
