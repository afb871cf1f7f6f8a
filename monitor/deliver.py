"""Deliver stage: send due alerts from the outbox, with retries and backoff.

An alert row is written before anything is sent. Here each due row is sent and
its outcome recorded at once: `sent`, or a failed attempt with the next attempt
time (exponential backoff with jitter), or `dead` once older than
`delivery.max_age`. The only window for a duplicate is between the receiving
server accepting the message and the `sent` commit (a few milliseconds).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.alert import Notifier, UnknownChannel
from monitor.config import DeliverySettings
from monitor.store import Store
from monitor.store.tables import utcnow

log = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int, settings: DeliverySettings, rng: random.Random | None = None) -> timedelta:
    """Exponential backoff with full jitter: base * 2^(attempts-1), capped, times [0.5, 1)."""
    base = settings.base_backoff.total_seconds() * (2 ** max(attempts - 1, 0))
    capped = min(base, settings.max_backoff.total_seconds())
    return timedelta(seconds=capped * (0.5 + (rng or random).random() / 2))


def deliver_due(store: Store, notifier: Notifier, settings: DeliverySettings,
                now: datetime | None = None, limit: int = 200) -> DeliveryReport:
    """Send every pending alert whose time has come, oldest first."""
    report = DeliveryReport()
    now = now or utcnow()
    for alert in store.due_alerts(now, limit=limit):
        try:
            result = notifier.send(alert.channel, alert.title, alert.body)
            ok, error = result.ok, result.error
        except UnknownChannel:
            ok, error = False, f"channel {alert.channel!r} is no longer configured"
        if ok:
            store.alert_sent(alert.id, utcnow())
            report.sent += 1
            continue
        attempts = alert.attempts + 1
        too_old = utcnow() - alert.created_at >= settings.max_age
        next_at = None if too_old else utcnow() + backoff(attempts, settings)
        store.alert_failed(alert.id, error or "delivery failed", next_at)
        msg = f"alert {alert.id} ({alert.rule} -> {alert.channel}) attempt {attempts} failed: {error}"
        if next_at is None:
            report.dead += 1
            log.error("%s; giving up (older than %s): alert is dead", msg, settings.max_age)
        else:
            report.failed += 1
            log.warning("%s; retry at %s", msg, next_at.isoformat(timespec="seconds"))
        report.errors.append(msg)
    return report
