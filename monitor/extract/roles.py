"""Roles of the counts of one sentence: launched, destroyed (shot down) or lost (jamming).

In this order, a count takes its role from a verb right before it ("a abattu 268
drones"), a passive right after it ("41 ont été abattus"), a coordinated neighbour
("539 drones et 11 missiles", "260 of the 300 drones ..., along with nine of 12
missiles"), or a verb further left in the same stretch of text. A bare participle after
a list ("neuf missiles ... ainsi que 17 drones, tirés par l'Ukraine") describes the
weapons, not what happened to them: the coordination wins over it.
"""

from __future__ import annotations

import re

from monitor.extract import lexicon as lx
from monitor.extract.counts import Count, right_match, role_of
from monitor.extract.firstchar import quick
from monitor.extract.screen import Indexed, Screened, gate
from monitor.extract.sentences import Sentence

_DESTROY_RE = re.compile(rf"\b(?:{lx.DESTROY})\b")
_CLAUSE_CUT = quick(r"[,;]|\bet\b|\band\b|\bwhile\b|\btandis\b|\bmais\b|\bbut\b")
_ZERO_RE = re.compile(
    r"\b(?:aucun(?:e)?|none|not one|not a single one|neither)\b[^.;]{0,80}?\b(?:" + lx.DESTROY + r")\b"
)
# "les deux missiles n'ont pas été interceptés", "the missiles were not intercepted"
_NOT_DOWNED = re.compile(
    r"(?:\b(?:les|the|ces|these|those|both|all|tous les|toutes les|le|la)\s+|\bl')(?:\w+\s+){0,2}?"
    r"(?P<w>(?:drones?|missiles?|engins)|" + lx.MISSILE_NAMES + "|" + lx.DRONE_NAMES + r")\s+"
    r"(?:n'ont pas ete|n'a pas ete|n'ont pu etre|n'a pu etre|n'ont pas pu etre|were not|was not|"
    r"weren't|wasn't|have not been|had not been|could not be|were never)\s+(?:" + lx.DESTROY + r")"
)
_NEGATED = re.compile(
    r"\s*(?:,\s*)?(?:n'ont pas|n'a pas|n'ont jamais|were not|was not|weren't|wasn't|have not|had not|"
    r"has not|did not|didn't|could not|n'ont pu|n'a pu)\b"
)
# "repoussé l'attaque de 19 drones", "repelled an attack by 40 drones": destroyed
_REPELLED = quick(
    r"\b(?:repouss\w*|repelled|repulsed|dejoue\w*|thwarted|foiled)\s+(?:une |l'|an |the |a )?$"
)
_REPELLED_GATE = gate(runs=["repouss", "repelled", "repulsed", "dejoue", "thwarted", "foiled"])
# the launched group never matches: it is there so that `role_of` reads this match like ROLE_RIGHT's
_LATER_PASSIVE = re.compile(
    r"[^,;.:]{0,70}?\s(?:ont ete|ont|a ete|sont|were|was|have been|had been|have|had)\s+(?:\w+ment\s+|all\s+|tous\s+)?"
    rf"(?:(?P<destroyed>{lx.DESTROY})|(?P<lost>{lx.LOST})|(?P<launched>(?!)))\b"
)
_HIT = re.compile(r"(?:frapp|struck|hit|slammed|touche|atteint|reached|crashed|s'est ecrase|percute)")
# "Hits by 3 missiles and 8 attack drones were recorded": the ones that hit, not a figure of the wave
_HITS_BY = quick(r"\b(?:(?:direct )?hits? by|(?:were|was) hit by|impacts? (?:de|d'|by))\s*$")
# a far verb does not reach past a new speaker ("Drones hit Kharkiv, Russia claims 67 ...")
_SPEAKER = quick(r"\b(?:claims?|says?|said|affirme\w*|revendique\w*|selon|according to)\b")
_COORD_END = quick(
    r"(?:,|\bet|\band|\bainsi que|\bas well as|\balong with|\btogether with|\bde meme que|"
    r"\bin addition to|\ben plus de|\bplus)\s*(?:de\s+|d')?(?:les\s+|the\s+|all\s+)?$"
)


def _left(s: Sentence, lo: int, hi: int) -> tuple[re.Match[str] | None, bool]:
    """The last role verb between lo and hi, and whether it is right before hi."""
    found = lx.ROLE_LEFT.finditer(s, lo, hi)
    left = found[-1] if found else None
    if left is None or _SPEAKER.search(s.folded, left.end(), hi):
        return None, False
    immediate = len(s.folded[left.end() : hi].strip()) <= 22 and left.group() not in ("with", "avec")
    return left, immediate


def _left_role(s: Sentence, lo: int, left: re.Match[str]) -> str | None:
    role = role_of(left)
    if role == "launched" and s.flags & _REPELLED_GATE and _REPELLED.search(s.folded, max(lo, left.start() - 40), left.start()):
        return "destroyed"
    return role


def resolve_roles(s: Sentence, counts: list[Count], prev_weapon: str | None) -> list[Count]:
    folded = s.folded
    consumed = 0
    rights: list[tuple[str | None, bool]] = []
    plain = [right_match(folded, c.phrase_end) for c in counts]  # the passive after each count, read once
    for k, c in enumerate(counts):
        rm = plain[k]
        right = role_of(rm)
        if right == "launched" and c.tail >= 0 and k + 1 < len(counts) and counts[k + 1].of_total:
            # "55 des 98 drones lancés": "lancés" belongs to the 98; the 55 takes the main verb
            # after the participle's phrase ("sept des dix drones lancés par la Russie au cours
            # de la nuit ont été abattus")
            right = None
            later = _LATER_PASSIVE.match(folded, rm.end())
            if later:
                right, rm = role_of(later), later
        bare = bool(rm) and not folded[c.phrase_end : rm.start(right)].strip(" ,") if right else False
        rights.append((right, bare))
    for k, c in enumerate(counts):
        if c.of_total:
            continue
        lo = max(consumed, counts[k - 1].phrase_end if k else 0, c.skip_to)
        left, immediate = _left(s, lo, c.start)
        right, bare = rights[k]
        prev = next((p for p in reversed(counts[:k]) if not p.of_total), None)
        nk = next((j for j in range(k + 1, len(counts)) if not counts[j].of_total), None)
        nxt = counts[nk] if nk is not None else None
        gap = folded[c.skip_to if c.skip_to >= 0 else counts[k - 1].end : c.start] if k else ""
        coord_prev = bool(prev and prev.role and lx.COORD_RE.match(gap))
        sub_before = lx.SUB_BEFORE_RE.search(folded, max(lo, c.start - 50), c.start)
        if c.role is None and right is None and _NEGATED.match(folded, c.phrase_end):
            continue  # "six drones n'ont pas été interceptés": what they did not do
        if c.role is None:
            if left is not None and immediate:
                c.role = _left_role(s, lo, left)
            elif c.one and left is not None and left.group() in ("with", "avec") and not folded[left.end() : c.start].strip():
                c.role = "launched"  # "struck the city with an Iskander-M missile"
            elif right and not (bare and right == "launched" and coord_prev):
                c.role = right
                rm = plain[k]
                if right == "launched" and _HIT.match(rm.group("launched")):
                    c.sub = True  # "deux drones ont touché Tchernihiv": the ones that hit
            elif coord_prev:
                c.role = prev.role
            elif nxt and rights[nk][0] and lx.COORD_RE.match(folded[c.phrase_end : nxt.start]):
                c.role = rights[nk][0]
            elif prev and prev.role and _COORD_END.search(folded, max(lo, c.start - 40), c.start) and not c.one:
                c.role = prev.role  # "260 of the 300 drones Russia sent, along with nine of 12 missiles"
            elif left is not None and not c.one:
                c.role = _left_role(s, lo, left)
            elif prev and (c.sub or sub_before):
                c.role = prev.role
        if c.one:
            c.weak = not (coord_prev or (nxt and lx.COORD_RE.match(folded[c.phrase_end : nxt.start])))
        if lx.SUB_BEFORE_RE.search(folded, max(0, c.start - 40), c.start):
            c.sub = True
        elif (_HITS_BY.search(folded, max(0, c.start - 20), c.start)
              or (prev and lx.COORD_RE.match(gap) and _HITS_BY.search(folded, max(0, prev.start - 20), prev.start))):
            c.role = None  # the ones that hit: part of the launched figure, not a figure of their own
            continue
        elif prev is not None and prev.sub and prev.weapon == c.weapon and lx.COORD_RE.match(gap):
            c.sub = True  # "nine missiles, including four Kinzhal and five Iskander-M": both parts
        if c.role == "destroyed" and s.flags & lx.EW.bit:
            end = nxt.start if nxt else c.phrase_end + 70
            cut = _CLAUSE_CUT.search(folded, c.phrase_end, end)
            if lx.EW.test(s, lo, c.start) or lx.EW.test(s, c.phrase_end, cut.start() if cut else end):
                c.role = "lost"
        if lx.ALL_BEFORE_RE.search(folded, max(0, c.start - 20), c.start) or (
            lx.ALL_AFTER_RE.match(folded[c.end : (nxt.start if nxt else len(folded))])
        ):
            c.all_of = True
            if c.role == "launched" and _DESTROY.test(s, c.phrase_end, c.phrase_end + 80):
                c.role = "destroyed"
        if right:
            rm = plain[k]
            consumed = rm.end() if rm else consumed
    _zeros(s, counts, prev_weapon)
    return [c for c in counts if c.role]


def _zeros(s: Sentence, counts: list[Count], prev_weapon: str | None) -> None:
    """"Aucun n'a été intercepté", "the two missiles were not intercepted": destroyed 0."""
    zero = _ZERO.search(s)
    if zero:
        # "aucun missile n'a été intercepté": the weapons it names, else the last ones counted
        named = lx.WEAPON_RE.search(s.folded, zero.start(), zero.end())
        weapon = (("drones" if named.group("drone") else "missiles") if named
                  else counts[-1].weapon if counts else prev_weapon)
        if weapon:
            counts.append(Count(weapon, "destroyed", 0, zero.start(), zero.end()))
    for m in _UNABLE.finditer(s):  # "n'avait pas été en mesure d'intercepter les deux missiles": none downed
        weapon = "drones" if re.match(rf"drones?|engins|{lx.DRONE_NAMES}", m.group("w")) else "missiles"
        for c in counts:
            if m.start() <= c.start < m.end() and c.role == "destroyed":
                c.role = None
        if not any(c.weapon == weapon and c.role == "destroyed" and c.value == 0 for c in counts):
            counts.append(Count(weapon, "destroyed", 0, m.start(), m.end()))
    for m in _NOT_DOWNED.finditer(s):
        w = m.group("w")
        weapon = "drones" if re.fullmatch(rf"drones?|engins|{lx.DRONE_NAMES}", w) else "missiles"
        if not any(c.weapon == weapon and c.role == "destroyed" and c.value == 0 for c in counts):
            counts.append(Count(weapon, "destroyed", 0, m.start(), m.end()))


_UNABLE = Screened(
    r"\b(?:n'(?:a|avait|ont|avaient)(?: pas)? (?:ete en mesure|pu|reussi)|(?:was|were|had been) (?:unable|not able)|"
    r"could not|couldn't|failed|did not manage)\s+(?:d'|de |a |to )?(?:intercept\w*|abattre|detruire|neutraliser|"
    r"shoot down|down|destroy)\s+(?:les |the |ces |these |all |tous les )?(?:[\w-]+\s+){0,2}?"
    r"(?P<w>drones?|missiles?|engins|" + lx.MISSILE_NAMES + "|" + lx.DRONE_NAMES + r")\b",
    ["pas", "pu", "unable", "able", "could", "couldn", "failed", "manage"])
_ZERO, _DESTROY = Indexed(_ZERO_RE), Indexed(_DESTROY_RE)
_NOT_DOWNED = Screened(_NOT_DOWNED, ["not", "pas", "weren", "wasn", "never", "pu"])
