"""The bit tricks of match_all never change a result.

- `not` / `any` resolved for every rule at once by shifts (matchnest.Nesting), checked
  against the plain reference evaluator of test_match_index on rule sets full of nesting;
- the matching rules picked from the result mask byte by byte (matchindex._Picker);
- multi-word phrases written with separators of any length (the Aho-Corasick patterns
  for short ones, a regex after a longer one);
- a regex tried at every place where one of the ways its matches can begin occurs.
"""

from __future__ import annotations

import random
import re
from itertools import compress

from hypothesis import given, settings
from hypothesis import strategies as st
from test_match_index import make_rules, random_block, random_item, reference

from monitor.match import match_all, matches
from monitor.matchindex import _Picker
from monitor.matchnest import Nesting
from monitor.models import MatchInput
from monitor.rulespec import MatchSpec
from monitor.textmatch import NormText, TextScanner
from monitor.textnorm import normalise, phrase_bytes

# --- not / any ------------------------------------------------------------------------


def nested_block(r: random.Random, depth: int = 0) -> dict:
    """A block of random_block with, often, a `not` and an `any` of 1-4 branches, 3 deep."""
    block = random_block(r, depth=2)  # no nesting of its own
    if depth < 3 and r.random() < 0.5:
        block["not"] = nested_block(r, depth + 1)
    if depth < 3 and r.random() < 0.5:
        block["any"] = [nested_block(r, depth + 1) for _ in range(r.randint(1, 4))]
    return block


def test_not_and_any_resolved_by_shifts_are_the_reference():
    for seed in range(5):
        r = random.Random(seed)
        # plain rules between the nested ones, so that combined rules are not neighbours
        blocks = [nested_block(r) if r.random() < 0.4 else random_block(r) for _ in range(160)]
        ruleset = make_rules(blocks)
        for _ in range(120):
            item = random_item(r)
            expected = [rule.name for rule in ruleset if reference(rule.match.spec, item)]
            assert [rule.name for rule in match_all(ruleset, item)] == expected, item
            assert [rule.name for rule in ruleset if matches(rule, item)] == expected, item


def test_nesting_gives_every_block_its_own_bit_above_its_parent():
    r = random.Random(7)
    specs = [MatchSpec.model_validate(nested_block(r) if i % 3 else random_block(r)) for i in range(90)]
    nesting = Nesting(specs)
    bits = [bit for bit, _ in nesting.blocks]
    assert len(bits) == len(set(bits)) == sum(1 + _count_nested(s) for s in specs)
    assert max(bits) < nesting.width
    # a rule without not / any keeps its place, the others and their nested blocks lie above
    plain = [i for i, spec in enumerate(specs) if spec.not_ is None and not spec.any_]
    assert sorted(bit for bit in bits if bit < len(specs)) == plain
    assert all(spec is specs[bit] for bit, spec in nesting.blocks if bit < len(specs))
    # every child lies above its parent
    assert all(shift > 0 for negated, any_of in nesting.steps
               for shift, _ in ([negated] if negated else []) + (any_of[0] if any_of else []))


def _count_nested(spec: MatchSpec) -> int:
    nested = ([spec.not_] if spec.not_ else []) + (spec.any_ or [])
    return sum(1 + _count_nested(n) for n in nested)


def test_a_not_inside_an_any_inside_a_not():
    ruleset = make_rules([
        {"kind": "strike", "not": {"any": [{"target": ["UA"], "not": {"attacker": ["RU"]}}, {"killed": {"gte": 5}}]}},
        {"target": ["UA"]},
        {"any": [{"not": {"target": ["UA"]}}, {"keywords": ["drones"]}]},
    ])
    r = random.Random(11)
    for _ in range(300):
        item = random_item(r)
        assert match_all(ruleset, item) == [rule for rule in ruleset if reference(rule.match.spec, item)], item


# --- picking the rules of a mask ------------------------------------------------------


@given(st.integers(0, 70), st.data())
def test_picker_gives_the_rules_of_the_set_bits_in_order(size, data):
    rules = tuple(f"r{i}" for i in range(size))
    picker = _Picker(rules)
    for _ in range(3):
        positions = data.draw(st.sets(st.integers(0, max(size - 1, 0)))) if size else set()
        mask = sum(1 << p for p in positions)
        assert picker.pick(mask) == list(compress(rules, (i in positions for i in range(size))))
    assert picker.pick((1 << size) - 1) == list(rules)


# --- phrases with separators of any length ----------------------------------------------

SEPARATOR_CHARS = [" ", "-", ",", ".", "\n", "'", "\u2019", "«", "\xa0", "—"]


@settings(max_examples=300)
@given(words=st.lists(st.sampled_from(["air", "defence", "de", "s", "300", "le", "feu", "é"]), min_size=2, max_size=7),
       separators=st.lists(st.lists(st.sampled_from(SEPARATOR_CHARS), min_size=1, max_size=7).map("".join),
                           min_size=6, max_size=6),
       before=st.sampled_from(["", "x ", "x, ", "air"]), after=st.sampled_from(["", " x", ". x", "s"]))
def test_phrases_are_found_whatever_their_separators(words, separators, before, after):
    text = before + "".join(w + s for w, s in zip(words, separators)) + words[-1] + after
    phrases = {phrase_bytes(" ".join(words[i:j])) for i in range(len(words)) for j in range(i + 2, len(words) + 1)}
    phrases |= {phrase_bytes(" ".join(reversed(words)))}
    expected = {p for p in phrases if b" " + p + b" " in phrase_bytes(f" {normalise(text)} ")}
    assert TextScanner(phrases).scan(NormText("", text))[0] == expected


# --- regexes tried where their matches can begin ---------------------------------------

AIRCRAFT = [r"\btu-?(95|160|22m3?)\b", r"\b(mig|su)-?\d{2}\b", r"\bs-?[34]00\b"]


def test_a_regex_is_tried_at_every_spelling_of_its_anchor():
    ruleset = make_rules([{"regex": [AIRCRAFT[0]]}])
    for text in ("Tu-160 and later tu 95", "tu 95 then Tu-160", "a TU-22M3, then Tu 95"):
        assert [r.name for r in match_all(ruleset, MatchInput(None, "x", text, "en"))] == ["r0"], text
    assert match_all(ruleset, MatchInput(None, "x", "tu 95 and tu 160", "en")) == []


@settings(max_examples=300)
@given(st.lists(st.sampled_from(["Tu-160", "tu 95", "Tu95", "TU-22M3", "tu 22", "MiG-31", "mig 31", "Su-34",
                                 "S-300", "s 400", "S300", "x", "de", "-"]), max_size=8),
       st.lists(st.sampled_from([" ", ", ", "-", " — ", "\n"]), min_size=8, max_size=8))
def test_aircraft_regexes_are_re_search(parts, separators):
    text = "".join(p + s for p, s in zip(parts, separators))
    ruleset = make_rules([{"regex": [pattern]} for pattern in AIRCRAFT])
    expected = [f"r{i}" for i, p in enumerate(AIRCRAFT) if re.search(p, f"x\n{text}", re.IGNORECASE)]
    assert [r.name for r in match_all(ruleset, MatchInput(None, "x", text, "en"))] == expected
