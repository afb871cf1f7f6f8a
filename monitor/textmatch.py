"""Text normalisation for keyword rules: case-, accent- and separator-insensitive.

Both the article text and every keyword go through `normalise()`, so matching is
a plain substring test on word boundaries:

- case folded ("Kyiv" = "KYIV"), accents removed ("coréen" = "coreen", "й" = "и"),
  ligatures spelled out ("cœur" = "coeur");
- every run of characters that are not letters or digits (spaces, hyphens, apostrophes,
  punctuation, line breaks) becomes one space, so "cessez-le-feu" = "cessez le feu"
  and "l'Ukraine" contains the word "ukraine".

A keyword phrase matches when its words appear consecutively, as whole words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NON_WORD = re.compile(r"[\W_]+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# letters NFKD does not decompose but people type without their special shape
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})


def normalise(text: str) -> str:
    """Casefold, strip accents, collapse every non-alphanumeric run to one space."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
        text = _COMBINING.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def parse_keyword(raw: str) -> str:
    """The normalised phrase of one keyword; surrounding double quotes are optional.

    Raises ValueError when nothing searchable is left (e.g. "--" or '""').
    """
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"“”«»":
        text = text[1:-1]
    elif len(text) >= 2 and text[0] in "“«" and text[-1] in "”»":
        text = text[1:-1]
    phrase = normalise(text)
    if not phrase:
        raise ValueError(f"keyword {raw!r} has no letters or digits")
    return phrase


_TOKEN_CACHE: dict[str, str] = {}
_TOKEN_CACHE_SIZE = 200_000


@dataclass(frozen=True)
class NormText:
    """Normalised title + text of one item, computed once and shared by all rules."""

    padded: str  # " word word ... " (leading/trailing space: whole-word tests)
    words: frozenset[str]

    @classmethod
    def of(cls, title: str, text: str) -> NormText:
        # = normalise(title + text), token by token through a cache: news reuse their words,
        # and per-token dict lookups beat running Unicode regexes over the whole article
        cache = _TOKEN_CACHE
        if len(cache) > _TOKEN_CACHE_SIZE:
            cache.clear()
        parts = []
        for token in f"{title}\n{text}".split():
            norm = cache.get(token)
            if norm is None:
                norm = cache[token] = normalise(token)
            if norm:
                parts.append(norm)
        norm_text = " ".join(parts)
        return cls(f" {norm_text} ", frozenset(norm_text.split()))

    def has_phrase(self, phrase: str) -> bool:
        """True when the normalised `phrase` occurs as whole consecutive words."""
        if " " not in phrase:
            return phrase in self.words
        return f" {phrase} " in self.padded
