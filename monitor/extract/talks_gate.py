"""Cheap screens for the negotiation patterns: word stems before regexes.

Each pattern has the word stems (first 3, 4 or 6 letters) one of which any of its matches
starts with. A sentence's stems are read once into a bit mask (one bit per pattern, cached
per word), and a pattern runs only on sentences whose mask has its bit.
"""

from __future__ import annotations

import re

from monitor.extract.textnorm import literal_keys

_SEP = str.maketrans({c: " " for c in "'-.,;:!?()[]\"/\u00ab\u00bb"})
_GATES: list[Gated] = []
_WORD_BITS: dict[str, int] = {}


def stems(folded: str) -> int:
    bits = 0
    cache = _WORD_BITS
    for w in folded.translate(_SEP).split():
        b = cache.get(w)
        if b is None:
            if len(cache) > 200_000:
                cache.clear()
            keys = {w[:3], w[:4], w[:6], "=" + w}
            b = cache[w] = sum(g.bit for g in _GATES if g.keys is not None and not g.keys.isdisjoint(keys))
        bits |= b
    return bits


def _stem(word: str) -> str:
    return word[:6] if len(word) >= 6 else word[:4] if len(word) >= 4 else word


class Gated:
    """A regex behind the word stems its matches start with: `words` ("=met" for the word
    itself, "rencon" for a prefix) and, with `auto`, the first words of its alternatives
    (no screen when an alternative starts with no word of two letters or more)."""

    __slots__ = ("bit", "keys", "rx")

    def __init__(self, pattern: re.Pattern[str], words: str | None = None, auto: bool = True) -> None:
        self.rx = pattern
        keys: set[str] | None = {w if w.startswith("=") else _stem(w) for w in (words or "").split()}
        for lit in (literal_keys(pattern.pattern) or [""]) if auto else []:
            first = lit.translate(_SEP).split()[:1]
            if first and len(first[0]) >= 2:
                keys.add(_stem(first[0]))
            elif words is None:  # an alternative starts with no usable word: no screen
                keys = None
                break
        self.keys = frozenset(keys) if keys else None
        self.bit = 1 << len(_GATES)
        _GATES.append(self)

    def possible(self, pre: int) -> bool:
        return self.keys is None or bool(pre & self.bit)

    def search(self, text: str, pre: int, *span: int) -> re.Match[str] | None:
        return self.rx.search(text, *span) if self.possible(pre) else None

    def finditer(self, text: str, pre: int, *span: int):
        return self.rx.finditer(text, *span) if self.possible(pre) else iter(())
