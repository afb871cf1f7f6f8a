"""The fast paths of matching never change a result.

`match_all` (RuleIndex: bit masks, one keyword scan, regexes tried at their literals) is
compared with a plain reference evaluator written from docs/rules.md, over random rule
sets and random items whose texts are full of Unicode traps; the text helpers are
compared with their definitions (`normalise`, `re.search`).
"""

from __future__ import annotations

import random
import re
import sys
from concurrent.futures import ThreadPoolExecutor

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor import gazetteer
from monitor.events import FORMS, STATUSES, TOPICS, NegotiationEvent, StrikeEvent
from monitor.match import bits, match_all, matches
from monitor.models import MatchInput
from monitor.rules import Rule, RuleSet
from monitor.rulespec import NUMERIC_FIELDS, MatchSpec, RuleSpec
from monitor.textmatch import FOLD_ANCHORS, FOLDS_TO_ASCII, NormText, Regex, TextScanner, normalise, phrase_bytes

# --- reference: the documented semantics, evaluated the plain way -----------------------


def _places(ev, subplaces: bool) -> set[str]:
    out = set()
    for p in ev.places:
        p = gazetteer.canonical_place(p) or p
        out.add(p)
        while subplaces and (p := gazetteer.place_parent(p)) and p not in out:
            out.add(p)
    return out


def _count(ev, field: str) -> int | None:
    if ev is None or ev.kind != "strike":
        return None
    if field == "weapons_launched":
        d, m = ev.drones.launched, ev.missiles.launched
        return None if d is None and m is None else (d or 0) + (m or 0)
    if field in ("drones_launched", "drones_destroyed", "missiles_launched", "missiles_destroyed"):
        weapon, what = field.split("_")
        return getattr(getattr(ev, weapon), what)
    return getattr(ev, field)


def reference(spec: MatchSpec, item: MatchInput) -> bool:
    ev = item.event
    strike = ev is not None and ev.kind == "strike"
    talks = ev is not None and ev.kind == "negotiation"
    raw = f"{item.title}\n{item.text}"
    words = f" {normalise(raw)} "
    langs = item.languages | {item.lang} if item.lang else item.languages
    checks = [
        not spec.kind or (ev is not None and ev.kind == spec.kind),
        not spec.attacker or (strike and ev.attacker in spec.attacker),
        not spec.target or (strike and ev.target in spec.target),
        not spec.parties or (talks and set(spec.parties) <= set(ev.parties)),
        not spec.forms or (talks and ev.form in spec.forms),
        not spec.status or (talks and ev.status in spec.status),
        not spec.topics or (talks and bool(set(spec.topics) & set(ev.topics))),
        not spec.places or (ev is not None and bool(set(spec.places) & _places(ev, spec.include_subplaces))),
        not spec.keywords or any(f" {k} " in words for k in spec.keywords),
        not spec.exclude_keywords or not any(f" {k} " in words for k in spec.exclude_keywords),
        not spec.regex or any(re.search(r, raw, re.IGNORECASE) for r in spec.regex),
        not spec.languages or bool(set(spec.languages) & set(langs)),
        not spec.sources or bool(set(spec.sources) & set(item.sources)),
        spec.min_sources is None or len(item.sources) >= spec.min_sources,
        spec.not_ is None or not reference(spec.not_, item),
        not spec.any_ or any(reference(b, item) for b in spec.any_),
    ]
    for field in NUMERIC_FIELDS:
        cond = getattr(spec, field)
        if cond is not None:
            n = _count(ev, field)
            lo, hi = cond.bounds()
            checks.append(n is not None and lo <= n <= hi)
    return all(checks)


# --- random rules and items ------------------------------------------------------------

COUNTRIES = ["UA", "RU", "US", "BY", "FR"]
PLACES = ["Kyiv", "Kharkiv", "Kyiv Oblast", "Kharkiv Oblast", "Odesa", "Bila Tserkva", "Moscow", "Istanbul"]
SOURCES = ["a", "b", "c", "d"]
WORDS = ["drone", "drones", "shahed", "kyiv", "kiev", "cessez", "le", "feu", "nord", "coréen", "coreen",
         "north", "korean", "air", "defence", "défense", "antiaérienne", "cœur", "coeur", "київ", "киів",
         "strasse", "straße", "mig", "31", "s", "300", "400", "tu", "95", "16", "f", "de", "a", "the", "ıstanbul"]
SEPARATORS = [" ", " ", " ", "  ", "-", "\u2011", "'", "\u2019", "\n", " — ", ", ", "\xa0", "«\xa0", "\xa0»",
              "_", "\u00ad", "\u200b", ".", "\t", " \u0301", "/"]
REGEXES = [r"\bshahed-?\d{2,3}\b", r"\bmig-?31k?\b", r"\bs-?[34]00\b", r"\btu-?(95|160)\b", r"(f|mig)-?16",
           r"kyiv|kiev", r"\d{3}", r"[Ss]trasse", r"(?<=air )defence", r"coeur$", r"^\w", r"\bkorean\b"]


def disguise(r: random.Random, word: str) -> str:
    """Upper case, accents as one or two code points, look-alikes re and NFKD know."""
    out = []
    for ch in word:
        x = r.random()
        if x < 0.15:
            ch = ch.upper()
        elif x < 0.2 and ch in "aeiouc":
            ch = {"a": "à", "e": "é", "i": "ï", "o": "ô", "u": "ü", "c": "ç"}[ch]
        elif x < 0.25 and ch in "aeiou":
            ch += "\u0301"
        elif x < 0.27 and ch in "sik":
            ch = {"s": "ſ", "i": "ı", "k": "\u212a"}[ch]
        elif x < 0.29 and ch.isascii() and ch.isalpha():
            ch = chr(ord(ch.upper()) - ord("A") + ord("Ａ"))  # full width
        out.append(ch)
    return "".join(out)


def random_text(r: random.Random, n: int) -> str:
    parts = []
    for i in range(n):
        if i:
            parts.append(r.choice(SEPARATORS))
        w = r.choice(WORDS)
        parts.append(disguise(r, w) if r.random() < 0.3 else w)
    return "".join(parts)


def random_block(r: random.Random, depth: int = 0) -> dict:
    block: dict = {}
    while not block:
        for key, make in [
            ("kind", lambda: r.choice(["strike", "negotiation"])),
            ("attacker", lambda: r.sample(COUNTRIES, r.randint(1, 2))),
            ("target", lambda: r.sample(COUNTRIES, r.randint(1, 2))),
            ("parties", lambda: r.sample(COUNTRIES, r.randint(1, 3))),
            ("forms", lambda: r.sample(FORMS, 2)),
            ("status", lambda: [r.choice(STATUSES)]),
            ("topics", lambda: r.sample(TOPICS, 2)),
            ("places", lambda: r.sample(PLACES, r.randint(1, 2))),
            ("keywords", lambda: [random_text(r, r.randint(1, 2)) for _ in range(r.randint(1, 3))]),
            ("exclude_keywords", lambda: [random_text(r, 1)]),
            ("regex", lambda: r.sample(REGEXES, r.randint(1, 2))),
            ("languages", lambda: [r.choice(["fr", "en"])]),
            ("sources", lambda: r.sample(SOURCES, 2)),
            ("min_sources", lambda: r.randint(1, 3)),
            *[(f, lambda: r.choice([{"gte": 50}, {"gt": 5, "lte": 300}, {"eq": 0}, {"lt": 10}]))
              for f in NUMERIC_FIELDS],
        ]:
            if r.random() < 0.08:
                block[key] = make()
        if block.get("places") and r.random() < 0.5:
            block["include_subplaces"] = True
        if depth < 2 and r.random() < 0.08:
            block["not"] = random_block(r, depth + 1)
        if depth < 2 and r.random() < 0.08:
            block["any"] = [random_block(r, depth + 1) for _ in range(r.randint(1, 3))]
    return block


def random_item(r: random.Random) -> MatchInput:
    kind = r.random()
    num = lambda: r.choice([None, 0, 3, 10, 50, 100, 300, 600])  # noqa: E731
    if kind < 0.4:
        ev = StrikeEvent(attacker=r.choice([None, *COUNTRIES]), target=r.choice([None, *COUNTRIES]),
                         drones={"launched": num(), "destroyed": num()}, missiles={"launched": num()},
                         drones_lost=num(), killed=num(), injured=num(), places=r.sample(PLACES, r.randint(0, 2)))
    elif kind < 0.7:
        ev = NegotiationEvent(parties=sorted(r.sample(COUNTRIES, r.randint(0, 4))),
                              topics=r.sample(TOPICS, r.randint(0, 2)), form=r.choice([None, *FORMS]),
                              status=r.choice([None, *STATUSES]), places=r.sample(PLACES, r.randint(0, 1)))
    else:
        ev = None
    lang = r.choice(["fr", "en", None])
    sources = frozenset(r.sample(SOURCES, r.randint(0, 4)))
    languages = frozenset(r.sample(["fr", "en", "de"], r.randint(0, 2)))
    return MatchInput(ev, random_text(r, r.randint(0, 6)), random_text(r, r.randint(0, 40)), lang, sources, languages)


def make_rules(blocks: list[dict]) -> RuleSet:
    return RuleSet(tuple(Rule.from_spec(RuleSpec.model_validate({"name": f"r{i}", "match": b, "notify": ["console"]}))
                         for i, b in enumerate(blocks)))


def test_index_equals_reference_on_random_corpora():
    for seed in range(4):
        r = random.Random(seed)
        ruleset = make_rules([random_block(r) for _ in range(250)])
        for _ in range(150):
            item = random_item(r)
            expected = [rule.name for rule in ruleset if reference(rule.match.spec, item)]
            assert [rule.name for rule in match_all(ruleset, item)] == expected, item
            assert [rule.name for rule in ruleset if matches(rule, item)] == expected, item


def test_index_with_tiny_token_caches(monkeypatch):
    monkeypatch.setattr(TextScanner, "_CACHE_SIZE", 5)
    r = random.Random(99)
    ruleset = make_rules([random_block(r) for _ in range(100)] + [{"keywords": ["air defence", "nord-coréen"]}])
    for _ in range(200):
        item = random_item(r)
        assert match_all(ruleset, item) == [rule for rule in ruleset if reference(rule.match.spec, item)]


# --- the text helpers against their definitions ----------------------------------------

text_chars = st.sampled_from(list("aeiksAEIKS019 _-'.,\n\t") + [
    "é", "e\u0301", "É", "œ", "ß", "ﬁ", "ſ", "ı", "İ", "\u212a", "й", "Ж", "\u2019", "«", "\xa0", "\u2011", "\u00ad",
    "\u200b", "\u0301", "²", "Ａ", "ℌ", "\ud800"])
texts = st.lists(text_chars, max_size=40).map("".join)


@settings(max_examples=400)
@given(title=texts, text=texts)
def test_scanner_sees_the_words_of_normalise(title, text):
    words = normalise(f"{title}\n{text}").split()
    phrases = {phrase_bytes(" ".join(words[i:i + n])) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
    # and phrases that cannot be there: no normalised word holds a NUL
    absent = {phrase_bytes(f"{w} {w}\0") for w in words[:3]} | {phrase_bytes(f"{w}\0") for w in words[:3]}
    assert TextScanner(phrases | absent).scan(NormText(title, text))[0] == phrases


@settings(max_examples=300)
@given(title=texts, text=texts, keywords=st.lists(texts, min_size=1, max_size=6))
def test_scanner_finds_what_the_normalised_text_holds(title, text, keywords):
    phrases = {phrase_bytes(normalise(k)) for k in keywords} - {b""}
    norm = NormText(title, text)
    expected = {p for p in phrases if b" " + p + b" " in phrase_bytes(f" {normalise(title + chr(10) + text)} ")}
    assert TextScanner(phrases).scan(norm)[0] == expected
    assert all(norm.has_phrase(p) == (p in expected) for p in phrases)


@settings(max_examples=400)
@given(text=texts, pattern=st.sampled_from(REGEXES + [r"\bkik", r"s-?1\d", r"(?:ab|ki)e", r"\bé", r"[ſs]\d",
                                                      r"(ab){0,2}cd", r".{0,3}kie", r"(?:k|s)\d{1,2}[a-z]",
                                                      r"\b(ki|se)-?\d", r"e\b(ab|ki)"]))
def test_regex_search_is_re_search(text, pattern):
    regex = Regex(pattern)
    for raw in (text, f"x{text}kik sie 2 s-16", text.upper()):
        expected = bool(re.search(pattern, f"\n{raw}", re.IGNORECASE))
        assert regex.search(NormText("", raw)) == expected, (pattern, raw)
        for anchors in (regex.anchors or set(), (regex.anchors or set()) | FOLD_ANCHORS):
            scanned = NormText("", raw)  # the anchors found by a scan first
            TextScanner([], anchors).scan(scanned)
            assert regex.search(scanned) == expected, (pattern, raw, anchors)


def test_folds_to_ascii_is_what_re_folds():
    others = "".join(map(chr, range(0x80, sys.maxunicode + 1)))
    folding = set(re.findall("(?i)[a-z0-9]", others))
    assert folding == set(FOLDS_TO_ASCII)


@given(st.sets(st.integers(0, 2000)))
def test_bits(positions):
    assert bits(sum(1 << p for p in positions)) == sorted(positions)


def test_threads_share_one_index():
    r = random.Random(3)
    ruleset = make_rules([random_block(r) for _ in range(150)])
    items = [random_item(r) for _ in range(240)]
    expected = [[rule.name for rule in ruleset if reference(rule.match.spec, item)] for item in items]

    def run(part: int) -> list[list[str]]:
        return [[rule.name for rule in match_all(ruleset, item)] for item in items[part::4]]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(4)))
    assert all(results[part] == expected[part::4] for part in range(4))
