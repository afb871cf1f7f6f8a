"""Several processes storing articles at once (PostgreSQL workers; SQLite writers queue).

Four writers store the same reports in different orders, each batch in one transaction,
with no lock around them: every batch commits, exact copies stored at the same moment
by two writers are one original and one duplicate, near-copies are linked, each night
is one event cluster with every outlet's report, and each (rule, event) alerts once.
"""

from __future__ import annotations

import random
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlmodel import select

from monitor import cluster as clustering
from monitor import correlate
from monitor.events import Counts, StrikeEvent
from monitor.models import Article
from monitor.neardup import signature
from monitor.rules import load_rules
from monitor.store import Store
from monitor.store.articles import ArticleToSave
from monitor.store.tables import AlertRow, ArticleRow, EventClusterRow

NIGHTS = 6
# recent nights: reports older than a week count as published now (correlate.MAX_SKEW)
NIGHT0 = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0) - timedelta(days=NIGHTS, hours=6)
OUTLETS = ["wire-fr", "wire-en", "daily-a", "daily-b"]
WRITERS = 4
RULES = """version: 1
rules:
  - {name: any-strike, match: {kind: strike}, notify: [desk]}
"""
WORDS = ("autorités régionales dégâts bâtiments résidentiels infrastructure énergétique secours mobilisés "
         "matinée gouverneur quartier incendie débris habitants coupure électricité école hôpital entrepôt "
         "pompiers évacuation sirènes alerte défense antiaérienne rapport bilan provisoire témoins").split()


def _report(night: int, outlet: int, direction: str) -> tuple[Article, list[StrikeEvent]]:
    """One outlet's report of one night: attacks in both directions that night."""
    when = NIGHT0 + timedelta(days=night, minutes=7 * outlet)
    launched = 100 + 37 * night
    filler = " ".join(random.Random(night * 100 + outlet).choices(WORDS, k=60))  # each report its own words
    text = f"Nuit {night}: {launched} drones lancés, {launched - 20} abattus. {filler}."
    events = [StrikeEvent(attacker="RU", target="UA", drones=Counts(launched=launched, destroyed=launched - 20),
                          places=["Kyiv"]),
              StrikeEvent(attacker="UA", target="RU", drones=Counts(destroyed=40 + night), places=["Bryansk Oblast"])]
    if direction == "reverse":
        events.reverse()
    article = Article(url=f"https://{OUTLETS[outlet]}.example/{night}", title=f"Night {night}", text=text,
                      lang="fr", published=when, source=OUTLETS[outlet], content_hash=f"h-{night}-{outlet}")
    return article, events


def _copy(article: Article, writer: int) -> Article:
    """The same report re-published by a syndication partner (new URL, same text)."""
    return Article(url=f"https://partner{writer}.example/{article.url.rsplit('/', 1)[-1]}-{article.source}",
                   title=article.title, text=article.text, lang=article.lang, published=article.published,
                   source=f"partner{writer}", content_hash=article.content_hash)


def _entry(ruleset, article: Article, events: list[StrikeEvent]) -> ArticleToSave:
    def decide(tx, article_id, events_with_ids, near_of):
        return correlate.decide(tx, ruleset, article, article_id, events_with_ids, near_of)

    return ArticleToSave(None, article, list(events), decide, signature(article.text),
                         tuple(clustering.key(ev) for ev in events))


def test_concurrent_writers_store_everything_once_without_a_global_lock(db_url, tmp_path: Path):
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "r.yaml").write_text(RULES, encoding="utf-8")
    ruleset = load_rules(tmp_path / "rules", {"desk"})
    stores = [Store(db_url) for _ in range(WRITERS)]
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(n: int) -> None:
        rng = random.Random(n)
        work = []
        for night in range(NIGHTS):
            for outlet in range(len(OUTLETS)):
                article, events = _report(night, outlet, "reverse" if (night + outlet + n) % 2 else "forward")
                # every writer gets every original (they race to store it) and one syndicated copy
                work.append(_entry(ruleset, article, events))
                work.append(_entry(ruleset, _copy(article, n), events))
        rng.shuffle(work)
        start.wait()
        try:
            for i in range(0, len(work), 4):
                stores[n].save_articles(work[i:i + 4])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    try:
        assert not errors, errors
        with stores[0].session() as s:
            articles = s.exec(select(ArticleRow)).all()
            clusters = s.exec(select(EventClusterRow)).all()
            alerts = s.exec(select(AlertRow).where(AlertRow.rule == "any-strike")).all()
        originals: dict[str, list[ArticleRow]] = {}
        for a in articles:
            if a.duplicate_of is None and a.near_duplicate_of is None:
                originals.setdefault(a.content_hash, []).append(a)
        # 4 writers x (24 originals + 24 copies): each text has exactly one original
        assert len(articles) == WRITERS * NIGHTS * len(OUTLETS) * 2
        assert sorted(originals) == sorted(f"h-{n}-{o}" for n in range(NIGHTS) for o in range(len(OUTLETS)))
        assert all(len(rows) == 1 for rows in originals.values())
        # one cluster per night and direction, reported by every outlet and partner
        assert len(clusters) == NIGHTS * 2, [(c.key, c.first_seen, c.last_seen, c.reports, c.data[:120]) for c in clusters]
        for c in clusters:
            assert c.reports >= len(OUTLETS), (c.key, c.reports)
        # one alert per (rule, event): the figures never rose, so no update
        assert sorted(a.subject for a in alerts) == sorted(f"cluster:{c.id}" for c in clusters)
    finally:
        for store in stores:
            store.close()
