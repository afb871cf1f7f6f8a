"""Evaluating watch rules against items, fast.

A `match:` block is compiled once, at load, into a `Matcher`: one closure per condition
(constants already parsed: sets of codes, canonical places, normalised keyword phrases,
compiled regexes), ordered cheapest first. What an item offers to conditions is computed
once per item in a `View` (monitor.matchview: event fields as sets, text read on first
use) and shared by every rule. `matches(rule, item)` runs one rule's closures.

`match_all` runs no closures: the rule set's `RuleIndex` (monitor.matchindex) evaluates
every rule at once with bit masks, `not` and `any` included (monitor.matchnest).
`tests/test_match_index.py` and `tests/test_match_fastpath.py` check both against a plain
evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Callable

from monitor.matchindex import RuleIndex
from monitor.matchnest import bits
from monitor.matchview import SET_KEYS, View, phrases, places_attr, view
from monitor.models import MatchInput
from monitor.rulespec import NUMERIC_FIELDS, MatchSpec
from monitor.textregex import Regex

__all__ = ["Matcher", "RuleIndex", "View", "bits", "compile_match", "match_all", "matches", "view"]

if TYPE_CHECKING:
    from monitor.rules import Rule, RuleSet

Test = Callable[[View], bool]


@dataclass(frozen=True)
class Matcher:
    """A compiled match block: `test(view)` is True when the block matches."""

    spec: MatchSpec
    test: Test


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


def _any_phrase(wanted: tuple[bytes, ...]) -> Test:
    return lambda v: any(v.text.has_phrase(p) for p in wanted)


def _any_regex(patterns: tuple[Regex, ...]) -> Test:
    return lambda v: any(p.search(v.text) for p in patterns)


def _negate(test: Test) -> Test:
    return lambda v: not test(v)


def _any_test(tests: tuple[Test, ...]) -> Test:
    return lambda v: any(t(v) for t in tests)


def _all_tests(tests: list[Test]) -> Test:
    if len(tests) == 1:
        return tests[0]
    tests = tuple(tests)

    def test(v: View) -> bool:
        for t in tests:
            if not t(v):
                return False
        return True
    return test


_SET_TESTS = {"member": _member, "overlap": _overlaps, "all": _all_of}


def _conditions(spec: MatchSpec) -> list[tuple[int, Test]]:
    """(cost, test) for every condition of one match block."""
    conds = []
    if spec.kind:
        conds.append((0, _member("kind", frozenset([spec.kind]))))
    for key, (attr, how) in SET_KEYS.items():
        values = getattr(spec, key)
        if values:
            conds.append((1, _SET_TESTS[how](attr, frozenset(values))))
    if spec.places:
        conds.append((1, _overlaps(places_attr(spec), frozenset(spec.places))))
    for field in NUMERIC_FIELDS:
        cond = getattr(spec, field)
        if cond is not None:
            conds.append((2, _numeric(field, *cond.bounds())))
    if spec.min_sources is not None:
        conds.append((1, _numeric("n_sources", spec.min_sources, float("inf"))))
    if spec.keywords:
        conds.append((5, _any_phrase(phrases(spec.keywords))))
    if spec.exclude_keywords:
        conds.append((6, _negate(_any_phrase(phrases(spec.exclude_keywords)))))
    if spec.regex:
        conds.append((8, _any_regex(tuple(map(Regex, spec.regex)))))
    if spec.not_ is not None:
        conds.append((7, _negate(compile_match(spec.not_).test)))
    if spec.any_:
        branches = tuple(compile_match(b).test for b in spec.any_)
        conds.append((7, _any_test(branches)))
    return sorted(conds, key=lambda c: c[0])


def compile_match(spec: MatchSpec) -> Matcher:
    """Compile a validated match block into a Matcher."""
    return Matcher(spec, _all_tests([test for _, test in _conditions(spec)]))


def matches(rule: Rule, item: MatchInput) -> bool:
    """Does `rule` match `item`? (Throttle, quiet hours and digests are not considered.)"""
    return rule.match.test(view(item))


def match_all(ruleset: RuleSet, item: MatchInput) -> list[Rule]:
    """Every rule of `ruleset` that matches `item`, in rule-set order."""
    return ruleset.index.match(item)
