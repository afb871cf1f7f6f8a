"""The orchestrator: sequences poll, fetch, clean, dedup, extract, match, deliver.

Each stage is a function of its own module; this module only wires them, keeps
one failing source or article from stopping the cycle, and records what happened.
State lives in the store, so work interrupted by a stop or a crash is picked up
by the next cycle (items stay `new` until their article is committed).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime

from monitor import clean, correlate, fetch, health, neardup, poll, schedule
from monitor.alert import Notifier
from monitor.config import Config, SourceConfig
from monitor.deliver import DeliveryReport, deliver_due
from monitor.events import Event
from monitor.extract import extract_events
from monitor.http import FetchError, HttpClient
from monitor.models import Article, FeedItem, Page
from monitor.neardup import Signature
from monitor.store import NewItem, Store
from monitor.store.repo import PollRecord
from monitor.store.tables import utcnow

log = logging.getLogger(__name__)


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
    alerts_queued: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    def summary(self) -> str:
        return (f"polled {self.polled} sources ({self.not_modified} unchanged, {len(self.source_errors)} failed), "
                f"{self.new_items} new items, {self.articles} articles ({self.duplicates} duplicates, "
                f"{self.article_errors} failed), {self.events} events, {self.alerts_queued} alerts queued, "
                f"{self.delivery.sent} sent, {self.delivery.failed} to retry, {self.delivery.dead} dead")


def clean_and_extract(page: Page | None, item: FeedItem) -> tuple[Article, list[Event], Signature | None]:
    """The CPU-bound part of one article (clean, extract, MinHash), run in a worker process."""
    article = clean.clean_page(page, item) if page is not None else clean.article_from_item(item)
    events = extract_events(article.text, lang=article.lang, title=article.title, published=article.published)
    return article, events, neardup.signature(article.text)


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
    gate = asyncio.Semaphore(max(1, rt.config.settings.http.concurrency))

    async def one(entry: NewItem) -> None:
        try:
            src = rt.config.source(entry.source)
        except KeyError:
            src = None
        try:
            page = None
            if src is None or src.fetch_article:
                async with gate:
                    page = await fetch.fetch_page(client, entry.item, allow_private=bool(src and src.allow_private))
            if rt.executor is not None:
                article, events, sig = await loop.run_in_executor(rt.executor, clean_and_extract, page, entry.item)
            else:
                article, events, sig = clean_and_extract(page, entry.item)
            store_article(rt, entry.id, article, events, report, sig)
        except FetchError as exc:
            report.article_errors += 1
            rt.store.item_failed(entry.id, str(exc))
            log.warning("article %s from %s: %s", entry.item.link, entry.source, exc)
        except Exception as exc:  # one bad article never stops the cycle
            report.article_errors += 1
            rt.store.item_failed(entry.id, f"internal error: {exc!r}")
            log.exception("article %s from %s failed", entry.item.link, entry.source)

    await asyncio.gather(*(one(e) for e in pending))
    return len(pending)


def store_article(rt: Runtime, item_id: int | None, article: Article, events: list[Event],
                  report: CycleReport, signature: Signature | None = None) -> int:
    """Dedup, then store article + events + clusters + alerts in one transaction."""
    duplicate_of = rt.store.find_duplicate(article.url, article.content_hash or "")
    rules = rt.ruleset

    def decide(tx, article_id: int, events_with_ids, near_of):
        return correlate.decide(tx, rules, article, article_id, events_with_ids, near_of)

    saved = rt.store.save_article(item_id, article, events, duplicate_of, decide, signature=signature)
    if duplicate_of or saved.near_duplicate_of:
        report.duplicates += 1
    else:
        report.articles += 1
    report.events += len(saved.event_ids)
    report.alerts_queued += saved.queued
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
        await poll_sources(rt, client, sources, report, force=force)
        tried: set[int] = set()
        while await process_pending(rt, client, report, tried):
            pass
    await asyncio.to_thread(deliver, rt, report)
    return report
