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
from collections.abc import Callable
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from monitor import correlate, cpu, fetch, health, poll, schedule
from monitor.alert import Notifier
from monitor.config import Config, SourceConfig
from monitor.cpu import clean_and_extract  # noqa: F401  (its old home; pool processes import monitor.cpu)
from monitor.deliver import DeliveryReport, deliver_due
from monitor.events import Event
from monitor.http import FetchError, HttpClient
from monitor.models import Article
from monitor.neardup import Signature
from monitor.store import NewItem, Store
from monitor.store.articles import ArticleToSave
from monitor.store.repo import PollRecord
from monitor.store.tables import utcnow

log = logging.getLogger(__name__)
STAGES = ("poll", "fetch", "clean", "extract", "minhash", "store", "deliver")
STORE_BATCH = 32  # articles per transaction at most (each article's alerts stay in its transaction)
# the writer waits this long for more finished articles before a transaction: storing a few in a row
# costs half the CPU per article of storing each one alone as it comes (caches stay warm)
STORE_LINGER = 0.25


@dataclass
class Runtime:
    """Everything a cycle needs, built once per process and passed explicitly."""

    config: Config
    store: Store
    notifier: Notifier
    ruleset: object  # the current RuleSet; live reload replaces it between articles
    executor: Executor | None = None
    write_lock: Callable[[], AbstractContextManager] | None = None  # held while articles are stored (workers)


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


async def process_pending(rt: Runtime, client: HttpClient, report: CycleReport, tried: set[int],
                          limit: int = 500, *, source: str | None = None) -> int:
    """Fetch, clean, dedup, extract and match stored items not yet processed.

    A pipeline: pages are fetched (within the HTTP limits) while the pool cleans
    the ones before them, and a single writer stores finished articles, several
    per transaction, in a thread so the event loop keeps fetching. At most
    `window` pages are between fetch and store at once (bounded memory).

    Items that fail stay pending for a later cycle (up to 5 attempts); `tried`
    keeps one cycle from retrying them at once. `source` limits the work to one
    source's items (a worker's job). Returns how many were taken.
    """
    pending = [p for p in rt.store.pending_items(limit=limit + len(tried), source=source)
               if p.id not in tried][:limit]
    if not pending:
        return 0
    tried.update(p.id for p in pending)
    loop = asyncio.get_running_loop()
    procs = getattr(rt.executor, "_max_workers", 1) if rt.executor is not None else 1
    window = asyncio.Semaphore(max(rt.config.settings.http.concurrency, 4 * procs))
    done: asyncio.Queue = asyncio.Queue()
    timings = report.timings

    async def one(entry: NewItem) -> None:
        try:
            src = rt.config.source(entry.source)
        except KeyError:
            src = None
        async with window:
            try:
                page = None
                if src is None or src.fetch_article:
                    t = time.perf_counter()
                    page = await fetch.fetch_page(client, entry.item, allow_private=bool(src and src.allow_private))
                    timings["fetch"] += time.perf_counter() - t
                if rt.executor is not None:
                    result, parts = await loop.run_in_executor(rt.executor, cpu.timed_clean_and_extract, page,
                                                               entry.item)
                else:
                    result, parts = cpu.timed_clean_and_extract(page, entry.item)
                for stage, seconds in parts.items():
                    timings[stage] += seconds
                await done.put((entry, result))
            except FetchError as exc:
                log.warning("article %s from %s: %s", entry.item.link, entry.source, exc)
                await done.put((entry, str(exc)))
            except BrokenProcessPool as exc:
                log.error("article %s from %s: a clean process died (%s); restarting the pool",
                          entry.item.link, entry.source, exc)
                _renew_pool(rt)
                await done.put((entry, f"internal error: clean process died: {exc!r}"))
            except Exception as exc:  # one bad article never stops the cycle
                log.exception("article %s from %s failed", entry.item.link, entry.source)
                await done.put((entry, f"internal error: {exc!r}"))

    async def writer() -> None:
        finished = False
        while not finished:
            batch = [await done.get()]
            until = loop.time() + STORE_LINGER
            while batch[-1] is not None and len(batch) < STORE_BATCH:
                if done.empty():
                    try:
                        batch.append(await asyncio.wait_for(done.get(), until - loop.time()))
                    except TimeoutError:
                        break
                else:
                    batch.append(done.get_nowait())
            finished = batch[-1] is None
            batch = [b for b in batch if b is not None]
            if batch:
                t = time.perf_counter()
                try:
                    await asyncio.to_thread(store_results, rt, batch, report)
                except Exception:  # e.g. the database is down: the items stay pending for the next cycle
                    log.exception("storing %d articles failed", len(batch))
                timings["store"] += time.perf_counter() - t

    writing = asyncio.create_task(writer())
    try:
        await asyncio.gather(*(one(e) for e in pending))
        await done.put(None)
        await writing
    finally:
        writing.cancel()
    return len(pending)


def _renew_pool(rt: Runtime) -> None:
    """Replace a broken process pool (a process was killed) so the next articles can run."""
    from concurrent.futures import ProcessPoolExecutor

    old = rt.executor
    if isinstance(old, ProcessPoolExecutor) and getattr(old, "_broken", False):
        from monitor.runtime import make_pool

        rt.executor = make_pool(old._max_workers)
        old.shutdown(wait=False, cancel_futures=True)


def _decider(rt: Runtime, article: Article):
    rules = rt.ruleset  # read once: a rule reload between articles applies from the next article on

    def decide(tx, article_id: int, events_with_ids, near_of):
        return correlate.decide(tx, rules, article, article_id, events_with_ids, near_of)

    return decide


def store_results(rt: Runtime, batch: list, report: CycleReport) -> None:
    """Store processed articles, several per transaction; record the failed ones.

    `batch` holds (NewItem, (article, events, signature)) or (NewItem, error message).
    Each article (dedup, events, clusters, alerts, item state) is written in order in
    one transaction for the batch; if that transaction fails, each article is stored
    in a transaction of its own, so one bad article fails alone.
    """
    ok = [(entry, res) for entry, res in batch if not isinstance(res, str)]
    for entry, message in ((e, r) for e, r in batch if isinstance(r, str)):
        _failed(rt, report, entry, message)
    if not ok:
        return
    todo = [ArticleToSave(entry.id, article, events, _decider(rt, article), sig)
            for entry, (article, events, sig) in ok]
    with rt.write_lock() if rt.write_lock else nullcontext():
        try:
            saved = rt.store.save_articles(todo)
        except Exception:
            if len(todo) == 1:
                saved = [None]
            else:
                log.warning("storing %d articles in one transaction failed; storing them one by one", len(todo),
                            exc_info=True)
                saved = [_save_alone(rt, t) for t in todo]
    for (entry, _), res in zip(ok, saved):
        if res is None:
            _failed(rt, report, entry, "internal error: storing the article failed (see log)")
        else:
            _count(report, res)


def _failed(rt: Runtime, report: CycleReport, entry: NewItem, message: str) -> None:
    report.article_errors += 1
    report.article_failures.append(f"{entry.source}: {entry.item.link or entry.item.url}: {message}")
    rt.store.item_failed(entry.id, message)


def _save_alone(rt: Runtime, todo: ArticleToSave):
    try:
        return rt.store.save_articles([todo])[0]
    except Exception:
        log.exception("storing article %s failed", todo.article.url)
        return None


def _count(report: CycleReport, saved) -> None:
    if saved.duplicate_of or saved.near_duplicate_of:
        report.duplicates += 1
    else:
        report.articles += 1
    report.events += len(saved.event_ids)
    report.alerts_queued += saved.queued


def store_article(rt: Runtime, item_id: int | None, article: Article, events: list[Event],
                  report: CycleReport, signature: Signature | None = None) -> int:
    """Dedup, then store article + events + clusters + alerts in one transaction."""
    saved = rt.store.save_articles([ArticleToSave(item_id, article, events, _decider(rt, article), signature)])[0]
    _count(report, saved)
    return saved.article_id


def deliver(rt: Runtime, report: CycleReport, now: datetime | None = None) -> None:
    d = deliver_due(rt.store, rt.notifier, rt.config.settings.delivery, now=now)
    report.delivery.sent += d.sent
    report.delivery.failed += d.failed
    report.delivery.dead += d.dead
    report.delivery.errors += d.errors


async def run_cycle(rt: Runtime, sources: list[SourceConfig] | None = None, *, force: bool = True) -> CycleReport:
    """One full cycle: poll (due or all), process every pending item, deliver."""
    report = CycleReport()
    sources = [s for s in (sources if sources is not None else rt.config.sources) if s.enabled]
    rt.store.sync_sources([(s.name, s.url) for s in rt.config.sources])
    async with HttpClient(rt.config.settings.http) as client:
        t = time.perf_counter()
        await poll_sources(rt, client, sources, report, force=force)
        report.timings["poll"] += time.perf_counter() - t
        tried: set[int] = set()
        while await process_pending(rt, client, report, tried):
            pass
    t = time.perf_counter()
    await asyncio.to_thread(deliver, rt, report)
    report.timings["deliver"] += time.perf_counter() - t
    return report
