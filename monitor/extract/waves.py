"""A strike wave being read: its figures, places and tolls, and whether a mention joins it.

`Wave` accumulates the mentions `monitor.extract.strike.aggregate` gives it: totals and
regional or listed parts of each (weapon, role), figures told as floors ("more than
twenty"), casualties per place, places, evidence. `compatible` says whether a mention's
figures can be this wave's (a different launched figure, another time of day or "hours
later" open another wave); `add` takes a mention in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor import gazetteer
from monitor.extract.firstchar import quick
from monitor.extract.mentions import BULLET, Mention
from monitor.extract.screen import Indexed, Screened
from monitor.extract.sentences import Sentence

_WHEN_WORDS = [
    ("night", r"\b(?:nuit|nocturne|overnight|night)\b"),
    ("morning", r"\b(?:matin|matinee|morning)\b"),
    ("afternoon", r"\b(?:apres-midi|afternoon)\b"),
    ("evening", r"\b(?:soir|soiree|evening)\b"),
]
_WHEN = [(name, Indexed(rx)) for name, rx in _WHEN_WORDS]
# "le ministère a affirmé mardi matin avoir abattu 38 drones": when it was said, not when the wave came
_SAID_AT = re.compile(
    r"\b(?:affirme|annonce|indique|declare|precise|rapporte|signale|said|says|reported|announced|claimed|stated)"
    r"(?:\s+(?:ce|on|le|this|early|late|tot|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday))*\s+(?:matin|matinee|morning|soir|soiree|evening|apres-midi|afternoon)\b"
)
# "a total of 337 drones over ten regions": the overall figure after partial ones
_TOTAL = Screened(re.compile(
    r"\b(?:a total of|in total|in all|au total|en tout|au moins \w+ regions|over (?:\w+ )?regions|"
    r"dans (?:\w+ )?regions|sur (?:\w+ )?regions|including|dont)\b"
), "total tout moins regions including dont all".split())
_LATER = Indexed(re.compile(
    r"\b(?:quelques heures plus tard|plus tard dans la (?:nuit|soiree|journee)|hours later|later that "
    r"(?:night|day|evening)|later in the (?:night|day|evening)|(?:une|a) (?:nouvelle|seconde|deuxieme|second|new) "
    r"(?:vague|wave|attaque|attack)|separement|separately)\b"
))
# "L'armée de l'air actualise son bilan", "updated figures": the same wave, figures revised
REVISED = Indexed(re.compile(
    r"\b(?:actualis\w*|mis a jour|mise a jour|updated?|revised?|nouveau bilan|new (?:toll|figures?)|"
    r"precise son bilan|corrige\w*|now says?|has since|a depuis)\b"
))

def time_of_day(s: Sentence) -> str | None:
    """The time of day the sentence names (computed once per sentence), else the one its
    bulleted list's introduction names ("On fait le point sur l'attaque de la nuit." then
    "• La Russie a lancé une quarantaine de drones ...")."""
    if "when" not in s.cache:
        found = [name for name, rx in _WHEN if rx.test(s)]
        if found and _SAID_AT.search(s.folded):
            said = _SAID_AT.sub(" ", s.folded)
            found = [name for name, rx in _WHEN_WORDS if re.search(rx, said)]
        s.cache["when"] = found[0] if len(found) == 1 else s.cache.get("list_when")
    return s.cache["when"]


def list_times(sentences: list[Sentence]) -> None:
    """Give each bulleted item the time of day of the sentence that introduces its list."""
    intro: Sentence | None = None
    for s in sentences:
        if BULLET.match(s.text):
            if intro is not None and "when" not in s.cache:
                s.cache["list_when"] = time_of_day(intro)
        else:
            intro = s


@dataclass
class Wave:
    attacker: str
    target: str
    totals: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    # parts of a figure -> how many times each value is a part (most in any one sentence: "Koursk
    # - 9, Belgorod - 9" is 18; the same part told again elsewhere is not another part)
    subs: dict[tuple[str, str], dict[int, int]] = field(default_factory=dict)
    part_at: dict[tuple, set[int]] = field(default_factory=dict)  # (weapon, role, value, sentence) -> starts
    toll_of: dict[tuple, int] = field(default_factory=dict)  # (kind, places) -> the sentence that gave the toll
    floors: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # figures told as "more than N"
    all_of: dict[str, int] = field(default_factory=dict)
    weak: dict[tuple[str, str], int] = field(default_factory=dict)
    plural: set[str] = field(default_factory=set)
    places: list[str] = field(default_factory=list)
    casualties: dict[str, dict[tuple[str, ...], int]] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    para: int = 0
    explicit: bool = False
    when: str | None = None  # time of day of the wave: night | morning | afternoon | evening

    def victims(self, kind: str) -> int | None:
        """Casualties summed over the places hit (a figure repeated for one place counts once)."""
        per = self.casualties.get(kind)
        if not per:
            return None
        # figures for the same locality (a city and its oblast, a title and the text) count once
        groups: list[tuple[set[str], int]] = []
        for where, v in per.items():
            if not where:
                continue
            wide = widen(list(where))
            k = next((i for i, (g, _) in enumerate(groups) if g & wide), None)
            if k is None:
                groups.append((wide, v))
            else:
                groups[k] = (groups[k][0] | wide, max(groups[k][1], v))
        placed = sum(v for _, v in groups)
        return max(placed, max((v for k, v in per.items() if not k), default=0))

    def absorb(self, other: Wave) -> None:
        """Take in the figures, places, tolls and evidence of the same wave told elsewhere."""
        # the same overall figure told whole or in other parts here and there is one total, not a sum of parts
        same = {k: v for k in other.subs if (v := self.final(*k)) is not None and v == other.final(*k)}
        for key, vs in other.totals.items():
            self.totals.setdefault(key, []).extend(v for v in vs if v not in self.totals.get(key, []))
        for key, vs in other.subs.items():
            if key in same:
                self.totals.setdefault(key, []).extend([same[key]] if same[key] not in self.totals[key] else [])
            else:
                mine = self.subs.setdefault(key, {})
                for v, n in vs.items():
                    mine[v] = max(mine.get(v, 0), n)
        self.all_of.update({w: max(v, self.all_of.get(w, 0)) for w, v in other.all_of.items()})
        self.weak.update({k: v for k, v in other.weak.items() if k not in self.weak})
        self.plural |= other.plural
        self.places += [p for p in other.places if p not in self.places]
        for kind, per in other.casualties.items():
            mine = self.casualties.setdefault(kind, {})
            for where, v in per.items():
                mine[where] = max(mine.get(where, 0), v)
        self.evidence += [e for e in other.evidence if e not in self.evidence]
        self.sentences += [x for x in other.sentences if x not in self.sentences]
        self.explicit = self.explicit or other.explicit

    def distance(self, m: Mention) -> int:
        """Paragraphs between the mention and the nearest sentence of this wave."""
        return min(abs(x.para - m.sent.para) for x in self.sentences)

    def values(self) -> set[tuple[str, str, int]]:
        out = {(w, r, v) for (w, r), vs in self.totals.items() for v in vs}
        out |= {(w, r, v) for (w, r), vs in self.subs.items() for v in vs}
        return out

    def final(self, weapon: str, role: str) -> int | None:
        tot = self.totals.get((weapon, role))
        if tot:
            return max(tot)
        subs = self.subs.get((weapon, role))
        if subs:
            return sum(v * n for v, n in subs.items())
        if role == "launched" and weapon in self.all_of:
            return self.all_of[weapon]
        figures = [k for k in (*self.totals, *self.subs) if k[0] == weapon] + [weapon] * (weapon in self.all_of)
        return None if figures or weapon in self.plural else self.weak.get((weapon, role))


def mention_totals(m: Mention, ev: Wave | None = None) -> dict[tuple[str, str], int]:
    tot: dict[tuple[str, str], int] = {}
    for c in m.strong:
        if not c.sub and c.role:
            tot[(c.weapon, c.role)] = tot.get((c.weapon, c.role), 0) + c.value
    if ev is not None:  # a figure already known as a part ("dont 19 vers Moscou") stays a part
        tot = {k: v for k, v in tot.items() if not (k in ev.totals and v in ev.subs.get(k, ()))}
    return tot


def compatible(ev: Wave, m: Mention) -> bool:
    mine = mention_totals(m, ev)
    when = time_of_day(m.sent)
    if ev.when and when and when != ev.when and mine and not {w for w, _ in mine} & {w for w, _ in ev.totals}:
        return False  # "dix drones pendant la nuit" after a morning missile strike: two waves
    if mine and _LATER.test(m.sent) and not {w for w, _ in mine} & {w for w, _ in ev.totals}:
        return False  # "Quelques heures plus tard, la Russie a lancé 73 drones": the next wave
    larger = _TOTAL.test(m.sent) or REVISED.test(m.sent)
    floors = floor_keys(m)
    for key, v in mine.items():
        if key in ev.totals and v not in ev.totals[key]:
            if larger and v > max(ev.totals[key]):
                continue  # the overall figure after a partial one; a revised figure
            if (key in floors and v <= max(ev.totals[key])) or all(x in ev.floors.get(key, ()) and x < v
                                                                    for x in ev.totals[key]):
                continue  # "more than twenty missiles" and "twenty-two missiles": one figure, told loosely once
            return False
    return True


# "more than twenty", "plus de 20", "at least 15": a floor, not the figure
_FLOOR_BEFORE = quick(r"\b(?:more than|over|at least|upwards of|plus de|au moins|pas moins de)\s+$")


def under(ev: Wave, m: Mention) -> bool:
    """The mention's figures are floors ("more than twenty missiles") of the wave's figures."""
    mine = mention_totals(m, ev)
    floors = floor_keys(m)
    return bool(mine) and all(k in floors and k in ev.totals and v <= max(ev.totals[k]) for k, v in mine.items())


def floor_keys(m: Mention) -> set[tuple[str, str]]:
    f = m.sent.folded
    return {(c.weapon, c.role) for c in m.strong if c.role and not c.sub
            and _FLOOR_BEFORE.search(f, max(0, c.start - 16), c.start)}


def held_by(place: str) -> str | None:
    info = gazetteer.place_info(place)
    return (info.held_by or info.country) if info else None


def add(ev: Wave, m: Mention) -> None:
    floors = floor_keys(m)
    for key, v in mention_totals(m, ev).items():
        ev.totals.setdefault(key, [])
        if v not in ev.totals[key]:
            ev.totals[key].append(v)
        if key in floors:
            ev.floors.setdefault(key, set()).add(v)
    parts: dict[tuple[str, str], int] = {}
    for c in m.counts:
        if c.sub and c.role and not c.weak:
            parts[(c.weapon, c.role)] = parts.get((c.weapon, c.role), 0) + c.value
    # parts adding up to the figure already known ("vingt-six ... au-dessus de Koursk et Lipetsk",
    # then "dix-neuf ... Koursk et sept ... Lipetsk"): the same whole, not more parts of it
    whole = {k for k, v in parts.items() if ev.subs.get(k) and ev.final(*k) == v
             and not any(at[:2] == k and at[3] == id(m.sent) for at in ev.part_at)}  # not more of the same list
    for k in whole:
        ev.totals[k] = [parts[k]]
    for c in m.counts:
        if c.weak and c.role:
            ev.weak[(c.weapon, c.role)] = 1
        elif c.sub and c.role:
            if (c.weapon, c.role) not in whole:
                # where each part is told: equal parts of one sentence add up, a part told again does not
                at = ev.part_at.setdefault((c.weapon, c.role, c.value, id(m.sent)), set())
                at.add(c.start)
                parts_of = ev.subs.setdefault((c.weapon, c.role), {})
                parts_of[c.value] = max(parts_of.get(c.value, 0), len(at))
        if c.all_of and c.role == "destroyed":
            ev.all_of[c.weapon] = c.value
    ev.plural |= m.plural
    for p in m.places:
        if held_by(p) == ev.target and p not in ev.places:
            ev.places.append(p)
    for kind, value in (("killed", m.killed), ("injured", m.injured)):
        if value is not None:
            per = ev.casualties.setdefault(kind, {})
            key = tuple(sorted(p for p in m.places if held_by(p) == ev.target))
            same = [k for k, v in per.items() if v == value]
            if same and key not in per and any(ev.toll_of.get((kind, k)) != id(m.sent) for k in same):
                continue  # the same figure restated (headline, other source), not another place of one list
            per[key] = max(per.get(key, 0), value)
            ev.toll_of[(kind, key)] = id(m.sent)
    ev.when = ev.when or time_of_day(m.sent)
    if m.sent.text not in ev.evidence and (m.counts or m.killed or m.injured or m.places):
        ev.evidence.append(m.sent.text)
    if m.sent not in ev.sentences:
        ev.sentences.append(m.sent)
    ev.para = m.sent.para
    ev.explicit = ev.explicit or m.explicit


def widen(places: list[str]) -> set[str]:
    return set(places) | {p for p in map(gazetteer.place_parent, places) if p}
