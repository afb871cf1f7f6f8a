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
    """Source health: ok | warning (parsed despite a problem) | quiet | error | failing | never polled."""
    from monitor.health import is_quiet

    store = Store(config.database_url)
    try:
        rows = {r.name: r for r in store.sources()}
        rates = store.items_per_day()
    finally:
        store.close()
    poll, now = config.settings.poll, utcnow()
    out = []
    for src in config.sources:
        r = rows.get(src.name)
        status, problem = "never polled", None
        if r and r.polls:
            if r.consecutive_failures:
                status = "failing" if r.consecutive_failures >= poll.failing_after else "error"
                problem = r.last_error
            elif r.last_warning:
                status, problem = "warning", r.last_warning
            else:
                status = "quiet" if is_quiet(r, poll, now) else "ok"
        per_day = None
        if r and r.post_gap_seconds:
            per_day = round(86400 / r.post_gap_seconds, 1)  # the feed's own posting rate
        elif r:
            per_day = round(rates.get(src.name, 0.0), 1)
        out.append({"name": src.name, "status": status, "url": src.url,
                    "last_success": _ts(r.last_success_at) if r else "-",
                    "last_error": problem or (r.last_error if r else None),
                    "last_error_at": _ts(r.last_polled_at if status == "warning" else r.last_error_at) if r else "-",
                    "failures": r.consecutive_failures if r else 0,
                    "next_poll": _ts(r.next_poll_at) if r else "-",
                    "items": r.items_seen if r else 0,
                    "items_per_day": per_day})
    _emit(out, as_json, "Sources", ["name", "status", "last_success", "failures", "last_error", "last_error_at",
                                    "next_poll", "items", "items_per_day"])


def events(config: Config, as_json: bool, since: str, limit: int) -> None:
    """Each event (cluster of reports) with its merged figures, report count and languages."""
    from monitor.durations import parse_duration
    from monitor.events import event_from_dict
    from monitor.render import headline

    store = Store(config.database_url)
    try:
        rows = store.clusters_since(since=utcnow() - parse_duration(since), limit=limit)
    finally:
        store.close()
    out = []
    for row in rows:
        ev = event_from_dict(json.loads(row.data))
        sources, langs = json.loads(row.sources), json.loads(row.languages)
        out.append({"id": row.id, "kind": row.kind, "key": row.key, "summary": headline(ev, ""),
                    "reports": row.reports, "sources": sources, "languages": sorted(langs),
                    "n_sources": len(sources), "langs": ",".join(sorted(langs)),
                    "first_seen": _ts(row.first_seen), "last_seen": _ts(row.last_seen),
                    "event": ev.model_dump(mode="json")})
    _emit(out, as_json, "Events", ["id", "last_seen", "kind", "summary", "reports", "n_sources", "langs"])


def alerts(config: Config, as_json: bool, failed: bool, limit: int) -> None:
    """The outbox, newest first; `failed`: dead alerts and those retrying. Errors are shown masked."""
    from monitor.alert import Notifier

    scrub = Notifier(config.settings).scrub
    store = Store(config.database_url)
    try:
        rows = store.alerts(limit=limit, failed=failed)
    finally:
        store.close()
    out = [{"id": r.id, "rule": r.rule, "subject": r.subject, "channel": r.channel, "revision": r.revision,
            "state": r.state, "attempts": r.attempts, "created": _ts(r.created_at), "sent": _ts(r.sent_at),
            "next_attempt": _ts(r.next_attempt_at) if r.state == "pending" else "-",
            "last_error": scrub(r.last_error) if r.last_error else None, "title": r.title} for r in rows]
    columns = ["id", "created", "rule", "channel", "state", "attempts", "sent", "last_error", "title"]
    if failed:
        columns = ["id", "created", "rule", "channel", "state", "attempts", "next_attempt", "last_error", "title"]
    _emit(out, as_json, "Alerts (dead and retrying)" if failed else "Alerts", columns)
