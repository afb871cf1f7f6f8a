"""Hot-path reads run on the transaction's DBAPI cursor, compiled once per dialect.

A SQLAlchemy Core `execute` costs tens of microseconds of bookkeeping (execution
context, parameter processing, result proxy, a type processor per value) before
the driver runs; the queries here run several times for every stored article and
return many rows, so that bookkeeping was most of their cost. `HotQuery` keeps the
Core statement as the one definition of the SQL, compiles it for the connection's
dialect once, and binds and reads the values itself, in the forms `UTCDateTime`
gives (tests/test_store_hotsql.py checks both against SQLAlchemy on SQLite and
PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime, timezone



def bind_value(value, sqlite: bool):
    """A parameter as `UTCDateTime` would bind it (UTC; naive text on SQLite)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        # SQLAlchemy's SQLite DATETIME storage format, "2026-12-07 21:08:00.000000" (microseconds always)
        return value.replace(tzinfo=None).isoformat(" ", "microseconds") if sqlite else value
    return value


def utc_value(value) -> datetime | None:
    """A stored datetime as `UTCDateTime` reads it: timezone-aware UTC (SQLite gives text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def execute(conn, sql: str, args, *, many: bool = False, fetch: bool = True) -> list[tuple] | None:
    """Run driver-level SQL on the DBAPI cursor of `conn`'s transaction; the rows when `fetch`.

    The driver's errors are raised as SQLAlchemy raises them, as their `sqlalchemy.exc` class
    (callers retry on `OperationalError` with a deadlock's SQLSTATE), and a connection found gone
    is invalidated, so that the pool does not hand it out again."""
    dialect = conn.dialect
    dbapi_conn = conn.connection
    cur = dbapi_conn.cursor()
    try:
        if many:
            cur.executemany(sql, args)
            return None
        cur.execute(sql, args)
        return cur.fetchall() if fetch else None
    except dialect.loaded_dbapi.Error as exc:
        from sqlalchemy.exc import DBAPIError

        gone = dialect.is_disconnect(exc, dbapi_conn, cur)
        if gone:
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, args, exc, dialect.loaded_dbapi.Error, connection_invalidated=gone,
                                  dialect=dialect) from exc
    finally:
        cur.close()


class HotQuery:
    """A Core statement run straight on the DBAPI cursor of the connection's transaction (`execute`).
    Rows come back as plain tuples with the driver's values (run `utc_value` on datetime columns);
    parameters may be any the driver takes, and datetimes (bound as `UTCDateTime` binds them)."""

    def __init__(self, stmt):
        self.stmt = stmt
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None, dict]] = {}

    def _form(self, dialect) -> tuple[str, tuple[str, ...] | None, dict]:
        form = self._compiled.get(dialect.name)
        if form is None:
            compiled = self.stmt.compile(dialect=dialect)
            positions = tuple(compiled.positiontup) if compiled.positional else None
            form = self._compiled[dialect.name] = (compiled.string, positions, dict(compiled.params))
        return form

    @staticmethod
    def _args(form, params: dict, sqlite: bool):
        _sql, positions, defaults = form
        values = {**defaults, **{k: bind_value(v, sqlite) for k, v in params.items()}}
        return [values[name] for name in positions] if positions is not None else values

    def _run(self, conn, params, many: bool, fetch: bool):
        form = self._form(conn.dialect)
        sqlite = conn.dialect.name == "sqlite"
        args = [self._args(form, p, sqlite) for p in params] if many else self._args(form, params, sqlite)
        return execute(conn, form[0], args, many=many, fetch=fetch)

    def rows(self, conn, params: dict) -> list[tuple]:
        """All rows for `params` (the statement's bind names)."""
        return self._run(conn, params, False, True)

    def first(self, conn, params: dict) -> tuple | None:
        rows = self._run(conn, params, False, True)
        return rows[0] if rows else None

    def run(self, conn, params: dict) -> None:
        """Execute a write for one set of parameters."""
        self._run(conn, params, False, False)

    def run_many(self, conn, params: list[dict]) -> None:
        """Execute a write once per set of parameters (the driver's executemany)."""
        if params:
            self._run(conn, params, True, False)
