"""Alert drafts: what a rule's match becomes in the outbox, rendered per channel.

Identity is (rule, subject, channel, revision), unique in the outbox, so drafting
the same alert twice queues it once. Which subjects alert is `monitor.correlate`.
"""

from __future__ import annotations

from datetime import datetime

from monitor.events import Event
from monitor.rules_schedule import release_time
from monitor.match import match_all
from monitor.models import Article, MatchInput
from monitor.render import AlertContent, Report, default_renderer
from monitor.store import AlertDraft


def match_input(article: Article, event: Event | None) -> MatchInput:
    sources = frozenset([article.source]) if article.source else frozenset()
    langs = frozenset([article.lang]) if article.lang else frozenset()
    return MatchInput(event=event, title=article.title, text=article.text, lang=article.lang,
                      sources=sources, languages=langs, published=article.published)


def hold_until(rule, now: datetime, release_times) -> datetime | None:
    """When a rule with throttle, quiet hours or a digest may send an alert matched `now`;
    None = at once. `release_times()` gives (latest scheduled send, pending batch time).
    A pending batch takes every later alert of the rule until it goes out."""
    if not (rule.throttle or rule.quiet_hours or rule.digest):
        return None
    last, batch = release_times()
    if batch is not None and batch > now:
        return batch
    at = release_time(rule, now, last if last is not None and last <= now else None)
    if last is not None and last > now and rule.throttle is not None:
        at = max(at, last + rule.throttle)
    return at if at > now else None


def render_drafts(rule, subject: str, content: AlertContent, revision: int = 0,
                  hold: datetime | None = None) -> list[AlertDraft]:
    """One outbox draft per channel of the rule, with the alert rendered."""
    r = default_renderer().render(content)  # text, chat, Markdown and HTML (monitor.render)
    return [AlertDraft(rule=rule.name, subject=subject, channel=ch, title=r.title, body=r.text, chat=r.chat,
                       markdown=r.markdown, html=r.html, revision=revision, hold_until=hold)
            for ch in rule.notify]
