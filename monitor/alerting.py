"""Alert drafts: what a rule's match becomes in the outbox, rendered per channel.

Identity is (rule, subject, channel, revision), unique in the outbox, so drafting
the same alert twice queues it once. Which subjects alert is `monitor.correlate`.
"""

from __future__ import annotations

from monitor.events import Event
from monitor.match import match_all
from monitor.models import Article, MatchInput
from monitor.render import AlertContent, Report, default_renderer
from monitor.store import AlertDraft


def match_input(article: Article, event: Event | None) -> MatchInput:
    sources = frozenset([article.source]) if article.source else frozenset()
    langs = frozenset([article.lang]) if article.lang else frozenset()
    return MatchInput(event=event, title=article.title, text=article.text, lang=article.lang,
                      sources=sources, languages=langs, published=article.published)


def render_drafts(rule, subject: str, content: AlertContent, revision: int = 0) -> list[AlertDraft]:
    """One outbox draft per channel of the rule, with the alert rendered."""
    r = default_renderer().render(content)  # text, chat, Markdown and HTML (monitor.render)
    return [AlertDraft(rule=rule.name, subject=subject, channel=ch, title=r.title, body=r.text, chat=r.chat,
                       markdown=r.markdown, html=r.html, revision=revision) for ch in rule.notify]
