"""Property tests: keyword matching ignores case, accents and separators; `not` inverts."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.events import NegotiationEvent, StrikeEvent
from monitor.match import match_all, matches
from monitor.models import MatchInput
from monitor.rules import Rule, RuleSet
from monitor.rulespec import RuleSpec

WORDS = ["drone", "missile", "kyiv", "cessez", "le", "feu", "nord", "coreen", "talks", "strike",
         "ete", "eleve", "peace", "attaque", "de", "a", "un", "north", "korean"]
SEPARATORS = [" ", "  ", "-", "\u2011", "'", "\u2019", "\n", " - ", ", ", ". "]
ACCENTED = {"e": "éèêë", "a": "àâä", "o": "ôö", "i": "îï", "u": "ùûü", "c": "ç"}

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)
phrases = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3)


def make_rule(**match) -> Rule:
    spec = RuleSpec.model_validate({"name": "r", "match": match, "notify": ["console"]})
    return Rule.from_spec(spec)


def article(text: str) -> MatchInput:
    return MatchInput(None, "", text, "fr")


def matched(rule: Rule, item: MatchInput) -> bool:
    return bool(match_all(RuleSet((rule,)), item))


@st.composite
def disguised(draw, ws: list[str]) -> str:
    """The words joined by random separators, each letter randomly upper-cased or accented."""
    out = []
    for i, w in enumerate(ws):
        if i:
            out.append(draw(st.sampled_from(SEPARATORS)))
        for ch in w:
            style = draw(st.sampled_from(["plain", "upper", "accent", "combining"]))
            if style == "upper":
                ch = ch.upper()
            elif style == "accent" and ch in ACCENTED:
                ch = draw(st.sampled_from(ACCENTED[ch]))
            elif style == "combining" and ch in ACCENTED:
                ch = unicodedata.normalize("NFD", draw(st.sampled_from(ACCENTED[ch])))
            out.append(ch)
    return "".join(out)


@settings(max_examples=300)
@given(data=st.data(), text=words, phrase=phrases)
def test_keywords_ignore_case_accents_and_separators(data, text, phrase):
    rule = make_rule(keywords=[data.draw(disguised(phrase))])
    plain = matched(rule, article(" ".join(text)))
    assert plain == (f" {' '.join(phrase)} " in f" {' '.join(text)} ")  # whole consecutive words
    assert matched(rule, article(data.draw(disguised(text)))) == plain


@settings(max_examples=200)
@given(data=st.data(), text=words, phrase=phrases)
def test_exclude_keywords_is_the_negation_of_keywords(data, text, phrase):
    item = article(data.draw(disguised(text)))
    kw = data.draw(disguised(phrase))
    assert matched(make_rule(exclude_keywords=[kw]), item) != matched(make_rule(keywords=[kw]), item)


COUNTRIES = ["UA", "RU", "US", "BY"]
match_blocks = st.fixed_dictionaries({}, optional={
    "kind": st.sampled_from(["strike", "negotiation"]),
    "target": st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2),
    "parties": st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=2),
    "places": st.lists(st.sampled_from(["Kiev", "Kharkiv", "Kyiv Oblast"]), min_size=1, max_size=2),
    "drones_launched": st.sampled_from([{"gte": 50}, {"lt": 10}, {"eq": 100}]),
    "keywords": st.lists(st.sampled_from(WORDS), min_size=1, max_size=2),
    "languages": st.lists(st.sampled_from(["fr", "en"]), min_size=1, max_size=1),
    "min_sources": st.integers(1, 3),
}).filter(bool)


@st.composite
def items(draw) -> MatchInput:
    kind = draw(st.sampled_from(["strike", "negotiation", None]))
    places = draw(st.lists(st.sampled_from(["Kyiv", "Kharkiv", "Odesa", "Kyiv Oblast"]), max_size=2))
    if kind == "strike":
        ev = StrikeEvent(attacker=draw(st.sampled_from(COUNTRIES)), target=draw(st.sampled_from(COUNTRIES)),
                         drones={"launched": draw(st.sampled_from([None, 0, 5, 50, 100, 500]))}, places=places)
    elif kind == "negotiation":
        ev = NegotiationEvent(parties=sorted(set(draw(st.lists(st.sampled_from(COUNTRIES), max_size=3)))),
                              places=places)
    else:
        ev = None
    sources = frozenset(draw(st.lists(st.sampled_from("abcd"), max_size=4)))
    lang = draw(st.sampled_from(["fr", "en", None]))
    return MatchInput(ev, "", " ".join(draw(words)), lang, sources)


@settings(max_examples=300)
@given(block=match_blocks, item=items())
def test_not_inverts_matches(block, item):
    plain = make_rule(**block)
    negated = make_rule(**{"not": block})
    assert matched(negated, item) != matched(plain, item)


@settings(max_examples=300)
@given(a=match_blocks, b=match_blocks, item=items())
def test_any_is_or_and_keys_are_and(a, b, item):
    either = matched(make_rule(any=[a, b]), item)
    assert either == (matched(make_rule(**a), item) or matched(make_rule(**b), item))
    both = matched(make_rule(any=[a], **{"not": {"not": b}}), item)
    assert both == (matched(make_rule(**a), item) and matched(make_rule(**b), item))


@settings(max_examples=300)
@given(block=match_blocks, item=items())
def test_index_never_hides_a_match(block, item):
    rule = make_rule(**block)
    assert matched(rule, item) == matches(rule, item)  # indexed lookup == direct evaluation
