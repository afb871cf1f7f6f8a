"""Place mentions in a sentence, resolved through the gazetteer.

A name inside a region phrase ("région de Briansk", "les régions de Volgograd et de
Voronej", "the Bryansk and Kursk regions") resolves to the region. Each mention also
says whether the name is used as an actor ("Kiev a annoncé", "attribuées à Kiev"), a
launch site ("depuis Koursk", "from the Kursk region") or a venue ("à Riyad").
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor import gazetteer
from monitor.extract.textnorm import tokens

_ACTOR_NEXT = frozenset(
    "a ont has have had said says say affirme affirment annonce annoncent accuse accuses "
    "attributes attribue claims claimed reported rapporte indique declare n which qui did "
    "insists insiste denies denied responded repondu".split()
)
_ACTOR_PREV = frozenset(
    "attribuees attribuee attribues attribue attributed blamed imputees imputee imputes "
    "impute selon according par by accuse accused accuses".split()
)
_SOURCE_PREV = frozenset(
    "depuis from closer proche bordering frontaliere frontalier km kilometres kilometers miles "
    "north south east west northeast northwest southeast southwest nord sud est ouest nord-est "
    "sud-est nord-ouest sud-ouest".split()
)
_VENUE_PREV = frozenset("a en au aux in at dans to vers".split())
_SKIP = frozenset("de d of the la l du des et and les le".split())


@dataclass(frozen=True)
class PlaceMention:
    name: str  # canonical
    kind: str  # country | region | city | venue
    start: int
    end: int
    actor: bool  # used as a government / side, not a location
    source: bool  # launch site / distance reference
    venue: bool  # introduced by a locative preposition


def find_places(folded: str) -> list[PlaceMention]:
    toks = tokens(folded)
    words = [t for t, _, _ in toks]
    max_n = gazetteer.max_alias_words()
    starts = gazetteer.first_words()
    hits: list[tuple[int, int, gazetteer.AliasHit]] = []
    i = 0
    while i < len(words):
        if words[i] not in starts:
            i += 1
            continue
        for n in range(min(max_n, len(words) - i), 0, -1):
            hit = gazetteer.lookup(tuple(words[i : i + n]))
            if hit:
                hits.append((i, i + n, hit))
                i += n
                break
        else:
            i += 1
    out: list[PlaceMention] = []
    spans = {(a, b) for a, b, _ in hits}
    for a, b, hit in hits:
        region = _region_mode(words, a, b, spans)
        name = hit.region if region and hit.region else hit.bare
        info = gazetteer.place_info(name)
        prev = words[max(0, a - 3) : a]
        nxt = words[b] if b < len(words) else ""
        glued = toks[b][1] == toks[b - 1][2] + 1 if b < len(toks) else False  # no comma between
        actor = (glued and nxt in _ACTOR_NEXT) or bool(_ACTOR_PREV & set(prev[-2:]))
        source = bool(_SOURCE_PREV & set(words[max(0, a - 5) : a]))
        venue = bool(prev) and prev[-1] in _VENUE_PREV
        out.append(PlaceMention(name, info.kind if info else "region", toks[a][1], toks[b - 1][2],
                                actor, source, venue))
    return out


_REGION_WORDS = gazetteer.REGION_WORDS
_LINK = gazetteer.REGION_LINK


def _region_mode(words: list[str], a: int, b: int, spans: set[tuple[int, int]]) -> bool:
    starts = {s: e for s, e in spans}
    ends = {e: s for s, e in spans}
    k, steps = a - 1, 0
    while k >= 0 and steps < 10:
        w = words[k]
        if k + 1 in ends:  # another place name in the list
            k = ends[k + 1] - 1
        elif w in _REGION_WORDS:
            return True
        elif w in _LINK:
            k -= 1
        else:
            break
        steps += 1
    k, steps = b, 0
    while k < len(words) and steps < 8:
        w = words[k]
        if w in _REGION_WORDS:
            return True
        if k in starts:
            k = starts[k]
        elif w in ("and", "et", "the", "or"):
            k += 1
        else:
            break
        steps += 1
    return False
