"""The orchestrator: sequences poll, fetch, clean, dedup, extract, match, deliver.

Each stage is a function of its own module; this module only wires them, keeps
one failing source or article from stopping the cycle, and records what happened.
State lives in the store, so work interrupted by a stop or a crash is picked up
by the next cycle (items stay `new` until their article is committed).
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime

from monitor import health, poll, schedule
from monitor.alert import Notifier
from monitor.config import Config, SourceConfig
from monitor.cpu import clean_and_extract  # noqa: F401  (its old home; pool processes import monitor.cpu)
from monitor.deliver import DeliveryReport, deliver_due
from monitor.http import HttpClient
from monitor.processing import process_pending, store_article, store_results  # noqa: F401  (stages of a cycle)
from monitor.store import Store
from monitor.store.repo import PollRecord
from monitor.store.tables import utcnow

log = logging.getLogger(__name__)
STAGES = ("poll", "fetch", "clean", "extract", "minhash", "store", "deliver")


@dataclass
class Runtime:
    """Everything a cycle needs, built once per process and passed explicitly."""

    config: Config
    store: Store
    notifier: Notifier
    ruleset: object  # the current RuleSet; live reload replaces it between articles
    executor: Executor | None = None


@dataclass
class CycleReport:
    polled: int = 0
    not_modified: int = 0
    source_errors: dict[str, str] = field(default_factory=dict)
    new_items: int = 0
    articles: int = 0
    duplicates: int = 0
    events: int = 0
    article_errors: int = 0
    article_failures: list[str] = field(default_factory=list)  # "source: link: reason", for the user
    alerts_queued: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    # seconds per stage: poll, store and deliver are wall time of the main process; fetch is summed over
    # concurrent fetches; clean (trafilatura, language, text hash), extract and minhash are CPU time in the pool
    timings: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    def summary(self) -> str:
        return (f"polled {self.polled} sources ({self.not_modified} unchanged, {len(self.source_errors)} failed), "
                f"{self.new_items} new items, {self.articles} articles ({self.duplicates} duplicates, "
                f"{self.article_errors} failed), {self.events} events, {self.alerts_queued} alerts queued, "
                f"{self.delivery.sent} sent, {self.delivery.failed} to retry, {self.delivery.dead} dead")


async def poll_sources(rt: Runtime, client: HttpClient, sources: list[SourceConfig],
                       report: CycleReport, *, force: bool = False) -> None:
    """Poll the due sources concurrently and store what they returned.

    Fetches run concurrently within the HTTP client's limits (total, per host, gap
    per host) and parse in worker threads; one writer stores the results in batches
    (one transaction per batch, in a thread, so the event loop keeps serving the
    network), then queues the health notices (failing, recovered, quiet) that the
    stored state calls for. A failing feed or a crashing parser never stops the rest.
    """
    settings = rt.config.settings
    now = utcnow()
    names = [s.name for s in sources] if len(sources) <= 100 else None  # a few: read only their rows
    states = {row.name: row for row in await asyncio.to_thread(rt.store.sources, names)}
    due = [s for s in sources if force or not states.get(s.name) or not states[s.name].next_poll_at
           or states[s.name].next_poll_at <= now]
    if not due:
        return
    results: asyncio.Queue = asyncio.Queue(maxsize=500)  # bounds memory when the writer lags

    async def fetch_one(src: SourceConfig) -> None:
        state = states.get(src.name)
        try:
            result = await poll.poll_source(client, src, state.etag if state else None,
                                            state.last_modified if state else None)
        except Exception as exc:  # a bug on one feed must not stop the others
            log.exception("polling %s crashed", src.name)
            result = poll.FeedPoll(source=src.name, status=None, error=f"internal error: {exc!r}")
        await results.put((src, state, result))

    def store_batch(batch: list) -> None:
        when = utcnow()
        records = []
        for src, state, result in batch:
            failures = ((state.consecutive_failures if state else 0) + 1) if result.error else 0
            gap = schedule.posting_gap(result.items, when) or (state.post_gap_seconds if state else None)
            interval = schedule.poll_interval(settings.poll, src.interval, gap)
            nxt = schedule.next_poll(when, interval, result, failures, poll=settings.poll)
            first = state is None or state.polls == 0
            records.append(PollRecord(result, nxt, result.items, when - rt.config.backfill(src) if first else None,
                                      gap))
            report.polled += 1
            report.not_modified += result.not_modified
            if result.error:
                report.source_errors[src.name] = result.error
                log.warning("source %s: %s (failure %d, next try %s)", src.name, result.error, failures,
                            nxt.isoformat(timespec="seconds"))
        stored = rt.store.record_polls(records, now=when)
        report.new_items += sum(len(ids) for _row, ids in stored)
        notes = health.review([row for row, _ids in stored], settings.poll, settings.admin_channel, when)
        if notes.drafts:
            rt.store.queue_alerts(notes.drafts)  # queued first, flagged second: a crash re-queues, deduped
        rt.store.set_source_health(notes.changes)

    async def writer() -> None:
        finished = False
        while not finished:
            batch = [await results.get()]
            while len(batch) < 250 and not results.empty():
                batch.append(results.get_nowait())
            finished = batch[-1] is None
            batch = [b for b in batch if b is not None]
            try:
                if batch:
                    await asyncio.to_thread(store_batch, batch)
            except Exception:  # the sources stay due and are polled again next time
                log.exception("storing %d poll results failed", len(batch))

    writing = asyncio.create_task(writer())
    try:
        await asyncio.gather(*(fetch_one(s) for s in due))
        await results.put(None)
        await writing
    finally:
        writing.cancel()


def deliver(rt: Runtime, report: CycleReport, now: datetime | None = None) -> None:
    d = deliver_due(rt.store, rt.notifier, rt.config.settings.delivery, now=now)
    report.delivery.sent += d.sent
    report.delivery.failed += d.failed
    report.delivery.dead += d.dead
    report.delivery.errors += d.errors


async def run_cycle(rt: Runtime, sources: list[SourceConfig] | None = None, *, force: bool = True) -> CycleReport:
    """One full cycle: poll (due or all), process every pending item, deliver.

    The stages overlap: items are processed as soon as their feed's poll is stored
    (the pool does not wait for the slowest feed), and alerts already queued are
    sent every `delivery.interval` while later articles are processed; a last
    delivery pass sends the rest once every item is done.
    """
    report = CycleReport()
    sources = [s for s in (sources if sources is not None else rt.config.sources) if s.enabled]
    rt.store.sync_sources([(s.name, s.url) for s in rt.config.sources])
    finished = asyncio.Event()
    sending = asyncio.create_task(_deliver_until(rt, report, finished))
    try:
        async with HttpClient(rt.config.settings.http) as client:
            polling = asyncio.create_task(_timed(report, "poll", poll_sources(rt, client, sources, report,
                                                                               force=force)))
            try:
                tried: set[int] = set()
                while True:
                    polled = polling.done()
                    if await process_pending(rt, client, report, tried):
                        continue
                    if polled:  # nothing left that the poll could have stored before this look
                        break
                    await asyncio.wait({polling}, timeout=0.1)
                await polling
            finally:
                polling.cancel()
    finally:
        finished.set()
        await sending
    await _timed(report, "deliver", asyncio.to_thread(deliver, rt, report))
    return report


async def _timed(report: CycleReport, stage: str, work) -> None:
    t = time.perf_counter()
    try:
        await work
    finally:
        report.timings[stage] += time.perf_counter() - t


async def _deliver_until(rt: Runtime, report: CycleReport, finished: asyncio.Event) -> None:
    """Delivery passes every `delivery.interval` until `finished` is set."""
    every = rt.config.settings.delivery.interval.total_seconds()
    while True:
        try:
            await asyncio.wait_for(finished.wait(), every)
            return
        except TimeoutError:
            pass
        try:
            await _timed(report, "deliver", asyncio.to_thread(deliver, rt, report))
        except Exception:  # the last pass, or the next cycle, tries again
            log.exception("delivering alerts failed")
