"""Evaluating watch rules against items, fast.

A `match:` block is compiled once, at load, into a `Matcher`: one closure per condition
(constants already parsed: sets of codes, canonical places, normalised keyword phrases,
compiled regexes), ordered cheapest first. What an item offers to conditions is computed
once per item in a `View` (event fields as sets, normalised text on first use) and shared
by every rule.

`match_all` does not try every rule: each rule declares *anchors*, facts of which at
least one must hold for it to match (a keyword's word, a place, a party, a target...),
and a `RuleIndex` looks up only the rules anchored on facts the item has, plus the few
rules without anchors. That keeps a thousand rules far below a millisecond per item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import TYPE_CHECKING, Callable, Iterable

from monitor import gazetteer
from monitor.models import MatchInput
from monitor.rulespec import NUMERIC_FIELDS, MatchSpec
from monitor.textmatch import NormText

if TYPE_CHECKING:
    from monitor.rules import Rule, RuleSet

Test = Callable[["View"], bool]
_EMPTY: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def _place_and_ancestors(place: str) -> tuple[str, frozenset[str]]:
    canonical = gazetteer.canonical_place(place) or place
    up, seen = [canonical], {canonical}
    while (parent := gazetteer.place_parent(up[-1])) and parent not in seen:
        up.append(parent)
        seen.add(parent)
    return canonical, frozenset(up)


class View:
    """The facts of one MatchInput that rules test, computed once."""

    def __init__(self, item: MatchInput):
        self.item = item
        ev = item.event
        self.kind = ev.kind if ev is not None else None
        self.attacker = self.target = self.form = self.status = None
        self.parties = self.topics = _EMPTY
        self.nums: dict[str, int] = {}  # numeric facts that are known (not null), plus n_sources
        facts = set()
        places: set[str] = set()
        up: set[str] = set()
        if ev is not None:
            facts.add("kind:" + ev.kind)
            for p in ev.places:
                canonical, ancestors = _place_and_ancestors(p)
                places.add(canonical)
                up |= ancestors
            if ev.kind == "strike":
                self.attacker, self.target = ev.attacker, ev.target
                nums = {"drones_launched": ev.drones.launched, "drones_destroyed": ev.drones.destroyed,
                        "missiles_launched": ev.missiles.launched, "missiles_destroyed": ev.missiles.destroyed,
                        "drones_lost": ev.drones_lost, "killed": ev.killed, "injured": ev.injured}
                if ev.drones.launched is not None or ev.missiles.launched is not None:
                    nums["weapons_launched"] = (ev.drones.launched or 0) + (ev.missiles.launched or 0)
                self.nums = {k: v for k, v in nums.items() if v is not None}
                facts.update("n:" + k for k in self.nums)
                if ev.attacker:
                    facts.add("attacker:" + ev.attacker)
                if ev.target:
                    facts.add("target:" + ev.target)
            else:
                self.form, self.status = ev.form, ev.status
                self.parties, self.topics = frozenset(ev.parties), frozenset(ev.topics)
                facts.update("party:" + p for p in ev.parties)
                facts.update("topic:" + t for t in ev.topics)
                facts.update(f"{k}:{v}" for k, v in (("form", ev.form), ("status", ev.status)) if v)
        self.places, self.places_up = frozenset(places), frozenset(up)
        facts.update("place:" + p for p in places)
        facts.update("up:" + p for p in up)
        self.langs = frozenset(item.languages | {item.lang} if item.lang else item.languages)
        self.sources = item.sources
        self.nums["n_sources"] = len(item.sources)
        facts.update("lang:" + lang for lang in self.langs)
        facts.update("source:" + s for s in item.sources)
        self.facts = facts

    @cached_property
    def text(self) -> NormText:
        return NormText.of(self.item.title, self.item.text)

    @cached_property
    def raw(self) -> str:
        return f"{self.item.title}\n{self.item.text}"


_last: tuple[MatchInput | None, View | None] = (None, None)


def view(item: MatchInput) -> View:
    """The View of `item`; the last one is cached, so many `matches()` on one item share it."""
    global _last
    cached_item, cached_view = _last
    if cached_item is item and cached_view is not None:
        return cached_view
    v = View(item)
    _last = (item, v)
    return v


@dataclass(frozen=True)
class Matcher:
    """A compiled match block: `test(view)` plus anchors (None = cannot be indexed).

    Anchors are strings: "w:<word>" for a normalised word of the title/text, otherwise
    a View fact such as "target:UA" or "place:Kyiv". If a matcher has anchors, it can only
    match a View having at least one of them.
    """

    spec: MatchSpec
    test: Test
    anchors: frozenset[str] | None


# (rank, cost) — lower rank = more selective anchor; lower cost = evaluated earlier
def _cond(test: Test, cost: int, anchors: Iterable[str] | None = None, rank: int = 99):
    return (test, cost, frozenset(anchors) if anchors is not None else None, rank)


def _member(attr: str, values: frozenset) -> Test:
    get = attrgetter(attr)
    return lambda v: get(v) in values


def _overlaps(attr: str, values: frozenset) -> Test:
    get = attrgetter(attr)
    return lambda v: not values.isdisjoint(get(v))


def _all_of(attr: str, values: frozenset) -> Test:
    get = attrgetter(attr)
    return lambda v: values <= get(v)


def _numeric(field: str, lo: float, hi: float) -> Test:
    def test(v: View) -> bool:
        x = v.nums.get(field)
        return x is not None and lo <= x <= hi
    return test


def _any_phrase(phrases: tuple[str, ...]) -> Test:
    return lambda v: any(v.text.has_phrase(p) for p in phrases)


def _any_regex(patterns: tuple[re.Pattern, ...]) -> Test:
    return lambda v: any(p.search(v.raw) for p in patterns)


def _negate(test: Test) -> Test:
    return lambda v: not test(v)


def _any_test(tests: tuple[Test, ...]) -> Test:
    return lambda v: any(t(v) for t in tests)


# match key -> (View attribute, test factory, anchor prefix, anchor rank)
_SET_KEYS = {
    "attacker": ("attacker", _member, "attacker:", 5),
    "target": ("target", _member, "target:", 5),
    "parties": ("parties", _all_of, "party:", 3),
    "forms": ("form", _member, "form:", 6),
    "status": ("status", _member, "status:", 6),
    "topics": ("topics", _overlaps, "topic:", 3),
    "languages": ("langs", _overlaps, "lang:", 8),
    "sources": ("sources", _overlaps, "source:", 4),
}


def _conditions(spec: MatchSpec) -> list[tuple]:
    """(test, cost, anchors, anchor rank) for every condition of one match block."""
    conds = []
    if spec.kind:
        conds.append(_cond(_member("kind", frozenset([spec.kind])), 0, ["kind:" + spec.kind], 9))
    for key, (attr, factory, prefix, rank) in _SET_KEYS.items():
        values = getattr(spec, key)
        if values:
            s = frozenset(values)
            conds.append(_cond(factory(attr, s), 1, [prefix + x for x in s], rank))
    if spec.places:
        s = frozenset(spec.places)
        if spec.include_subplaces:
            conds.append(_cond(_overlaps("places_up", s), 1, ["up:" + p for p in s], 2))
        else:
            conds.append(_cond(_overlaps("places", s), 1, ["place:" + p for p in s], 2))
    for field in NUMERIC_FIELDS:
        cond = getattr(spec, field)
        if cond is not None:
            conds.append(_cond(_numeric(field, *cond.bounds()), 2, ["n:" + field], 7))
    if spec.min_sources is not None:
        conds.append(_cond(_numeric("n_sources", spec.min_sources, float("inf")), 1))
    if spec.keywords:
        phrases = tuple(spec.keywords)
        anchors = ["w:" + max(p.split(), key=len) for p in phrases]
        conds.append(_cond(_any_phrase(phrases), 5, anchors, 1))
    if spec.exclude_keywords:
        conds.append(_cond(_negate(_any_phrase(tuple(spec.exclude_keywords))), 6))
    if spec.regex:
        conds.append(_cond(_any_regex(tuple(re.compile(r, re.IGNORECASE) for r in spec.regex)), 8))
    if spec.not_ is not None:
        conds.append(_cond(_negate(compile_match(spec.not_).test), 7))
    if spec.any_:
        branches = [compile_match(b) for b in spec.any_]
        anchors = None
        if all(b.anchors is not None for b in branches):
            anchors = frozenset().union(*(b.anchors for b in branches))
        conds.append(_cond(_any_test(tuple(b.test for b in branches)), 7, anchors, 10))
    return conds


def compile_match(spec: MatchSpec) -> Matcher:
    """Compile a validated match block into a Matcher."""
    conds = sorted(_conditions(spec), key=lambda c: c[1])
    tests = tuple(c[0] for c in conds)
    if len(tests) == 1:
        test = tests[0]
    else:
        def test(v: View) -> bool:
            for t in tests:
                if not t(v):
                    return False
            return True
    anchored = [c for c in conds if c[2] is not None]
    best = min(anchored, key=lambda c: (c[3], len(c[2])), default=None)
    return Matcher(spec, test, best[2] if best else None)


def matches(rule: Rule, item: MatchInput) -> bool:
    """Does `rule` match `item`? (Throttle, quiet hours and digests are not considered.)"""
    return rule.match.test(view(item))


class RuleIndex:
    """Rules by anchor, so `match_all` only evaluates rules that can match an item."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        self.always: list[int] = []
        self.by_fact: dict[str, list[int]] = {}
        self.by_word: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            if rule.match.anchors is None:
                self.always.append(i)
                continue
            for a in rule.match.anchors:
                if a.startswith("w:"):
                    self.by_word.setdefault(a[2:], []).append(i)
                else:
                    self.by_fact.setdefault(a, []).append(i)
        self.words = frozenset(self.by_word)

    def candidates(self, v: View) -> list[int]:
        found = set(self.always)
        by_fact = self.by_fact
        for fact in v.facts:
            hit = by_fact.get(fact)
            if hit:
                found.update(hit)
        if self.words:
            for word in self.words.intersection(v.text.words):
                found.update(self.by_word[word])
        return sorted(found)

    def match(self, item: MatchInput) -> list[Rule]:
        v = view(item)
        rules = self.rules
        return [rules[i] for i in self.candidates(v) if rules[i].match.test(v)]


def match_all(ruleset: RuleSet, item: MatchInput) -> list[Rule]:
    """Every rule of `ruleset` that matches `item`, in rule-set order."""
    return ruleset.index.match(item)
