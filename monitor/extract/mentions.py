"""Strike mentions: what one clause says about an air, drone or missile attack.

A clause gives a mention when it has a weapon or strike word, damage or casualty words,
or weapon counts: its direction, counts, places hit, casualties, and whether it points
back to an attack already told ("cette attaque", "the drones").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor import gazetteer
from monitor.extract import lexicon as lx
from monitor.extract.casualties import find_casualties
from monitor.extract.counts import Count, find_counts
from monitor.extract.direction import read_direction
from monitor.extract.firstchar import quick
from monitor.extract.places import has_local
from monitor.extract.sentences import Sentence
from monitor.extract.screen import Indexed, Screened

STRIKE_CUE = re.compile(
    r"\b(?:frappes?|bombardements?|bombarde\w*|strikes?|airstrikes?|air raids?|raids? aeriens?|"
    r"attaques? (?:aeriennes?|massives?|combinees?|de (?:drones|missiles))|air attacks?|"
    r"attacks?|attaques?|abattu\w*|shot down|intercept\w*|explosions?|pilonn\w*|struck|frappee?s?|"
    r"bombed|shelled|attacked|attaquee?s?|targeted|visee?s?|visai\w*|visent|ciblee?s?|ciblai\w*)\b"
)
WEAPON = Indexed(lx.WEAPON_RE)
DAMAGE = re.compile(
    r"\b(?:touche\w*|endommag\w*|damaged|hit|incendies?|fires?|pris feu|debris|explosions?|"
    r"detruit\w*|destroyed|blesse\w*|injur\w*|wounded|tue\w*|killed|morts?|dead|victimes?|"
    r"hospitali\w*|hospital|hopital)\b"
)
ANAPHORA = re.compile(
    r"\b(?:cette|ces|this|these|the|l') (?:nouvelle |derniere |latest |massive |overnight )?"
    r"(?:attaques?|frappes?|attacks?|strikes?|operations?|bombardements?|vague)\b"
)
# "the drones had strayed from ...": the weapons of a wave already told
DEF_WEAPON = re.compile(r"\b(?:the|these|those|les|ces) (?:\w+ )?(?:drones|missiles|engins)\b")
NOT_WAR = re.compile(
    r"\bgreve|walkout|strikers|syndica\w*|\bunions?\b|foudre|lightning|tirs? au but|"
    r"marqu\w* (?:un |le |son |deux |trois )?buts?\b|buts? (?:marques?|encaisses?)\b|"
    r"penalty|football|\bgoals?\b|gardiens? de but|goalkeeper|striker|amazon|livraison de colis|parcel|"
    r"spectacle|light show|drone shows?|show de drones|(?:drones|engins) (?:formed|formaient|ont forme|dessin\w*)|"
    r"tirs? d'(?:entrainement|essai)|test[- ]fir\w*|test launch\w*|training (?:fire|firing|launch\w*)|"
    r"cibles? (?:\w+ )?simulee?s|simulated targets?|mock targets?|feu d'artifice|fireworks|houthi|yemen|gaza|israel|hezbollah|"
    r"exercice|exercise|drill|salon (?:de l'armement|du bourget|international|aeronautique)|usine de drones|drone factory output|production de drones|"
    r"drone production|produire|produce[sd]?\b|fabrique\w*|manufactur\w*|delivers?|livr\w+|turn out|"
    r"(?:drones|missiles) (?:a|per|par) (?:month|mois|day|jour)|"
    r"strike a deal|struck a deal|struck an agreement|hunger strike|grevistes|"
    r"train de (?:mesures|sanctions)|paquet de sanctions|sanctions package|package of sanctions"
)
AIM = quick(
    r"\b(?:sur|contre|visant|vise\w*|cible\w*|frapp\w*|touche\w*|bombarde\w*|attaque\w* de|"
    r"on|against|targeting|targeted|hit|struck|at|over|au-dessus|attack on|strikes? on|attacks? on)\b"
    r"(?:\s+\S+){0,5}\s*$"
)
_ANY_ZERO = Indexed(r"\baucun|\bnone\b")
# "62 ont été abattus", "72 had been shot down": figures whose weapons the sentence before named
_BARE_ROLE = Indexed(rf"\b(?:{lx.DESTROY}|{lx.LOST})\b")


@dataclass
class Mention:
    sent: Sentence
    attacker: str | None
    target: str | None
    explicit: bool
    counts: list[Count]
    places: list[str]
    killed: int | None
    injured: int | None
    cue: bool  # strike words present
    anaphoric: bool
    aimed: bool = False  # a place is named as the aim of the attack ("sur Kyiv")
    def_weapon: bool = False  # "the drones", "les missiles": weapons already introduced
    plural: frozenset[str] = frozenset()  # weapon classes named in the plural without a figure

    @property
    def strong(self) -> list[Count]:
        """Counts that are figures of the wave (not a lone "a missile")."""
        return [c for c in self.counts if not c.weak]


def _clause_counts(s: Sentence, clause: tuple[int, int], counts: list[Count]) -> list[Count]:
    a, b = clause
    if not counts or lx.is_running(s, a, b):
        return []
    return [c for c in counts if a <= c.start < b]


def _plural(s: Sentence, a: int, b: int, counts: list[Count]) -> frozenset[str]:
    """"Des missiles ont visé Kyiv": a wave of several weapons whose number is not given."""
    out = set()
    for m in WEAPON.finditer(s, a, b):
        if m.group().endswith("s") and not any(c.start <= m.start() < c.phrase_end for c in counts):
            out.add("drones" if m.group("drone") else "missiles")
    return frozenset(out)


# "17 drones lancés contre la région", "over the region": the region of the place named last
_THE_REGION = re.compile(
    r"\b(?:sur|contre|vers|dans|over|on|against|in|across|toward|towards|targeting|visant)\s+(?:la|the)\s+"
    r"(?:region|oblast)\b(?!\s*(?:de|d'|du|of)\b|'s)"
)


def _region_of(place: str | None) -> str | None:
    info = gazetteer.place_info(place) if place else None
    if info is None or info.kind not in ("city", "region"):
        return None
    return info.name if info.kind == "region" else info.parent


_MARK = r"\s*[-\u2013\u2014\u2022*\u00b7]\s"  # a list item's mark: "- ", "• ", "– "
BULLET = re.compile(_MARK)
# a tally's item gives its figure first or after a colon: "- Kh-101 cruise missiles: 8", "- 146 Shahed"
_TALLY_ITEM = re.compile(_MARK + r"\s*(?:\d|[^:.;]{1,80}:\s*\d)")


def _list_items(sentences: list[Sentence]) -> dict[int, str | None]:
    """The sentences that are items of a tally -> the role its introduction gives ("ont été
    interceptés et détruits au cours de la nuit :"): a bulleted list (two or more items in a row)
    of figures, each given first or after a colon. Items that are sentences of their own (a live
    blog's summary in bullets) are not parts of one figure."""
    tally = [bool(_TALLY_ITEM.match(s.text)) for s in sentences]
    out: dict[int, str | None] = {}
    role = None
    for i, b in enumerate(tally):
        if not b or not ((i and tally[i - 1]) or (i + 1 < len(tally) and tally[i + 1])):
            continue
        if not (i and tally[i - 1]):  # the first item: the role of the sentence before the list
            verbs = lx.ROLE_LEFT.finditer(sentences[i - 1]) if i else []
            role = next((r for r in ("destroyed", "lost", "launched") if verbs and verbs[-1].group(r)), None)
        out[i] = role
    return out


_ITEM_FIGURE = re.compile(_MARK + r"\s*(?P<what>[^:.;]{1,80}):\s*(?P<n>\d+)\b")


def _tally_item(s: Sentence, counts: list[Count], intro_role: str | None) -> list[Count]:
    """The counts of one tally item, each a part of the wave's figure: its own figure (the
    weapon before the colon, the role of the list's introduction when the item names none);
    a part of that figure ("38, dont 21 au-dessus de la Crimée") is no other part."""
    if not counts and intro_role:
        m = _ITEM_FIGURE.match(s.folded)
        named = lx.WEAPON_RE.search(s.folded, 0, m.end("what")) if m else None
        if named:
            weapon = "drones" if named.group("drone") else "missiles"
            counts = [Count(weapon, intro_role, int(m.group("n")), m.start("n"), m.end("n"))]
    first = next((c for c in counts if c.role and not c.weak), None)
    if first is not None:
        first.sub = True
        counts = [c for c in counts if c is first or not c.sub]
    return counts


def build_mentions(sentences: list[Sentence]) -> list[Mention]:
    out: list[Mention] = []
    last_weapon: str | None = None
    last_place: str | None = None
    # "- Kh-101 cruise missiles: 8" then "- Iskander-M ballistic missiles: 4": each item a part of the wave
    items = _list_items(sentences) if any(BULLET.match(s.text) for s in sentences) else {}
    for i, s in enumerate(sentences):
        has_weapon = WEAPON.test(s)
        cue = has_weapon or STRIKE_CUE.test(s)
        if not cue and not DAMAGE.test(s):
            continue
        if NOT_WAR.test(s):
            continue
        f = s.folded
        pms = s.places() if has_local(s) else []
        counted = has_weapon or _ANY_ZERO.test(s) or (last_weapon and _BARE_ROLE.test(s) and s.numbers())
        counts = find_counts(s, [p.start for p in pms], last_weapon) if counted else []
        if i in items:
            counts = _tally_item(s, counts, items[i])
        if counts:
            last_weapon = counts[-1].weapon
        killed, injured = find_casualties(s)
        if (killed is not None or injured is not None) and lx.is_running_casualties(s):
            killed = injured = None  # "X civilians killed since the start of the war"
        per_place = _tolls_by_place(s, pms) if killed is not None or injured is not None else []
        if per_place:
            killed = injured = None  # told place by place below
        clauses = s.clauses()
        for clause in clauses:
            a, b = clause
            ccue = WEAPON.test(s, a, b) or STRIKE_CUE.test(s, a, b)
            ccounts = _clause_counts(s, clause, counts)
            if not ccue and not ccounts and not DAMAGE.test(s, a, b):
                continue
            first = clause == clauses[0]
            hit = [p for p in pms if a <= p.start < b and p.kind in ("city", "region")
                   and not (p.actor or p.source or p.title or p.visit or p.locator)]
            if not (ccounts or hit or ccue or (first and (killed or injured))):
                continue
            countries = [gazetteer.place_info(p.name).held_by or "" for p in hit]
            att, tgt, explicit = read_direction(s, [c for c in countries if c], a, b)
            aimed = any(AIM.search(f, max(a, p.start - 40), p.start) for p in hit)
            names = [p.name for p in hit]
            if _THE_REGION.test(s, a, b) and (region := _region_of(last_place)) and region not in names:
                names.append(region)
            # "la ville de Tchernihiv et la région du même nom", "Odessa et sa région": the city's oblast
            if _SAME_NAME.test(s, a, b) and (region := _region_of(names[-1] if names else last_place)) \
                    and region not in names:
                names.append(region)
            out.append(Mention(s, att, tgt, explicit, ccounts, names,
                               killed if first else None, injured if first else None,
                               ccue, ANAPHORA.test(s, a, b), aimed, DEF_WEAPON.test(s, a, b),
                               _plural(s, a, b, counts) if has_weapon else frozenset()))
        for name, k, j in per_place:
            out.append(Mention(s, None, None, False, [], [name], k, j, True, False))
        named = [p.name for p in pms if p.kind in ("city", "region") and not (p.source or p.actor)]
        last_place = named[-1] if named else last_place
    return out


# "In Zaporizhzhia two people were killed ..., in Kherson one man died ..., and in Nikopol ...": where
# each toll of a sentence starts
_PLACE_LEAD = quick(r"(?:^|[,;]\s*(?:and\s+|et\s+)?)\s*(?:in|at|a|au|dans|near|pres de)\s+(?:the\s+|la\s+|le\s+|l')?"
                    r"(?:(?:city|town|village|ville|region|oblast)\s+(?:of|de|d')\s*)?$")


def _tolls_by_place(s: Sentence, pms: list) -> list[tuple[str, int | None, int | None]]:
    """(place, killed, injured) of a sentence that gives a toll place by place, each place
    leading its part; [] unless two parts or more give one."""
    f = s.folded
    leads = [(m.start(), p.name) for p in pms if p.kind in ("city", "region")
             and not (p.actor or p.source or p.title) and (m := _PLACE_LEAD.search(f, max(0, p.start - 40), p.start))]
    if len(leads) < 2:
        return []
    out = []
    for i, (start, name) in enumerate(leads):
        end = leads[i + 1][0] if i + 1 < len(leads) else len(f)
        k, j = find_casualties(s, start, end)
        if k is not None or j is not None:
            out.append((name, k, j))
    return out if len(out) >= 2 else []


# indexed: each pattern is only tried where its keys occur; screened: only in sentences
# holding the rarer words every match needs (screen.py)
STRIKE_CUE, DAMAGE, NOT_WAR = Indexed(STRIKE_CUE), Indexed(DAMAGE), Indexed(NOT_WAR)
ANAPHORA = Screened(ANAPHORA, "attaque frappe attack strike operation bombardement vague".split())
DEF_WEAPON = Screened(DEF_WEAPON, ["drones", "missiles", "engins"])
_THE_REGION = Screened(_THE_REGION, ["region", "oblast"])
# "la région du même nom", "la ville d'Odessa et sa région", "Kherson and its region"
_SAME_NAME = Screened(r"\b(?:region|oblast|province)s? (?:du meme nom|of the same name|eponyme)\b|"
                      r"\b(?:et|and) (?:sa|its|the surrounding) (?:region|oblast|province)\b", ["region", "oblast", "province"])
