"""Strike events: one per distinct attack wave, with counts, places and casualties.

Each sentence that talks about an air, drone or missile attack gives a *mention*
(direction, counts, places, casualties). Mentions are folded into events:
- a mention continues the current event when it has the same direction and sits in
  the same paragraph (or, without figures, the next one) and its figures agree;
- a mention elsewhere joins an earlier event of the same direction that shares a
  figure with it (a repeated or translated report);
- otherwise it opens a new event. Count-less mentions open an event only when they
  name a place hit and say who attacked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from monitor import gazetteer
from monitor.events import Counts, StrikeEvent
from monitor.extract import lexicon as lx
from monitor.extract.casualties import find_casualties
from monitor.extract.counts import Count, find_counts
from monitor.extract.dates import resolve_date
from monitor.extract.direction import read_direction
from monitor.extract.places import find_places
from monitor.extract.sentences import Sentence
from monitor.extract.textnorm import guard

_STRIKE_CUE = re.compile(
    r"\b(?:frappes?|bombardements?|bombarde\w*|strikes?|airstrikes?|air raids?|raids? aeriens?|"
    r"attaques? (?:aeriennes?|massives?|combinees?|de (?:drones|missiles))|air attacks?|"
    r"attacks?|attaques?|abattu\w*|shot down|intercept\w*|explosions?|pilonn\w*)\b"
)
_WEAPON = guard(lx.WEAPON_RE)
_DAMAGE = re.compile(
    r"\b(?:touche\w*|endommag\w*|damaged|hit|incendies?|fires?|pris feu|debris|explosions?|"
    r"detruit\w*|destroyed|blesse\w*|injur\w*|wounded|tue\w*|killed|morts?|dead|victimes?)\b"
)
_ANAPHORA = re.compile(
    r"\b(?:cette|ces|this|these|the|l') (?:nouvelle |derniere |latest |massive |overnight )?"
    r"(?:attaques?|frappes?|attacks?|strikes?|operations?|bombardements?|vague)\b"
)
_NOT_WAR = re.compile(
    r"\bgreve|walkout|strikers|syndica\w*|\bunions?\b|foudre|lightning|\bbut\b|tirs? au but|"
    r"penalty|football|goal|gardien|goalkeeper|striker|amazon|livraison de colis|parcel|"
    r"spectacle|light show|feu d'artifice|fireworks|houthi|yemen|gaza|israel|hezbollah|"
    r"exercice|exercise|drill|salon|usine de drones|drone factory output|production de drones|"
    r"drone production|produire|produce[sd]?\b|fabrique\w*|manufactur\w*|delivers?|livr\w+|"
    r"strike a deal|hunger strike|grevistes"
)


_AIM = re.compile(
    r"\b(?:sur|contre|visant|vise\w*|cible\w*|frapp\w*|touche\w*|bombarde\w*|attaque\w* de|"
    r"on|against|targeting|targeted|hit|struck|at|over|au-dessus|attack on|strikes? on|attacks? on)\b"
    r"(?:\s+\S+){0,4}\s*$"
)
_HISTORY = re.compile(
    r"(?:plus (?:importante?|grande?|massive)|largest|biggest)[^.]{0,40}(?:depuis|since)|"
    r"escalade|escalation|precedent\w*|previous|earlier this|la semaine derniere|last week"
)


_WHEN = [
    ("night", re.compile(r"\b(?:nuit|nocturne|overnight|night)\b")),
    ("morning", re.compile(r"\b(?:matin|matinee|morning)\b")),
    ("afternoon", re.compile(r"\b(?:apres-midi|afternoon)\b")),
    ("evening", re.compile(r"\b(?:soir|soiree|evening)\b")),
]
# "a total of 337 drones over ten regions": the overall figure after partial ones
_TOTAL = re.compile(
    r"\b(?:a total of|in total|in all|au total|en tout|au moins \w+ regions|over (?:\w+ )?regions|"
    r"dans (?:\w+ )?regions|sur (?:\w+ )?regions|including|dont)\b"
)


def _when(folded: str) -> str | None:
    found = [name for name, rx in _WHEN if rx.search(folded)]
    return found[0] if len(found) == 1 else None


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


@dataclass
class _Acc:
    attacker: str
    target: str
    totals: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    subs: dict[tuple[str, str], set[int]] = field(default_factory=dict)
    all_of: dict[str, int] = field(default_factory=dict)
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
        placed = sum(v for k, v in per.items() if k)
        return max(placed, max((v for k, v in per.items() if not k), default=0))

    def values(self) -> set[tuple[str, str, int]]:
        out = {(w, r, v) for (w, r), vs in self.totals.items() for v in vs}
        out |= {(w, r, v) for (w, r), vs in self.subs.items() for v in vs}
        return out


def _sentence_counts(s: Sentence, clause: tuple[int, int], counts: list[Count]) -> list[Count]:
    a, b = clause
    text = s.folded[a:b]
    if lx.is_running(text):
        return []
    return [c for c in counts if a <= c.start < b]


def build_mentions(sentences: list[Sentence]) -> list[Mention]:
    out: list[Mention] = []
    last_weapon: str | None = None
    for s in sentences:
        f = s.folded
        has_weapon = bool(_WEAPON.search(f))
        cue = has_weapon or bool(_STRIKE_CUE.search(f))
        if not cue and not _DAMAGE.search(f):
            continue
        if _NOT_WAR.search(f):
            continue
        pms = find_places(f)
        counts = find_counts(f, [p.start for p in pms], last_weapon) if has_weapon or re.search(r"\baucun|\bnone\b", f) else []
        if counts:
            last_weapon = counts[-1].weapon
        killed, injured = find_casualties(f) if not lx.is_running_any(f) else (None, None)
        first = s.clauses()[0]
        for clause in s.clauses():
            a, b = clause
            ctext = f[a:b]
            ccue = bool(_WEAPON.search(ctext) or _STRIKE_CUE.search(ctext))
            if not ccue and not _DAMAGE.search(ctext):
                continue
            cpl = [p for p in pms if a <= p.start < b and p.kind in ("city", "region")]
            hit = [p for p in cpl if not p.actor and not p.source]
            ccounts = _sentence_counts(s, clause, counts)
            if not (ccounts or hit or ccue or (clause == first and (killed or injured))):
                continue
            countries = [gazetteer.place_info(p.name).held_by or "" for p in hit]
            att, tgt, explicit = read_direction(ctext, [c for c in countries if c])
            aimed = any(_AIM.search(f[max(a, p.start - 30) : p.start]) for p in hit)
            out.append(Mention(s, att, tgt, explicit, ccounts, [p.name for p in hit],
                               killed if clause == first else None,
                               injured if clause == first else None,
                               ccue, bool(_ANAPHORA.search(f[a:b])), aimed))
    return out


def _compatible(ev: _Acc, m: Mention) -> bool:
    mine = _mention_totals(m)
    when = _when(m.sent.folded)
    if ev.when and when and when != ev.when and mine and not {w for w, _ in mine} & {w for w, _ in ev.totals}:
        return False  # "dix drones pendant la nuit" after a morning missile strike: two waves
    larger = bool(_TOTAL.search(m.sent.folded))
    for key, v in mine.items():
        if key in ev.totals and v not in ev.totals[key]:
            if larger and v > max(ev.totals[key]):
                continue  # the overall figure after a partial one
            return False
    return True


def _mention_totals(m: Mention) -> dict[tuple[str, str], int]:
    tot: dict[tuple[str, str], int] = {}
    for c in m.counts:
        if not c.sub and c.role:
            tot[(c.weapon, c.role)] = tot.get((c.weapon, c.role), 0) + c.value
    return tot


def _add(ev: _Acc, m: Mention) -> None:
    for key, v in _mention_totals(m).items():
        ev.totals.setdefault(key, [])
        if v not in ev.totals[key]:
            ev.totals[key].append(v)
    for c in m.counts:
        if c.sub and c.role:
            ev.subs.setdefault((c.weapon, c.role), set()).add(c.value)
        if c.all_of and c.role == "destroyed":
            ev.all_of[c.weapon] = c.value
    for p in m.places:
        info = gazetteer.place_info(p)
        if info and (info.held_by or info.country) == ev.target and p not in ev.places:
            ev.places.append(p)
    for kind, value in (("killed", m.killed), ("injured", m.injured)):
        if value is not None:
            per = ev.casualties.setdefault(kind, {})
            key = tuple(m.places)
            if value in per.values() and key not in per:
                continue  # the same figure restated (headline, other source)
            per[key] = max(per.get(key, 0), value)
    ev.when = ev.when or _when(m.sent.folded)
    if m.sent.text not in ev.evidence and (m.counts or m.killed or m.injured or m.places):
        ev.evidence.append(m.sent.text)
    if m.sent not in ev.sentences:
        ev.sentences.append(m.sent)
    ev.para = m.sent.para
    ev.explicit = ev.explicit or m.explicit


def aggregate(mentions: list[Mention]) -> list[_Acc]:
    events: list[_Acc] = []
    orphans: list[Mention] = []
    cur: _Acc | None = None
    for m in mentions:
        att, tgt = m.attacker, m.target
        near = cur is not None and m.sent.para - cur.para <= 1
        if att is None or tgt is None:
            if cur is None or not near:
                continue
            att, tgt = cur.attacker, cur.target
        same_cur = cur is not None and (cur.attacker, cur.target) == (att, tgt)
        if m.counts:
            target_ev = None
            if same_cur and _compatible(cur, m) and (
                cur.para == m.sent.para or (near and not _HISTORY.search(m.sent.folded))
            ):
                target_ev = cur
            else:
                values = {(c.weapon, c.role, c.value) for c in m.counts}
                for ev in events:
                    if (ev.attacker, ev.target) == (att, tgt) and ev.values() & values and _compatible(ev, m):
                        target_ev = ev
                        break
            if target_ev is None:
                target_ev = _Acc(att, tgt)
                events.append(target_ev)
            _add(target_ev, m)
            cur = target_ev
            continue
        if not (m.places or m.killed is not None or m.injured is not None or m.cue):
            continue
        if same_cur and near:
            _add(cur, m)
            continue
        if m.anaphoric or not m.cue or not m.aimed:
            if m.explicit and m.attacker and m.target:
                orphans.append(m)
            continue
        match = next((ev for ev in events if (ev.attacker, ev.target) == (att, tgt)
                      and (set(ev.places) & set(m.places))), None)
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
    return events


def _final(ev: _Acc, weapon: str, role: str) -> int | None:
    tot = ev.totals.get((weapon, role))
    if tot:
        return max(tot)
    subs = ev.subs.get((weapon, role))
    if subs:
        return sum(subs)
    if role == "launched" and weapon in ev.all_of:
        return ev.all_of[weapon]
    return None


def extract_strikes(sentences: list[Sentence], published: datetime | None) -> list[StrikeEvent]:
    out: list[StrikeEvent] = []
    for ev in aggregate(build_mentions(sentences)):
        date = None
        for s in ev.sentences:
            date = resolve_date(s.folded, published)
            if date:
                break
        drones = Counts(launched=_final(ev, "drones", "launched"), destroyed=_final(ev, "drones", "destroyed"))
        missiles = Counts(launched=_final(ev, "missiles", "launched"), destroyed=_final(ev, "missiles", "destroyed"))
        has_counts = any(v is not None for v in (drones.launched, drones.destroyed, missiles.launched, missiles.destroyed))
        conf = 0.5 + 0.2 * has_counts + 0.15 * ev.explicit + 0.1 * bool(ev.places)
        out.append(StrikeEvent(
            attacker=ev.attacker, target=ev.target, drones=drones, missiles=missiles,
            drones_lost=_final(ev, "drones", "lost"), places=ev.places, killed=ev.victims("killed"),
            injured=ev.victims("injured"), date=date, evidence=ev.evidence[:4] or [ev.sentences[0].text],
            confidence=round(min(conf, 0.95), 2),
        ))
    return out


# substring screens in front of the sentence-level patterns (same results, cheaper)
_STRIKE_CUE, _DAMAGE, _NOT_WAR, _HISTORY, _TOTAL = (
    guard(_STRIKE_CUE), guard(_DAMAGE), guard(_NOT_WAR), guard(_HISTORY), guard(_TOTAL)
)
