"""Process stage of a cycle: fetch, clean+extract in the pool, dedup, store, correlate, queue alerts.

`process_pending` is a pipeline: pages are fetched (within the HTTP limits) while
the pool cleans the ones before them, and a single writer stores finished
articles, several per transaction, in a thread, so the event loop keeps fetching
and feeding the pool. Each article is stored with its events, clusters and
alerts in the transaction of its batch; a batch that fails is stored again one
article per transaction, so one bad article fails alone.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from monitor import cluster as clustering
from monitor import correlate, cpu, fetch
from monitor.events import Event
from monitor.http import FetchError, HttpClient
from monitor.models import Article
from monitor.neardup import Signature
from monitor.store import NewItem
from monitor.store.articles import ArticleToSave

if TYPE_CHECKING:
    from monitor.pipeline import CycleReport, Runtime

log = logging.getLogger("monitor.pipeline")
STORE_BATCH = 32  # articles per transaction at most (each article's alerts stay in its transaction)
# the writer waits this long for more finished articles before a transaction: storing a few in a row
# costs half the CPU per article of storing each one alone as it comes (caches stay warm)
STORE_LINGER = 0.25


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


def _to_save(rt: Runtime, item_id: int | None, article: Article, events: list[Event],
             signature: Signature | None) -> ArticleToSave:
    """What the store needs for one article: its decision function and the cluster keys it will lock."""
    return ArticleToSave(item_id, article, events, _decider(rt, article), signature,
                         tuple(clustering.key(ev) for ev in events))


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
    todo = [_to_save(rt, entry.id, article, events, sig) for entry, (article, events, sig) in ok]
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
    saved = rt.store.save_articles([_to_save(rt, item_id, article, events, signature)])[0]
    _count(report, saved)
    return saved.article_id


