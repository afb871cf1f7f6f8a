"""EXPLAIN QUERY PLAN of the queries the pipeline runs for every article (SQLite).

The statements mirror monitor/store (articles.py, repo.py, outbox.py); each must be
an index search, never a scan of a table that grows with the stored articles.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.store.articletx import near_duplicate_sql  # noqa: E402  (the statement itself)

SUBQUERIES = {"hit", "top"}  # near_duplicate_sql's subqueries: at most 20 rows each, scanning them is fine
QUERIES = {
    "duplicate by url": ("SELECT id FROM article WHERE url = ?", 1),
    "duplicate by text hash": ("SELECT id FROM article WHERE content_hash = ? AND duplicate_of IS NULL "
                               "ORDER BY id LIMIT 1", 1),
    "near-duplicate bands and candidates": (near_duplicate_sql(20, "qmark"), 20),
    "cluster candidates by key and time": ("SELECT * FROM event_cluster WHERE key = ? AND last_seen >= ? AND "
                                           "first_seen <= ? ORDER BY last_seen DESC LIMIT 50", 3),
    "cluster of a duplicate's events": ("SELECT event_cluster.* FROM event_cluster JOIN event ON "
                                        "event.cluster_id = event_cluster.id WHERE event.article_id = ?", 1),
    "reports of a cluster": ("SELECT article.source, article.url FROM article JOIN event ON event.article_id = "
                             "article.id WHERE event.cluster_id = ? ORDER BY article.id LIMIT 30", 1),
    "what a rule alerted about a cluster": ("SELECT * FROM cluster_alert WHERE rule = ? AND cluster_id = ?", 2),
    "alert identity (insert or ignore)": ("SELECT id FROM alert WHERE rule = ? AND subject = ? AND channel = ? "
                                          "AND revision = ?", 4),
    "item done": ("UPDATE item SET state = 'done' WHERE id = ?", 1),
    "pending items": ("SELECT item.id FROM item JOIN source ON source.id = item.source_id WHERE item.state = "
                      "'new' AND item.attempts < 5 ORDER BY item.id LIMIT 500", 0),
    "known items of a feed": ("SELECT source_id, guid, id FROM item WHERE source_id IN (?) AND guid IN (?, ?)", 3),
    "alerts due": ("SELECT id FROM alert WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 100",
                   1),
}


def plans(db: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    try:
        return {name: [row[-1] for row in con.execute("EXPLAIN QUERY PLAN " + sql, [1] * n)]
                for name, (sql, n) in QUERIES.items()}
    finally:
        con.close()


def print_plans(db: Path) -> None:
    print("\nquery plans (per article):")
    for name, steps in plans(db).items():
        scans = [s for s in steps if s.startswith("SCAN") and "USING" not in s and s.split()[1] not in SUBQUERIES]
        flag = "SCAN!" if scans else "ok"
        shown = "; ".join(dict.fromkeys(steps))
        print(f"  {flag:<5} {name:<38} {shown[:150]}")
