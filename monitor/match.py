"""Evaluating watch rules against items, fast.

A `match:` block is compiled once, at load, into a `Matcher`: one closure per condition
(constants already parsed: sets of codes, canonical places, normalised keyword phrases,
compiled regexes), ordered cheapest first. What an item offers to conditions is computed
once per item in a `View` (event fields as sets, text read on first use) and shared by
every rule. `matches(rule, item)` runs one rule's closures.

`match_all` runs no closures: a `RuleIndex` gives each match block (rules, and the blocks
nested in `not` / `any`) one bit of an integer and, per condition key, precomputes the bit
masks of the blocks each possible value satisfies (by target, by place, by keyword phrase,
by numeric threshold via bisect...). An item's matches are then the AND of one mask per
key its rules use, a few big-integer operations each. The article text is read only when
an alive rule tests it: one pass for all keyword phrases and regex anchors
(textmatch.TextScanner, an Aho-Corasick automaton for most texts), then one anchored search
per distinct regex whose anchors occur, where they occur. `tests/test_match_index.py` and
`tests/test_match_fastpath.py` check the index against a plain evaluator.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache, reduce
from itertools import accumulate, combinations, compress, count, repeat
from operator import add, attrgetter, or_
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from monitor import gazetteer
from monitor.models import MatchInput
from monitor.rulespec import NUMERIC_FIELDS, MatchSpec
from monitor.textmatch import TextScanner, norm_text
from monitor.textnorm import phrase_bytes
from monitor.textregex import FOLD_ANCHORS, Regex

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
        self.parties = self.topics = self.places = self.places_up = _EMPTY
        self.nums: dict[str, int] = {}  # numeric facts that are known (not null), plus n_sources
        if ev is not None:
            if ev.places:
                found = [_place_and_ancestors(p) for p in ev.places]
                self.places = frozenset(canonical for canonical, _ in found)
                self.places_up = frozenset().union(*(up for _, up in found))
            if ev.kind == "strike":
                self.attacker, self.target = ev.attacker, ev.target
                drones, missiles = ev.drones, ev.missiles
                nums = {"drones_launched": drones.launched, "drones_destroyed": drones.destroyed,
                        "missiles_launched": missiles.launched, "missiles_destroyed": missiles.destroyed,
                        "drones_lost": ev.drones_lost, "killed": ev.killed, "injured": ev.injured}
                if drones.launched is not None or missiles.launched is not None:
                    nums["weapons_launched"] = (drones.launched or 0) + (missiles.launched or 0)
                self.nums = {k: v for k, v in nums.items() if v is not None}
            else:
                self.form, self.status = ev.form, ev.status
                self.parties, self.topics = frozenset(ev.parties), frozenset(ev.topics)
        self.langs = frozenset(item.languages | {item.lang} if item.lang else item.languages)
        self.sources = item.sources
        self.nums["n_sources"] = len(item.sources)
        self.text = norm_text(item.title, item.text)  # read lazily


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


def _any_phrase(phrases: tuple[bytes, ...]) -> Test:
    return lambda v: any(v.text.has_phrase(p) for p in phrases)


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


# match key -> (View attribute, how the item's value(s) must meet the listed ones)
SET_KEYS = {
    "attacker": ("attacker", "member"),
    "target": ("target", "member"),
    "parties": ("parties", "all"),
    "forms": ("form", "member"),
    "status": ("status", "member"),
    "topics": ("topics", "overlap"),
    "languages": ("langs", "overlap"),
    "sources": ("sources", "overlap"),
}
_SET_TESTS = {"member": _member, "overlap": _overlaps, "all": _all_of}


def _places_attr(spec: MatchSpec) -> str:
    return "places_up" if spec.include_subplaces else "places"


def _phrases(keywords: list[str] | None) -> tuple[bytes, ...]:
    return tuple(phrase_bytes(k) for k in keywords or ())


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
        conds.append((1, _overlaps(_places_attr(spec), frozenset(spec.places))))
    for field in NUMERIC_FIELDS:
        cond = getattr(spec, field)
        if cond is not None:
            conds.append((2, _numeric(field, *cond.bounds())))
    if spec.min_sources is not None:
        conds.append((1, _numeric("n_sources", spec.min_sources, float("inf"))))
    if spec.keywords:
        conds.append((5, _any_phrase(_phrases(spec.keywords))))
    if spec.exclude_keywords:
        conds.append((6, _negate(_any_phrase(_phrases(spec.exclude_keywords)))))
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


_BIT_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def bits(mask: int) -> list[int]:
    """The positions of the set bits of `mask`, lowest first."""
    if not mask & (mask - 1):
        return [mask.bit_length() - 1] if mask else []
    zeros = bin(mask)[:1:-1].split("1")  # the runs of 0 below each set bit, lowest first
    zeros.pop()
    return list(map(add, accumulate(map(len, zeros)), count()))  # zeros below + ones below


class _Values:
    """Rules testing one View attribute against listed values: bit masks by value."""

    def __init__(self, attr: str, how: str):
        self.attr, self.how = attr, how
        self.rules = 0  # the rules having this condition
        self.by_value: dict = {}
        self.longest = 0  # most values one rule lists ("all" only)

    def add(self, bit: int, values: Iterable) -> None:
        self.rules |= bit
        if self.how == "all":  # every listed value must be there: index the sorted tuple
            key = tuple(sorted(set(values)))
            self.by_value[key] = self.by_value.get(key, 0) | bit
            self.longest = max(self.longest, len(key))
            return
        for value in values:
            self.by_value[value] = self.by_value.get(value, 0) | bit

    def test(self) -> Callable[[View], int]:
        """view -> the rules (among self.rules) whose condition the view satisfies."""
        get, by_value = attrgetter(self.attr), self.by_value.get
        if self.how == "member":
            return lambda v: by_value(get(v), 0)
        if self.how == "overlap":
            def overlap(v: View) -> int:
                ok = 0
                for x in get(v):
                    ok |= by_value(x, 0)
                return ok
            return overlap
        longest = self.longest

        def all_of(v: View) -> int:  # every subset of the item's values that a rule lists
            ok, present = 0, sorted(get(v))
            for size in range(1, min(len(present), longest) + 1):
                for key in combinations(present, size):
                    ok |= by_value(key, 0)
            return ok
        return all_of


class _Range:
    """Rules testing one count against [lo, hi]: sorted bounds, masks found by bisect."""

    def __init__(self, field: str):
        self.field = field
        self.rules = 0
        self.bounds: list[tuple[float, float, int]] = []

    def add(self, bit: int, lo: float, hi: float) -> None:
        self.rules |= bit
        self.bounds.append((lo, hi, bit))

    def freeze(self) -> None:
        """lo_masks[j]: rules with lo <= los[j]; hi_masks[j]: rules with hi >= his[j]."""
        self.los = sorted({lo for lo, _, _ in self.bounds})
        self.his = sorted({hi for _, hi, _ in self.bounds})
        by_lo = {lo: 0 for lo in self.los}
        by_hi = {hi: 0 for hi in self.his}
        for lo, hi, bit in self.bounds:
            by_lo[lo] |= bit
            by_hi[hi] |= bit
        self.lo_masks, acc = [], 0
        for lo in self.los:
            acc |= by_lo[lo]
            self.lo_masks.append(acc)
        self.hi_masks, acc = [0] * len(self.his), 0
        for j in range(len(self.his) - 1, -1, -1):
            acc |= by_hi[self.his[j]]
            self.hi_masks[j] = acc

    def test(self) -> Callable[[View], int]:
        """view -> the rules (among self.rules) whose bounds hold the view's count."""
        field, los, his, lo_masks, hi_masks = self.field, self.los, self.his, self.lo_masks, self.hi_masks
        if his == [float("inf")]:  # no upper bounds
            def at_least(v: View) -> int:
                x = v.nums.get(field)
                j = 0 if x is None else bisect_right(los, x)
                return lo_masks[j - 1] if j else 0
            return at_least

        def within(v: View) -> int:
            x = v.nums.get(field)
            if x is None:
                return 0
            j, k = bisect_right(los, x), bisect_left(his, x)
            return lo_masks[j - 1] & hi_masks[k] if j and k < len(his) else 0
        return within


def _nested(spec: MatchSpec) -> Iterator[MatchSpec]:
    """`spec` and every block nested in it."""
    yield spec
    for nested in ([spec.not_] if spec.not_ else []) + (spec.any_ or []):
        yield from _nested(nested)


class RuleIndex:
    """The rules of a rule set, split by the event kind they can match, as bit masks.

    An item is matched against the part for its event kind (strike, negotiation, none):
    the rules without `kind` plus those of that kind. All parts share one TextScanner.
    """

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple(rules)
        blocks = [b for rule in self.rules for b in _nested(rule.match.spec)]
        phrases = {p for b in blocks for p in _phrases(b.keywords) + _phrases(b.exclude_keywords)}
        regexes = [Regex(r) for r in {r for b in blocks for r in b.regex or ()}]
        anchors = {a for r in regexes for a in r.anchors or ()}
        spellings: dict[tuple[bytes, bool], set[bytes]] = {}
        for regex in regexes:
            for anchor, spelled in regex.spellings.items():
                spellings.setdefault(anchor, set()).update(spelled)
        scanner = TextScanner(phrases, anchors | FOLD_ANCHORS if anchors else (), spellings)
        self.parts = {kind: _Part([r for r in self.rules if r.match.spec.kind in (None, kind)], scanner, kind)
                      for kind in ("strike", "negotiation", None)}

    def match(self, item: MatchInput) -> list[Rule]:
        v = view(item)
        return self.parts.get(v.kind, self.parts[None]).match(v)


class _Part:
    """Rules as bit masks per condition key, so `match` ANDs a few masks per item.

    Every match block gets a bit: the rules first, then the blocks nested in their `not` and
    `any`. For every block and key, the block's bit is set in the masks of the values
    satisfying its condition; blocks without that key pass it. Keys are tried only while some
    alive block has them. One TextScanner pass gives the keyword phrases and regex anchors of
    the text; each distinct regex is then searched once, where its anchors are. Last, `not`
    and `any` read the bits of their nested blocks, innermost first. `kind` is known per
    part (RuleIndex): a block of another kind is dead from the start.
    """

    def __init__(self, rules: list[Rule], scanner: TextScanner, kind: str | None):
        self.rules, self.scanner = tuple(rules), scanner
        self.top = (1 << len(self.rules)) - 1  # the rules' bits
        keys: dict[str, _Values | _Range] = {}
        keys.update((key, _Values(attr, how)) for key, (attr, how) in SET_KEYS.items())
        keys["places"], keys["places_up"] = _Values("places", "overlap"), _Values("places_up", "overlap")
        keys.update((f, _Range(f)) for f in (*NUMERIC_FIELDS, "n_sources"))
        self.keywords: dict[bytes, int] = {}  # phrase -> blocks listing it in keywords
        self.excluded: dict[bytes, int] = {}  # phrase -> blocks listing it in exclude_keywords
        self.keyword_rules = self.text_rules = 0
        self.regexes: dict[str, tuple[Regex, int]] = {}  # source -> (Regex, blocks listing it)
        self.regex_rules = 0
        blocks = [rule.match.spec for rule in self.rules]
        self.combined: dict[int, tuple[int, int]] = {}  # block -> (its `not` block's bit, its `any` bits)
        for i in range(len(self.rules)):
            self._nest(blocks, i)
        self.all = sum(1 << i for i, b in enumerate(blocks) if b.kind in (None, kind))
        for i, spec in enumerate(blocks):
            self._add(keys, spec, 1 << i)
        for key in keys.values():
            if isinstance(key, _Range):
                key.freeze()
        # (blocks with the key, blocks without it, test); keys no block uses are dropped
        self.steps = [(k.rules, self.all & ~k.rules, k.test()) for k in keys.values() if k.rules]
        self.combined_rules = sum(1 << i for i in self.combined)
        self.no_keywords, self.no_regex = self.all & ~self.keyword_rules, self.all & ~self.regex_rules
        self.unanchored = [r for r in self.regexes.values() if r[0].anchors is None]
        self.by_anchor: dict[tuple[bytes, bool], list[tuple[Regex, int]]] = {}  # anchor -> regexes having it
        for regex, rules in self.regexes.values():
            for anchor in regex.anchors or ():
                self.by_anchor.setdefault(anchor, []).append((regex, rules))

    def _nest(self, blocks: list[MatchSpec], i: int) -> None:
        """Give bits to the blocks nested in block i (higher than i's)."""
        spec, negated, branches = blocks[i], 0, 0
        for nested in [spec.not_] if spec.not_ else []:
            blocks.append(nested)
            negated = 1 << len(blocks) - 1
            self._nest(blocks, len(blocks) - 1)
        for nested in spec.any_ or []:
            blocks.append(nested)
            branches |= 1 << len(blocks) - 1
            self._nest(blocks, len(blocks) - 1)
        if negated or branches:
            self.combined[i] = (negated, branches)

    def _add(self, keys: dict, spec: MatchSpec, bit: int) -> None:
        """Set `bit` in the masks of every value satisfying each condition of `spec`."""
        for key in SET_KEYS:
            if getattr(spec, key):
                keys[key].add(bit, getattr(spec, key))
        if spec.places:
            keys[_places_attr(spec)].add(bit, spec.places)
        for field in NUMERIC_FIELDS:
            if getattr(spec, field) is not None:
                keys[field].add(bit, *getattr(spec, field).bounds())
        if spec.min_sources is not None:
            keys["n_sources"].add(bit, spec.min_sources, float("inf"))
        for attr, by_phrase in (("keywords", self.keywords), ("exclude_keywords", self.excluded)):
            for phrase in _phrases(getattr(spec, attr)):
                by_phrase[phrase] = by_phrase.get(phrase, 0) | bit
                self.text_rules |= bit
        if spec.keywords:
            self.keyword_rules |= bit
        for source in spec.regex or ():
            regex, rules = self.regexes.get(source) or (Regex(source), 0)
            self.regexes[source] = (regex, rules | bit)
            self.regex_rules |= bit
            self.text_rules |= bit  # the scan finds the anchors

    def match(self, v: View) -> list[Rule]:
        alive = self.all
        for rules, others, test in self.steps:
            if alive & rules:
                alive &= others | test(v)
                if not alive:
                    return []
        if not alive & self.text_rules:
            return self._result(alive)
        phrases, anchors = self.scanner.scan(v.text)
        ok = reduce(or_, map(self.keywords.get, phrases, repeat(0)), self.no_keywords)
        vetoed = reduce(or_, map(self.excluded.get, phrases, repeat(0)), 0)
        alive &= ok & ~vetoed
        if alive & self.regex_rules:
            ok, text = self.no_regex, v.text
            if anchors is None or text.may_fold_to_ascii:  # anchors not looked for: each regex finds its own
                candidates = self.regexes.values()
            else:  # the regexes that can match: those whose anchors the scan found
                candidates = self.unanchored + [r for a in anchors for r in self.by_anchor.get(a, ())]
            for regex, rules in candidates:
                if alive & rules and regex.search(text):
                    ok |= rules
            alive &= ok
        return self._result(alive)

    def _result(self, alive: int) -> list[Rule]:
        """The rules alive once `not` and `any` are applied, from the innermost blocks out."""
        for i in reversed(bits(alive & self.combined_rules)):  # nested blocks have higher bits
            negated, branches = self.combined[i]
            if alive & negated or branches and not alive & branches:
                alive ^= 1 << i
        # one byte per rule, 1 when it matches: compress picks them at C speed
        return list(compress(self.rules, bin(alive & self.top)[:1:-1].encode().translate(_BIT_BYTES)))
