"""Poll outcomes: each source's health and schedule columns, and the items it returned.

`record_polls` stores a batch of polls (one per source, the pipeline's writer sends
up to 250) in ONE transaction. The new column values of each source are computed
in plain Python (`apply_poll`, `count_items`) and written in id order with one
executemany UPDATE per run of rows changing the same columns, so a cycle where
every feed answers 304 costs a few statements per batch, not an ORM flush of every
row (half the CPU). Only columns whose value changed are written, as the ORM did.
The returned rows carry the new values (without history: they are read, never
flushed) for `monitor.health.review`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import groupby

from sqlalchemy import bindparam, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from monitor.models import FeedItem, PollResult
from monitor.store.tables import ItemRow, SourceRow

S = SourceRow.__table__
# what a poll may change on its source row
POLL_COLUMNS = ("polls", "last_polled_at", "last_status", "next_poll_at", "failing_since", "last_error",
                "last_error_at", "consecutive_failures", "last_success_at", "last_warning", "etag",
                "last_modified", "post_gap_seconds", "items_seen", "last_item_at", "quiet_notified")


@dataclass
class PollRecord:
    """One poll outcome to store: the result, its schedule and the items not seen before."""

    result: PollResult  # may carry `warning` (monitor.poll.FeedPoll)
    next_poll_at: datetime
    new_items: list[FeedItem]
    backfill_before: datetime | None = None
    post_gap_seconds: float | None = None


def apply_poll(src: dict, rec: PollRecord, now: datetime) -> None:
    """Update a source's column values `src` for one poll outcome."""
    result = rec.result
    src["polls"] += 1
    src["last_polled_at"] = now
    src["last_status"] = result.status
    src["next_poll_at"] = rec.next_poll_at
    if result.error:
        if src["consecutive_failures"] == 0 and not src["failing_notified"]:
            src["failing_since"] = now
        src["last_error"], src["last_error_at"] = result.error[:2000], now
        src["consecutive_failures"] += 1
    else:
        src["last_success_at"] = now
        src["consecutive_failures"] = 0
        src["last_warning"] = getattr(result, "warning", None) or None
        if not src["failing_notified"]:
            src["failing_since"] = None
        if result.etag is not None or result.last_modified is not None or not result.not_modified:
            src["etag"], src["last_modified"] = result.etag, result.last_modified
    if rec.post_gap_seconds:
        src["post_gap_seconds"] = rec.post_gap_seconds


def count_items(src: dict, stored: list[dict], now: datetime) -> None:
    """Update a source's column values `src` for the item rows just stored for it."""
    src["items_seen"] += len(stored)
    latest = min(max((r["published"] or now for r in stored)), now)
    if src["last_item_at"] is None or latest > src["last_item_at"]:
        src["last_item_at"], src["quiet_notified"] = latest, False


@lru_cache(maxsize=64)
def _update_source(columns: tuple[str, ...]):
    return update(S).where(S.c.id == bindparam("b_id")).values({c: bindparam("v_" + c) for c in columns})


class PollsMixin:
    """Store methods for poll outcomes (mixed into Store)."""

    def record_polls(self, records: list[PollRecord], *, now: datetime) -> list[tuple[SourceRow, list[int]]]:
        """Store several polls (one per source) and their new items in one transaction.

        Returns, per record, the updated source row and the ids of its new items.
        """
        with self.session() as s, s.no_autoflush:
            names = list({r.result.source for r in records})
            rows = {r.name: r for r in s.execute(select(SourceRow).where(SourceRow.name.in_(names))).scalars()}
            loaded = {row.id: inspect(row).dict for row in rows.values()}  # the row's loaded column values
            values = {sid: {c: d[c] for c in (*POLL_COLUMNS, "failing_notified")} for sid, d in loaded.items()}
            candidates: dict[int, dict[str, dict]] = {}  # source id -> guid -> item row
            for rec in records:
                src = rows[rec.result.source]
                apply_poll(values[src.id], rec, now)
                per = candidates.setdefault(src.id, {})
                for it in rec.new_items:
                    old = (rec.backfill_before is not None and it.published is not None
                           and it.published < rec.backfill_before)
                    per.setdefault(it.guid, {
                        "source_id": src.id, "guid": it.guid, "url": it.url, "link": it.link, "title": it.title,
                        "summary": it.summary, "lang": it.lang, "published": it.published, "seen_at": now,
                        "attempts": 0, "state": "backfill" if old else "new"})
            ids = {}
            for sid, guid, _item_id in list(self._existing(s, candidates)):
                candidates[sid].pop(guid, None)
            fresh = [r for per in candidates.values() for r in per.values()]
            if fresh:
                s.execute(self._item_insert(), fresh)  # executemany of one cached statement
                new = {sid: {g: r for g, r in per.items() if r["state"] == "new"} for sid, per in candidates.items()}
                ids = {(sid, guid): item_id for sid, guid, item_id in self._existing(s, new) if guid in new[sid]}
            for sid, per in candidates.items():
                if per:
                    count_items(values[sid], list(per.values()), now)
            self._write_sources(s, rows.values(), loaded, values)
            out = []
            for rec in records:
                src = rows[rec.result.source]
                out.append((src, [ids[(src.id, it.guid)] for it in rec.new_items if (src.id, it.guid) in ids]))
            s.commit()
            return out

    @staticmethod
    def _write_sources(s: Session, rows, loaded: dict[int, dict], values: dict[int, dict]) -> None:
        """Write each row's changed columns, in id order as the ORM's flush did (the same lock
        order), one executemany per run of rows changing the same columns; then give the row
        objects their new values."""
        updates = []
        for row in sorted(rows, key=lambda r: r.id):
            old = loaded[row.id]
            changed = {c: v for c, v in values[row.id].items() if v != old[c] and c in POLL_COLUMNS}
            if changed:
                updates.append((tuple(sorted(changed)), {"b_id": row.id, **{"v_" + c: v for c, v in changed.items()}}))
                for c, v in changed.items():
                    set_committed_value(row, c, v)
        for columns, run in groupby(updates, key=lambda u: u[0]):
            s.connection().execute(_update_source(columns), [params for _cols, params in run])

    @staticmethod
    def _existing(s: Session, wanted: dict[int, dict[str, dict]]):
        """(source id, guid, item id) of stored items among `wanted` {source id: {guid: ...}}."""
        pairs = [(sid, g) for sid, per in wanted.items() for g in per]
        for i in range(0, len(pairs), 500):
            chunk = pairs[i:i + 500]
            sids = list({sid for sid, _ in chunk})
            guids = list({g for _, g in chunk})
            yield from s.execute(select(ItemRow.source_id, ItemRow.guid, ItemRow.id).where(
                ItemRow.source_id.in_(sids), ItemRow.guid.in_(guids))).all()

    def _item_insert(self):
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(ItemRow.__table__).on_conflict_do_nothing(index_elements=["source_id", "guid"])
