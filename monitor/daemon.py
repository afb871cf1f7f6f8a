"""`monitor run`: the in-process scheduler (APScheduler 3.11) around the pipeline.

Jobs: one that starts a poll of every source whose next poll time has come (each
source at most once at a time; the time comes from its interval or posting rate,
the server's cache hints and failure backoff, with jitter), one that processes
pending items, one that delivers due alerts. SIGTERM/SIGINT stop new work, let running jobs finish
(up to a grace period) and exit; anything unfinished is still `new` in the store
and is resumed by the next start.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor import pipeline
from monitor.config import Config, SourceConfig
from monitor.http import HttpClient
from monitor.runtime import build_runtime, close_runtime
from monitor.store.tables import utcnow

log = logging.getLogger(__name__)
PROCESS_EVERY = 2.0  # seconds between looks at pending items
DELIVER_EVERY = 5.0  # default of `delivery.interval` in monitor.yaml
GRACE = 30.0  # seconds running jobs get to finish on stop


class Daemon:
    def __init__(self, config: Config, rules, *, watch_rules: bool = True):
        self.config = config
        self.rt = build_runtime(config, rules)
        self.watch_rules = watch_rules
        self.stop_event = asyncio.Event()
        self.inflight: set[asyncio.Task] = set()
        self.polling: dict[str, asyncio.Task] = {}  # source name -> its poll in progress
        self.work_lock = asyncio.Lock()
        self.client: HttpClient | None = None
        self.watcher = None

    def _track(self, coro_fn, *args):
        async def job():
            if self.stop_event.is_set():
                return
            task = asyncio.current_task()
            self.inflight.add(task)
            try:
                await coro_fn(*args)
            except Exception:
                log.exception("job %s failed; it will run again on schedule", coro_fn.__name__)
            finally:
                self.inflight.discard(task)

        job.__name__ = coro_fn.__name__
        return job

    async def poll_due(self) -> None:
        """Start a poll of every source whose next poll time has come (the store knows it:
        interval, adaptive rate, server hints and backoff all end up in `next_poll_at`)."""
        now = utcnow()
        states = {row.name: row for row in self.rt.store.sources()}
        for src in self.config.sources:
            if not src.enabled or src.name in self.polling or self.stop_event.is_set():
                continue
            state = states.get(src.name)
            if state is not None and state.next_poll_at is not None and state.next_poll_at > now:
                continue
            task = asyncio.create_task(self.poll(src))
            self.polling[src.name] = task
            self.inflight.add(task)
            task.add_done_callback(lambda t, name=src.name: (self.polling.pop(name, None), self.inflight.discard(t)))

    async def poll(self, src: SourceConfig) -> None:
        report = pipeline.CycleReport()
        try:
            await pipeline.poll_sources(self.rt, self.client, [src], report, force=True)
        except Exception:
            log.exception("polling %s failed; it will be tried again", src.name)
        if report.new_items:
            log.info("source %s: %d new items", src.name, report.new_items)

    async def process(self) -> None:
        async with self.work_lock:
            report = pipeline.CycleReport()
            tried: set[int] = set()
            while not self.stop_event.is_set() and await pipeline.process_pending(self.rt, self.client, report, tried):
                pass
            if report.articles or report.duplicates or report.article_errors:
                log.info("%s", report.summary())

    async def deliver(self) -> None:
        report = pipeline.CycleReport()
        await asyncio.to_thread(pipeline.deliver, self.rt, report)
        if report.delivery.sent or report.delivery.failed or report.delivery.dead:
            log.info("delivered %d alerts (%d to retry, %d dead)", report.delivery.sent,
                     report.delivery.failed, report.delivery.dead)

    def _tick(self) -> float:
        """How often to look for due sources: a quarter of the shortest interval, 1-15 s."""
        shortest = min([self.config.interval(s).total_seconds() for s in self.config.sources if s.enabled]
                       + [self.config.settings.poll.min_interval.total_seconds()])
        return max(1.0, min(15.0, shortest / 4))

    def _start_watcher(self) -> None:
        if not self.watch_rules:
            return
        from monitor.rules_watch import RulesWatcher

        def on_change(ruleset) -> None:
            self.rt.ruleset = ruleset  # picked up by the next article processed

        def on_error(message: str) -> None:
            self._notify_admin("rules-reload", message, "monitor: rule files not reloaded",
                               "An edit of the rule files was rejected; the last good rules keep running.\n\n")

        self.watcher = RulesWatcher(self.config.dir / "rules", self.config.settings.channel_names(),
                                    on_change=on_change, on_error=on_error)
        self.watcher.start()
        self.rt.ruleset = self.watcher.current

    def _notify_admin(self, rule: str, detail: str, title: str, intro: str) -> None:
        """Queue one notice per distinct problem to the admin channel, if one is configured."""
        import hashlib

        from monitor.store import AlertDraft

        admin = self.config.settings.admin_channel
        if not admin:
            return
        subject = f"{rule}:{hashlib.sha256(detail.encode()).hexdigest()[:16]}"
        self.rt.store.queue_alerts([AlertDraft(rule=rule, subject=subject, channel=admin, title=title,
                                               body=intro + detail)])

    async def main(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stop_event.set)
        self.rt.store.sync_sources([(s.name, s.url) for s in self.config.sources])
        scheduler = AsyncIOScheduler(timezone="UTC", job_defaults={"max_instances": 1, "coalesce": True,
                                                                     "misfire_grace_time": 60})
        now = utcnow()
        async with HttpClient(self.config.settings.http) as client:
            self.client = client
            scheduler.add_job(self._track(self.poll_due), IntervalTrigger(seconds=self._tick()), id="poll",
                              next_run_time=now)
            deliver_every = self.config.settings.delivery.interval.total_seconds()
            scheduler.add_job(self._track(self.process), IntervalTrigger(seconds=min(PROCESS_EVERY, deliver_every)),
                              id="process", next_run_time=now)
            scheduler.add_job(self._track(self.deliver), IntervalTrigger(seconds=deliver_every), id="deliver",
                              next_run_time=now)
            self._start_watcher()
            scheduler.start()
            log.info("monitor running: %d sources, %d rules; stop with Ctrl-C or SIGTERM",
                     len(self.config.sources), len(self.rt.ruleset.rules))
            await self.stop_event.wait()
            log.info("stopping: letting %d running jobs finish", len(self.inflight))
            scheduler.shutdown(wait=False)
            if self.inflight:
                await asyncio.wait(set(self.inflight), timeout=GRACE)
        if self.watcher is not None:
            self.watcher.stop()
        close_runtime(self.rt)
        log.info("stopped")


def run_daemon(config: Config, rules, *, watch_rules: bool = True) -> None:
    async def _run() -> None:
        await Daemon(config, rules, watch_rules=watch_rules).main()

    asyncio.run(_run())
