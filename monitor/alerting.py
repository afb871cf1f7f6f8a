"""From a stored article and its events to the alerts the rules ask for.

A rule that matches the article without looking at an event (keywords, regex,
languages, sources only) alerts once for the article. A rule that needs an event
alerts once per matching event. Identity is (rule, subject, channel, revision),
unique in the outbox, so re-running this on the same subject queues nothing new.
"""

from __future__ import annotations

from monitor.events import Event
from monitor.match import match_all
from monitor.models import Article, MatchInput
from monitor.render import AlertContent, Report, render_text
from monitor.store import AlertDraft


def match_input(article: Article, event: Event | None) -> MatchInput:
    sources = frozenset([article.source]) if article.source else frozenset()
    langs = frozenset([article.lang]) if article.lang else frozenset()
    return MatchInput(event=event, title=article.title, text=article.text, lang=article.lang,
                      sources=sources, languages=langs, published=article.published)


def alert_drafts(ruleset, article: Article, article_id: int,
                 events: list[tuple[int, Event]]) -> list[AlertDraft]:
    report = Report(source=article.source, url=article.url, title=article.title, lang=article.lang)
    drafts: list[AlertDraft] = []
    text_rules = {r.name for r in match_all(ruleset, match_input(article, None))}
    for rule in ruleset.rules:
        if rule.name in text_rules:
            drafts += _drafts(rule, f"article:{article_id}", AlertContent(rule.name, None, [report]))
    for event_id, event in events:
        for rule in match_all(ruleset, match_input(article, event)):
            if rule.name in text_rules:
                continue
            content = AlertContent(rule.name, event, [report], severity=getattr(rule, "severity", "info"))
            drafts += _drafts(rule, f"event:{event_id}", content)
    return drafts


def _drafts(rule, subject: str, content: AlertContent) -> list[AlertDraft]:
    title, body = render_text(content)
    return [AlertDraft(rule=rule.name, subject=subject, channel=ch, title=title, body=body)
            for ch in rule.notify]
