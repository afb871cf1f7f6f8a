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
from monitor.extract.places import find_places
from monitor.extract.sentences import Sentence
from monitor.extract.textnorm import guard

STRIKE_CUE = re.compile(
    r"\b(?:frappes?|bombardements?|bombarde\w*|strikes?|airstrikes?|air raids?|raids? aeriens?|"
    r"attaques? (?:aeriennes?|massives?|combinees?|de (?:drones|missiles))|air attacks?|"
    r"attacks?|attaques?|abattu\w*|shot down|intercept\w*|explosions?|pilonn\w*|struck|frappee?s?|"
    r"bombed|shelled|attacked|attaquee?s?|targeted|visee?s?|ciblee?s?)\b"
)
WEAPON = guard(lx.WEAPON_RE)
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
    r"spectacle|light show|feu d'artifice|fireworks|houthi|yemen|gaza|israel|hezbollah|"
    r"exercice|exercise|drill|salon (?:de l'armement|du bourget|international|aeronautique)|usine de drones|drone factory output|production de drones|"
    r"drone production|produire|produce[sd]?\b|fabrique\w*|manufactur\w*|delivers?|livr\w+|"
    r"strike a deal|struck a deal|struck an agreement|hunger strike|grevistes"
)
AIM = re.compile(
    r"\b(?:sur|contre|visant|vise\w*|cible\w*|frapp\w*|touche\w*|bombarde\w*|attaque\w* de|"
    r"on|against|targeting|targeted|hit|struck|at|over|au-dessus|attack on|strikes? on|attacks? on)\b"
    r"(?:\s+\S+){0,5}\s*$"
)
_ANY_ZERO = re.compile(r"\baucun|\bnone\b")


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
    if lx.is_running(s.folded[a:b]):
        return []
    return [c for c in counts if a <= c.start < b]


def _plural(f: str, a: int, b: int, counts: list[Count]) -> frozenset[str]:
    """"Des missiles ont visé Kyiv": a wave of several weapons whose number is not given."""
    out = set()
    for m in lx.WEAPON_RE.finditer(f, a, b):
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


def build_mentions(sentences: list[Sentence]) -> list[Mention]:
    out: list[Mention] = []
    last_weapon: str | None = None
    last_place: str | None = None
    for s in sentences:
        f = s.folded
        has_weapon = bool(WEAPON.search(f))
        cue = has_weapon or bool(STRIKE_CUE.search(f))
        if not cue and not DAMAGE.search(f):
            continue
        if NOT_WAR.search(f):
            continue
        pms = find_places(f)
        counts = find_counts(f, [p.start for p in pms], last_weapon) if has_weapon or _ANY_ZERO.search(f) else []
        if counts:
            last_weapon = counts[-1].weapon
        killed, injured = find_casualties(f) if not lx.is_running_casualties(f) else (None, None)
        first = s.clauses()[0]
        for clause in s.clauses():
            a, b = clause
            ctext = f[a:b]
            ccue = bool(WEAPON.search(ctext) or STRIKE_CUE.search(ctext))
            ccounts = _clause_counts(s, clause, counts)
            if not ccue and not ccounts and not DAMAGE.search(ctext):
                continue
            cpl = [p for p in pms if a <= p.start < b and p.kind in ("city", "region")]
            hit = [p for p in cpl if not (p.actor or p.source or p.title or p.visit or p.locator)]
            if not (ccounts or hit or ccue or (clause == first and (killed or injured))):
                continue
            countries = [gazetteer.place_info(p.name).held_by or "" for p in hit]
            att, tgt, explicit = read_direction(ctext, [c for c in countries if c])
            aimed = any(AIM.search(f[max(a, p.start - 40) : p.start]) for p in hit)
            names = [p.name for p in hit]
            if _THE_REGION.search(ctext) and (region := _region_of(last_place)) and region not in names:
                names.append(region)
            out.append(Mention(s, att, tgt, explicit, ccounts, names,
                               killed if clause == first else None,
                               injured if clause == first else None,
                               ccue, bool(ANAPHORA.search(ctext)), aimed, bool(DEF_WEAPON.search(ctext)),
                               _plural(f, a, b, counts) if has_weapon else frozenset()))
        named = [p.name for p in pms if p.kind in ("city", "region") and not (p.source or p.actor)]
        last_place = named[-1] if named else last_place
    return out


# substring screens in front of the sentence-level patterns (same results, cheaper)
STRIKE_CUE, DAMAGE, NOT_WAR = guard(STRIKE_CUE), guard(DAMAGE), guard(NOT_WAR)
