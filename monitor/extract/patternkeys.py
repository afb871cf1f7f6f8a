"""Literal keys of a regex: what every match starts with, and its most selective word run.

`anchored_keys` expands groups of plain words ("(?:sur|contre) l'ukraine" gives "sur
l'ukraine" and "contre l'ukraine"); `run_of` picks in a key the run of word characters a
chunk of text must hold where the key occurs: a whole word, a word start, or a substring,
preferring long, uncommon words over "the", "de" or "strike".
"""

from __future__ import annotations

import re

from monitor.extract.textnorm import _split_top

_RUN = re.compile(r"\w+")
# words too frequent to screen on: function words, and the war vocabulary of every report
_COMMON = frozenset(
    "strike strikes attack attacks drone drones missile missiles russia ukraine russian ukrainian "
    "air force forces defence defense said says overnight region frappe frappes attaque attaques "
    "russie russe russes ukrainien ukrainienne nuit".split()
)
_STOP = frozenset("the a an of in on at to by for de la le les du des l d et and sur en par au aux un une".split())
_MAX_KEYS = 300
_META = set("\\()[]{}?*+.|^$")


def run_of(key: str, anchored: bool) -> tuple[str, str, int]:
    """The most selective word run of a literal key: (kind, run, offset in the key)."""
    best: tuple[int, str, str, int] | None = None
    for m in _RUN.finditer(key):
        i, j, run = m.start(), m.end(), m.group()
        starts = i > 0 or anchored  # the run starts a word of the text
        ends = j < len(key)  # the run ends one
        kind = "word" if starts and ends else "prefix" if starts else "run"
        score = len(run) + (4 if kind == "word" else 2 if kind == "prefix" else 0)
        score -= 10 * (run in _STOP) + 6 * (run in _COMMON)
        if kind == "prefix" and len(run) < 2:
            kind, score = "run", len(run)
        if best is None or score > best[0]:
            best = (score, kind, run, i)
    if best is None:
        raise ValueError(f"no word characters in screen key {key!r}")
    return best[1], best[2], best[3]


def anchored_keys(pattern: str, anchored: bool = False) -> list[tuple[str, bool]] | None:
    """Literals every match of `pattern` starts with (one per alternative, expanded over
    groups of plain words: "(?:sur|contre) l'ukraine" gives "sur l'ukraine", "contre
    l'ukraine"), each with whether a word boundary stands right before it; None when some
    alternative starts with no literal."""
    out: list[tuple[str, bool]] = []
    for alt in _split_top(pattern):
        anch = anchored
        while alt.startswith("\\b"):
            alt, anch = alt[2:], True
        keys = _expand(alt, anch)
        if keys is None:
            return None
        out += keys
    return out


def _expand(alt: str, anch: bool) -> list[tuple[str, bool]] | None:
    prefixes: list[tuple[str, bool]] = [("", anch)]
    j = 0
    while j < len(alt):
        if alt.startswith("\\b", j):
            j += 2
            continue
        if alt.startswith(("(?:", "(?P<"), j):
            end = _group_end(alt[j:])
            if end < 0:
                break
            end += j
            optional = alt[end + 1 : end + 2] in ("?", "*", "{")
            inner = alt[j + 3 : end] if alt.startswith("(?:", j) else alt[alt.index(">", j) + 1 : end]
            sub = None if optional else anchored_keys(inner)
            if sub is None or len(sub) * len(prefixes) > _MAX_KEYS:
                break
            prefixes = [(p + k, a if p else (a or sa)) for p, a in prefixes for k, sa in sub]
            if not all(_plain(x) for x in _split_top(inner)) or alt[end + 1 : end + 2] == "+":
                return prefixes
            j = end + 1
            continue
        c = alt[j]
        if c in _META:
            if c in "?*{" and prefixes[0][0]:
                prefixes = [(p[:-1], a) for p, a in prefixes]
            break
        if alt[j + 1 : j + 2] == "?" and alt[j + 2 : j + 3] not in ("?", "+") and 2 * len(prefixes) <= _MAX_KEYS:
            prefixes = [(p + c, a) for p, a in prefixes] + prefixes  # "tirs? au but": with and without
            j += 2
            continue
        prefixes = [(p + c, a) for p, a in prefixes]
        j += 1
    if not prefixes[0][0] or any(not p for p, _ in prefixes):
        return None
    return prefixes


def _plain(alt: str) -> bool:
    """A literal alternative without any regex syntax ("sur", "l'ukraine")."""
    return bool(alt) and not any(c in _META for c in alt)


def _group_end(alt: str) -> int:
    depth, j = 0, 0
    while j < len(alt):
        c = alt[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = alt.index("]", j + 2) + 1
            continue
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            return j
        j += 1
    return -1
