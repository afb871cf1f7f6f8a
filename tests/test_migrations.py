"""Alembic migrations on SQLite and PostgreSQL: from an empty database, from the previous
revision with data in every table, models and migrations in agreement; `monitor db upgrade`
also installs the task queue's schema on PostgreSQL, once."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, select, types
from sqlmodel import SQLModel

import monitor.store.tables  # noqa: F401  (the models)
from monitor.store import db

WHEN = datetime(2025, 7, 4, 8, 30, 15)


def revisions(engine) -> tuple[str, str]:
    script = ScriptDirectory.from_config(db.alembic_config(engine))
    head = script.get_current_head()
    return head, script.get_revision(head).down_revision


def model_differences(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": db.include_name})
        return compare_metadata(ctx, SQLModel.metadata)


def test_upgrade_from_empty_database_matches_the_models(db_url):
    engine = db.make_engine(db_url)
    try:
        db.upgrade(engine, task_queue=True)
        assert db.current_revision(engine) == revisions(engine)[0]
        diffs = model_differences(engine)
        assert diffs == [], f"models and migrations disagree (a migration is missing or wrong): {diffs}"
        db.upgrade(engine, task_queue=True)  # idempotent
        assert db.current_revision(engine) == revisions(engine)[0]
    finally:
        engine.dispose()


def _value(table: str, col, n: int):
    t = col.type
    if isinstance(t, types.Boolean):
        return True
    if isinstance(t, types.Integer):
        return 40 + n
    if isinstance(t, (types.Float, types.Numeric)):
        return 1.5 + n
    if isinstance(t, types.DateTime):
        return WHEN
    if isinstance(t, types.Date):
        return WHEN.date()
    if isinstance(t, types.LargeBinary):
        return bytes([n % 256, 1, 2, 3])
    if isinstance(t, types.JSON):
        return {"n": n}
    if isinstance(t, types.Enum):
        return t.enums[0]
    text = f"{table}.{col.name}.{n}"
    length = getattr(t, "length", None)
    return text[:length] if length else text


def _same(a, b) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        norm = lambda d: d.astimezone(timezone.utc).replace(tzinfo=None) if d.tzinfo else d  # noqa: E731
        return norm(a) == norm(b)
    if isinstance(b, memoryview):
        b = bytes(b)
    return a == b


def test_upgrade_from_previous_revision_keeps_every_row(db_url):
    """One row in every table at the previous head survives the upgrade to head, column for column."""
    engine = db.make_engine(db_url)
    try:
        head, previous = revisions(engine)
        assert previous, "only one revision: nothing to upgrade from"
        db.upgrade(engine, previous)
        assert db.current_revision(engine) == previous
        meta = MetaData()
        meta.reflect(engine)
        written: dict[str, tuple[dict, dict]] = {}  # table -> (primary key, values)
        with engine.begin() as conn:
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                values = {}
                for n, col in enumerate(table.columns):
                    if col.foreign_keys:
                        fk = next(iter(col.foreign_keys))
                        parent = fk.column.table.name
                        if parent == table.name or parent not in written:
                            values[col.name] = None
                            continue
                        values[col.name] = written[parent][0][fk.column.name]
                    elif col.primary_key and col.autoincrement in (True, "auto") and \
                            isinstance(col.type, types.Integer) and len(table.primary_key.columns) == 1:
                        continue  # the database numbers it
                    else:
                        values[col.name] = _value(table.name, col, n)
                result = conn.execute(table.insert().values(**values))
                pk = dict(zip([c.name for c in table.primary_key.columns], result.inserted_primary_key))
                written[table.name] = (pk, values)
        assert {"source", "item", "article", "alert"} <= set(written)
        db.upgrade(engine, head)
        assert db.current_revision(engine) == head
        after = MetaData()
        after.reflect(engine)
        with engine.connect() as conn:
            for name, (pk, values) in written.items():
                table = after.tables[name]
                row = conn.execute(select(table).where(*[table.c[k] == v for k, v in pk.items()])).mappings().one()
                lost = {k: (v, row[k]) for k, v in values.items() if k in row and not _same(v, row[k])}
                assert lost == {}, f"{name}: values changed by the upgrade: {lost}"
                dropped = set(values) - set(row.keys())
                assert not dropped, f"{name}: columns dropped by the upgrade: {dropped}"
    finally:
        engine.dispose()


def test_db_upgrade_installs_the_task_queue_schema_once(db_url, tmp_path, capsys):
    from conftest import write_config
    from monitor.cli import main

    cfg = write_config(tmp_path / "config", sources=[], db_url=db_url)
    assert main(["db", "upgrade", "--config", str(cfg)]) == 0
    first = capsys.readouterr().out
    assert main(["db", "upgrade", "--config", str(cfg)]) == 0
    second = capsys.readouterr().out
    head = revisions(db.make_engine(db_url))[0]
    assert f"database at revision {head}" in first and f"database at revision {head}" in second
    engine = db.make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        if db_url.startswith("sqlite"):
            assert "task queue" not in first and not any(t.startswith("procrastinate_") for t in tables)
            return
        assert "task queue schema (procrastinate): installed" in first
        assert "task queue schema (procrastinate): already installed" in second
        assert {"procrastinate_jobs", "procrastinate_workers", "procrastinate_periodic_defers"} <= tables
        assert model_differences(engine) == []  # alembic leaves procrastinate's tables alone
    finally:
        engine.dispose()
