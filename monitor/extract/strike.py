"""Strike events: one per distinct attack wave, with counts, places and casualties.

Each clause that talks about an air, drone or missile attack gives a *mention*
(mentions.py). Mentions are folded into events (waves.py holds a wave's figures and
says whether a mention's agree with them):
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
from datetime import datetime

from monitor.events import Counts, StrikeEvent
from monitor.extract import lexicon as lx
from monitor.extract.dates import resolve_date
from monitor.extract.mentions import BULLET, Mention, build_mentions
from monitor.extract.sentences import Sentence
from monitor.extract.screen import Indexed, Screened
from monitor.extract.waves import (REVISED, Wave, add, compatible, held_by, list_times, time_of_day, under,
                                     widen)

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
_LINK_PARAS = 2  # a count-less mention this many paragraphs on still joins its wave
# "the enemy attacked with 158 air attack assets": each side calls the other the enemy, so the
# sentence tells of the wave being reported, a few short paragraphs on (a source line between)
_ENEMY = Screened(r"\b(?:the enemy|enemy (?:drones|missiles|uavs|forces)|l'ennemi|(?:drones|missiles) ennemis)\b",
                  ["enemy", "ennemi", "ennemis"])
_ENEMY_PARAS = 3


def _follows(para: int, m: Mention) -> bool:
    """Whether an undirected mention continues what was told at paragraph `para`: the next
    paragraph, or a few short ones on when it speaks of "the enemy"."""
    gap = m.sent.para - para
    return gap <= 1 or (m.attacker is None and gap <= _ENEMY_PARAS and _ENEMY.test(m.sent))


def _linkable(ev: Wave, m: Mention) -> bool:
    """A count-less mention a little further on that still tells of this wave."""
    if m.sent.para - ev.para > _LINK_PARAS or _HISTORY.test(m.sent):
        return False
    when = time_of_day(m.sent)
    return not (when and ev.when and when != ev.when)


def aggregate(mentions: list[Mention]) -> list[Wave]:
    events: list[Wave] = []
    orphans: list[Mention] = []
    undirected: list[Mention] = []
    cur: Wave | None = None
    lead: Mention | None = None  # the last attack told with its sides but no figure or place yet
    lead_para = 0  # the paragraph the lead's telling has reached
    for m in mentions:
        att, tgt = m.attacker, m.target
        near = cur is not None and _follows(cur.para, m)
        opener = None
        if att is None or tgt is None:
            if cur is None or not near:
                if lead is not None and _follows(lead_para, m) and not _HISTORY.test(m.sent) and time_of_day(lead.sent):
                    # "Russian forces attacked Ukraine overnight, the Air Force said." then its figures
                    # (an attack dated to a night or a morning: not a trend told in general terms)
                    lead_para = m.sent.para
                    told = m.killed is not None or m.injured is not None
                    if not (m.strong or told) or lx.dated_past(m.sent):
                        continue
                    opener, att, tgt = lead, lead.attacker, lead.target
                    if not m.strong:  # "Ukrainian drones attacked Belgorod overnight." then its toll
                        cur = Wave(att, tgt)
                        events.append(cur)
                        for x in (opener, m):
                            add(cur, x)
                        orphans.remove(opener)
                        lead = None
                        continue
                else:
                    if m.strong and REVISED.test(m.sent):
                        undirected.append(m)  # a live blog's update told before its first entry
                    continue
            else:
                att, tgt = cur.attacker, cur.target
        same_cur = cur is not None and (cur.attacker, cur.target) == (att, tgt)
        if lx.dated_past(m.sent):
            continue  # "En avril 2025, deux missiles ... faisant plus de trente morts": an earlier attack
        if m.strong:
            target_ev = None
            if same_cur and compatible(cur, m) and (
                cur.para == m.sent.para or (near and not _HISTORY.test(m.sent))
            ):
                target_ev = cur
            else:
                values = {(c.weapon, c.role, c.value) for c in m.strong}
                for ev in events:
                    if (ev.attacker, ev.target) == (att, tgt) and (ev.values() & values or under(ev, m)) \
                            and compatible(ev, m):
                        target_ev = ev
                        break
                else:  # the figures of a wave told first without any ("Des frappes sur Kyiv")
                    target_ev = next((ev for ev in reversed(events) if (ev.attacker, ev.target) == (att, tgt)
                                      and not ev.totals and not ev.subs and compatible(ev, m)), None)
            if target_ev is None and m.def_weapon:  # "n'avait pas pu intercepter les deux missiles": those told
                target_ev = next((ev for ev in reversed(events) if (ev.attacker, ev.target) == (att, tgt)
                                  and compatible(ev, m)), None)
            if target_ev is None:
                target_ev = Wave(att, tgt)
                events.append(target_ev)
            if opener is not None:
                add(target_ev, opener)
                orphans.remove(opener)
                lead = None
            add(target_ev, m)
            cur = target_ev
            continue
        if not (m.places or m.killed is not None or m.injured is not None or m.cue):
            continue
        if _TREND.test(m.sent) and not (m.counts or m.killed or m.injured):
            continue  # "Russia has repeatedly targeted Odesa": no place of this wave
        if same_cur and (near or _linkable(cur, m)):
            add(cur, m)
            continue
        known = any((ev.attacker, ev.target) == (att, tgt) for ev in events)
        if m.counts and not known and not _HISTORY.test(m.sent):  # "a ballistic missile hit Kryvyi Rih"
            cur = Wave(att, tgt)
            events.append(cur)
            add(cur, m)
            continue
        on_target = any(held_by(p) == tgt for p in m.places)
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
                      and (widen(ev.places) & widen(m.places))), None)
        if match is None:
            match = Wave(att, tgt)
            events.append(match)
        add(match, m)
        cur = match
    for m in orphans:  # casualties / places said before the figures of their wave
        for ev in events:
            if (ev.attacker, ev.target) == (m.attacker, m.target) and any(
                abs(x.para - m.sent.para) <= 1 for x in ev.sentences
            ):
                add(ev, m)
                break
    for m in undirected:  # revised figures of the nearest wave whose figures they revise
        values = {(c.weapon, c.role) for c in m.strong if c.role}
        near = [ev for ev in events if values & set(ev.totals) and compatible(ev, m) and ev.distance(m) <= 8]
        if near:
            add(min(near, key=lambda ev: ev.distance(m)), m)
    return _merge_retold(events)


def _merge_retold(events: list[Wave]) -> list[Wave]:
    """A wave told again further on (a live blog's summary, then its entry; a digest's
    headline, then its item) is one wave: same direction and the same overall figure
    (at least 10 weapons) stated in both, no launched figure that differs. The merged
    figures are the largest stated (a revised toll or count only grows)."""
    out: list[Wave] = []
    for ev in events:
        twin = next((o for o in out if _retold(o, ev)), None)
        if twin is None:
            out.append(ev)
        else:
            twin.absorb(ev)
    return out


def _retold(a: Wave, b: Wave) -> bool:
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


def extract_strikes(sentences: list[Sentence], published: datetime | None) -> list[StrikeEvent]:
    out: list[StrikeEvent] = []
    if any(BULLET.match(s.text) for s in sentences):
        list_times(sentences)
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
