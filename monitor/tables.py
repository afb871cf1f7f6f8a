"""`monitor sources`, `monitor events`, `monitor alerts`: rich tables or --json."""

from __future__ import annotations

import json
from datetime import datetime

from monitor.config import Config
from monitor.store import Store
from monitor.store.tables import utcnow


def _ts(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def _emit(rows: list[dict], as_json: bool, title: str, columns: list[str]) -> None:
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[str(row.get(c) if row.get(c) is not None else "-") for c in columns])
    Console(width=200).print(table)


def sources(config: Config, as_json: bool) -> None:
    store = Store(config.database_url)
    try:
        rows = {r.name: r for r in store.sources()}
        rates = store.items_per_day()
    finally:
        store.close()
    out = []
    for src in config.sources:
        r = rows.get(src.name)
        status = "never polled"
        if r and r.polls:
            status = "failing" if r.consecutive_failures >= config.settings.poll.failing_after else (
                "error" if r.consecutive_failures else "ok")
        per_day = round(rates.get(src.name, 0.0), 1) if r else None
        out.append({"name": src.name, "status": status, "url": src.url,
                    "last_success": _ts(r.last_success_at) if r else "-",
                    "last_error": (r.last_error if r and r.consecutive_failures else None),
                    "failures": r.consecutive_failures if r else 0,
                    "next_poll": _ts(r.next_poll_at) if r else "-",
                    "items": r.items_seen if r else 0,
                    "items_per_day": per_day})
    _emit(out, as_json, "Sources", ["name", "status", "last_success", "failures", "last_error", "next_poll", "items", "items_per_day"])


def events(config: Config, as_json: bool, since: str, limit: int) -> None:
    from monitor.durations import parse_duration
    from monitor.render import headline

    store = Store(config.database_url)
    try:
        rows = store.events(since=utcnow() - parse_duration(since), limit=limit)
        out = []
        for row, art in rows:
            ev = store.event_of(row)
            out.append({"id": row.id, "kind": row.kind, "when": _ts(row.created_at), "summary": headline(ev, ""),
                        "source": art.source, "lang": art.lang, "url": art.url,
                        "event": ev.model_dump(mode="json")})
    finally:
        store.close()
    _emit(out, as_json, "Events", ["id", "when", "kind", "summary", "source", "lang"])


def alerts(config: Config, as_json: bool, failed: bool, limit: int) -> None:
    store = Store(config.database_url)
    try:
        rows = store.alerts(limit=limit)
    finally:
        store.close()
    if failed:
        rows = [r for r in rows if r.state == "dead" or (r.state == "pending" and r.attempts > 0)]
    out = [{"id": r.id, "rule": r.rule, "subject": r.subject, "channel": r.channel, "state": r.state,
            "attempts": r.attempts, "created": _ts(r.created_at), "sent": _ts(r.sent_at),
            "last_error": r.last_error, "title": r.title} for r in rows]
    _emit(out, as_json, "Alerts", ["id", "created", "rule", "channel", "state", "attempts", "sent", "last_error", "title"])
