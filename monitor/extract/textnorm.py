"""Text folding shared by the gazetteer and the extractor.

`fold` lowercases and strips diacritics while keeping the string length, so that a
match position in the folded text is the same position in the original text.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2011": "-", "\u2010": "-",
}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in list(range(0x00C0, 0x0250)) + list(range(0x0400, 0x0500)):
        ch = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        low = base.lower()
        if len(low) == 1 and low != ch:
            table[code] = low
    for k, v in _PUNCT.items():
        table[ord(k)] = v
    table[ord("\u0130")] = "i"  # dotted capital I
    for q in '"\u00ab\u00bb\u201c\u201d\u201e':
        table[ord(q)] = " "  # quotes never matter to the extractor
    table[ord("\u00df")] = "s"  # keep length: ß -> s
    return table


_FOLD = _build_table()
_PUNCT_TABLE = {ord(k): v for k, v in _PUNCT.items()}


def normalize_punct(text: str) -> str:
    """Typographic apostrophes, quotes, dashes and odd spaces to ASCII (same length)."""
    return text.translate(_PUNCT_TABLE)


def fold(text: str) -> str:
    """Lowercase, accent-free, same-length copy of `text`."""
    out = text.translate(_FOLD).lower()
    if len(out) != len(text):  # rare characters whose lowercase is longer
        out = "".join((c.translate(_FOLD).lower() or c)[:1] for c in text)
    return out


TOKEN_RE = re.compile(r"\w+(?:-\w+)*")


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Word tokens (hyphenated compounds kept whole) with their spans."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(folded)]
