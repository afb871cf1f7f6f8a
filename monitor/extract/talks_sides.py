"""Which sides a mention of talks names.

- "The U.S. held separate talks with Ukraine and Russia": one pair per partner (the hub
  before the coordinated partners, or after them with "separately"); a trilateral stays one.
- "Trump said that Russia and Ukraine would start talks": the speaker is no side, unless
  he speaks of himself ("a annoncé qu'il rencontrerait Poutine").
"""

from __future__ import annotations

import re

from monitor.extract.actors import Actor
from monitor.extract.firstchar import quick

_SEPARATE_RE = quick(
    r"\b(?:separate(?:ly|s)?|separee?s|separement|distinct(?:e|es|s)?|respectivement|respectively|"
    r"tour a tour|successivement|one after the other)\b"
)
_TRILATERAL_RE = quick(r"\btrilat\w+|\bthree-way\b|\ba trois\b|\btripartite\b")
_COORD_GAP = re.compile(
    r"^\s*(?:,|et|and|&|ou|or|as well as|ainsi que|comme avec|as with)?\s*(?:(?:de |d'|des |du |avec |with )?"
    r"(?:la |le |les |l'|the )?)?$"
)
_SAID_THAT = quick(
    r"\b(?:said|says|told \w+|announced|added|a (?:\w+ )?(?:annonce|declare|indique|affirme|precise|assure)|"
    r"annonce|affirme|estime)(?: \w+){0,3}? (?:that|que|qu')\s*"
)
_PRONOUN_AFTER = re.compile(r"(?:il|elle|ils|he|she|they|we|nous|i)\b")


def _groups(parties: list[Actor], f: str) -> list[list[Actor]]:
    """Coordinated actors: "Ukraine and Russia", "Britain, France and Germany"."""
    groups: list[list[Actor]] = []
    prev: Actor | None = None
    for x in parties:
        if prev is not None and (x.start == prev.start or _COORD_GAP.match(f[prev.end : x.start])):
            groups[-1].append(x)
        else:
            groups.append([x])
        prev = x
    return groups


def split_separate(parties: list[Actor], f: str, a: int, b: int) -> list[frozenset[str]]:
    """"The U.S. held separate talks with Ukraine and Russia": one pair per partner."""
    isos = frozenset(x.iso for x in parties)
    sep = _SEPARATE_RE.search(f, a, b)
    if len(isos) < 3 or not sep or _TRILATERAL_RE.search(f, a, b):
        return [isos]
    adverb = sep.group().endswith(("ly", "ment"))  # "met separately with", "respectivement"
    for g in _groups(parties, f):
        members = {x.iso for x in g}
        hub = isos - members
        if len(members) >= 2 and len(hub) == 1 and (parties[0].iso in hub or adverb):
            return [frozenset(hub | {iso}) for iso in dict.fromkeys(x.iso for x in g)]  # in the text's order
    return [isos]


def reported(f: str, parties: list[Actor]) -> list[Actor]:
    """"Trump said that Russia and Ukraine would start talks": the speaker is no party."""
    m = _SAID_THAT.search(f)
    if m is None:
        return parties
    inner = [x for x in parties if x.start >= m.end()]
    if len({x.iso for x in inner}) < 2 or _PRONOUN_AFTER.match(f, m.end()):
        return parties
    return [x for x in parties if x.start >= m.end() or x.iso in {y.iso for y in inner}]
