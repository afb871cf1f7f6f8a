"""When to poll a source next: its posting rate, the server's hints, backoff on failure.

- Interval: a source's own `interval` if configured; otherwise, once its posting
  rate is known, half its usual gap between items, within poll.min_interval and
  poll.max_interval (a source posting every 2 min is polled every min_interval,
  one posting daily every max_interval); until then poll.default_interval.
- Server hints (Cache-Control max-age, Expires, RSS <ttl>) lengthen the wait,
  never beyond max(poll.max_interval, the interval).
- Failure: exponential backoff from 1 min, capped at poll.max_backoff, forever;
  never sooner than a Retry-After the server sent with 429 or 503.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from monitor.config import PollSettings
from monitor.models import FeedItem, PollResult

BACKOFF_BASE = timedelta(minutes=1)
MAX_RETRY_AFTER = timedelta(days=1)
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.I)
_NO_CACHE = re.compile(r"(?:^|[,\s])(?:no-cache|no-store)\b", re.I)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def cache_hint(headers, now: datetime | None = None) -> int | None:
    """Seconds the response stays fresh per Cache-Control max-age (minus Age) or Expires."""
    cc = headers.get("Cache-Control", "") or ""
    if _NO_CACHE.search(cc):
        return None
    m = _MAX_AGE.search(cc)
    if m:
        age = headers.get("Age", "")
        fresh = int(m.group(1)) - (int(age) if age.strip().isdigit() else 0)
        return fresh if fresh > 0 else None
    expires = _http_date(headers.get("Expires"))
    if expires is None:
        return None
    base = _http_date(headers.get("Date")) or now or datetime.now(timezone.utc)
    fresh = int((expires - base).total_seconds())
    return fresh if fresh > 0 else None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    return max((when - (now or datetime.now(timezone.utc))).total_seconds(), 0.0)


def posting_gap(items: list[FeedItem], now: datetime, window: int = 50) -> float | None:
    """Mean seconds between the feed's most recent items, or None with fewer than 3 dates."""
    stamps = sorted({i.published.timestamp() for i in items
                     if i.published is not None and i.published <= now + timedelta(hours=1)}, reverse=True)
    stamps = stamps[:window]
    if len(stamps) < 3:
        return None
    return max((stamps[0] - stamps[-1]) / (len(stamps) - 1), 1.0)


def poll_interval(poll: PollSettings, configured: timedelta | None, gap_seconds: float | None) -> timedelta:
    """The interval between successful polls of one source."""
    if configured is not None:
        return configured
    if not poll.adaptive or not gap_seconds:
        return poll.default_interval
    wanted = timedelta(seconds=gap_seconds / 2)
    return min(max(wanted, poll.min_interval), poll.max_interval)


def backoff(failures: int, interval: timedelta, max_backoff: timedelta) -> timedelta:
    """Wait after the `failures`-th consecutive failure: 1 min, then doubling, at least the
    interval from the second failure on, never more than `max_backoff`."""
    wait = BACKOFF_BASE * (2 ** min(max(failures - 1, 0), 30))
    if failures > 1:
        wait = max(wait, interval)
    return min(wait, max_backoff)


def next_poll(now: datetime, interval: timedelta, result: PollResult, failures: int, *,
              poll: PollSettings, rng: random.Random | None = None) -> datetime:
    """Next poll time after `result`; `failures` counts consecutive failures including this one."""
    rng = rng or random
    if result.error:
        wait = backoff(failures, interval, poll.max_backoff)
        wait += wait * rng.uniform(0, poll.jitter)  # spread retries; never earlier than asked
        if result.retry_after:
            wait = max(wait, min(timedelta(seconds=result.retry_after), MAX_RETRY_AFTER))
        return now + wait
    spread = interval.total_seconds() * poll.jitter
    wait = interval + timedelta(seconds=rng.uniform(-spread, spread))
    if result.ttl_seconds:  # a floor: never poll before the server says the feed may change
        wait = max(wait, min(timedelta(seconds=result.ttl_seconds), max(poll.max_interval, interval)))
    return now + wait
