"""Place names: any spelling -> canonical English name, parent and country.

Data lives in monitor/data/gazetteer.yaml. Matching is case- and accent-insensitive
and works on whole words. A Ukrainian city name alone means the city ("Kharkiv");
in a region phrase ("région de Kharkiv", "Kharkiv Oblast") it means the oblast.
A Russian region name alone means the region ("Briansk" -> "Bryansk Oblast").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


def _words(text: str) -> list[str]:
    # imported here: monitor.extract imports this module, so a top-level import would be circular
    from monitor.extract.textnorm import fold, tokens

    return [t for t, _, _ in tokens(fold(text)) if t not in ("l", "d")]

_DATA = Path(__file__).parent / "data" / "gazetteer.yaml"

REGION_WORDS = frozenset(
    "region regions oblast oblasts oblast' krai kray province provinces republique republic "
    "territoire territory district".split()
)
# words that may sit between a region word and the name: "région russe de Koursk"
REGION_LINK = frozenset(
    "de d of the la l du des et and russe russes ukrainienne ukrainiennes russian ukrainian "
    "frontaliere frontalieres border voisine neighbouring neighboring".split()
)


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country | region | city | venue
    country: str | None
    parent: str | None
    held_by: str | None = None


@dataclass(frozen=True)
class AliasHit:
    bare: str  # canonical name when the alias stands alone
    region: str | None  # canonical name in a region phrase
    city: str | None = None  # a same-named city that only a city cue selects ("à Koursk")


class _Gazetteer:
    def __init__(self, data: dict) -> None:
        self.places: dict[str, Place] = {}
        self.index: dict[tuple[str, ...], AliasHit] = {}
        self.countries: dict[str, str] = {}
        for code, spec in data["countries"].items():
            self.countries[code] = spec["name"]
            self.places[spec["name"]] = Place(spec["name"], "country", code, None)
            for alias in [spec["name"], *spec.get("aliases", [])]:
                self._add(alias, AliasHit(spec["name"], None), weak=True)
        for spec in data["venues"]:
            self.places[spec["name"]] = Place(spec["name"], "venue", spec["country"], None)
            for alias in [spec["name"], *spec.get("aliases", [])]:
                self._add(alias, AliasHit(spec["name"], None), weak=True)
        for spec in data["regions"]:
            name = spec["name"]
            self.places[name] = Place(
                name, "region", spec["country"], None, spec.get("held_by", spec["country"])
            )
            for alias in [name, *spec.get("aliases", [])]:
                self._add(alias, AliasHit(name, name))  # cities below override bare names
        for spec in data["cities"]:
            name, region = spec["name"], spec["region"]
            parent = self.places[region]
            self.places[name] = Place(name, "city", parent.country, region, parent.held_by)
            in_region = region if self._capital_of(data, region) == name else None
            for alias in [name, *spec.get("aliases", [])]:
                key = self._key(alias)
                old = self.index.get(key)
                if spec.get("weak") and old:  # the bare name stays the region's
                    self.index[key] = AliasHit(old.bare, old.region, name)
                    continue
                self.index[key] = AliasHit(name, in_region or (old.region if old else None))
        self.max_len = max(len(k) for k in self.index)
        self.first_words = frozenset(k[0] for k in self.index)
        sizes: dict[str, set[int]] = {}
        for k in self.index:
            sizes.setdefault(k[0], set()).add(len(k))
        self.sizes = {w: tuple(sorted(n, reverse=True)) for w, n in sizes.items()}

    @staticmethod
    def _capital_of(data: dict, region: str) -> str | None:
        for spec in data["regions"]:
            if spec["name"] == region:
                return spec.get("capital")
        return None

    @staticmethod
    def _key(alias: str) -> tuple[str, ...]:
        return tuple(_words(alias))

    def _add(self, alias: str, hit: AliasHit, weak: bool = False) -> None:
        key = self._key(alias)
        if key and (not weak or key not in self.index):
            self.index[key] = hit


@lru_cache(maxsize=1)
def _gaz() -> _Gazetteer:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster when built in
    with open(_DATA, encoding="utf-8") as fh:
        return _Gazetteer(yaml.load(fh, Loader=loader))  # noqa: S506 - a safe loader


def lookup(words: tuple[str, ...]) -> AliasHit | None:
    """Alias lookup on folded word tokens (used by the extractor)."""
    return _gaz().index.get(words)


def first_words() -> frozenset[str]:
    """Words that can start an alias: a cheap screen before n-gram lookups."""
    return _gaz().first_words


def local_first_words() -> frozenset[str]:
    """Words that can start the alias of a city or a region (not of a country or venue)."""
    gaz = _gaz()
    local = set()
    for key, hit in gaz.index.items():
        kinds = {gaz.places[n].kind for n in (hit.bare, hit.region, hit.city) if n in gaz.places}
        if kinds & {"city", "region"}:
            local.add(key[0])
    return frozenset(local)


def alias_sizes() -> dict[str, tuple[int, ...]]:
    """First word of an alias -> the word counts of the aliases it starts, longest first."""
    return _gaz().sizes


def max_alias_words() -> int:
    return _gaz().max_len


def place_info(canonical: str) -> Place | None:
    return _gaz().places.get(canonical)


def canonical_place(name: str) -> str | None:
    """Any spelling ("Kiev", "Київ", "région de Briansk", "Kharkiv oblast") -> canonical name."""
    if not name or not name.strip():
        return None
    gaz = _gaz()
    if name in gaz.places:
        return name
    words = _words(name)
    region_mode = False
    while words and (words[0] in REGION_WORDS or words[0] in REGION_LINK):
        region_mode = region_mode or words[0] in REGION_WORDS
        words.pop(0)
    while words and words[-1] in REGION_WORDS:
        region_mode = True
        words.pop()
    hit = gaz.index.get(tuple(words))
    if hit is None:
        return None
    if region_mode and hit.region:
        return hit.region
    return hit.bare


def place_parent(canonical: str) -> str | None:
    """City -> its oblast/region; region or venue -> its country's name; country -> None."""
    place = _gaz().places.get(canonical)
    if place is None or place.kind == "country":
        return None
    if place.parent:
        return place.parent
    return _gaz().countries.get(place.country or "")


def place_country(canonical: str) -> str | None:
    """ISO 3166-1 alpha-2 code of a canonical place."""
    place = _gaz().places.get(canonical)
    return place.country if place else None


def all_places() -> list[str]:
    return sorted(_gaz().places)


def _countries() -> dict[str, str]:
    return dict(_gaz().countries)


COUNTRIES: dict[str, str] = _countries()
