"""When to poll a source next: interval with jitter, feed hints, backoff on failure."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from monitor.models import PollResult

MAX_HINT = timedelta(hours=6)  # never let a feed's ttl / max-age silence it longer than this
BACKOFF_BASE = timedelta(minutes=1)


def next_poll(now: datetime, interval: timedelta, result: PollResult, failures: int, *,
              jitter: float, max_backoff: timedelta, rng: random.Random | None = None) -> datetime:
    """Next poll time after `result`; `failures` counts consecutive failures including this one.

    Success: the interval (or the feed's ttl / Cache-Control max-age when longer, up to
    6 h), +/- jitter. Failure: exponential backoff from 1 min, capped at `max_backoff`,
    never sooner than a Retry-After the server asked for. Never gives up.
    """
    rng = rng or random
    if result.error:
        wait = min(BACKOFF_BASE * (2 ** max(failures - 1, 0)), max_backoff)
        wait = max(wait, min(interval, max_backoff)) if failures > 1 else wait
        if result.retry_after:
            wait = max(wait, timedelta(seconds=min(result.retry_after, 86400)))
        return now + wait
    wait = interval
    if result.ttl_seconds:
        wait = max(wait, min(timedelta(seconds=result.ttl_seconds), MAX_HINT))
    spread = wait.total_seconds() * jitter
    return now + wait + timedelta(seconds=rng.uniform(-spread, spread))
