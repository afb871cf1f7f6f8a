"""Deliver stage: send the outbox, in order per channel, with retries and backoff.

Guarantees (see README, "Delivery guarantees"):

* No alert is lost. An alert row is committed with the article that caused it,
  before anything is sent, and leaves the outbox only as `sent` or `dead`.
* Each alert goes out once per target, except in one window. Before sending, a
  sender claims the row (`pending` -> `sending`, its own committed transaction,
  won by exactly one process). After each target accepts, that target is
  recorded at once (its own commit), so a retry never re-sends to a target that
  already has it. The window is the time between a target's server accepting the
  message (SMTP `250` after DATA, HTTP `2xx`, MQTT publish) and the commit that
  records it: apprise's connection teardown plus one small UPDATE, typically a
  few milliseconds. A process killed inside that window leaves the row in
  `sending`; it is handed back and that target receives the alert a second time.
  A row is handed back when the claiming process is known to be gone (same host,
  its pid no longer running, or our own pid re-used after a restart) or else when
  `delivery.lease` has expired. A sender never loses a claim it still holds unless
  one target takes longer than the lease to answer, so keep the lease well above
  the targets' timeouts.
* Order: a channel delivers its alerts oldest first. When a target fails, the
  alert is retried with exponential backoff and jitter, and the alerts queued
  behind it on that target wait (the channel is due when its oldest alert is).
  After `delivery.max_age` the alert is marked dead, logged, and one notice goes
  to `admin_channel` if one is configured. With PostgreSQL, one process at a time
  sends on a channel (advisory lock), so order holds across workers too.

Receivers that can deduplicate get the header `X-Monitor-Alert-Id` (webhooks,
email) to drop the rare resend.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.alert import Message, Notifier, UnknownChannel
from monitor.config import DeliverySettings
from monitor.store import AlertDraft, Store
from monitor.store.outbox import done_targets
from monitor.store.tables import AlertRow, utcnow

log = logging.getLogger(__name__)
ADMIN_RULE = "monitor:dead-alert"
_HOST = socket.gethostname()
_NONCE = uuid.uuid4().hex[:12]  # tells this process from an earlier one that had the same pid


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    held: int = 0  # not tried: their target was failing in this run
    recovered: int = 0  # claims of vanished senders handed back
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, settings: DeliverySettings, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with jitter: base * 2^(attempts-1), capped, times [0.5, 1)."""
    base = settings.base_backoff.total_seconds() * (2 ** max(attempts - 1, 0))
    capped = min(base, settings.max_backoff.total_seconds())
    return timedelta(seconds=capped * (0.5 + (rng or random).random() / 2))


def sender_token() -> str:
    return f"{_HOST}:{os.getpid()}:{_NONCE}"


def claimer_gone(claimed_by: str) -> bool:
    """True when the claim was made by a process of this host that no longer runs."""
    parts = claimed_by.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != _HOST or not parts[1].isdigit():
        return False
    pid, nonce = int(parts[1]), parts[2]
    if pid == os.getpid():
        return nonce != _NONCE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def message_of(row: AlertRow) -> Message:
    return Message(title=row.title, text=row.body, chat=row.chat, markdown=row.markdown, html=row.html,
                   ident=f"{row.rule}/{row.subject}/{row.channel}/{row.revision}")


def deliver_due(store: Store, notifier: Notifier, settings: DeliverySettings,
                now: datetime | None = None, limit: int = 500) -> DeliveryReport:
    """Send every channel's due alerts, oldest first; record each outcome as it happens."""
    report = DeliveryReport()
    now = now or utcnow()
    for row in store.recover_stale(utcnow(), settings.lease, claimer_gone):
        report.recovered += 1
        log.warning("alert %s (%s -> %s): its sender %s stopped before recording the outcome; sending it "
                    "again (a target that had accepted it just before may receive it twice)",
                    row.id, row.rule, row.channel, row.claimed_by)
    token = sender_token()
    for channel, rows in store.channel_queues(now, limit).items():
        with store.channel_lock(channel) as mine:
            if mine:
                _deliver_channel(store, notifier, settings, channel, rows, token, report)
    return report


def _deliver_channel(store: Store, notifier: Notifier, settings: DeliverySettings, channel: str,
                     rows: list[AlertRow], token: str, report: DeliveryReport) -> None:
    try:
        targets = notifier.targets(channel)
    except UnknownChannel:
        targets = None
    failing: dict[str, str] = {}  # target key -> its error in this run
    hold_until: datetime | None = None
    for queued in rows:
        row = store.claim_alert(queued.id, token, utcnow())
        if row is None:
            continue  # another sender has it, or it changed state since we looked
        if targets is None:
            _failed(store, notifier, settings, row, token, [f"channel {channel!r} is no longer configured"], report)
            continue
        todo = [t for t in targets if t.key not in done_targets(row)]
        if todo and all(t.key in failing for t in todo):
            store.alert_release(row.id, token, hold_until or utcnow())
            report.held += 1
            continue
        errors, held, done, finished = [], False, set(done_targets(row)), False
        for n, target in enumerate(todo, 1):
            if target.key in failing:
                held = True
                continue
            result = notifier.send_target(target, message_of(row))
            if result.ok:
                # the last target of an alert with no failure: recorded and marked sent in one commit
                last = n == len(todo) and not errors and not held
                if store.alert_target_done(row.id, token, target.key, done, utcnow() if last else None):
                    done.add(target.key)
                    finished = last
                else:
                    log.error("alert %s: lost its claim while sending (slower than delivery.lease %s)",
                              row.id, settings.lease)
            else:
                failing[target.key] = result.error or "delivery failed"
                errors.append(f"{target.masked}: {result.error}")
        if finished:
            report.sent += 1
        elif errors:
            next_at = _failed(store, notifier, settings, row, token, errors, report)
            hold_until = hold_until or next_at
        elif held:
            store.alert_release(row.id, token, hold_until or utcnow())
            report.held += 1
        elif store.alert_sent(row.id, utcnow(), token):
            report.sent += 1


def _failed(store: Store, notifier: Notifier, settings: DeliverySettings, row: AlertRow, token: str,
            errors: list[str], report: DeliveryReport) -> datetime | None:
    """Record a failed attempt: retry later, or dead (plus a notice to the admin channel)."""
    error = notifier.scrub("; ".join(errors))
    attempts = row.attempts + 1
    too_old = utcnow() - row.created_at >= settings.max_age
    next_at = None if too_old else utcnow() + backoff(attempts, settings)
    notice = _dead_notice(notifier, row, attempts, error) if next_at is None else None
    store.alert_failed(row.id, error, next_at, token, notice=notice)
    msg = f"alert {row.id} ({row.rule} -> {row.channel}) attempt {attempts} failed: {error}"
    if next_at is None:
        report.dead += 1
        log.error("%s; giving up (older than %s): alert is dead%s", msg, settings.max_age,
                  f"; notice queued to {notice[0].channel}" if notice else "")
    else:
        report.failed += 1
        log.warning("%s; retry at %s", msg, next_at.isoformat(timespec="seconds"))
    report.errors.append(msg)
    return next_at


def _dead_notice(notifier: Notifier, row: AlertRow, attempts: int, error: str) -> list[AlertDraft]:
    admin = notifier.settings.admin_channel
    if not admin or row.rule == ADMIN_RULE:
        return []
    title = f"{ADMIN_RULE}: alert to {row.channel} could not be delivered"
    body = (f"The alert below was given up after {attempts} attempts since "
            f"{row.created_at.isoformat(timespec='seconds')}.\n"
            f"Rule: {row.rule}\nChannel: {row.channel}\nSubject: {row.subject}\nLast error: {error}\n\n"
            f"{row.title}\n\nSee `monitor alerts --failed`.")
    return [AlertDraft(rule=ADMIN_RULE, subject=f"alert:{row.id}", channel=admin, title=title, body=body)]
