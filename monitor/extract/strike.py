"""Strike events: one per distinct attack wave, with counts, places and casualties.

Each clause that talks about an air, drone or missile attack gives a *mention*
(mentions.py). Mentions are folded into events:
- a mention continues the current event when it has the same direction and sits in
  the same paragraph (or, without figures, the next one) and its figures agree;
- a mention elsewhere joins an earlier event of the same direction that shares a
  figure with it (a repeated or translated report);
- a mention without figures (places, casualties) a little further on joins the current
  event of its direction unless it tells of another time or of past attacks;
- otherwise it opens a new event. Count-less mentions open an event only when they
  name a place hit and say who attacked; a lone "a missile hit ..." opens one when no
  wave of that direction is known yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from monitor import gazetteer
from monitor.events import Counts, StrikeEvent
from monitor.extract import lexicon as lx
from monitor.extract.dates import resolve_date
from monitor.extract.firstchar import quick
from monitor.extract.mentions import BULLET, Mention, build_mentions
from monitor.extract.sentences import Sentence
from monitor.extract.screen import Indexed, Screened

_HISTORY = Indexed(re.compile(
    r"(?:plus (?:importante?|grande?|massive)|largest|biggest)[^.]{0,40}(?:depuis|since)|"
    r"escalade|escalation|precedent\w*|previous|earlier this|la semaine derniere|last week|"
    r"last month|le mois dernier|last year|l'an dernier|l'annee derniere|a year ago|years ago|"
    r"il y a (?:un|deux|trois|\d+) ans?|anniversary|anniversaire|commemor\w*"
))
# trend statements ("Russia has repeatedly targeted Odesa", "a intensifié ses attaques"):
# places named there are not places of this wave
_TREND = Indexed(re.compile(
    r"\b(?:repeatedly|regularly|frequently|often|routinely|a intensifie|ont intensifie|intensified|"
    r"has stepped up|have stepped up|stepped up|multiplie\w*|regulierement|frequemment|souvent|"
    r"a plusieurs reprises|depuis des (?:mois|semaines)|for months|for weeks|depuis l'ete|"
    r"depuis l'hiver|depuis le printemps|depuis l'automne|periodically|periodiquement|at times|parfois|"
    r"from time to time|de temps (?:a|en) autre)\b"
))
# a strike foreseen or feared, not reported ("des drones qui s'abattront demain sur Kiev",
# "Russia could strike Odesa again"): the place it names is no wave's place
_HYPOTHETICAL = Indexed(re.compile(
    r"\b(?:demain|tomorrow|pourrai\w*|pourra|pourront|could|might|would|threaten\w*|menace\w* de|"
    r"risque\w* de|s'abattr(?:a|ont)|frappera\w*|will strike|will hit|will target)\b"
))
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
_REVISED = Indexed(re.compile(
    r"\b(?:actualis\w*|mis a jour|mise a jour|updated?|revised?|nouveau bilan|new (?:toll|figures?)|"
    r"precise son bilan|corrige\w*|now says?|has since|a depuis)\b"
))
_LINK_PARAS = 2  # a count-less mention this many paragraphs on still joins its wave
# "the enemy attacked with 158 air attack assets": each side calls the other the enemy, so the
# sentence tells of the wave being reported, a few short paragraphs on (a source line between)
_ENEMY = Screened(r"\b(?:the enemy|enemy (?:drones|missiles|uavs|forces)|l'ennemi|(?:drones|missiles) ennemis)\b",
                  ["enemy", "ennemi", "ennemis"])
_ENEMY_PARAS = 3


def _when(s: Sentence) -> str | None:
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


def _list_times(sentences: list[Sentence]) -> None:
    """Give each bulleted item the time of day of the sentence that introduces its list."""
    intro: Sentence | None = None
    for s in sentences:
        if BULLET.match(s.text):
            if intro is not None and "when" not in s.cache:
                s.cache["list_when"] = _when(intro)
        else:
            intro = s


@dataclass
class _Acc:
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
            wide = _widen(list(where))
            k = next((i for i, (g, _) in enumerate(groups) if g & wide), None)
            if k is None:
                groups.append((wide, v))
            else:
                groups[k] = (groups[k][0] | wide, max(groups[k][1], v))
        placed = sum(v for _, v in groups)
        return max(placed, max((v for k, v in per.items() if not k), default=0))

    def absorb(self, other: _Acc) -> None:
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


def _mention_totals(m: Mention, ev: _Acc | None = None) -> dict[tuple[str, str], int]:
    tot: dict[tuple[str, str], int] = {}
    for c in m.strong:
        if not c.sub and c.role:
            tot[(c.weapon, c.role)] = tot.get((c.weapon, c.role), 0) + c.value
    if ev is not None:  # a figure already known as a part ("dont 19 vers Moscou") stays a part
        tot = {k: v for k, v in tot.items() if not (k in ev.totals and v in ev.subs.get(k, ()))}
    return tot


def _compatible(ev: _Acc, m: Mention) -> bool:
    mine = _mention_totals(m, ev)
    when = _when(m.sent)
    if ev.when and when and when != ev.when and mine and not {w for w, _ in mine} & {w for w, _ in ev.totals}:
        return False  # "dix drones pendant la nuit" after a morning missile strike: two waves
    if mine and _LATER.test(m.sent) and not {w for w, _ in mine} & {w for w, _ in ev.totals}:
        return False  # "Quelques heures plus tard, la Russie a lancé 73 drones": the next wave
    larger = _TOTAL.test(m.sent) or _REVISED.test(m.sent)
    floors = _floors(m)
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


def _under(ev: _Acc, m: Mention) -> bool:
    """The mention's figures are floors ("more than twenty missiles") of the wave's figures."""
    mine = _mention_totals(m, ev)
    floors = _floors(m)
    return bool(mine) and all(k in floors and k in ev.totals and v <= max(ev.totals[k]) for k, v in mine.items())


def _floors(m: Mention) -> set[tuple[str, str]]:
    f = m.sent.folded
    return {(c.weapon, c.role) for c in m.strong if c.role and not c.sub
            and _FLOOR_BEFORE.search(f, max(0, c.start - 16), c.start)}


def _held_by(place: str) -> str | None:
    info = gazetteer.place_info(place)
    return (info.held_by or info.country) if info else None


def _add(ev: _Acc, m: Mention) -> None:
    floors = _floors(m)
    for key, v in _mention_totals(m, ev).items():
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
        if _held_by(p) == ev.target and p not in ev.places:
            ev.places.append(p)
    for kind, value in (("killed", m.killed), ("injured", m.injured)):
        if value is not None:
            per = ev.casualties.setdefault(kind, {})
            key = tuple(sorted(p for p in m.places if _held_by(p) == ev.target))
            same = [k for k, v in per.items() if v == value]
            if same and key not in per and any(ev.toll_of.get((kind, k)) != id(m.sent) for k in same):
                continue  # the same figure restated (headline, other source), not another place of one list
            per[key] = max(per.get(key, 0), value)
            ev.toll_of[(kind, key)] = id(m.sent)
    ev.when = ev.when or _when(m.sent)
    if m.sent.text not in ev.evidence and (m.counts or m.killed or m.injured or m.places):
        ev.evidence.append(m.sent.text)
    if m.sent not in ev.sentences:
        ev.sentences.append(m.sent)
    ev.para = m.sent.para
    ev.explicit = ev.explicit or m.explicit


def _follows(para: int, m: Mention) -> bool:
    """Whether an undirected mention continues what was told at paragraph `para`: the next
    paragraph, or a few short ones on when it speaks of "the enemy"."""
    gap = m.sent.para - para
    return gap <= 1 or (m.attacker is None and gap <= _ENEMY_PARAS and _ENEMY.test(m.sent))


def _linkable(ev: _Acc, m: Mention) -> bool:
    """A count-less mention a little further on that still tells of this wave."""
    if m.sent.para - ev.para > _LINK_PARAS or _HISTORY.test(m.sent):
        return False
    when = _when(m.sent)
    return not (when and ev.when and when != ev.when)


def aggregate(mentions: list[Mention]) -> list[_Acc]:
    events: list[_Acc] = []
    orphans: list[Mention] = []
    undirected: list[Mention] = []
    cur: _Acc | None = None
    lead: Mention | None = None  # the last attack told with its sides but no figure or place yet
    lead_para = 0  # the paragraph the lead's telling has reached
    for m in mentions:
        att, tgt = m.attacker, m.target
        near = cur is not None and _follows(cur.para, m)
        opener = None
        if att is None or tgt is None:
            if cur is None or not near:
                if lead is not None and _follows(lead_para, m) and not _HISTORY.test(m.sent) and _when(lead.sent):
                    # "Russian forces attacked Ukraine overnight, the Air Force said." then its figures
                    # (an attack dated to a night or a morning: not a trend told in general terms)
                    lead_para = m.sent.para
                    told = m.killed is not None or m.injured is not None
                    if not (m.strong or told) or lx.dated_past(m.sent):
                        continue
                    opener, att, tgt = lead, lead.attacker, lead.target
                    if not m.strong:  # "Ukrainian drones attacked Belgorod overnight." then its toll
                        cur = _Acc(att, tgt)
                        events.append(cur)
                        for x in (opener, m):
                            _add(cur, x)
                        orphans.remove(opener)
                        lead = None
                        continue
                else:
                    if m.strong and _REVISED.test(m.sent):
                        undirected.append(m)  # a live blog's update told before its first entry
                    continue
            else:
                att, tgt = cur.attacker, cur.target
        same_cur = cur is not None and (cur.attacker, cur.target) == (att, tgt)
        if lx.dated_past(m.sent):
            continue  # "En avril 2025, deux missiles ... faisant plus de trente morts": an earlier attack
        if m.strong:
            target_ev = None
            if same_cur and _compatible(cur, m) and (
                cur.para == m.sent.para or (near and not _HISTORY.test(m.sent))
            ):
                target_ev = cur
            else:
                values = {(c.weapon, c.role, c.value) for c in m.strong}
                for ev in events:
                    if (ev.attacker, ev.target) == (att, tgt) and (ev.values() & values or _under(ev, m)) \
                            and _compatible(ev, m):
                        target_ev = ev
                        break
                else:  # the figures of a wave told first without any ("Des frappes sur Kyiv")
                    target_ev = next((ev for ev in reversed(events) if (ev.attacker, ev.target) == (att, tgt)
                                      and not ev.totals and not ev.subs and _compatible(ev, m)), None)
            if target_ev is None and m.def_weapon:  # "n'avait pas pu intercepter les deux missiles": those told
                target_ev = next((ev for ev in reversed(events) if (ev.attacker, ev.target) == (att, tgt)
                                  and _compatible(ev, m)), None)
            if target_ev is None:
                target_ev = _Acc(att, tgt)
                events.append(target_ev)
            if opener is not None:
                _add(target_ev, opener)
                orphans.remove(opener)
                lead = None
            _add(target_ev, m)
            cur = target_ev
            continue
        if not (m.places or m.killed is not None or m.injured is not None or m.cue):
            continue
        if _TREND.test(m.sent) and not (m.counts or m.killed or m.injured):
            continue  # "Russia has repeatedly targeted Odesa": no place of this wave
        if same_cur and (near or _linkable(cur, m)):
            _add(cur, m)
            continue
        known = any((ev.attacker, ev.target) == (att, tgt) for ev in events)
        if m.counts and not known and not _HISTORY.test(m.sent):  # "a ballistic missile hit Kryvyi Rih"
            cur = _Acc(att, tgt)
            events.append(cur)
            _add(cur, m)
            continue
        on_target = any(_held_by(p) == tgt for p in m.places)
        told = m.aimed or m.killed is not None or m.injured is not None  # a place named as hit
        if (m.anaphoric or not m.cue or not told or not on_target or (m.def_weapon and events)
                or _HISTORY.test(m.sent) or _HYPOTHETICAL.test(m.sent)):  # a past or feared attack opens no wave
            if m.explicit and m.attacker and m.target:
                orphans.append(m)
                if not (_HISTORY.test(m.sent) or _HYPOTHETICAL.test(m.sent) or lx.dated_past(m.sent)):
                    lead, lead_para = m, m.sent.para
            continue
        # the same place, or a city and its oblast ("dans la région de Khmelnytskyï" in the
        # title, "à Khmelnytskyï" in the text)
        match = next((ev for ev in events if (ev.attacker, ev.target) == (att, tgt)
                      and (_widen(ev.places) & _widen(m.places))), None)
        if match is None:
            match = _Acc(att, tgt)
            events.append(match)
        _add(match, m)
        cur = match
    for m in orphans:  # casualties / places said before the figures of their wave
        for ev in events:
            if (ev.attacker, ev.target) == (m.attacker, m.target) and any(
                abs(x.para - m.sent.para) <= 1 for x in ev.sentences
            ):
                _add(ev, m)
                break
    for m in undirected:  # revised figures of the nearest wave whose figures they revise
        values = {(c.weapon, c.role) for c in m.strong if c.role}
        near = [ev for ev in events if values & set(ev.totals) and _compatible(ev, m) and ev.distance(m) <= 8]
        if near:
            _add(min(near, key=lambda ev: ev.distance(m)), m)
    return _merge_retold(events)


def _merge_retold(events: list[_Acc]) -> list[_Acc]:
    """A wave told again further on (a live blog's summary, then its entry; a digest's
    headline, then its item) is one wave: same direction and the same overall figure
    (at least 10 weapons) stated in both, no launched figure that differs. The merged
    figures are the largest stated (a revised toll or count only grows)."""
    out: list[_Acc] = []
    for ev in events:
        twin = next((o for o in out if _retold(o, ev)), None)
        if twin is None:
            out.append(ev)
        else:
            twin.absorb(ev)
    return out


def _retold(a: _Acc, b: _Acc) -> bool:
    if (a.attacker, a.target) != (b.attacker, b.target):
        return False
    for key in a.totals.keys() & b.totals.keys():
        if key[1] == "launched" and max(a.totals[key]) != max(b.totals[key]):
            return False
    shared = {(k, v) for k, vs in a.totals.items() for v in vs if v >= 10 and v in b.totals.get(k, ())}
    if shared:
        return True
    # the overall figure of one told as its regional parts in the other: "vingt-six drones
    # abattus au-dessus de Koursk et Lipetsk", then "dix-neuf ... Koursk et sept ... Lipetsk"
    keys = {k for k in (*a.totals, *a.subs) if k[1]} & {k for k in (*b.totals, *b.subs) if k[1]}
    return any((v := a.final(*k)) is not None and v >= 10 and v == b.final(*k) for k in keys)


def _widen(places: list[str]) -> set[str]:
    return set(places) | {p for p in map(gazetteer.place_parent, places) if p}


def extract_strikes(sentences: list[Sentence], published: datetime | None) -> list[StrikeEvent]:
    out: list[StrikeEvent] = []
    if any(BULLET.match(s.text) for s in sentences):
        _list_times(sentences)
    for ev in aggregate(build_mentions(sentences)):
        date = None
        for s in ev.sentences:
            date = resolve_date(s, published)
            if date:
                break
        drones = Counts(launched=ev.final("drones", "launched"), destroyed=ev.final("drones", "destroyed"))
        missiles = Counts(launched=ev.final("missiles", "launched"), destroyed=ev.final("missiles", "destroyed"))
        has_counts = any(v is not None for v in (drones.launched, drones.destroyed, missiles.launched, missiles.destroyed))
        conf = 0.5 + 0.2 * has_counts + 0.15 * ev.explicit + 0.1 * bool(ev.places)
        out.append(StrikeEvent(
            attacker=ev.attacker, target=ev.target, drones=drones, missiles=missiles,
            drones_lost=ev.final("drones", "lost"), places=ev.places, killed=ev.victims("killed"),
            injured=ev.victims("injured"), date=date, evidence=ev.evidence[:4] or [ev.sentences[0].text],
            confidence=round(min(conf, 0.95), 2),
        ))
    return out
