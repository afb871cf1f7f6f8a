"""The alert outbox: queueing, claiming, and recording delivery outcomes.

An alert row is inserted in the transaction that stores the article that caused
it (insert-if-new on (rule, subject, channel, revision)). A sender *claims* a row
before sending it: `UPDATE ... SET state='sending', claimed_by=<token>,
claimed_at=now WHERE id=? AND state='pending'`, committed on its own and won by
exactly one process (rowcount 1), on SQLite and PostgreSQL alike. Each target
that accepts the alert is recorded at once (`done_targets`), then the row becomes
`sent`, or `pending` again with a retry time, or `dead`. A row left in `sending`
by a crashed sender is handed back to `pending` once its lease has expired.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterator

from sqlalchemy import bindparam, or_, select, text, update
from sqlalchemy.engine import Row
from sqlmodel import Session

from monitor.store.tables import AlertRow, utcnow


@dataclass(frozen=True)
class AlertDraft:
    rule: str
    subject: str
    channel: str
    title: str
    body: str  # plain text, the complete alert
    revision: int = 0
    chat: str | None = None  # short plain text for chat and SMS-like targets
    markdown: str | None = None
    html: str | None = None
    hold_until: datetime | None = None  # throttle / quiet hours / digest: fold into that time's batch


_T = AlertRow.__table__
_ALERT_KEY = ["rule", "subject", "channel", "revision"]  # an alert's identity: queued at most once
# the statements of every delivered alert, built once (their compiled forms are cached)
_CLAIM = (update(_T).where(_T.c.id == bindparam("aid"), _T.c.state == "pending")
          .values(state="sending", claimed_by=bindparam("v_token"), claimed_at=bindparam("v_now")).returning(*_T.c))
_MINE = update(_T).where(_T.c.id == bindparam("aid"), _T.c.state == "sending", _T.c.claimed_by == bindparam("token"))
_TARGET_DONE = _MINE.values(done_targets=bindparam("v_done"))
_TARGET_DONE_SENT = _MINE.values(done_targets=bindparam("v_done"), state="sent", sent_at=bindparam("v_sent_at"),
                                 attempts=_T.c.attempts + 1, last_error=None, claimed_by=None, claimed_at=None)
BATCH_SEP = "\n\n" + "\u2500" * 24 + "\n\n"


def done_targets(row: AlertRow) -> set[str]:
    return set(json.loads(row.done_targets)) if row.done_targets else set()


class OutboxMixin:
    """Outbox operations of `Store` (needs `session()` and `_insert_ignore`)."""

    def _queue(self, s: Session, drafts: list[AlertDraft]) -> int:
        held = [d for d in drafts if d.hold_until is not None]
        drafts = [d for d in drafts if d.hold_until is None]
        queued = sum(self._fold(s, d) for d in held)
        if not drafts:
            return queued
        now = utcnow()
        rows = [{"rule": d.rule, "subject": d.subject, "channel": d.channel, "revision": d.revision,
                 "title": d.title, "body": d.body, "chat": d.chat, "markdown": d.markdown, "html": d.html,
                 "state": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
                for d in drafts]
        return queued + len(s.execute(self._insert_ignore(_T, _ALERT_KEY), rows).all())

    def _fold(self, s: Session, d: AlertDraft) -> int:
        """Add a held alert to its rule's batch for `hold_until` on that channel: one message
        is sent then, listing every alert folded into it. Returns 1 when a batch was created."""
        subject = f"batch:{d.rule}:{d.hold_until.isoformat(timespec='seconds')}"
        row = s.execute(select(AlertRow).where(AlertRow.rule == d.rule, AlertRow.subject == subject,
                                               AlertRow.channel == d.channel, AlertRow.revision == 0,
                                               AlertRow.state == "pending")).scalars().first()
        if row is None:
            now = utcnow()
            return len(s.execute(self._insert_ignore(_T, _ALERT_KEY), [{
                "rule": d.rule, "subject": subject, "channel": d.channel, "revision": 0, "title": d.title,
                "body": d.body, "chat": d.chat, "markdown": d.markdown, "html": d.html, "state": "pending",
                "attempts": 0, "next_attempt_at": d.hold_until, "created_at": now}]).all())
        n = row.body.count(BATCH_SEP) + 2
        row.title = f"{d.rule}: {n} alerts held for this batch"
        row.body = row.body + BATCH_SEP + d.body
        row.chat = (row.chat or "") + "\n\n" + (d.chat or d.title)
        row.markdown = (row.markdown or "") + "\n\n---\n\n" + (d.markdown or d.body)
        row.html = (row.html or "") + "<hr>" + (d.html or f"<pre>{d.body}</pre>")
        s.add(row)
        return 0

    def last_release(self, s: Session, rule: str) -> tuple[datetime | None, datetime | None]:
        """(latest time an alert of `rule` went or goes out, time of its pending batch if any)."""
        from sqlalchemy import func

        last = s.execute(select(func.max(AlertRow.next_attempt_at)).where(
            AlertRow.rule == rule, AlertRow.state != "dead")).scalar()
        batch = s.execute(select(func.max(AlertRow.next_attempt_at)).where(
            AlertRow.rule == rule, AlertRow.state == "pending", AlertRow.subject.like("batch:%"))).scalar()
        return last, batch

    def queue_alerts(self, drafts: list[AlertDraft]) -> int:
        with self.session() as s:
            n = self._queue(s, drafts)
            s.commit()
            return n

    def due_alerts(self, now: datetime, limit: int = 100) -> list[AlertRow]:
        """Pending alerts whose own retry time has come, oldest first."""
        with self.session() as s:
            q = (select(AlertRow).where(AlertRow.state == "pending", AlertRow.next_attempt_at <= now)
                 .order_by(AlertRow.created_at, AlertRow.id).limit(limit))
            return list(s.execute(q).scalars())

    def channel_queues(self, now: datetime, limit: int = 500) -> dict[str, list[AlertRow]]:
        """Per channel, its pending alerts oldest first, for the channels that are due.

        A channel is due when its oldest pending alert is due: a channel in backoff
        holds every alert behind the one that failed, so alerts arrive in order.
        """
        with self.session() as s:
            # alerts held for a later batch (never tried yet) do not hold the channel's queue
            q = (select(AlertRow).where(AlertRow.state == "pending",
                                        or_(AlertRow.attempts > 0, AlertRow.next_attempt_at <= now))
                 .order_by(AlertRow.created_at, AlertRow.id).limit(limit))
            queues: dict[str, list[AlertRow]] = {}
            for row in s.execute(q).scalars():
                queues.setdefault(row.channel, []).append(row)
        return {ch: rows for ch, rows in queues.items() if rows[0].next_attempt_at <= now}

    def recover_stale(self, now: datetime, lease: timedelta, claimer_gone=None) -> list[AlertRow]:
        """Hand alerts whose sender died mid-send back to `pending`.

        A claim is stale when its lease has expired, or at once when
        `claimer_gone(claimed_by)` says the claiming process no longer exists.
        """
        with self.session() as s:
            sending = list(s.execute(select(AlertRow).where(AlertRow.state == "sending")).scalars())
            back = []
            for row in sending:
                expired = row.claimed_at is None or row.claimed_at < now - lease
                if not (expired or (claimer_gone and claimer_gone(row.claimed_by or ""))):
                    continue
                res = s.execute(update(AlertRow).where(
                    AlertRow.id == row.id, AlertRow.state == "sending", AlertRow.claimed_by == row.claimed_by)
                    .values(state="pending", claimed_by=None, claimed_at=None)
                    .execution_options(synchronize_session=False))  # keep the row as it was, for the log
                if res.rowcount == 1:
                    back.append(row)
            s.commit()
            return back

    def claim_alert(self, alert_id: int, token: str, now: datetime) -> Row | None:
        """Take the alert for sending; None if another sender has it or it is no longer pending.
        One UPDATE ... RETURNING: the row as claimed (its targets already done included)."""
        with self.session() as s:
            row = s.execute(_CLAIM, {"aid": alert_id, "v_token": token, "v_now": now}).first()
            s.commit()
        # the Row itself: it reads like an AlertRow (row.title, row.attempts, ...); building a mapped
        # object from it cost more than claiming it
        return row

    def _owned(self, alert_id: int, token: str | None):
        # Core statements on the table: no ORM bulk-update bookkeeping on the delivery hot path
        cond = [_T.c.id == alert_id]
        if token is not None:
            cond += [_T.c.state == "sending", _T.c.claimed_by == token]
        return update(_T).where(*cond)

    def alert_target_done(self, alert_id: int, token: str, key: str, done: set[str] | None = None,
                          sent_at: datetime | None = None) -> bool:
        """Record that one target accepted the alert (committed before anything else is sent).

        `done`: the targets the claim already recorded (read from the row when omitted);
        `sent_at`: this was the alert's last target, so mark it sent in the same commit."""
        with self.session() as s:
            if done is None:
                done = done_targets(s.get(AlertRow, alert_id))
            params = {"aid": alert_id, "token": token, "v_done": json.dumps(sorted(done | {key}))}
            if sent_at is None:
                res = s.execute(_TARGET_DONE, params)
            else:
                res = s.execute(_TARGET_DONE_SENT, {**params, "v_sent_at": sent_at})
            s.commit()
            return res.rowcount == 1

    def alert_sent(self, alert_id: int, now: datetime, token: str | None = None) -> bool:
        with self.session() as s:
            res = s.execute(self._owned(alert_id, token).values(
                state="sent", sent_at=now, attempts=_T.c.attempts + 1, last_error=None,
                claimed_by=None, claimed_at=None))
            s.commit()
            return res.rowcount == 1

    def alert_failed(self, alert_id: int, error: str, next_attempt: datetime | None, token: str | None = None,
                     notice: list[AlertDraft] | None = None) -> bool:
        """Record a failed attempt; `next_attempt=None` marks the alert dead and queues `notice`."""
        values = {"attempts": _T.c.attempts + 1, "last_error": error[:2000], "claimed_by": None,
                  "claimed_at": None}
        values.update({"state": "dead"} if next_attempt is None
                      else {"state": "pending", "next_attempt_at": next_attempt})
        with self.session() as s:
            res = s.execute(self._owned(alert_id, token).values(**values))
            if res.rowcount == 1 and next_attempt is None and notice:
                self._queue(s, notice)
            s.commit()
            return res.rowcount == 1

    def alert_release(self, alert_id: int, token: str, next_attempt: datetime) -> bool:
        """Give a claimed alert back untried (its targets were in backoff); no attempt is counted."""
        with self.session() as s:
            res = s.execute(self._owned(alert_id, token).values(
                state="pending", next_attempt_at=next_attempt, claimed_by=None, claimed_at=None))
            s.commit()
            return res.rowcount == 1

    def alerts(self, state: str | None = None, limit: int = 200, *, failed: bool = False) -> list[AlertRow]:
        """Newest first; `failed=True`: dead alerts, retrying ones and ones being (re)sent after errors."""
        with self.session() as s:
            q = select(AlertRow)
            if state:
                q = q.where(AlertRow.state == state)
            if failed:
                q = q.where(or_(AlertRow.state == "dead",
                                (AlertRow.state.in_(["pending", "sending"])) & (AlertRow.attempts > 0)))
            return list(s.execute(q.order_by(AlertRow.id.desc()).limit(limit)).scalars())

    @contextmanager
    def channel_lock(self, channel: str) -> Iterator[bool]:
        """Hold the right to send on `channel` (PostgreSQL advisory lock; always granted on SQLite).

        One sender per channel at a time keeps the channel's alerts in order across
        processes; the lock is released by the database if the process dies.
        """
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        with self.engine.connect() as conn:
            # advisory locks are per database: the schema in the key keeps two monitors
            # sharing one database (separate schemas) from blocking each other
            schema = conn.execute(text("SELECT current_schema()")).scalar()
            key = int.from_bytes(hashlib.sha256(f"alert-channel:{schema}:{channel}".encode()).digest()[:8], "big",
                                 signed=True)
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
            conn.commit()
            try:
                yield got
            finally:
                if got:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
