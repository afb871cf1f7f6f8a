"""Match speed: 1,000 rules like users write against 10,000 items like the pipeline makes.

    .venv/bin/python bench/match_speed.py [--rules 1000] [--items 10000] [--words 300] [--seed 5]

Prints microseconds per (item, all rules) for `match_all`: p50 / p99 / mean of wall-clock
time, the mean CPU time (thread time of the whole timed loop), plus how many rules match
an item. Each item is a fresh MatchInput, so the time includes building its
View and reading its text, not only the rule tests. 500 other items are matched first,
untimed (warm caches, as in a running daemon). The rules and the items are then frozen out
of the garbage collector's view, as the daemon freezes its startup heap and never holds
10,000 items at once.

Rules (shares of --rules):
- 35% strike thresholds: kind strike, target UA (70%) / RU (25%) / other, an attacker one
  time in three, one or two counts (drones / missiles / weapons launched, drones destroyed,
  killed, injured) against gte/gt thresholds, sometimes with an upper bound;
- 20% places: 1-3 gazetteer places (Ukraine 70%, Russia 25%), or 1-2 oblasts with
  include_subplaces (a third of them); kind strike 80% of the time;
- 15% negotiations: kind + 1-2 parties, 1-2 topics half the time, sometimes forms or status;
- 15% keywords: 1-3 (mostly 1-2) of 132 war-news terms, fr and en, a third of them phrases
  (weapons, leaders, places, topics; some frequent, like "Shahed" or "Zelensky"), with
  languages (40%), kind (20%) or exclude_keywords (10%); the others test the text only;
- 2% regexes (10 patterns: weapon and aircraft models, "zaporizh...ia ... nuclear"), kind
  strike half the time;
- 8% corroboration: kind + 3-6 of the 40 sources + min_sources 2-3;
- 5% combinations: not (attacker / places) and any (places or keywords; parties or forms).
Items: 45% strikes (RU->UA 70%, UA->RU 22%; counts null or plausibly spread; 0-3 places),
25% negotiations (party sets seen in the news, 0-2 topics, form, status, 0-1 place), 30%
articles without event. Title and text are one of the 140 fr/en articles of
tests/data/extract*/ (with paragraphs of others in its language appended up to ~--words
words), plus the 1-4 numbers and names never seen before that every new article brings;
lang fr/en, 1-4 of 40 sources.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import gazetteer  # noqa: E402
from monitor.events import FORMS, STATUSES, TOPICS, NegotiationEvent, StrikeEvent  # noqa: E402
from monitor.match import match_all  # noqa: E402
from monitor.models import MatchInput  # noqa: E402
from monitor.rules import load_rules  # noqa: E402

COUNTRIES = sorted(gazetteer.COUNTRIES)
SOURCES = [f"source{i}" for i in range(40)]
PARTY_SETS = [["RU", "US"], ["UA", "US"], ["RU", "UA"], ["RU", "UA", "US"], ["FR", "UA"], ["RU", "TR", "UA"],
              ["DE", "FR", "GB", "UA"], ["SA", "UA", "US"], ["CN", "RU"], ["RU", "SA", "US"], ["UA", "VA"]]
KEYWORDS = """Shahed|Geran|Kinjal|Kinzhal|Iskander|Kalibr|Oreshnik|ATACMS|Storm Shadow|Patriot|F-16|HIMARS|Neptune
|Taurus|Tomahawk|Kh-101|S-300|glide bomb|bombe planante|missile balistique|ballistic missile|cruise missile
|missile de croisière|leurres|decoys|air defence|défense antiaérienne|power plant|centrale électrique
|centrale nucléaire|nuclear plant|Zaporizhzhia|Zaporijjia|refinery|raffinerie|dépôt pétrolier|oil depot|blackout
|coupure de courant|energy infrastructure|infrastructures énergétiques|railway|chemin de fer|Putin|Poutine
|Zelensky|Zelenskiy|Trump|Macron|Witkoff|Lavrov|Rubio|Erdogan|Kellogg|Budanov|Syrskyi|Klitschko|Crimea|Crimée
|Black Sea|mer Noire|Kursk|Koursk|Belgorod|Sevastopol|Sébastopol|Odesa|Odessa|Transnistria|Moldova|ceasefire
|cessez-le-feu|trêve|truce|peace plan|plan de paix|prisoner exchange|échange de prisonniers|sanctions
|security guarantees|garanties de sécurité|pourparlers|summit|sommet|North Korean|nord-coréen|Pyongyang
|mobilisation|counteroffensive|contre-offensive|frontline|ligne de front|civilians|civils|children|enfants
|hospital|hôpital|school|école|IAEA|AIEA|Rosatom|Kremlin|Pentagon|NATO|OTAN|European Union
|Union européenne|Istanbul|Riyadh|Djeddah|Jeddah|Alaska|Vatican|Pope|pape|grain|wheat|blé|tanker|pétrolier
|shadow fleet|flotte fantôme|sabotage|cyberattack|cyberattaque|espionage|drone attack|attaque de drones
|massive attack|attaque massive""".replace("\n", "").split("|")
REGEXES = [r"\bshahed-?\d{2,3}\b", r"\bgeran-?\d\b", r"\bkh-?\d{2,3}\b", r"\bs-?[34]00\b", r"\biskander(-[mk])?\b",
           r"\btu-?(95|160|22m3?)\b", r"\b(mig|su)-?\d{2}\b", r"\bmig-?31k?\b", r"\bf-?16s?\b",
           r"zaporizh?zh?ia.{0,40}(nuclear|nucl[ée]aire)"]
NUMS = ["drones_launched", "drones_launched", "missiles_launched", "weapons_launched", "drones_destroyed",
        "killed", "killed", "injured"]
THRESHOLDS = {"drones_launched": [20, 50, 100, 150, 200, 300, 400, 500], "drones_destroyed": [50, 100, 200],
              "missiles_launched": [1, 5, 10, 20, 40], "weapons_launched": [100, 200, 300, 500, 700],
              "killed": [1, 1, 3, 5, 10, 20], "injured": [5, 10, 20, 50]}


def corpus() -> dict[str, list[list[str]]]:
    """The test articles as lists of paragraphs (the first is the title), by language."""
    articles: dict[str, list[list[str]]] = {"fr": [], "en": []}
    for path in sorted((ROOT / "tests" / "data").glob("extract*/*_*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        articles[path.name.split("_")[1]].append(paras)
    return articles


def places_of(*countries: str) -> list[str]:
    return [p for p in gazetteer.all_places() if gazetteer.place_country(p) in countries]


UA, RU, ELSEWHERE = places_of("UA"), places_of("RU"), [p for p in gazetteer.all_places() if
                                                       gazetteer.place_country(p) not in ("UA", "RU")]
REGIONS = [p for p in UA + RU  # oblasts and the like: places with places inside
           if any(gazetteer.place_parent(q) == p for q in UA + RU) and p not in ("Ukraine", "Russia")]


def country(r: random.Random, ua: float = 0.7, ru: float = 0.25) -> str:
    x = r.random()
    return "UA" if x < ua else "RU" if x < ua + ru else r.choice(COUNTRIES)


def place(r: random.Random) -> str:
    x = r.random()
    return r.choice(UA if x < 0.7 else RU if x < 0.95 else ELSEWHERE)


def strike_rule(r: random.Random) -> dict:
    match: dict = {"kind": "strike", "target": [country(r)]}
    if r.random() < 0.33:
        match["attacker"] = ["RU" if match["target"] == ["UA"] else country(r, 0.5, 0.3)]
    for field in r.sample(NUMS, r.choice([1, 1, 2])):
        match[field] = {r.choice(["gte", "gte", "gt"]): r.choice(THRESHOLDS[field])}
        if r.random() < 0.1:
            match[field]["lt"] = max(THRESHOLDS[field]) * 2
    return match


def place_rule(r: random.Random) -> dict:
    subplaces = r.random() < 0.33
    places = r.sample(REGIONS, r.randint(1, 2)) if subplaces else [place(r) for _ in range(r.randint(1, 3))]
    match: dict = {"places": places}
    if subplaces:
        match["include_subplaces"] = True
    if r.random() < 0.8:
        match["kind"] = "strike"
    return match


def negotiation_rule(r: random.Random) -> dict:
    match: dict = {"kind": "negotiation", "parties": r.choice(PARTY_SETS)[: r.randint(1, 2)]}
    if r.random() < 0.5:
        match["topics"] = r.sample(TOPICS, r.randint(1, 2))
    if r.random() < 0.2:
        match["forms"] = r.sample(FORMS, 2)
    if r.random() < 0.2:
        match["status"] = [r.choice(STATUSES)]
    return match


def keyword_rule(r: random.Random) -> dict:
    match: dict = {"keywords": r.sample(KEYWORDS, r.choice([1, 1, 2, 2, 3]))}
    if r.random() < 0.4:
        match["languages"] = [r.choice(["fr", "en"])]
    if r.random() < 0.2:
        match["kind"] = r.choice(["strike", "negotiation"])
    if r.random() < 0.1:
        match["exclude_keywords"] = r.sample(KEYWORDS, 1)
    return match


def combination_rule(r: random.Random) -> dict:
    shape = r.randrange(4)
    if shape == 0:
        return {"kind": "strike", "not": {"attacker": ["RU"]}, "killed": {"gte": r.choice([1, 5])}}
    if shape == 1:
        return {"kind": "strike", "target": ["UA"], "not": {"places": [place(r)]}, "drones_launched": {"gte": 300}}
    if shape == 2:
        return {"kind": "strike", "any": [{"places": [place(r)]}, {"keywords": r.sample(KEYWORDS, 2)}]}
    return {"kind": "negotiation", "any": [{"parties": ["RU"]}, {"forms": ["summit"]}], "topics": [r.choice(TOPICS)]}


def gen_rule(r: random.Random, i: int) -> dict:
    x = r.random()
    if x < 0.35:
        match = strike_rule(r)
    elif x < 0.55:
        match = place_rule(r)
    elif x < 0.70:
        match = negotiation_rule(r)
    elif x < 0.85:
        match = keyword_rule(r)
    elif x < 0.87:
        match = {"regex": [r.choice(REGEXES)]} | ({"kind": "strike"} if r.random() < 0.5 else {})
    elif x < 0.95:
        match = {"kind": r.choice(["strike", "negotiation"]), "sources": r.sample(SOURCES, r.randint(3, 6)),
                 "min_sources": r.randint(2, 3)}
    else:
        match = combination_rule(r)
    return {"name": f"rule-{i}", "match": match, "notify": ["console"]}


def count(r: random.Random, null: float, median: float, top: int) -> int | None:
    return None if r.random() < null else min(top, int(r.lognormvariate(0, 1) * median))


def gen_event(r: random.Random):
    x = r.random()
    if x < 0.45:
        pair = r.random()
        attacker, target = ("RU", "UA") if pair < 0.7 else ("UA", "RU") if pair < 0.92 else r.sample(COUNTRIES, 2)
        launched, missiles = count(r, 0.35, 60, 800), count(r, 0.6, 8, 90)
        return StrikeEvent(
            attacker=attacker, target=target,
            drones={"launched": launched, "destroyed": None if launched is None else int(launched * r.random())},
            missiles={"launched": missiles, "destroyed": None if missiles is None else int(missiles * r.random())},
            drones_lost=count(r, 0.85, 10, 200), killed=count(r, 0.45, 2, 60), injured=count(r, 0.4, 6, 200),
            places=list(dict.fromkeys(r.choice(UA if target == "UA" else RU if target == "RU" else ELSEWHERE)
                                      for _ in range(r.randint(0, 3)))))
    if x < 0.70:
        return NegotiationEvent(parties=r.choice(PARTY_SETS), topics=r.sample(TOPICS, r.randint(0, 2)),
                                form=r.choice([None, *FORMS]), status=r.choice([None, *STATUSES]),
                                places=[r.choice(ELSEWHERE)] if r.random() < 0.5 else [])
    return None


def novel_word(r: random.Random) -> str:
    return "".join(r.choices("bcdfghklmnprstvzaeiouyéèàï", k=r.randint(4, 9))).capitalize()


def gen_item(r: random.Random, articles: dict[str, list[list[str]]], words: int) -> MatchInput:
    """One article (more paragraphs of others of its language until ~`words`), new numbers and names."""
    lang = r.choice(["fr", "en"])
    article = r.choice(articles[lang])
    title, parts = article[0], article[1:]
    target, n = r.randint(words // 2, words * 3 // 2), sum(p.count(" ") + 1 for p in article)
    while n < target:
        p = r.choice(r.choice(articles[lang])[1:])
        parts.append(p)
        n += p.count(" ") + 1
    for _ in range(r.randint(1, 4)):  # every new article brings numbers and names never seen
        i = r.randrange(len(parts))
        parts[i] += f" {r.randint(0, 99999)} {novel_word(r) if r.random() < 0.4 else ''}"
    sources = frozenset(r.sample(SOURCES, r.choice([1, 1, 1, 2, 3, 4])))
    return MatchInput(gen_event(r), title, "\n".join(parts), lang, sources, frozenset({lang}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=1000)
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    r = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        rules = [gen_rule(r, i) for i in range(args.rules)]
        (Path(tmp) / "bench.yaml").write_text(yaml.safe_dump({"version": 1, "rules": rules}, allow_unicode=True))
        t0 = time.perf_counter()
        ruleset = load_rules(Path(tmp), set())
        load_s = time.perf_counter() - t0
    articles = corpus()
    items = [gen_item(r, articles, args.words) for _ in range(args.items)]
    for _ in range(500):
        match_all(ruleset, gen_item(r, articles, args.words))
    # the daemon keeps the collector off its startup heap, rules included (runtime.freeze_startup_heap),
    # and holds one item at a time; this benchmark holds all its items at once, and without this every
    # full collection would scan them all: the mean grew with --items (39.5 us at 4,000, 45.5 at 10,000)
    gc.collect()
    gc.freeze()
    times, hits = [], 0
    cpu0 = time.thread_time()
    for item in items:
        t0 = time.perf_counter_ns()
        hits += len(match_all(ruleset, item))
        times.append((time.perf_counter_ns() - t0) / 1000)
    cpu = (time.thread_time() - cpu0) / len(items) * 1e6
    times.sort()
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]  # noqa: E731
    words = statistics.fmean(len(f"{i.title} {i.text}".split()) for i in items)
    print(f"{len(ruleset.rules)} rules (loaded in {load_s:.2f}s), {len(items)} items of ~{words:.0f} words, "
          f"{hits / len(items):.1f} matching rules per item")
    print(f"match_all: p50 {p(0.50):.1f} us  p99 {p(0.99):.1f} us  mean {statistics.fmean(times):.1f} us "
          f"per (item, all rules); CPU {cpu:.1f} us per item (thread time of the loop)")


if __name__ == "__main__":
    main()
