"""Match speed: 1,000 generated rules against 10,000 generated items.

    .venv/bin/python bench/match_speed.py [--rules 1000] [--items 10000] [--words 300]

Prints microseconds per (item, all rules) for `match_all`, p50 / p99 / mean. Each item
is a fresh MatchInput, so the time includes building its View and normalising its text
(title + a `--words`-word article), not only the rule tests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import gazetteer  # noqa: E402
from monitor.events import TOPICS, NegotiationEvent, StrikeEvent  # noqa: E402
from monitor.match import match_all  # noqa: E402
from monitor.models import MatchInput  # noqa: E402
from monitor.rules import load_rules  # noqa: E402

COUNTRIES = sorted(gazetteer.COUNTRIES)
STOP = "the of and to in a on le la les de des du et un une selon said".split()
VOCAB = ("drones missiles attack strike overnight air defence region city officials "
         "attaque frappe nuit défense aérienne ville responsables "
         "talks ceasefire cessez-le-feu trêve négociations sommet summit energy infrastructure power "
         "shahed ballistic cruise intercepted abattus blessés killed injured wounded civilians").split()
SOURCES = [f"source{i}" for i in range(200)]
# article filler: a large vocabulary of pseudo-words, so keywords are as rare as in real news
FILLER = ["".join(random.Random(i).choices("abcdefghijklmnoprstuvyéèà", k=random.Random(-i).randint(2, 10)))
          for i in range(20000)]


def gen_rule(r: random.Random, i: int, places: list[str]) -> dict:
    shape = r.randrange(6)
    if shape == 0:
        match = {"kind": "strike", "target": r.sample(COUNTRIES, r.randint(1, 2)),
                 "drones_launched": {"gte": r.choice([10, 50, 100, 300])}}
    elif shape == 1:
        match = {"kind": "strike", "places": r.sample(places, r.randint(1, 3)),
                 "include_subplaces": r.random() < 0.3}
    elif shape == 2:
        match = {"kind": "negotiation", "parties": r.sample(COUNTRIES, 2), "topics": r.sample(TOPICS, 2)}
    elif shape == 3:
        match = {"keywords": r.sample(VOCAB, 2) + [" ".join(r.sample(VOCAB, 2))], "languages": ["fr", "en"],
                 "exclude_keywords": [r.choice(VOCAB)]}
    elif shape == 4:
        match = {"kind": "strike", "weapons_launched": {"gte": r.randint(1, 500)}, "killed": {"gte": 1},
                 "not": {"attacker": [r.choice(COUNTRIES)]}}
    else:
        match = {"any": [{"places": [r.choice(places)]}, {"keywords": [r.choice(VOCAB)]}],
                 "min_sources": r.randint(1, 3), "sources": r.sample(SOURCES, 5)}
    return {"name": f"rule-{i}", "match": match, "notify": ["console"]}


def gen_item(r: random.Random, places: list[str], words: int) -> MatchInput:
    kind = r.random()
    if kind < 0.5:
        ev = StrikeEvent(attacker=r.choice(COUNTRIES), target=r.choice(COUNTRIES),
                         drones={"launched": r.choice([None, r.randint(1, 600)])},
                         missiles={"launched": r.choice([None, r.randint(1, 40)])},
                         killed=r.choice([None, 0, r.randint(1, 30)]), places=r.sample(places, r.randint(0, 2)))
    elif kind < 0.8:
        ev = NegotiationEvent(parties=sorted(r.sample(COUNTRIES, r.randint(2, 3))), topics=r.sample(TOPICS, 1))
    else:
        ev = None
    n = r.randint(words // 2, words * 3 // 2)
    text = " ".join(r.choice(VOCAB) if r.random() < 0.02 else r.choice(STOP) if r.random() < 0.3
                    else r.choice(FILLER) for _ in range(n))
    title = " ".join(r.choices(FILLER, k=6) + [r.choice(VOCAB)])
    return MatchInput(ev, title, text, r.choice(["fr", "en"]),
                      frozenset(r.sample(SOURCES, r.randint(1, 4))))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--words", type=int, default=300)
    args = ap.parse_args()
    r = random.Random(5)
    places = [p for p in gazetteer.all_places() if gazetteer.place_parent(p)]
    with tempfile.TemporaryDirectory() as tmp:
        rules = [gen_rule(r, i, places) for i in range(args.rules)]
        (Path(tmp) / "bench.yaml").write_text(yaml.safe_dump({"version": 1, "rules": rules}, allow_unicode=True))
        t0 = time.perf_counter()
        ruleset = load_rules(Path(tmp), set())
        load_s = time.perf_counter() - t0
    items = [gen_item(r, places, args.words) for _ in range(args.items)]
    times, hits = [], 0
    match_all(ruleset, items[0])
    for item in items:
        t0 = time.perf_counter_ns()
        hits += len(match_all(ruleset, item))
        times.append((time.perf_counter_ns() - t0) / 1000)
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    print(f"{len(ruleset.rules)} rules (loaded in {load_s:.2f}s), {len(items)} items of ~{args.words} words, "
          f"{hits / len(items):.1f} matching rules per item")
    print(f"match_all: p50 {p(0.50):.1f} us  p99 {p(0.99):.1f} us  mean {statistics.fmean(times):.1f} us "
          "per (item, all rules)")


if __name__ == "__main__":
    main()
