"""When may an alert of a rule go out? Pure functions for the alert outbox.

The outbox stores every alert first, then asks `release_time(rule, now, last_sent)` when
it may be delivered, and delivers all of a rule's pending alerts whose release time has
come *as one message* (a fold). The semantics, per rule option:

- `throttle: 30m`: at most one message per rule per 30 minutes. An alert arriving
  within the window after the last send waits until the window ends; every alert of the
  rule pending at that moment goes out folded into that one message.
- `quiet_hours: 22:00-07:00 Europe/Paris`: nothing is sent while the local time is in
  [start, end). Alerts are held and, at `end`, sent as one digest (a fold).
- `digest: daily at 07:00 Europe/Paris`: the rule never alerts one by one; its alerts
  are held until the next 07:00 local time and sent as one summary of the events that
  matched since the previous digest (`digest_period`).

Throttle applies first, then quiet hours push the result out of the quiet period; a
digest rule ignores throttle (one message a day is already the limit) but its send time
is still moved out of quiet hours, should the two overlap. All datetimes must be
timezone-aware; results are in the time zone of `now`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor.rules import QuietHours, Rule


def _aware(dt: datetime, name: str) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {dt!r}")
    return dt


def is_digest(rule: Rule) -> bool:
    """True when the rule's alerts are only ever sent as a scheduled daily summary."""
    return rule.digest is not None


def next_digest(rule: Rule, now: datetime) -> datetime:
    """The first digest time at or after `now` (in now's time zone)."""
    if rule.digest is None:
        raise ValueError(f"rule {rule.name!r} has no digest")
    _aware(now, "now")
    local = now.astimezone(rule.digest.tz)
    at = datetime.combine(local.date(), rule.digest.at, tzinfo=rule.digest.tz)
    if at < local:
        at = datetime.combine(local.date() + timedelta(days=1), rule.digest.at, tzinfo=rule.digest.tz)
    return at.astimezone(now.tzinfo)


def digest_period(rule: Rule, send_at: datetime) -> tuple[datetime, datetime]:
    """The (start, end] period a digest sent at `send_at` summarises: the previous day's digest time to now."""
    end = next_digest(rule, send_at)
    local_end = end.astimezone(rule.digest.tz)  # type: ignore[union-attr]
    start = datetime.combine(local_end.date() - timedelta(days=1), local_end.timetz())
    return start.astimezone(end.tzinfo), end


def quiet_until(quiet: QuietHours, when: datetime) -> datetime | None:
    """End of the quiet period `when` falls in (in when's time zone), or None if not quiet."""
    _aware(when, "when")
    local = when.astimezone(quiet.tz)
    t, day = local.time().replace(tzinfo=None), local.date()
    if quiet.start < quiet.end:  # e.g. 01:00-06:00, same day
        if not quiet.start <= t < quiet.end:
            return None
        end_day = day
    else:  # spans midnight, e.g. 22:00-07:00
        if t >= quiet.start:
            end_day = day + timedelta(days=1)
        elif t < quiet.end:
            end_day = day
        else:
            return None
    return datetime.combine(end_day, quiet.end, tzinfo=quiet.tz).astimezone(when.tzinfo)


def in_quiet_hours(rule: Rule, when: datetime) -> bool:
    return rule.quiet_hours is not None and quiet_until(rule.quiet_hours, when) is not None


def release_time(rule: Rule, now: datetime, last_sent: datetime | None) -> datetime:
    """Earliest time an alert of `rule` that is pending at `now` may be sent.

    `last_sent` is when the rule last sent a message (None: never). The result is
    `now` when it may go out immediately. See the module docstring for the semantics.
    """
    _aware(now, "now")
    if rule.digest is not None:
        at = next_digest(rule, now)
    else:
        at = now
        if rule.throttle is not None and last_sent is not None:
            at = max(at, _aware(last_sent, "last_sent").astimezone(now.tzinfo) + rule.throttle)
    if rule.quiet_hours is not None:
        end = quiet_until(rule.quiet_hours, at)
        if end is not None:
            at = end
    return at
