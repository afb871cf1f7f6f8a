"""Cheap screens for the negotiation patterns: word stems before regexes.

Each pattern has the word stems (first 3, 4 or 6 letters) one of which any of its matches
starts with. A sentence's stems are read once into a bit mask (one bit per pattern, cached
per word), and a pattern runs only on sentences whose mask has its bit.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from monitor.extract.firstchar import quick, written
from monitor.extract.textnorm import literal_keys

_SEP = str.maketrans({c: " " for c in "'-.,;:!?()[]\"/\u00ab\u00bb"})
_GATES: list[Gated] = []
_WORD_BITS: dict[str, int] = {}
_MAX_WORDS = 200_000  # bound of the word and chunk caches (memory stays flat)


def _word_bits(w: str) -> int:
    """Bits of the gates one of whose stems `w` starts with (cached per word, bounded)."""
    cache = _WORD_BITS
    b = cache.get(w)
    if b is None:
        if len(cache) > _MAX_WORDS:
            cache.clear()
        keys = {w[:3], w[:4], w[:6], "=" + w}
        b = cache[w] = sum(g.bit for g in _GATES if g.keys is not None and not g.keys.isdisjoint(keys))
    return b


class _ChunkBits(dict):
    """Whitespace-separated chunk -> OR of its words' bits, read on first sight (bounded):
    the words of a text are those of its chunks, so a sentence costs one lookup per chunk."""

    def __missing__(self, chunk: str) -> int:
        bits = 0
        for w in chunk.translate(_SEP).split():
            bits |= _word_bits(w)
        if len(self) > _MAX_WORDS:
            self.clear()
        self[chunk] = bits
        return bits


_CHUNK_BITS = _ChunkBits()


def stems(folded: str, chunks: list[str] | None = None) -> int:
    """The bit mask of the gates whose stems start a word of `folded` (`chunks`: its
    whitespace-separated chunks when already split)."""
    chunks = folded.split() if chunks is None else chunks
    return reduce(or_, filter(None, map(_CHUNK_BITS.__getitem__, chunks)), 0)


def _stem(word: str) -> str:
    return word[:6] if len(word) >= 6 else word[:4] if len(word) >= 4 else word


class Gated:
    """A regex behind the word stems its matches start with: `words` ("=met" for the word
    itself, "rencon" for a prefix) and, with `auto`, the first words of its alternatives
    (no screen when an alternative starts with no word of two letters or more)."""

    __slots__ = ("bit", "keys", "pattern", "rx")

    def __init__(self, pattern: re.Pattern[str], words: str | None = None, auto: bool = True) -> None:
        self.pattern = written(pattern)  # as written: the keys below are read from it
        self.rx = quick(pattern)  # the same matches, tried only where one can start (firstchar.py)
        keys: set[str] | None = {w if w.startswith("=") else _stem(w) for w in (words or "").split()}
        for lit in (literal_keys(self.pattern) or [""]) if auto else []:
            first = lit.translate(_SEP).split()[:1]
            if first and len(first[0]) >= 2:
                keys.add(_stem(first[0]))
            elif words is None:  # an alternative starts with no usable word: no screen
                keys = None
                break
        self.keys = frozenset(keys) if keys else None
        self.bit = 1 << len(_GATES)
        _GATES.append(self)
        _WORD_BITS.clear()  # bits read before this gate existed lack its bit
        _CHUNK_BITS.clear()

    def possible(self, pre: int) -> bool:
        return self.keys is None or bool(pre & self.bit)

    def search(self, text: str, pre: int, *span: int) -> re.Match[str] | None:
        return self.rx.search(text, *span) if self.possible(pre) else None

    def finditer(self, text: str, pre: int, *span: int):
        return self.rx.finditer(text, *span) if self.possible(pre) else iter(())
