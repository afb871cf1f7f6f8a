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
import contextlib
import logging
import os
import socket
from datetime import datetime, timedelta

from procrastinate.exceptions import AlreadyEnqueued, ConnectorException, UniqueViolation
from procrastinate.jobs import Status

from monitor.config import Config, SourceConfig
from monitor.store.tables import utcnow
from monitor.workers import SCHEDULE_QUEUE, Context, ScheduleOptions, build_app, defer_one, quiet_task_logs, \
    stop_on_signals, supervise

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


async def defer_many(app, task, prefix: str, calls: list[tuple[str, datetime | None]], *,
                     skip_running: bool = False) -> int:
    """Defer `task(source=name)` at each (name, when), with locks `<prefix><name>`, in one transaction;
    skip the sources that already have a job waiting (or running, with `skip_running`). Returns how
    many were deferred."""
    waiting = set()
    for status in ("todo", "doing") if skip_running else ("todo",):
        waiting |= {job.queueing_lock for job in await app.job_manager.list_jobs_async(task=task.name, status=status)}
    jobs = [task.configure(lock=prefix + name, queueing_lock=prefix + name, schedule_at=at,
                           task_kwargs={"source": name}).job
            for name, at in calls if prefix + name not in waiting]
    if not jobs:
        return 0
    try:
        await app.job_manager.batch_defer_jobs_async(jobs)
        return len(jobs)
    except AlreadyEnqueued:  # one was deferred meanwhile (a stalled job retried): one at a time
        return sum([await defer_one(task, prefix + name, schedule_at=at, source=name) for name, at in calls])


def add_schedule_tasks(app, config: Config, rt, opts: ScheduleOptions, *, poll, process) -> None:
    """The `schedule` queue's tasks (run by schedulers; every process knows them)."""

    @app.task(name="monitor.dispatch", queue=SCHEDULE_QUEUE, lock="dispatch", queueing_lock="dispatch")
    async def dispatch(timestamp: int = 0) -> str:
        states = await asyncio.to_thread(rt.store.sources)
        due = due_polls(config.sources, states, utcnow(), timedelta(seconds=opts.tick + 0.5))
        # a source being polled right now is skipped: its poll sets the next time
        return f"{await defer_many(app, poll, 'poll:', due, skip_running=True)} polls deferred"

    @app.task(name="monitor.sweep", queue=SCHEDULE_QUEUE, queueing_lock="sweep")
    async def sweep(timestamp: int = 0) -> str:
        pending = await asyncio.to_thread(rt.store.pending_items, 5000)
        names = sorted({p.source for p in pending})
        return f"{await defer_many(app, process, 'process:', [(n, None) for n in names])} processing jobs deferred"

    @app.task(name="monitor.retry_stalled", queue=SCHEDULE_QUEUE, queueing_lock="retry_stalled")
    async def retry_stalled(timestamp: int = 0) -> str:
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=opts.stalled_after)
        for job in stalled:
            try:
                await app.job_manager.retry_job(job)
                log.warning("job %s[%s] of a dead worker is retried", job.task_name, job.id)
            except UniqueViolation:  # the same work already waits in the queue: that job will do it
                with contextlib.suppress(ConnectorException):  # unless it just finished after all
                    await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
                    log.warning("job %s[%s] of a dead worker is dropped: the same work waits in the queue",
                                job.task_name, job.id)
            except ConnectorException as exc:  # finished meanwhile: its worker was slow, not dead
                log.info("job %s[%s] not retried: %s", job.task_name, job.id, str(exc.__cause__ or exc)[:200])
        return f"{len(stalled)} stalled jobs retried"

    @app.task(name="monitor.prune", queue=SCHEDULE_QUEUE, queueing_lock="prune")
    async def prune(timestamp: int = 0) -> str:
        await app.job_manager.delete_old_jobs(nb_hours=max(1, int(opts.keep_jobs.total_seconds() // 3600)),
                                              include_failed=True, include_cancelled=True, include_aborted=True)
        return "pruned"


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
            await app.close_async()
        finally:
            ctx.close()
        log.info("scheduler stopped")

    asyncio.run(main())
