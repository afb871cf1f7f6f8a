"""Engine creation and schema migration for SQLite and PostgreSQL.

Alembic manages the monitor's own tables. On PostgreSQL the task queue's tables
(procrastinate, for `monitor worker`) live beside them; procrastinate's schema
manager owns those, and alembic is told to leave every `procrastinate_*` object
alone (`include_name`), so autogenerate never proposes dropping them.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
TASK_PREFIX = "procrastinate_"  # procrastinate's tables, types and functions
ADVISORY_KEY = 774411  # one migrator at a time


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config(engine: Engine):
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's filter: the task queue's tables are not ours to compare, create or drop."""
    return not (type_ == "table" and name and name.startswith(TASK_PREFIX))


def upgrade(engine: Engine, revision: str = "head", *, task_queue: bool = False) -> bool | None:
    """Bring the schema to `revision` (idempotent; safe with several processes on PostgreSQL).

    With `task_queue` on PostgreSQL, also install the task queue's schema when it is
    missing, in the same transaction; returns whether it was installed now (None on SQLite).
    """
    from alembic import command

    cfg = alembic_config(engine)
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            # SQLite alters a table by copying it and dropping the old one, which fails while rows of
            # other tables point at it and foreign keys are enforced: off during the migration (outside
            # a transaction, or the pragma is ignored), checked and back on after it.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, revision)
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration to {revision} broke foreign keys: {broken[:5]}")
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
        return None
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if task_queue:
            return install_task_schema(conn)
    return None


def task_schema_installed(conn) -> bool:
    """Whether procrastinate's schema is in the connection's search path."""
    return conn.exec_driver_sql(f"SELECT to_regclass('{TASK_PREFIX}jobs')").scalar() is not None


def install_task_schema(conn) -> bool:
    """Apply procrastinate's schema (its schema manager's SQL) unless it is there already.

    Runs on the caller's connection and transaction; the caller holds the migration
    lock. Returns True when it was applied now.
    """
    from procrastinate.schema import SchemaManager

    if task_schema_installed(conn):
        return False
    raw = conn.connection.driver_connection  # psycopg: the script has many statements and no parameters
    raw.execute(SchemaManager.get_schema())
    return True


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def advisory_lock(engine: Engine, name: str) -> Iterator[None]:
    """Hold the PostgreSQL advisory lock `name` for the block, waiting for it (nothing on SQLite).

    Session-level, on a connection of its own: the database releases it if the process dies.
    """
    if engine.dialect.name != "postgresql":
        yield
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with engine.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_advisory_lock({key})")
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
            conn.commit()
