"""`monitor run --scheduler-only`: defers due work for `monitor worker` processes (PostgreSQL).

A scheduler runs procrastinate's periodic deferrer and the `schedule` queue:

* every `tick` (1 s): `dispatch` defers a poll job for each source coming due
  within the next tick, scheduled at its own `next_poll_at` (the time the last
  poll set from the source's interval, jitter, server hints and backoff);
* every `delivery.interval`: `deliver`;
* every `sweep_every`: `sweep` re-defers processing of items a crash left pending;
* every `stalled_after / 3`: `retry_stalled`; hourly: `prune`.

Periodic jobs are deferred once per timestamp by the database (procrastinate's
periodic defers), so several schedulers, for availability, never double them;
each poll job carries the queueing lock `poll:<source>`, so a source waits in the
queue at most once, and its lock, so it is never polled by two workers at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import datetime, timedelta

from monitor.config import Config, SourceConfig
from monitor.workers import SCHEDULE_QUEUE, Context, ScheduleOptions, build_app, quiet_task_logs, stop_on_signals, \
    supervise

log = logging.getLogger(__name__)


def cron_every(seconds: float) -> str:
    """A cron line (procrastinate's, seconds in the 6th column) firing about every `seconds`.

    Periods that do not divide the minute (or hour) restart at each minute (hour).
    """
    s = max(1, round(seconds))
    if s < 60:
        return "* * * * * *" if s == 1 else f"* * * * * */{s}"
    m = max(1, round(s / 60))
    if m < 60:
        return "* * * * *" if m == 1 else f"*/{m} * * * *"
    h = min(23, round(m / 60))
    return "0 * * * *" if h == 1 else f"0 */{h} * * *"


def due_polls(sources: list[SourceConfig], states, now: datetime, horizon: timedelta) -> list[tuple[str, datetime | None]]:
    """(source, when) for each enabled source due before `now + horizon`; `when` None = at once."""
    by_name = {row.name: row for row in states}
    out = []
    for src in sources:
        if not src.enabled:
            continue
        row = by_name.get(src.name)
        at = row.next_poll_at if row is not None else None
        if at is None or at <= now:
            out.append((src.name, None))
        elif at <= now + horizon:
            out.append((src.name, at))
    return out


def register_periodic(app, config: Config, opts: ScheduleOptions) -> None:
    tasks = app.tasks
    every = [("monitor.dispatch", opts.tick), ("monitor.deliver", config.settings.delivery.interval.total_seconds()),
             ("monitor.sweep", opts.sweep_every), ("monitor.retry_stalled", max(1.0, opts.stalled_after / 3)),
             ("monitor.prune", 3600.0)]
    for name, seconds in every:
        lock = name.split(".", 1)[1]
        app.periodic(cron=cron_every(seconds), periodic_id=lock, queueing_lock=lock)(tasks[name])


def run_scheduler(config: Config, rules, opts: ScheduleOptions, *, verbose: bool = False) -> None:
    """Defer due work until SIGTERM/SIGINT. Run one or more; they share the work, never double it."""
    quiet_task_logs(verbose)

    async def main() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        ctx = Context(config, rules, processes=0)
        try:
            ctx.rt.store.sync_sources([(s.name, s.url) for s in config.sources])
            app = build_app(config, ctx, opts, pool_size=6)
            name = f"scheduler:{socket.gethostname()}:{os.getpid()}"
            log.info("%s: %d sources, dispatch every %.1fs, dead workers after %.0fs", name, len(config.sources),
                     opts.tick, opts.stalled_after)
            await supervise(app, stop, name=name, queues=[SCHEDULE_QUEUE], concurrency=2, update_heartbeat_interval=
                            max(1.0, min(5.0, opts.stalled_after / 6)), stalled_worker_timeout=opts.stalled_after,
                            fetch_job_polling_interval=opts.tick, shutdown_graceful_timeout=10.0,
                            delete_jobs="successful")
        finally:
            ctx.close()
        log.info("scheduler stopped")

    asyncio.run(main())
