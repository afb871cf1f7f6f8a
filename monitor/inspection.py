"""Commands that look at one input or at stored data without sending anything:
`monitor extract` and `monitor backtest`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from monitor import clean
from monitor.extract import extract_events
from monitor.models import Article, MatchInput, Page


def _user_error(message: str) -> Exception:
    from monitor.cli import UserError

    return UserError(message)


def _read(path_or_url: str) -> Article:
    if path_or_url == "-":
        return clean.article_from_text(sys.stdin.read())
    if path_or_url.startswith(("http://", "https://")):
        return asyncio.run(_fetch(path_or_url))
    path = Path(path_or_url)
    if not path.is_file():
        raise _user_error(f"{path}: file not found")
    data = path.read_bytes()
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        article = clean.clean_page(Page(url=path.resolve().as_uri(), body=data))
        article.url = None
        return article
    try:
        return clean.article_from_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _user_error(f"{path}: not UTF-8 text (use .html for web pages)") from None


async def _fetch(url: str) -> Article:
    from monitor.config import HttpSettings
    from monitor.http import FetchError, HttpClient

    async with HttpClient(HttpSettings()) as client:
        try:
            resp = await client.get(url)
        except FetchError as exc:
            raise _user_error(str(exc)) from None
    if resp.status != 200:
        raise _user_error(f"{url}: HTTP {resp.status}")
    return clean.clean_page(Page(url=resp.url, body=resp.body, content_type=resp.content_type))


def extract_one(path_or_url: str) -> dict:
    """The SPEC's `monitor extract --json` object for one input."""
    article = _read(path_or_url)
    events = extract_events(article.text, lang=article.lang, title=article.title, published=article.published)
    out = article.as_schema()
    out["events"] = [e.model_dump(mode="json") for e in events]
    return out


def stored_inputs(store, since) -> list[tuple[str, MatchInput]]:
    """(subject, MatchInput) for every stored original article and every event cluster since
    `since`, as the alerting sees them: clusters carry their merged figures and all their sources."""
    import json

    items: list[tuple[str, MatchInput]] = []
    for a in store.articles(since=since):
        items.append((f"article:{a.id}", MatchInput(
            event=None, title=a.title, text=a.text, lang=a.lang,
            sources=frozenset([a.source]) if a.source else frozenset(),
            languages=frozenset([a.lang]) if a.lang else frozenset(), published=a.published)))
    for c, a in store.clusters_with_article(since=since):
        items.append((f"cluster:{c.id}", MatchInput(
            event=store.event_of(c), title=a.title, text=a.text, lang=a.lang,
            sources=frozenset(json.loads(c.sources)), languages=frozenset(json.loads(c.languages)),
            published=a.published)))
    return items


def run_backtest(config, rules, since: str, rule_name: str | None) -> str:
    from monitor.durations import parse_duration
    from monitor.rules_backtest import backtest, format_backtest
    from monitor.store import Store
    from monitor.store.tables import utcnow

    try:
        window = parse_duration(since)
    except ValueError as exc:
        raise _user_error(f"--since: {exc}") from None
    store = Store(config.database_url)
    try:
        items = stored_inputs(store, utcnow() - window)
    finally:
        store.close()
    try:
        report = backtest(rules, items, rule_name)
    except KeyError as exc:
        raise _user_error(str(exc.args[0] if exc.args else exc)) from None
    return format_backtest(report) + "\n(nothing was sent)"
