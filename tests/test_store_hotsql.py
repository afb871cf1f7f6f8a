"""The hot-path statements run on the DBAPI cursor (monitor.store.hotsql) read and write exactly
what SQLAlchemy's own execution does, datetimes included, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import insert, select, text

from monitor.store import Store
from monitor.store.articletx import (C, CLUSTERS, HOT_ALERTED, HOT_CLUSTERS, HOT_UPDATE_CLUSTER, ALERTED,
                                     _set_alerted)
from monitor.store.hotsql import utc_value

UTC = timezone.utc
# a whole second (SQLite's text form must still carry ".000000") and a time with microseconds
T0 = datetime(2026, 12, 7, 21, 8, 0, tzinfo=UTC)
T1 = datetime(2026, 12, 7, 22, 30, 15, 123456, tzinfo=UTC)


def _cluster(conn, key: str, first: datetime, last: datetime) -> int:
    return conn.execute(insert(C).returning(C.c.id), {
        "kind": "strike", "key": key, "data": '{"kind": "strike"}', "first_seen": first, "last_seen": last,
        "reports": 1, "sources": json.dumps(["wire"]), "languages": json.dumps(["en"]),
        "created_at": first, "updated_at": first}).scalar_one()


def _core_rows(conn, params):
    return [tuple(r) for r in conn.execute(CLUSTERS, params).all()]


def _hot_rows(conn, params):
    return [(cid, data, utc_value(first), utc_value(last), src, langs)
            for cid, data, first, last, src, langs in HOT_CLUSTERS.rows(conn, params)]


def test_candidate_clusters_same_rows_as_sqlalchemy_at_the_bounds(db_url):
    store = Store(db_url)
    with store.session() as s:
        conn = s.connection()
        a = _cluster(conn, "strike:RU>UA", T0, T0)
        b = _cluster(conn, "strike:RU>UA", T0 - timedelta(hours=3), T1)
        _cluster(conn, "strike:UA>RU", T0, T1)
        # the windows end exactly on stored values: a text format that differs by ".000000" would drop them
        for since, until in [(T0, T0), (T1, T1), (T0 - timedelta(days=1), T0 + timedelta(days=1)),
                             (T1 + timedelta(microseconds=1), T1 + timedelta(days=1))]:
            params = {"key": "strike:RU>UA", "since": since, "until": until}
            assert _hot_rows(conn, params) == _core_rows(conn, params)
        everything = _hot_rows(conn, {"key": "strike:RU>UA", "since": T0, "until": T1})
        assert [r[0] for r in everything] == [b, a]  # latest last_seen first
        assert all(r[2].tzinfo is not None and r[2].utcoffset() == timedelta(0) for r in everything)
        # naive and non-UTC datetimes bind as UTCDateTime binds them
        paris = timezone(timedelta(hours=1))
        assert _hot_rows(conn, {"key": "strike:RU>UA", "since": T0.astimezone(paris),
                                "until": T0.replace(tzinfo=None)}) == [r for r in everything if r[0] in (a, b)]
        s.rollback()


def test_writes_on_the_cursor_read_back_through_sqlalchemy(db_url):
    store = Store(db_url)
    with store.session() as s:
        conn = s.connection()
        cid = _cluster(conn, "strike:RU>UA", T0, T0)
        HOT_UPDATE_CLUSTER.run(conn, {"cid": cid, "v_data": '{"kind": "strike", "x": 1}', "v_first": T0,
                                      "v_last": T1, "v_sources": '["wire", "afp"]', "v_languages": '["en", "fr"]',
                                      "v_updated": T1})
        row = conn.execute(select(C.c.data, C.c.first_seen, C.c.last_seen, C.c.reports, C.c.updated_at)
                           .where(C.c.id == cid)).one()
        assert tuple(row) == ('{"kind": "strike", "x": 1}', T0, T1, 2, T1)
        # the upsert: inserted, then updated in place
        for revision in (0, 1):
            _set_alerted(conn.dialect.name).run(conn, {"v_rule": "kyiv", "v_cid": cid, "v_revision": revision,
                                                       "v_data": f'{{"r": {revision}}}', "v_updated": T1})
            assert HOT_ALERTED.first(conn, {"rule": "kyiv", "cid": cid}) == (revision, f'{{"r": {revision}}}')
            assert tuple(conn.execute(ALERTED, {"rule": "kyiv", "cid": cid}).one()) == (revision,
                                                                                       f'{{"r": {revision}}}')
        assert HOT_ALERTED.first(conn, {"rule": "other", "cid": cid}) is None
        s.rollback()


def test_driver_errors_come_out_as_sqlalchemy_errors(db_url):
    """Callers catch `sqlalchemy.exc` classes (the batch retry on a deadlock reads OperationalError's
    SQLSTATE): an error on the raw cursor must not escape as the driver's own class."""
    import pytest
    from sqlalchemy.exc import IntegrityError

    from monitor.store.articletx import HOT_BANDS

    store = Store(db_url)
    with store.session() as s:
        conn = s.connection()
        aid = conn.execute(text("INSERT INTO article (title, text, content_hash, created_at) "
                                "VALUES ('t', 'x', 'h', :now) RETURNING id"), {"now": T0}).scalar_one()
        HOT_BANDS.run_many(conn, [{"band": 0, "hash": 7, "article_id": aid}])
        with pytest.raises(IntegrityError):
            HOT_BANDS.run_many(conn, [{"band": 0, "hash": 7, "article_id": aid}])
        s.rollback()


def test_a_connection_killed_under_a_hot_query_is_invalidated(db_url):
    """PostgreSQL: the server ends the session (a restart, a failover); the error says the
    connection was invalidated and the next transaction gets a fresh one."""
    import pytest
    from sqlalchemy.exc import OperationalError

    if not db_url.startswith("postgresql"):
        pytest.skip("ends a PostgreSQL backend")
    store = Store(db_url)
    with store.session() as s:
        conn = s.connection()
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with store.engine.connect() as killer:
            killer.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(OperationalError) as caught:
            HOT_CLUSTERS.rows(conn, {"key": "k", "since": T0, "until": T1})
        assert caught.value.connection_invalidated
    with store.session() as s:
        assert _hot_rows(s.connection(), {"key": "k", "since": T0, "until": T1}) == []
