"""Which event cluster a new report belongs to, and which alerts that earns.

Runs inside the article's transaction (see `monitor.store.articles.ArticleTx`):

1. Rules that match the article itself, with no event (keywords, regex, languages,
   sources), alert once for the article, unless it nearly repeats an earlier one.
2. Each event joins the cluster of the same real-world event (`monitor.cluster`),
   or starts one. Its figures are merged into the cluster's.
3. Each touched cluster is matched with its merged event and all its sources:
   a rule that never alerted about it sends one alert (revision 0); a rule that
   did sends one update (revision n+1) only when the figures rose significantly
   since its last alert. `min_sources: N` holds the first alert until N distinct
   sources report the event.

A near-duplicate article (a syndicated copy) adds its source to clusters that
already exist, but never starts a cluster or alerts on its own.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from monitor import cluster as clustering
from monitor.alerting import hold_until, match_input, render_drafts
from monitor.events import Event
from monitor.match import match_all
from monitor.models import Article, MatchInput
from monitor.render import AlertContent, Report
from monitor.store import AlertDraft
from monitor.store.tables import utcnow

MAX_SKEW = timedelta(days=7)


def report_time(article: Article, now: datetime) -> datetime:
    """When the report was published; the feed's date unless absent or implausible."""
    t = article.published
    if t is None or t > now + timedelta(hours=1) or t < now - MAX_SKEW:
        return now
    return t


def decide(tx, ruleset, article: Article, article_id: int, events: list[tuple[int, Event]],
           near_of: int | None, now: datetime | None = None) -> list[AlertDraft]:
    now = now or utcnow()
    drafts: list[AlertDraft] = []
    text_rules = {r.name for r in match_all(ruleset, match_input(article, None))}
    if near_of is None:
        report = Report(article.source, article.url, article.title, article.lang)
        for rule in ruleset.rules:
            if rule.name in text_rules:
                hold = hold_until(rule, now, lambda: tx.release_times(rule.name))
                drafts += render_drafts(rule, f"article:{article_id}", AlertContent(rule.name, None, [report]),
                                        hold=hold)
    when = report_time(article, now)
    touched: dict[int, Event] = {}
    for event_id, event in events:
        key = clustering.key(event)
        tx.lock_key(key)
        span = clustering.span(event) * 1.5
        found = None
        for c in tx.clusters(key, when - span, when + span):
            # events of one article are distinct by the extractor's decision: never merge them
            if c.id not in touched and clustering.same_event(c, event, when):
                found = c
                break
        if found is None:
            if near_of is not None:
                continue
            cluster_id, merged = tx.create_cluster(key, event, when, article.source, article.lang), event
        else:
            merged, _changes = clustering.merge(found.event, event)
            cluster_id = found.id
            tx.update_cluster(cluster_id, merged, when, article.source, article.lang)
        tx.link_event(event_id, cluster_id)
        touched[cluster_id] = merged
    for cluster_id, merged in touched.items():
        drafts += _cluster_alerts(tx, ruleset, article, cluster_id, merged, text_rules, now)
    return drafts


def _cluster_alerts(tx, ruleset, article: Article, cluster_id: int, merged: Event,
                    text_rules: set[str], now: datetime) -> list[AlertDraft]:
    sources, languages = tx.cluster_sources(cluster_id)
    item = MatchInput(event=merged, title=article.title, text=article.text, lang=article.lang,
                      sources=sources, languages=languages, published=article.published)
    drafts: list[AlertDraft] = []
    reports = None
    for rule in match_all(ruleset, item):
        if rule.name in text_rules:
            continue
        previous = tx.alerted(rule.name, cluster_id)
        if previous is None:
            revision, changes = 0, []
        else:
            changes = clustering.significant_rise(previous[1], merged)
            if not changes:
                continue
            revision = previous[0] + 1
        if reports is None:
            reports = [Report(r.source, r.url, r.title, r.lang) for r in tx.cluster_reports(cluster_id)]
        content = AlertContent(rule.name, merged, reports, update=revision > 0, changes=changes,
                               severity=getattr(rule, "severity", "info"))
        hold = hold_until(rule, now, lambda: tx.release_times(rule.name))
        drafts += render_drafts(rule, f"cluster:{cluster_id}", content, revision=revision, hold=hold)
        tx.set_alerted(rule.name, cluster_id, revision, merged)
    return drafts
