"""Weapon counts in one sentence: "a détruit 41 des 47 drones" -> destroyed 41, launched 47.

Works on folded text. Each count gets a weapon class (drones | missiles) and a role
(launched | destroyed | lost), resolved in roles.py. Regional or "dont" parts of a total
are flagged `sub`. "Un missile" / "a ballistic missile" gives a count of one: a full
count inside a list of counts ("four Kalibr, one Kh-59 and 44 drones"), else a `weak`
one, used only when the wave has no other figure for that weapon class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.extract import lexicon as lx
from monitor.extract.firstchar import quick
from monitor.extract.numbers import Num, find_numbers
from monitor.extract.sentences import Sentence, as_sentence

_OF_RE = re.compile(r"\s+(?:des|of the|of|sur les|sur|out of the|out of)\s+")
# "more than 100 drones and artillery shells": a figure mixing other munitions
_MIXED_RE = re.compile(
    r"\s*(?:,\s*)?(?:and|et|or|ou)\s+(?:d'|de |des |of )?(?:\w+\s+)?(?:artillery |d'artillerie )?"
    r"(?:shells?|obus|projectiles?|munitions?|mortars?|mortiers?|roquettes?|rockets?|bombs?|bombes?)\b"
)


# "dont 19 qui se dirigeaient vers Moscou", "20 heading for Moscow": a regional part
_HEADED = re.compile(
    r"\s+(?:qui\s+)?(?:se dirigeai\w*|se dirigeant|volai\w*|volant|heading|headed|flying|were flying)\s+"
    r"(?:vers|en direction|toward|towards|to|for|at)\b"
)


@dataclass
class Count:
    weapon: str  # drones | missiles
    role: str | None  # launched | destroyed | lost
    value: int
    start: int
    end: int
    sub: bool = False  # part of a total (per region, "dont")
    all_of: bool = False  # "all 29 drones were destroyed": launched too
    tail: int = -1  # end of the whole phrase ("41 des 47 drones"); -1 = end
    of_total: bool = False  # the "47" of "41 des 47 drones"
    one: bool = False  # "un missile", "a drone", "one Kinzhal"
    weak: bool = False  # a lone "a missile hit ...": only when nothing else is counted
    skip_to: int = -1  # end of a dashed breakdown between this count and the one before

    @property
    def phrase_end(self) -> int:
        return self.tail if self.tail >= 0 else self.end


def weapon_after(folded: str, pos: int) -> tuple[str, int] | None:
    """(weapon class, end of the phrase) when a weapon noun follows `pos`, after at most
    four modifiers ("five U.S.-supplied ATACMS missiles"); the longest reading wins."""
    if folded[pos : pos + 1] != " " and folded[pos - 1 : pos] not in (" ", "'"):
        return None
    stops = [pos]
    for _ in range(4):
        mod = lx.MOD1_RE.match(folded, stops[-1])
        if not mod:
            break
        stops.append(mod.end())
    for at in reversed(stops):
        while folded[at : at + 1] == " ":
            at += 1
        m = lx.WEAPON_AT_RE.match(folded, at)
        if m:
            post = lx.POST_MODS_RE.match(folded, m.end())
            return ("drones" if m.group("drone") else "missiles"), post.end()
    return None


_ARTICLE = quick(r"\b(?:an?|une?|one)(?= )")
# "one of the missiles", "l'un des missiles": a count of one out of a stated total
_ONE_OF = quick(r"\b(?:one|l'une?|une?)(?= (?:of the|of|des|d'entre les) )")
# "... were destroyed over the Ryazan region": where a figure was downed, after its verb
_OVER = re.compile(r"[^,;.:\d]{0,40}?\b(?:over|above|au-dessus|au dessus|in the skies over)\b(?:\s+(?:de|du|des|d'|la|le|l'|the))*\s*")
# "15 of the missiles", "386 of the drones", "sept des drones": part of a total stated before
_OF_THE_RE = re.compile(r"\s+(?:of the|of these|of those|des|d'entre les|parmi les|sur les)\s+")


def _with_ones(s: Sentence, nums: list[Num]) -> list[Num]:
    """Numbers plus the articles / "one" that stand right before a weapon phrase."""
    folded = s.folded
    ones: dict[int, Num] = {}
    after: dict[int, tuple[str, int] | None] = {}  # weapon_after by position: the windows overlap

    def weapon_at(pos: int) -> tuple[str, int] | None:
        if pos not in after:
            after[pos] = weapon_after(folded, pos)
        return after[pos]

    for w in lx.WEAPON.finditer(s):
        for m in _ONE_OF.finditer(folded, max(0, w.start() - 30), w.start()):
            of = _OF_THE_RE.match(folded, m.end())
            hit = weapon_at(of.end()) if of else None
            if hit and hit[1] >= w.end() and not any(n.start <= m.start() < n.end for n in nums):
                ones[m.start()] = Num(1, m.start(), m.end(), is_word_one=True)
        for m in _ARTICLE.finditer(folded, max(0, w.start() - 80), w.start()):
            start, end = m.span()
            if start in ones or any(n.start <= start < n.end for n in nums):
                continue
            hit = weapon_at(end)
            if hit and hit[1] >= w.end():
                ones[start] = Num(1, start, end, is_word_one=True)
    return sorted(nums + list(ones.values()), key=lambda n: n.start) if ones else nums


_WEAPON_SCAN = quick(lx.WEAPON_RE)  # scanned over the text between two numbers


def _context_weapon(folded: str, lo: int, hi: int) -> str | None:
    """The weapon class named last between lo and hi ("Of the drones, 32 were shot down")."""
    found = None
    for m in _WEAPON_SCAN.finditer(folded, lo, hi):
        found = "drones" if m.group("drone") else "missiles"
    return found


def _parse(folded: str, nums: list[Num], place_starts: list[int], prev_weapon: str | None = None) -> list[Count]:
    counts: list[Count] = []
    skip: set[int] = set()
    last_weapon: str | None = prev_weapon  # "62 ont été abattus": the weapons of the sentence before
    last_end = 0
    for i, num in enumerate(nums):
        if i in skip or lx.NOT_COUNT_AFTER_RE.match(folded, num.end):
            continue
        last_weapon = _context_weapon(folded, last_end, num.start) or last_weapon
        last_end = num.end
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        of = _OF_RE.match(folded, num.end)
        if of and nxt and of.end() == nxt.start and not num.is_word_one:
            hit = weapon_after(folded, nxt.end)
            if hit:
                weapon, end = hit
                counts.append(Count(weapon, None, num.value, num.start, num.end, tail=end))
                counts.append(Count(weapon, "launched", nxt.value, nxt.start, end, of_total=True))
                skip.add(i + 1)
                last_weapon, last_end = weapon, end
                continue
        of = _OF_THE_RE.match(folded, num.end)
        hit = weapon_after(folded, of.end()) if of else None
        if hit:  # "shot down 15 of the missiles": the figure is the destroyed (or lost) part
            weapon, end = hit
            # "34 of the drones were destroyed over the Ryazan region": a regional part
            counts.append(Count(weapon, None, num.value, num.start, num.end, tail=end,
                                sub=_part_of_total(folded, end, place_starts)))
            last_weapon, last_end = weapon, end
            continue
        hit = weapon_after(folded, num.end)
        if hit:
            weapon, end = hit
            if _MIXED_RE.match(folded, end):
                continue
            # a part of the night's total: "9 drones over the Moscow region", "19 drones heading for
            # Moscow", "40 drones ont été abattus au-dessus de la région de Belgorod"
            sub = _part_of_total(folded, end, place_starts) or bool(_HEADED.match(folded, end))
            counts.append(Count(weapon, None, num.value, num.start, end, sub=sub, one=num.is_word_one))
            last_weapon = weapon
            continue
        if last_weapon is None or num.is_word_one:
            continue
        regional = (_regional(folded, num.end, place_starts) or bool(_HEADED.match(folded, num.end))
                    or _region_then_figure(folded, num.start, place_starts))
        right = right_role(folded, num.end)
        part = bool(lx.SUB_BEFORE_RE.search(folded, max(0, num.start - 40), num.start))
        if regional or right or part:
            counts.append(Count(last_weapon, None, num.value, num.start, num.end, sub=regional or part))
    return counts


# "shot down 15 of the missiles - 12 Kh-101 launched from bombers and three Kalibr fired from
# ships - and 84 of the drones": the dashed part breaks the 15 down
_BREAKDOWN = quick(r"\s(?:-|\u2013|\u2014)\s[^;\u2013\u2014]{5,200}?\s(?:-|\u2013|\u2014)\s")


def _drop_breakdowns(folded: str, counts: list[Count]) -> list[Count]:
    for m in _BREAKDOWN.finditer(folded):
        a, b = m.span()
        if not any(0 <= a - c.phrase_end <= 2 for c in counts):
            continue
        inside = [c for c in counts if a <= c.start < b]
        if not inside:
            continue
        counts = [c for c in counts if c not in inside]
        for c in counts:
            if c.start >= b and c.skip_to < 0:
                c.skip_to = b
                break
    return counts


def _part_of_total(folded: str, end: int, place_starts: list[int]) -> bool:
    """The figure ending at `end` is a regional part: a region right after it ("30 au-dessus
    de Briansk") or after its verb ("40 drones ont été abattus au-dessus de la région de Belgorod")."""
    if _regional(folded, end, place_starts):
        return True
    over = _OVER.match(folded, end)
    # "environ 30 drones abattus au-dessus de la région": the region the sentence is about
    return bool(over) and (any(over.end() <= p <= over.end() + 25 for p in place_starts)
                           or folded.startswith(("region", "oblast"), over.end()))


# "over the territory of the Kursk Region — 14, the Belgorod Region — 9": the region, then its figure
_TO_FIGURE = re.compile(r"[\w' -]{0,30}?\s(?:\u2014|\u2013|-|:)\s*$")


def _region_then_figure(folded: str, start: int, place_starts: list[int]) -> bool:
    return any(start - 40 <= p < start and _TO_FIGURE.match(folded, p, start) for p in place_starts)


def _regional(folded: str, pos: int, place_starts: list[int]) -> bool:
    m = lx.REGIONAL_RE.match(folded[pos : pos + 60])
    return bool(m) and any(pos < p <= pos + m.end() + 12 for p in place_starts)


_RIGHT_EXTRA = re.compile(
    r"\s*(?:autres|other|more|others|d'entre eux|d'entre elles|of them|of which|of those|parmi eux)\b"
)


def right_match(folded: str, pos: int) -> re.Match[str] | None:
    """The passive or participle right after a count phrase ("41 ont été abattus")."""
    extra = _RIGHT_EXTRA.match(folded, pos)
    return lx.ROLE_RIGHT_RE.match(folded, extra.end() if extra else pos)


def role_of(m: re.Match[str] | None) -> str | None:
    if not m:
        return None
    for name in ("destroyed", "lost", "launched"):
        if m.group(name):
            return name
    return None


def right_role(folded: str, pos: int) -> str | None:
    return role_of(right_match(folded, pos))


def find_counts(x: Sentence | str, place_starts: list[int] = (), prev_weapon: str | None = None) -> list[Count]:
    """Weapon counts of one sentence, with roles resolved where the text says."""
    from monitor.extract.roles import resolve_roles

    s = as_sentence(x)
    counts = _parse(s.folded, _with_ones(s, find_numbers(s)), list(place_starts), prev_weapon)
    if len(counts) > 1 and ("-" in s.folded or "\u2014" in s.folded or "\u2013" in s.folded):
        counts = _drop_breakdowns(s.folded, counts)
    return resolve_roles(s, counts, prev_weapon)
