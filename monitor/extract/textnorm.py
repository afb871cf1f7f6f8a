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


_SPECIAL = re.compile(r'[^\x00-\x21\x23-\x5f\x61-\x7f]')  # non-ASCII, the double quote, the backtick
_PUNCT_RE = re.compile("[" + "".join(sorted(_PUNCT)) + "]")
_FOLD_CHAR: dict[str, str] = {}  # non-ASCII character -> its one-character fold


def _fold_char(m: re.Match[str]) -> str:
    c = m.group()
    out = _FOLD_CHAR.get(c)
    if out is None:
        if len(_FOLD_CHAR) > 20_000:  # bounded whatever the input
            _FOLD_CHAR.clear()
        out = _FOLD_CHAR[c] = (c.translate(_FOLD).lower() or c)[:1]
    return out


def normalize_punct(text: str) -> str:
    """Typographic apostrophes, quotes, dashes and odd spaces to ASCII (same length)."""
    if text.isascii() and "`" not in text:
        return text
    return _PUNCT_RE.sub(lambda m: _PUNCT[m.group()], text)


def fold(text: str) -> str:
    """Lowercase, accent-free, same-length copy of `text` (ASCII is lowercased in C; only the
    few other characters go through the table)."""
    if text.isascii() and '"' not in text and "`" not in text:
        return text.lower()
    return _SPECIAL.sub(_fold_char, text).lower()


TOKEN_RE = re.compile(r"\w+(?:-\w+)*")


def tokens(folded: str) -> list[tuple[str, int, int]]:
    """Word tokens (hyphenated compounds kept whole) with their spans."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(folded)]


_META = set("\\()[]{}?*+.|^$")


def _split_top(pattern: str) -> list[str]:
    parts, depth, cur, i = [], 0, [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":  # a character class: copy to its end
            j = pattern.index("]", i + 2)
            cur.append(pattern[i : j + 1])
            i = j + 1
            continue
        depth += c == "("
        depth -= c == ")"
        if c == "|" and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def literal_keys(pattern: str) -> list[str] | None:
    """Substrings of which every match of `pattern` contains one (the literal start of
    each alternative), or None when some alternative starts with no literal."""
    keys: list[str] = []
    for alt in _split_top(pattern):
        while alt.startswith("\\b"):
            alt = alt[2:]
        if alt.startswith(("(?:", "(?P<")):
            depth, end = 0, -1
            for j, c in enumerate(alt):
                depth += c == "("
                depth -= c == ")"
                if depth == 0:
                    end = j
                    break
            if end < 0 or alt[end + 1 : end + 2] in ("?", "*", "{"):
                return None
            inner = alt[3:end] if alt.startswith("(?:") else alt[alt.index(">") + 1 : end]
            sub = literal_keys(inner)
            if sub is None:
                return None
            keys += sub
            continue
        lit = []
        for j, c in enumerate(alt):
            if c in _META:
                if c in "?*{" and lit:
                    lit.pop()
                break
            lit.append(c)
        if not lit:
            return None
        keys.append("".join(lit))
    return keys


def guard(rx: re.Pattern[str]) -> "re.Pattern[str] | Guarded":
    """`rx` behind a substring screen derived from its pattern, when one can be derived."""
    keys = literal_keys(rx.pattern)
    if not keys:
        return rx
    return Guarded(rx, "|".join(sorted(set(keys))))


class Guarded:
    """A regex behind a substring screen: `search` runs the regex only when one of `keys`
    (substrings every match must contain) occurs in the text. Same results, far cheaper on
    the many sentences that cannot match."""

    __slots__ = ("rx", "screen")

    def __init__(self, rx: re.Pattern[str], keys: str) -> None:
        self.rx = rx
        self.screen = re.compile("|".join(re.escape(k) for k in sorted(set(keys.split("|")))))

    def possible(self, text: str) -> bool:
        return self.screen.search(text) is not None

    def search(self, text: str, *args: int) -> re.Match[str] | None:
        if self.screen.search(text) is None:
            return None
        return self.rx.search(text, *args)

    def finditer(self, text: str):
        if self.screen.search(text) is None:
            return iter(())
        return self.rx.finditer(text)

    @property
    def pattern(self) -> str:
        return self.rx.pattern
