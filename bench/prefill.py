"""Pre-fill a benchmark database with N synthetic stored articles, fast.

What per-article queries depend on is the number and spread of rows, not their
prose, so the rows are synthetic: articles with ~2 KB of text, a random MinHash
and its 20 LSH band rows, items (done), events linked to clusters spread over
the last 90 days on the usual cluster keys, what rules alerted about them, and
sent alerts. Rows go in through sqlite3's executemany in one transaction per
chunk, with a large page cache, so 100k articles take seconds, not minutes.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta, timezone

import numpy as np

KEYS = ["strike:RU>UA", "strike:UA>RU", "strike:RU>?", "strike:?>UA", "strike:UA>BY", "negotiation:RU,US",
        "negotiation:RU,UA", "negotiation:UA,US", "negotiation:RU,UA,US", "negotiation:FR,UA", "negotiation:?"]
WORDS = ("drones missiles attaque nuit défense région ville énergie frappe négociations président accord "
         "cessez-le-feu sommet overnight attack air defence region city energy strike talks president").split()
CHUNK = 5000


def _ts(t: datetime) -> str:
    return t.astimezone(timezone.utc).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def prefill(db_path: str, n: int, seed: int = 11, days: int = 90) -> float:
    """Add `n` synthetic articles (and their rows) to the SQLite database; returns seconds taken."""
    import time

    t0 = time.perf_counter()
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    now = datetime.now(timezone.utc)
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-300000")
    con.execute("PRAGMA foreign_keys=OFF")
    cur = con.cursor()
    base = (cur.execute("SELECT coalesce(max(id), 0) FROM article").fetchone()[0])
    cbase = (cur.execute("SELECT coalesce(max(id), 0) FROM event_cluster").fetchone()[0])
    sources = [f"prefill-{k}" for k in range(50)]
    cur.executemany("INSERT OR IGNORE INTO source (name, url, polls, consecutive_failures, items_seen, "
                    "failing_notified, quiet_notified) VALUES (?, ?, 1, 0, 0, 0, 0)",
                    [(s, f"https://{s}.example.org/feed") for s in sources])
    sid = dict(cur.execute("SELECT name, id FROM source WHERE name LIKE 'prefill-%'").fetchall())
    n_clusters = max(1, n // 8)
    clusters = []
    for c in range(n_clusters):
        key = rng.choice(KEYS)
        first = now - timedelta(days=days) + timedelta(seconds=rng.uniform(0, days * 86400 - 7200))
        last = first + timedelta(hours=rng.uniform(0, 18))
        data = json.dumps({"kind": key.split(":")[0], "places": [], "evidence": ["..."], "confidence": 0.8})
        clusters.append((cbase + c + 1, key.split(":")[0], key, data, _ts(first), _ts(last), rng.randint(1, 9),
                         json.dumps(rng.sample(sources, 2)), '["fr", "en"]', _ts(first), _ts(last)))
    cur.executemany("INSERT INTO event_cluster (id, kind, key, data, first_seen, last_seen, reports, sources, "
                    "languages, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", clusters)
    cur.executemany("INSERT OR IGNORE INTO cluster_alert (rule, cluster_id, revision, data, updated_at) "
                    "VALUES (?, ?, 0, ?, ?)", [("prefill-rule", c[0], c[3], c[5]) for c in clusters[::3]])
    con.commit()
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        arts, items, bands, events, alerts = [], [], [], [], []
        hashes = nrng.integers(-2**63, 2**63 - 1, size=(hi - lo, 20), dtype=np.int64)
        minhashes = nrng.integers(0, 2**32, size=(hi - lo, 128), dtype=np.uint64)
        for j, i in enumerate(range(lo, hi)):
            aid = base + i + 1
            src = rng.choice(sources)
            when = now - timedelta(days=days) + timedelta(seconds=days * 86400 * i / n)
            text = " ".join(rng.choices(WORDS, k=280))
            arts.append((aid, f"https://{src}.example.org/a/{aid}", src, f"Article {aid}", text,
                         rng.choice(("fr", "en")), _ts(when), f"{rng.getrandbits(256):064x}", _ts(when),
                         minhashes[j].tobytes()))
            items.append((sid[src], f"prefill:{aid}", f"https://{src}.example.org/a/{aid}", f"Article {aid}", "",
                          _ts(when), _ts(when), "done", 0, aid))
            bands += [(b, int(h), aid) for b, h in enumerate(hashes[j])]
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                cluster = clusters[min(n_clusters - 1, int(n_clusters * i / n) + rng.randint(-3, 3))]
                events.append((aid, cluster[1], cluster[3], _ts(when), cluster[0], _ts(when)))
            if i % 5 == 0:
                alerts.append(("prefill-rule", f"article:{aid}", "console", f"alert {aid}", text[:400],
                               "sent", 1, _ts(when), _ts(when), _ts(when)))
        cur.executemany("INSERT INTO article (id, url, source, title, text, lang, published, content_hash, "
                        "created_at, minhash) VALUES (?,?,?,?,?,?,?,?,?,?)", arts)
        cur.executemany("INSERT INTO item (source_id, guid, url, title, summary, published, seen_at, state, "
                        "attempts, article_id) VALUES (?,?,?,?,?,?,?,?,?,?)", items)
        cur.executemany("INSERT INTO lsh_band (band, hash, article_id) VALUES (?,?,?)", bands)
        cur.executemany("INSERT INTO event (article_id, kind, data, created_at, cluster_id, reported_at) "
                        "VALUES (?,?,?,?,?,?)", events)
        cur.executemany("INSERT INTO alert (rule, subject, channel, revision, title, body, state, attempts, "
                        "next_attempt_at, created_at, sent_at) VALUES (?,?,?,0,?,?,?,?,?,?,?)", alerts)
        con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return time.perf_counter() - t0
