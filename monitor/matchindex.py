"""All the rules of a rule set against one item at once: bit masks instead of closures.

A `RuleIndex` splits the rules by the event kind they can match (strike, negotiation,
none); in each part (`_Part`) every match block (rules, and the blocks nested in `not` /
`any`, laid out by matchnest.Nesting) has one bit of an integer and, per condition key,
the bit masks of the blocks each possible value satisfies are precomputed (by target, by
place, by keyword phrase, by numeric threshold via bisect...). An item's matches are then
the AND of one mask per key its rules use, a few big-integer operations each. The article
text is read only when an alive rule tests it: one pass for all keyword phrases and regex
anchors (textmatch.TextScanner, an Aho-Corasick automaton for most texts), then one
anchored search per distinct regex whose anchors occur, where they occur. Last, a few
shifts resolve every `not` and `any` (Nesting.resolve). `tests/test_match_index.py` and
`tests/test_match_fastpath.py` check the index against a plain evaluator.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import reduce
from itertools import combinations, compress
from operator import attrgetter, getitem, iadd, or_
from typing import TYPE_CHECKING, Callable, Iterable

from monitor.matchnest import Nesting
from monitor.matchview import SET_KEYS, View, phrases, places_attr, view
from monitor.models import MatchInput
from monitor.rulespec import NUMERIC_FIELDS, MatchSpec
from monitor.textmatch import TextScanner
from monitor.textregex import FOLD_ANCHORS, Regex

if TYPE_CHECKING:
    from monitor.rules import Rule



_SELECT = [bytes(value >> j & 1 for j in range(8)) for value in range(256)]  # byte -> its 8 bits


class _Picker:
    """The rules whose bits a mask sets, in order, with a few C-level passes: the mask as
    bytes, the tables of its non-zero bytes (itertools.compress), each table's rules for
    its byte value, added to one list. Several times faster than one compress over one byte per rule, for
    256 tuples per 8 rules (~2 MB per 1,000 rules)."""

    def __init__(self, rules: tuple):
        self.size = (len(rules) + 7) // 8
        # byte j -> byte value -> the rules of bits 8j..8j+7 it sets
        self.tables = [[tuple(compress(rules[8 * j:8 * j + 8], select)) for select in _SELECT]
                       for j in range(self.size)]

    def pick(self, mask: int) -> list:
        data = mask.to_bytes(self.size, "little")
        return reduce(iadd, map(getitem, compress(self.tables, data), data.replace(b"\0", b"")), [])


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


def _nested(spec: MatchSpec) -> Iterable[MatchSpec]:
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
        found = {p for b in blocks for p in phrases(b.keywords) + phrases(b.exclude_keywords)}
        regexes = [Regex(r) for r in {r for b in blocks for r in b.regex or ()}]
        anchors = {a for r in regexes for a in r.anchors or ()}
        spellings: dict[tuple[bytes, bool], set[bytes]] = {}
        for regex in regexes:
            for anchor, spelled in regex.spellings.items():
                spellings.setdefault(anchor, set()).update(spelled)
        scanner = TextScanner(found, anchors | FOLD_ANCHORS if anchors else (), spellings)
        self.parts = {kind: _Part([r for r in self.rules if r.match.spec.kind in (None, kind)], scanner, kind)
                      for kind in ("strike", "negotiation", None)}

    def match(self, item: MatchInput) -> list[Rule]:
        v = view(item)
        return self.parts.get(v.kind, self.parts[None]).match(v)


class _Part:
    """Rules as bit masks per condition key, so `match` ANDs a few masks per item.

    Every match block gets a bit (matchnest.Nesting). For every block and key, the block's
    bit is set in the masks of the values satisfying its condition; blocks without that key
    pass it. Keys are tried only while some alive block has them. One TextScanner pass
    gives the keyword phrases and regex anchors of the text; each distinct regex is then
    searched once, where its anchors are. Last, `not` and `any` are resolved from the bits
    of their nested blocks. `kind` is known per part (RuleIndex): a block of another kind
    is dead from the start.
    """

    def __init__(self, rules: list[Rule], scanner: TextScanner, kind: str | None):
        self.rules, self.scanner = tuple(rules), scanner
        self.top = (1 << len(self.rules)) - 1  # the rules' own bits
        self.picker = _Picker(self.rules)
        self.nesting = Nesting([rule.match.spec for rule in self.rules])
        self.nested = self.nesting.nested  # the bits of combined rules and their nested blocks
        keys: dict[str, _Values | _Range] = {}
        keys.update((key, _Values(attr, how)) for key, (attr, how) in SET_KEYS.items())
        keys["places"], keys["places_up"] = _Values("places", "overlap"), _Values("places_up", "overlap")
        keys.update((f, _Range(f)) for f in (*NUMERIC_FIELDS, "n_sources"))
        self.keywords: dict[bytes, int] = {}  # phrase -> blocks listing it in keywords
        self.excluded: dict[bytes, int] = {}  # phrase -> blocks listing it in exclude_keywords
        self.keyword_rules = self.text_rules = 0
        self.regexes: dict[str, tuple[Regex, int]] = {}  # source -> (Regex, blocks listing it)
        self.regex_rules = 0
        self.all = 0
        for bit, spec in self.nesting.blocks:
            if spec.kind in (None, kind):
                self.all |= 1 << bit
            self._add(keys, spec, 1 << bit)
        for key in keys.values():
            if isinstance(key, _Range):
                key.freeze()
        # (blocks with the key, blocks without it, test); keys no block uses are dropped
        self.steps = [(k.rules, self.all & ~k.rules, k.test()) for k in keys.values() if k.rules]
        self.no_keywords, self.no_regex = self.all & ~self.keyword_rules, self.all & ~self.regex_rules
        # keywords and exclude_keywords by phrase id (TextScanner.ids): the blocks listing it
        self.by_id, self.vetoes_by_id = [0] * scanner.n_patterns, [0] * scanner.n_patterns
        for by_phrase, by_id in ((self.keywords, self.by_id), (self.excluded, self.vetoes_by_id)):
            for phrase, blocks in by_phrase.items():
                by_id[scanner.ids[phrase]] = blocks
        self.vetoing = frozenset(scanner.ids[phrase] for phrase in self.excluded)
        self.unanchored = [r for r in self.regexes.values() if r[0].anchors is None]
        self.by_anchor: dict[tuple[bytes, bool], list[tuple[Regex, int]]] = {}  # anchor -> regexes having it
        for regex, rules in self.regexes.values():
            for anchor in regex.anchors or ():
                self.by_anchor.setdefault(anchor, []).append((regex, rules))

    def _add(self, keys: dict, spec: MatchSpec, bit: int) -> None:
        """Set `bit` in the masks of every value satisfying each condition of `spec`."""
        for key in SET_KEYS:
            if getattr(spec, key):
                keys[key].add(bit, getattr(spec, key))
        if spec.places:
            keys[places_attr(spec)].add(bit, spec.places)
        for field in NUMERIC_FIELDS:
            if getattr(spec, field) is not None:
                keys[field].add(bit, *getattr(spec, field).bounds())
        if spec.min_sources is not None:
            keys["n_sources"].add(bit, spec.min_sources, float("inf"))
        for attr, by_phrase in (("keywords", self.keywords), ("exclude_keywords", self.excluded)):
            for phrase in phrases(getattr(spec, attr)):
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
        if alive & self.text_rules:
            alive = self._read(v, alive)
        top = alive & self.top
        if alive & self.nested:
            top |= self.nesting.resolve(alive)
        return self.picker.pick(top)

    def _read(self, v: View, alive: int) -> int:
        """`alive` less the blocks whose keywords, exclude_keywords or regexes fail on the text."""
        ids, anchors = self.scanner.scan_ids(v.text)
        alive &= reduce(or_, map(self.by_id.__getitem__, ids), self.no_keywords)
        if not self.vetoing.isdisjoint(ids):
            alive &= ~reduce(or_, map(self.vetoes_by_id.__getitem__, ids))
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
        return alive
