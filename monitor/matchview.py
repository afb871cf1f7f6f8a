"""What one item offers to watch rules, computed once per item and shared by every rule.

`View(item)` holds an item's event fields as the sets and values rules test (places
canonical, with their enclosing regions for `include_subplaces`; counts by numeric field,
None when unknown) and its text as a `textmatch.NormText`, normalised on first use.
`SET_KEYS` says, for each set-valued match key, which View attribute it tests and how.
"""

from __future__ import annotations

from functools import lru_cache

from monitor import gazetteer
from monitor.models import MatchInput
from monitor.rulespec import MatchSpec
from monitor.textmatch import NormText, norm_text
from monitor.textnorm import phrase_bytes

_EMPTY: frozenset[str] = frozenset()

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


def places_attr(spec: MatchSpec) -> str:
    """The View attribute a block's `places` test: with or without enclosing regions."""
    return "places_up" if spec.include_subplaces else "places"


def phrases(keywords: list[str] | None) -> tuple[bytes, ...]:
    """A block's keywords (already normalised) as the bytes NormText compares."""
    return tuple(phrase_bytes(k) for k in keywords or ())


@lru_cache(maxsize=4096)
def _place_and_ancestors(place: str) -> tuple[str, frozenset[str]]:
    canonical = gazetteer.canonical_place(place) or place
    up, seen = [canonical], {canonical}
    while (parent := gazetteer.place_parent(up[-1])) and parent not in seen:
        up.append(parent)
        seen.add(parent)
    return canonical, frozenset(up)


@lru_cache(maxsize=4096)
def _places(places: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """(canonical places, the same and every region enclosing one) of an event's places."""
    found = [_place_and_ancestors(p) for p in places]
    return frozenset(canonical for canonical, _ in found), frozenset().union(*(up for _, up in found))


class View:
    """The facts of one MatchInput that rules test, computed once."""

    __slots__ = ("item", "kind", "attacker", "target", "form", "status", "parties", "topics", "places",
                 "places_up", "nums", "langs", "sources", "text")

    def __init__(self, item: MatchInput):
        self.item = item
        ev = item.event
        self.attacker = self.target = self.form = self.status = None
        self.parties = self.topics = self.places = self.places_up = _EMPTY
        # count by numeric field (None when not known), plus n_sources
        self.nums: dict[str, int | None] = {"n_sources": len(item.sources)}
        if ev is None:
            self.kind = None
        else:
            self.kind = kind = ev.kind
            if ev.places:
                self.places, self.places_up = _places(tuple(ev.places))
            if kind == "strike":
                self.attacker, self.target = ev.attacker, ev.target
                drones, missiles = ev.drones, ev.missiles
                launched, fired = drones.launched, missiles.launched
                nums = self.nums
                nums["drones_launched"], nums["drones_destroyed"] = launched, drones.destroyed
                nums["missiles_launched"], nums["missiles_destroyed"] = fired, missiles.destroyed
                nums["drones_lost"], nums["killed"], nums["injured"] = ev.drones_lost, ev.killed, ev.injured
                if launched is not None or fired is not None:
                    nums["weapons_launched"] = (launched or 0) + (fired or 0)
            else:
                self.form, self.status = ev.form, ev.status
                self.parties, self.topics = frozenset(ev.parties), frozenset(ev.topics)
        langs, lang = item.languages, item.lang
        self.langs = langs if not lang or lang in langs else frozenset(langs | {lang})
        self.sources = item.sources
        self.text: NormText = norm_text(item.title, item.text)  # normalised lazily


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
