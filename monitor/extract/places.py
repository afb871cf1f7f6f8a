"""Place mentions in a sentence, resolved through the gazetteer.

A name inside a region phrase ("région de Briansk", "les régions de Volgograd et de
Voronej", "the Bryansk and Kursk regions") resolves to the region. Each mention also
says whether the name is used as an actor ("Kiev a annoncé", "attribuées à Kiev"), a
launch site ("depuis Koursk", "from the Kursk region") or a venue ("à Riyad").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor import gazetteer
from monitor.extract.screen import gate
from monitor.extract.sentences import Sentence, as_sentence
from monitor.extract.textnorm import TOKEN_RE

_ACTOR_NEXT = frozenset(
    "a ont has have had said says say affirme affirment annonce annoncent accuse accuses "
    "attributes attribue claims claimed reported rapporte indique declare n which qui did "
    "insists insiste denies denied responded repondu braces warns warned urges urged demands "
    "demanded wants wanted condemns condemned dismisses dismissed rejects rejected blames blamed "
    "calls called appelle denonce reclame exige estime assure assured believes hopes fears fait "
    "dement confirme confirmed signale evoque revendique reagit repond demande craint espere veut "
    "refuse rejette accepte accepted agreed agrees dit disent affirmait annoncait".split()
)
_PASSIVE_NEXT = frozenset("ete been subi essuye come came".split())  # "Odessa a été visée"
_ACTOR_PREV = frozenset(
    "attribuees attribuee attribues attribue attributed blamed imputees imputee imputes "
    "impute selon according par by accuse accused accuses".split()
)
# "Moscow's relentless attacks", "Kyiv's forces": the side, not a place
_POSSESSIVE_ACTOR = frozenset(
    "attacks attack strikes forces troops army military war invasion aggression offensive "
    "campaign bombardment shelling drones missiles government officials claims ministry leadership "
    "president leaders relentless response retaliation".split()
)
_SOURCE_PREV = frozenset(
    "depuis from closer proche bordering frontaliere frontalier km kilometres kilometers miles".split()
)
_DIRECTIONS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west "
    "south-east south-west nord sud est ouest nord-est sud-est nord-ouest sud-ouest".split()
)
_OF = frozenset("of de du d".split())
# "le gouverneur de la région de Dnipropetrovsk", "Odesa Oblast Governor": a title, not a place hit
_TITLES = frozenset(
    "gouverneur governor gov maire mayor chef head administration administrator prosecutor "
    "prosecutors procureur parquet".split()
)
_TITLE_LINK = frozenset(
    "de d of the la l du region oblast regional regionale military militaire city ville s "
    "acting interim par interim".split()
)
_VISIT_PREV = frozenset(
    "visit visits visited visiting visite visites visitant trip voyage travelled traveled travel "
    "arrived arrive arrivee deplacement rendu rendue rendre".split()
)
_LOCATOR_LINK = frozenset("de d of the la l du region oblast".split())
_TOWN_NOUNS = frozenset("city town village ville localite hometown cite".split())
_CITY_PREV = frozenset("a in at near pres downtown".split())
_CITY_NOUNS = frozenset("city town ville centre center outskirts banlieue suburbs port".split())
_LIST_LINK = frozenset("et and de d of the la le les du des or ou ainsi que as well".split())
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
    title: bool = False  # inside an official's title ("gouverneur de la région de X")
    visit: bool = False  # someone travelling there ("a visit to Kyiv by ...")
    locator: bool = False  # region that only locates a city ("Kryvyi Rih, a city in the Dnipropetrovsk region")


_GATE = gate(words={w.split("-")[0] for w in gazetteer.first_words()})
# a city or region can only be named where one of these words is (most sentences only name
# countries): `has_local` lets strike extraction skip the others
LOCAL = gate(words={w.split("-")[0] for w in gazetteer.local_first_words()})


def has_local(s: Sentence) -> bool:
    return bool(s.flags & LOCAL)


def find_places(x: Sentence | str) -> list[PlaceMention]:
    """Place mentions of a sentence (or folded string); `Sentence.places()` caches them."""
    s = as_sentence(x)
    if not s.flags & _GATE:
        return []
    folded = s.folded
    found = list(TOKEN_RE.finditer(folded))  # one scan for the words and, when a name is there, their spans
    words = list(map(re.Match.group, found))
    sizes = gazetteer.alias_sizes()
    lookup = gazetteer.lookup
    hits: list[tuple[int, int, gazetteer.AliasHit]] = []
    free = 0
    for i in [i for i, w in enumerate(words) if w in sizes]:
        if i < free:
            continue
        for n in sizes[words[i]]:
            hit = lookup(tuple(words[i : i + n])) if i + n <= len(words) else None
            if hit:
                hits.append((i, i + n, hit))
                free = i + n
                break
    if not hits:
        return []
    toks = list(map(re.Match.span, found))
    out: list[PlaceMention] = []
    spans = {(a, b) for a, b, _ in hits}
    last: tuple[int, bool] = (-10, False)  # end and source flag of the previous name
    for a, b, hit in hits:
        if words[b : b + 1] == ["river"] or (a and words[a - 1] in ("fleuve", "river", "riviere")):
            continue  # "the lower Dnipro River", "le fleuve Dnipro": a river, not the city
        region = _region_mode(words, a, b, spans)
        name = hit.region if region and hit.region else hit.bare
        if hit.city and not region and _city_cue(words, a, b):
            name = hit.city
        info = gazetteer.place_info(name)
        before = words[max(0, a - 5) : a]
        source = not _SOURCE_PREV.isdisjoint(before) or any(
            w in _DIRECTIONS and words[k + 1] in _OF for k, w in enumerate(words[max(0, a - 3) : a - 1], max(0, a - 3))
        )
        if last[1] and all(w in _LIST_LINK for w in words[last[0] : a]):
            source = True  # "tirés depuis les régions de Koursk et d'Orel"
        # "14 heures, heure de Moscou", "Moscow time": a clock
        source = source or words[a - 2 : a] == ["heure", "de"] or words[b : b + 1] == ["time"]
        last = (b, source)
        venue = a > 0 and words[a - 1] in _VENUE_PREV
        out.append(PlaceMention(name, info.kind if info else "region", toks[a][0], toks[b - 1][1],
                                _is_actor(toks, words, a, b), source, venue,
                                (region or info is None or info.kind == "region") and _is_title(toks, words, a, b),
                                not _VISIT_PREV.isdisjoint(before[-3:]), region and _is_locator(words, a)))
    return out


def _is_actor(toks: list[tuple[int, int]], words: list[str], a: int, b: int) -> bool:
    if not _ACTOR_PREV.isdisjoint(words[max(0, a - 2) : a]):
        return True
    if b >= len(words) or toks[b][0] > toks[b - 1][1] + 1:  # end of text, or a comma between
        return False
    nxt = words[b]
    if nxt == "s":  # possessive: "Moscow's relentless attacks"
        return not _POSSESSIVE_ACTOR.isdisjoint(words[b + 1 : b + 3])
    if nxt.endswith(("ly", "ment")) and b + 1 < len(words):
        nxt = words[b + 1]  # "Kyiv regularly dismisses"
    if nxt not in _ACTOR_NEXT:
        return False
    if nxt == "a" and a and words[a - 1] in ("in", "at", "near"):
        return False  # "in Nikopol a woman was killed": the English article, not French "a annoncé"
    return not (b + 1 < len(words) and words[b + 1] in _PASSIVE_NEXT)


def _is_title(toks: list[tuple[int, int]], words: list[str], a: int, b: int) -> bool:
    def glued(k: int) -> bool:  # no punctuation between token k-1 and token k
        return toks[k][0] - toks[k - 1][1] <= 1

    k = a - 1
    while k >= 0 and a - k <= 7 and words[k] in _TITLE_LINK and glued(k + 1):
        k -= 1
    if 0 <= k < a - 1 and words[k] in _TITLES and glued(k + 1):
        return True
    k = b
    while k < len(words) and k - b < 3 and words[k] in _TITLE_LINK and words[k] not in _OF and glued(k):
        k += 1
    return k < len(words) and words[k] in _TITLES and glued(k)


def _is_locator(words: list[str], a: int) -> bool:
    """"a city in the X region", "une ville de la région de X": the region only locates a town."""
    k = a - 1
    while k >= 0 and a - k <= 5 and words[k] in _LOCATOR_LINK:
        k -= 1
    return k >= 1 and words[k] in ("in", "dans") and words[k - 1] in _TOWN_NOUNS or (
        k >= 0 and words[k] in _TOWN_NOUNS and words[k + 1 : k + 2] in (["de"], ["du"], ["d"])
    )


def _city_cue(words: list[str], a: int, b: int) -> bool:
    """"à Koursk", "in Voronezh", "the city of Ryazan", "Belgorod city": the city itself."""
    if a and words[a - 1] in _CITY_PREV:
        return True
    if a >= 2 and words[a - 1] in _OF and words[a - 2] in _CITY_NOUNS:
        return True
    return b < len(words) and words[b] == "city"


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
