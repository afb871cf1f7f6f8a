"""`monitor worker`: the pipeline's jobs on procrastinate, for several processes on PostgreSQL.

Jobs (each calls the same pipeline functions as `monitor run`):

* `monitor.poll(source)`      queue `poll`: poll one source if it is due, then
  defer the processing of its new items. Lock and queueing lock `poll:<source>`:
  one source is never polled by two jobs at once, and waits in the queue once.
* `monitor.process(source)`   queue `process`: fetch, clean, dedup, extract and
  match the source's pending items (lock `process:<source>`, so an item is never
  processed by two workers), then defer a delivery when alerts were queued.
* `monitor.deliver()`         queue `deliver`: send the outbox (claims, per-channel
  advisory locks and FIFO are the outbox's, see monitor.deliver).
* queue `schedule` (run by `monitor run --scheduler-only`, see monitor.scheduler):
  `dispatch` defers the polls coming due, `sweep` re-defers processing that a
  crash left behind, `retry_stalled` hands jobs of dead workers to live ones,
  `prune` forgets finished jobs.

Every job is idempotent: a poll that is no longer due does nothing, processing
takes only items still `new`, delivery claims each alert. So a job retried after
its worker died (kill -9, lost machine) neither loses nor doubles anything.

The App is built from the Config by `build_app`; each process builds one Runtime
(store, notifier, rules, clean executor) and one HTTP client, shared by its jobs,
and runs one procrastinate worker per queue, so polls never wait behind a long
processing job. Workers store articles concurrently: each batch takes its locks
(cluster keys, URLs, text hashes, LSH bands) in one sorted pass, and a batch that
still meets a deadlock is retried (monitor.store.articles).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from procrastinate import App, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued

from monitor import pipeline
from monitor.config import Config
from monitor.runtime import build_runtime, close_runtime
from monitor.store.db import normalise_url
from monitor.store.tables import utcnow

log = logging.getLogger(__name__)
WORK_QUEUES = ("poll", "process", "deliver")
SCHEDULE_QUEUE = "schedule"


@dataclass
class WorkerOptions:
    concurrency: int = 8  # polls in flight per worker process
    process_concurrency: int = 2  # processing jobs per worker process (CPU-bound: about its clean processes)
    deliver_concurrency: int = 2  # deliveries per worker process (one sender per channel anyway)
    queues: tuple[str, ...] = WORK_QUEUES
    heartbeat: float = 5.0  # seconds between heartbeats (keep well under the scheduler's stalled_after)
    fetch_every: float = 0.5  # seconds between looks for scheduled jobs (new jobs are NOTIFYed at once)
    grace: float = 30.0  # seconds running jobs get to finish on stop


@dataclass
class ScheduleOptions:
    tick: float = 1.0  # seconds between dispatches of due polls
    stalled_after: float = 30.0  # a worker silent this long is dead: its jobs are retried
    sweep_every: float = 30.0  # seconds between looks for processing left behind
    keep_jobs: timedelta = field(default=timedelta(days=3))  # failed jobs stay visible this long


def conninfo(database_url: str) -> str:
    """The libpq URI (psycopg) for a SQLAlchemy PostgreSQL URL."""
    from sqlalchemy.engine import make_url

    url = make_url(normalise_url(database_url))
    if not url.drivername.startswith("postgresql"):
        raise ValueError("procrastinate needs PostgreSQL")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def is_postgres(database_url: str) -> bool:
    return normalise_url(database_url).startswith("postgresql")


class Context:
    """What the jobs of one process share: the Runtime, built once, and the HTTP client."""

    def __init__(self, config: Config, rules, *, processes: int | None = None):
        from monitor.store import db

        self.config = config
        self.rt = build_runtime(config, rules, processes=processes, migrate=False)
        db.upgrade(self.rt.store.engine, task_queue=True)  # usually done by `monitor db upgrade` already
        if self.rt.executor is None and processes is None:
            # cleaning in-process (workers.clean_processes: 0): still off the event loop, so heartbeats
            # keep beating during a long article and the worker is never taken for dead; warmed (models,
            # tables) before the first job, as the clean pool's processes are
            from monitor import cpu

            cpu.warm()
            self.rt.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clean")
        self.client = None  # an open monitor.http.HttpClient while the worker runs

    def close(self) -> None:
        close_runtime(self.rt)


async def defer_one(task, key: str, *, schedule_at: datetime | None = None, exclusive: bool = True,
                    **kwargs) -> bool:
    """Defer `task` unless a job with queueing lock `key` already waits; True if deferred.
    `exclusive`: `key` is also its lock (no two such jobs run at once)."""
    try:
        await task.configure(lock=key if exclusive else None, queueing_lock=key,
                             schedule_at=schedule_at).defer_async(**kwargs)
        return True
    except AlreadyEnqueued:
        return False


def build_app(config: Config, ctx: Context, schedule: ScheduleOptions | None = None, *,
              pool_size: int = 10) -> App:
    """The procrastinate App and its tasks for this configuration (periodic tasks: see monitor.scheduler)."""
    from monitor import scheduler

    opts = schedule or ScheduleOptions()
    app = App(connector=PsycopgConnector(conninfo=conninfo(config.database_url), min_size=1, max_size=pool_size),
              periodic_defaults={"max_delay": 60})
    rt = ctx.rt

    @app.task(name="monitor.poll", queue="poll")
    async def poll(source: str) -> str:
        try:
            src = config.source(source)
        except KeyError:
            return "not configured"
        report = pipeline.CycleReport()
        if src.enabled:  # not forced: a retried or repeated job finds the source polled already
            await pipeline.poll_sources(rt, ctx.client, [src], report, force=False)
        if not report.polled:
            return "not due"  # (a worker whose clock runs behind the database's: the next dispatch polls it)
        if report.new_items:
            log.info("source %s: %d new items", source, report.new_items)
            await defer_one(process, f"process:{source}", source=source)
        return report.source_errors.get(source) or f"{report.new_items} new items"

    @app.task(name="monitor.process", queue="process")
    async def process(source: str) -> str:
        log.info("processing items of source %s", source)
        report = pipeline.CycleReport()
        tried: set[int] = set()
        while await pipeline.process_pending(rt, ctx.client, report, tried, limit=100, source=source):
            pass
        if report.alerts_queued:
            await defer_one(deliver, "deliver", exclusive=False)  # senders share out the channels
        return report.summary()

    @app.task(name="monitor.deliver", queue="deliver")
    async def deliver(timestamp: int = 0) -> str:
        report = pipeline.CycleReport()
        await asyncio.to_thread(pipeline.deliver, rt, report)
        d = report.delivery
        if d.sent or d.failed or d.dead:
            log.info("delivered %d alerts (%d to retry, %d dead)", d.sent, d.failed, d.dead)
        # alerts queued while this job held a channel were skipped by the jobs deferred for them:
        # the sender looks once more (a job that sent nothing does not, or two would chase each other)
        if d.sent and await asyncio.to_thread(rt.store.channel_queues, utcnow(), 100):
            await defer_one(deliver, "deliver", exclusive=False)
        return f"{d.sent} sent, {d.failed} to retry, {d.dead} dead"

    scheduler.add_schedule_tasks(app, config, rt, opts, poll=poll, process=process)
    if schedule is not None:
        scheduler.register_periodic(app, config, schedule)
    return app


async def supervise(app: App, stop: asyncio.Event, **worker_kwargs) -> None:
    """Run a procrastinate worker until `stop`; restart it when it dies (database restarted, network cut).

    Jobs that were running when it died are retried by `retry_stalled` once the
    worker's heartbeat is older than the scheduler's `stalled_after`.
    """
    backoff = 1.0
    while not stop.is_set():
        started = time.monotonic()
        try:
            await app.open_async()  # once: later calls return at once
            run = asyncio.create_task(app.run_worker_async(install_signal_handlers=False, **worker_kwargs))
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({run, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if stop.is_set():
                run.cancel()  # procrastinate stops fetching and lets running jobs finish (grace)
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await run
                break
            run.result()
            log.warning("worker stopped on its own (lost the database?); restarting")
        except Exception as exc:  # database down: keep trying, the pool reconnects
            log.warning("worker: %s: %s; restarting in %.0fs", exc.__class__.__name__, exc, backoff)
        if time.monotonic() - started > 60:
            backoff = 1.0
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), backoff)
        backoff = min(backoff * 2, 30.0)


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


def quiet_task_logs(verbose: bool) -> None:
    """procrastinate logs two INFO lines per job: keep them for --verbose."""
    if not verbose:
        logging.getLogger("procrastinate").setLevel(logging.WARNING)


def _watch_rules(ctx: Context):
    from monitor.rules_watch import RulesWatcher

    def on_change(ruleset) -> None:
        ctx.rt.ruleset = ruleset
        log.info("rules reloaded: %d rules", len(ruleset.rules))

    def on_error(message: str) -> None:
        log.error("rules not reloaded, the last good rules keep running:\n%s", message)

    watcher = RulesWatcher(ctx.config.dir / "rules", ctx.config.settings.channel_names(), on_change=on_change,
                           on_error=on_error)
    watcher.start()
    ctx.rt.ruleset = watcher.current
    return watcher


def run_worker(config: Config, rules, opts: WorkerOptions, *, watch_rules: bool = True,
               verbose: bool = False) -> None:
    """`monitor worker`: take jobs until SIGTERM/SIGINT (running jobs finish, up to `opts.grace`)."""
    from monitor.http import HttpClient

    quiet_task_logs(verbose)

    async def main() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        ctx = Context(config, rules)
        # one procrastinate worker per queue ("lane"): polls never wait behind a long processing job
        lanes = {q: n for q, n in (("poll", opts.concurrency), ("process", opts.process_concurrency),
                                   ("deliver", opts.deliver_concurrency)) if q in opts.queues}
        app = build_app(config, ctx, pool_size=sum(lanes.values()) + 2 * len(lanes))
        watcher = _watch_rules(ctx) if watch_rules else None
        name = f"{socket.gethostname()}:{os.getpid()}"
        log.info("worker %s: %s", name, ", ".join(f"{n} {q} jobs" for q, n in lanes.items()))
        common = dict(update_heartbeat_interval=opts.heartbeat, stalled_worker_timeout=opts.heartbeat * 6,
                      shutdown_graceful_timeout=opts.grace, delete_jobs="successful")
        try:
            async with HttpClient(config.settings.http) as client:
                ctx.client = client
                # polls are scheduled for a time to come, so that lane looks for due jobs often; the
                # others' jobs are for now and announced by NOTIFY, polling is only their fallback
                await asyncio.gather(*(supervise(app, stop, name=f"{name}/{q}", queues=[q], concurrency=n,
                                                 fetch_job_polling_interval=opts.fetch_every if q == "poll"
                                                 else max(opts.fetch_every, 5.0), **common)
                                       for q, n in lanes.items()))
        finally:
            with contextlib.suppress(Exception):
                await app.close_async()
            if watcher is not None:
                watcher.stop()
            ctx.close()
        log.info("worker %s stopped", name)

    asyncio.run(main())
