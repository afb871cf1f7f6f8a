"""The CPU-bound part of processing one article, run in the clean pool's processes.

This module is what a pool process imports (the pipeline submits functions of
this module by reference), so it pulls in the cleaning, extraction and MinHash
code and nothing else: no database, HTTP or alert code. `warm` is the pool's
initializer: it loads trafilatura, the language model, the extractor's tables
and datasketch once per process, so no article pays for them.
"""

from __future__ import annotations

import gc
import time

from monitor import clean, neardup
from monitor.events import Event
from monitor.extract import extract_events
from monitor.models import Article, FeedItem, Page
from monitor.neardup import Signature

_WARM_PAGE = (b"<html><head><title>Warm-up</title></head><body><article><p>"
              + b"Overnight, Russia launched 40 drones at Kyiv; air defence shot down 35 of them. " * 4
              + b"</p></article></body></html>")


def clean_and_extract(page: Page | None, item: FeedItem) -> tuple[Article, list[Event], Signature | None]:
    """Clean (trafilatura), language, text hash, events and MinHash of one article."""
    article = clean.clean_page(page, item) if page is not None else clean.article_from_item(item)
    events = extract_events(article.text, lang=article.lang, title=article.title, published=article.published)
    return article, events, neardup.signature(article.text)


def timed_clean_and_extract(page: Page | None, item: FeedItem):
    """`clean_and_extract` and the CPU seconds its parts took in this process:
    {"clean": trafilatura + language + text hash, "extract": events, "minhash": signature}."""
    t0 = time.process_time()
    article = clean.clean_page(page, item) if page is not None else clean.article_from_item(item)
    t1 = time.process_time()
    events = extract_events(article.text, lang=article.lang, title=article.title, published=article.published)
    t2 = time.process_time()
    sig = neardup.signature(article.text)
    return (article, events, sig), {"clean": t1 - t0, "extract": t2 - t1, "minhash": time.process_time() - t2}


def warm() -> None:
    """Pool initializer: import and load everything an article needs, once per process."""
    item = FeedItem(source="warm-up", guid="warm-up", url="http://warm.invalid/", link="http://warm.invalid/",
                    title="Warm-up", summary="", published=None, lang="en")
    try:
        clean_and_extract(Page(url="http://warm.invalid/", body=_WARM_PAGE), item)
    except Exception:  # pragma: no cover - warming is an optimisation, never a failure
        pass
    # what is loaded now lives as long as the process: keep the collector from scanning it
    # again and again (and, in the fork server, from touching pages its children share)
    gc.freeze()


def ping() -> int:
    """A no-op task: submitted once per pool process so they start (and warm) at once."""
    import os

    time.sleep(0.05)
    return os.getpid()
