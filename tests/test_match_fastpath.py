"""The fast way of reading texts (textnorm.ascii_words / any_words, the Aho-Corasick scan,
regexes tried where the scan found their anchors) never changes a result.

Texts here are mostly what that way handles (ASCII, Latin-1, typographic quotes, dashes
and spaces, œ, ß, ¼), with now and then a character it does not (Cyrillic, ſ, the Kelvin
sign, a lone combining accent) to check the hand-over to the token way. Everything is
compared with the plain definitions: `normalise()` for keywords, `re.search` for regexes.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.match import match_all, matches
from monitor.models import MatchInput
from monitor.rules import Rule, RuleSet
from monitor.rulespec import RuleSpec
from monitor.textmatch import FOLDS_TO_ASCII, NormText, Regex, TextScanner
from monitor.textnorm import LATIN1, WIDE, any_words, ascii_words, image, normalise, phrase_bytes

WORDS = ["drone", "drones", "shahed", "Shahed-136", "kyiv", "cessez", "le", "feu", "nord", "coréen", "CORÉEN",
         "north", "korean", "air", "defence", "défense", "antiaérienne", "cœur", "straße", "Æther", "mig", "31",
         "s", "300", "tu", "95", "Tu-95", "f", "16", "de", "the", "¼", "µ", "þ", "києв", "ſ", "\u212a", "e\u0301",
         "É", "naïve", "l’Ukraine", "«", "—",
         # phrases written with longer separators than one space
         "cessez - le  feu", "North, Korean", "air  defence", "défense : antiaérienne", "MiG — 31"]
SEPARATORS = [" ", " ", " ", "  ", "-", "\u2011", "'", "\u2019", "\n", " — ", ", ", "\xa0", "«\xa0", "\xa0»",
              "_", "\u00ad", "\u200b", ".", "\t", "\u202f", "…", "/", "\u2013"]
PHRASES = ["drone", "drones", "shahed", "kyiv", "cessez-le-feu", "nord-coréen", "north korean", "air defence",
           "défense antiaérienne", "coeur", "strasse", "aether", "mig 31", "s-300", "tu 95", "f 16", "de", "the",
           "1 4", "µ", "l'ukraine", "ukraine", '"the drones"', "le feu"]
REGEXES = [r"\bshahed-?\d{2,3}\b", r"\bmig-?31k?\b", r"\bs-?[34]00\b", r"\btu-?(95|160)\b", r"(f|mig)-?16",
           r"kyiv|kiev", r"\d{3}", r"[Ss]tra(ss|ß)e", r"(?<=air )defence", r"coeur$", r"^\w", r"\bkorean\b",
           r"\bdé", r"ukraine\b", r"\bcessez[- ]le[- ]feu", r"nord.cor", r"\bair\W+defen[cs]e"]

texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts))
blocks = st.fixed_dictionaries({}, optional={
    "keywords": st.lists(st.sampled_from(PHRASES), min_size=1, max_size=3),
    "exclude_keywords": st.lists(st.sampled_from(PHRASES), min_size=1, max_size=2),
    "regex": st.lists(st.sampled_from(REGEXES), min_size=1, max_size=2),
}).filter(bool)


def plain(block: dict, title: str, text: str) -> bool:
    """The documented semantics, the slow way."""
    raw = f"{title}\n{text}"
    words = f" {normalise(raw)} "
    has = lambda k: f" {normalise(k.strip(chr(34)))} " in words  # noqa: E731
    return all([
        not block.get("keywords") or any(map(has, block["keywords"])),
        not any(map(has, block.get("exclude_keywords", []))),
        not block.get("regex") or any(re.search(r, raw, re.IGNORECASE) for r in block["regex"]),
    ])


@settings(max_examples=500)
@given(text=texts | st.text(max_size=30))
def test_ascii_and_any_words_are_the_words_of_normalise(text):
    form = ascii_words(text)
    if form is not None:
        assert form.isascii()
        assert b" ".join(form.split()) == phrase_bytes(normalise(text))
        if len(form) == len(text):  # aligned: byte i is the image of character i
            assert all(image(c).encode() == form[i:i + 1] for i, c in enumerate(text))
    known = any_words(text)
    if known is not None:
        form, separated = known
        assert b" ".join(form.split()) == phrase_bytes(normalise(text))
        assert separated == all(image(c) == " " for c in text if re.fullmatch(r"\W", c))


def test_what_the_ascii_way_relies_on():
    # regexes: no character `re` folds to an ASCII letter has an ASCII form
    assert all(ascii_words(f"a{c}a") is None for c in FOLDS_TO_ASCII)
    # anchors at a word start: every non-word character it knows is a separator
    known = [chr(b) for b in range(0x80, 0x100) if LATIN1[b] != b] + [c for c, _ in WIDE]
    assert all(image(c) == " " for c in known if re.fullmatch(r"\W", c))
    # alignment: no character it knows vanishes
    assert all(image(c) for c in known)


@settings(max_examples=400)
@given(title=texts, text=texts, rules=st.lists(blocks, min_size=1, max_size=6))
def test_match_all_is_the_plain_evaluation(title, text, rules):
    ruleset = RuleSet(tuple(Rule.from_spec(RuleSpec.model_validate({"name": f"r{i}", "match": b, "notify": ["console"]}))
                            for i, b in enumerate(rules)))
    item = MatchInput(None, title, text, "en")
    expected = [f"r{i}" for i, b in enumerate(rules) if plain(b, title, text)]
    assert [r.name for r in match_all(ruleset, item)] == expected
    assert [r.name for r in ruleset if matches(r, item)] == expected


@settings(max_examples=300)
@given(title=texts, text=texts, phrases=st.lists(st.sampled_from(PHRASES), max_size=8),
       regexes=st.lists(st.sampled_from(REGEXES), max_size=4))
def test_both_ways_of_scanning_agree(title, text, phrases, regexes):
    words = {phrase_bytes(normalise(p.strip('"'))) for p in phrases}
    anchors = {a for r in regexes for a in Regex(r).anchors or ()}
    spellings: dict = {}
    for r in regexes:
        for anchor, spelled in Regex(r).spellings.items():
            spellings.setdefault(anchor, set()).update(spelled)
    scanner = TextScanner(words, anchors, spellings)
    fast, slow = NormText(title, text), NormText(title, text)
    assert scanner.scan(fast)[0] == scanner._scan_tokens(slow)[0]
    for r in regexes:  # tried only where the scan found their anchors
        assert Regex(r).search(fast) == bool(re.search(r, fast.raw, re.IGNORECASE)), r
