"""Weapon counts in one sentence: "a détruit 41 des 47 drones" -> destroyed 41, launched 47.

Works on folded text. Each count gets a weapon class (drones | missiles) and a role
(launched | destroyed | lost). The role comes, in this order, from a verb right before
the number ("a abattu 268 drones"), a passive or participle right after it ("41 ont été
abattus"), a coordinated neighbour ("539 drones et 11 missiles"), or a verb further
left in the same stretch of text. Regional or "dont" parts of a total are flagged `sub`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.extract import lexicon as lx
from monitor.extract.numbers import Num, find_numbers

_OF_RE = re.compile(r"\s+(?:des|of the|of|sur les|sur|out of the|out of)\s+")
_RIGHT_EXTRA = re.compile(r"\s*(?:autres|other|more|others|d'entre eux|d'entre elles|of them)\b")
_DESTROY_RE = re.compile(rf"\b(?:{lx.DESTROY})\b")
_CLAUSE_CUT = re.compile(r"[,;]|\bet\b|\band\b|\bwhile\b|\btandis\b|\bmais\b|\bbut\b")
_ZERO_RE = re.compile(
    r"\b(?:aucun(?:e)?|none|not one|not a single one)\b[^.;]{0,40}?\b(?:"
    + lx.DESTROY + r")\b"
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

    @property
    def phrase_end(self) -> int:
        return self.tail if self.tail >= 0 else self.end


def _weapon_after(folded: str, pos: int) -> tuple[str, int] | None:
    mods = lx.MODS_RE.match(folded, pos)
    at = mods.end() if mods else pos
    if not mods:
        if folded[pos : pos + 1] != " ":
            return None
        at = pos + 1
    m = lx.WEAPON_AT_RE.match(folded, at)
    if not m:
        return None
    post = lx.POST_MODS_RE.match(folded, m.end())
    return ("drones" if m.group("drone") else "missiles"), post.end()


def _role(m: re.Match[str] | None) -> str | None:
    if not m:
        return None
    for name in ("destroyed", "lost", "launched"):
        if m.group(name):
            return name
    return None


def _parse(folded: str, nums: list[Num], place_starts: list[int]) -> list[Count]:
    counts: list[Count] = []
    skip: set[int] = set()
    last_weapon: str | None = None
    for i, num in enumerate(nums):
        if i in skip or lx.NOT_COUNT_AFTER_RE.match(folded, num.end):
            continue
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        of = _OF_RE.match(folded, num.end)
        if of and nxt and of.end() == nxt.start:
            hit = _weapon_after(folded, nxt.end)
            if hit:
                weapon, end = hit
                counts.append(Count(weapon, None, num.value, num.start, num.end, tail=end))
                counts.append(Count(weapon, "launched", nxt.value, nxt.start, end, of_total=True))
                skip.add(i + 1)
                last_weapon = weapon
                continue
        hit = _weapon_after(folded, num.end)
        if hit:
            weapon, end = hit
            counts.append(Count(weapon, None, num.value, num.start, end, sub=_regional(folded, end, place_starts)))
            last_weapon = weapon
            continue
        if last_weapon is None:
            continue
        regional = _regional(folded, num.end, place_starts)
        right = _right_role(folded, num.end)
        if regional or right:
            counts.append(Count(last_weapon, None, num.value, num.start, num.end, sub=bool(regional)))
    return counts


def _regional(folded: str, pos: int, place_starts: list[int]) -> bool:
    m = lx.REGIONAL_RE.match(folded[pos : pos + 60])
    return bool(m) and any(pos < p <= pos + m.end() + 12 for p in place_starts)


def _right_role(folded: str, pos: int) -> str | None:
    extra = _RIGHT_EXTRA.match(folded, pos)
    return _role(lx.ROLE_RIGHT_RE.match(folded, extra.end() if extra else pos))


def find_counts(folded: str, place_starts: list[int] = (), prev_weapon: str | None = None) -> list[Count]:
    """Weapon counts of one sentence (folded), with roles resolved where the text says."""
    counts = _parse(folded, find_numbers(folded), list(place_starts))
    consumed = 0
    rights: list[tuple[str | None, int]] = []
    for k, c in enumerate(counts):
        right = _right_role(folded, c.phrase_end)
        if right == "launched" and c.tail >= 0 and k + 1 < len(counts) and counts[k + 1].of_total:
            right = None  # "55 des 98 drones lancés": "lancés" belongs to the 98
        rights.append((right, c.phrase_end))
    for k, c in enumerate(counts):
        seg_start = max(consumed, counts[k - 1].phrase_end if k else 0)
        segment = folded[seg_start : c.start]
        left = None
        immediate = False
        for m in lx.ROLE_LEFT_RE.finditer(segment):
            left = m
        if left is not None:
            immediate = len(segment[left.end() :].strip()) <= 22 and left.group() not in ("with", "avec")
        right = rights[k][0]
        prev = next((p for p in reversed(counts[:k]) if not p.of_total), None)
        nk = next((j for j in range(k + 1, len(counts)) if not counts[j].of_total), None)
        nxt = counts[nk] if nk is not None else None
        if c.of_total:
            continue
        if c.role is None:
            if left is not None and immediate:
                c.role = _role(left)
            elif right:
                c.role = right
            elif prev and prev.role and lx.COORD_RE.match(folded[counts[k - 1].end : c.start]):
                c.role = prev.role
            elif nxt and rights[nk][0] and lx.COORD_RE.match(folded[c.phrase_end : nxt.start]):
                c.role = rights[nk][0]
            elif left is not None:
                c.role = _role(left)
            elif prev and (c.sub or lx.SUB_BEFORE_RE.search(segment)):
                c.role = prev.role
        if lx.SUB_BEFORE_RE.search(folded[max(0, c.start - 40) : c.start]):
            c.sub = True
        if c.role == "destroyed":
            tail = folded[c.phrase_end : (nxt.start if nxt else c.phrase_end + 70)]
            tail = _CLAUSE_CUT.split(tail, maxsplit=1)[0]
            if lx.EW_RE.search(segment) or lx.EW_RE.search(tail):
                c.role = "lost"
        if lx.ALL_BEFORE_RE.search(folded[max(0, c.start - 20) : c.start]) or (
            lx.ALL_AFTER_RE.match(folded[c.end : (nxt.start if nxt else len(folded))])
        ):
            c.all_of = True
            if c.role == "launched" and _DESTROY_RE.search(folded, c.phrase_end, c.phrase_end + 80):
                c.role = "destroyed"
        if right:
            m = _RIGHT_EXTRA.match(folded, c.phrase_end)
            rm = lx.ROLE_RIGHT_RE.match(folded, m.end() if m else c.phrase_end)
            consumed = rm.end() if rm else consumed
    zero = _ZERO_RE.search(folded)
    if zero:
        weapon = counts[-1].weapon if counts else prev_weapon
        if weapon:
            counts.append(Count(weapon, "destroyed", 0, zero.start(), zero.end()))
    return [c for c in counts if c.role]
