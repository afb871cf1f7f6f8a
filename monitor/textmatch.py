"""Text normalisation for keyword rules: case-, accent- and separator-insensitive.

Both the article text and every keyword go through `normalise()`, so matching is
a plain substring test on word boundaries:

- case folded ("Kyiv" = "KYIV"), accents removed ("coréen" = "coreen", "й" = "и"),
  ligatures spelled out ("cœur" = "coeur");
- every run of characters that are not letters or digits (spaces, hyphens, apostrophes,
  punctuation, line breaks) becomes one space, so "cessez-le-feu" = "cessez le feu"
  and "l'Ukraine" contains the word "ukraine".

A keyword phrase matches when its words appear consecutively, as whole words.

Articles are normalised token by token, in UTF-8 bytes: one C-level pass lowers ASCII
letters and turns every other ASCII character into a space (`fold`), the result is split
into tokens, and only tokens holding non-ASCII characters go through `normalise()`, once
each, through a cache. That gives the same words as `normalise(title + "\\n" + text)`:
normalising never joins or moves anything across an ASCII character. Phrases are
compared as UTF-8 bytes (`phrase_bytes`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property
from re import _constants as sre
from re import _parser
from typing import Iterable

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


def phrase_bytes(phrase: str) -> bytes:
    """A normalised phrase as the UTF-8 bytes NormText compares."""
    return phrase.encode("utf-8", "surrogatepass")


# ASCII letters lowered, every other ASCII byte a space; bytes >= 0x80 (UTF-8 sequences) kept
_FOLD = bytes(b if b >= 0x80 else ord(chr(b).lower()) if chr(b).isalnum() else 0x20 for b in range(256))

_NORM: dict[bytes, bytes] = {}  # token -> its normalised words joined by one space (may be b"")
_NORM_SIZE = 300_000


def _normalise_token(token: bytes) -> bytes:
    return phrase_bytes(normalise(token.decode("utf-8", "surrogatepass")))


def normalised_token(token: bytes) -> bytes:
    """The normalised words of one folded token (itself when it is ASCII), cached."""
    norm = _NORM.get(token)
    if norm is None:
        if len(_NORM) > _NORM_SIZE:
            _NORM.clear()
        norm = _NORM[token] = token if token.isascii() else _normalise_token(token)
    return norm


class NormText:
    """Title + text of one item, normalised lazily and shared by every rule.

    `known` may hold a KeywordScanner's answer for this text: (phrases it looked for, phrases
    found); `has_phrase` uses it before building the normalised text.
    """

    def __init__(self, title: str, text: str):
        self.title, self.text = title, text
        self.known: tuple[frozenset[bytes], set[bytes]] | None = None
        self.searched: dict[re.Pattern, bool] = {}  # Regex.search results

    @cached_property
    def raw(self) -> str:
        return f"{self.title}\n{self.text}"

    @cached_property
    def folded(self) -> bytes:
        """UTF-8 of `raw`, ASCII letters lowered, other ASCII characters turned into spaces."""
        return self.raw.encode("utf-8", "surrogatepass").translate(_FOLD)

    @cached_property
    def tokens(self) -> list[bytes]:
        return self.folded.split()

    @cached_property
    def padded(self) -> bytes:
        """b" word word ... " = normalise(raw), with a space on each side (whole-word tests)."""
        tokens = self.tokens
        try:
            joined = b" ".join(map(_NORM.__getitem__, tokens))
        except KeyError:  # tokens never seen (or the cache was cleared)
            joined = b" ".join(map(normalised_token, tokens))
        while b"  " in joined:  # around tokens without words
            joined = joined.replace(b"  ", b" ")
        return b" " + joined.strip(b" ") + b" "

    @cached_property
    def may_fold_to_ascii(self) -> bool:
        """Does the text hold a character that case-insensitive `re` equates with an ASCII letter?"""
        folded = self.folded
        return not folded.isascii() and any(c in folded for c in _FOLDS_TO_ASCII_UTF8)

    def has_phrase(self, phrase: bytes) -> bool:
        """True when the normalised `phrase` (see phrase_bytes) occurs as whole consecutive words."""
        if self.known is not None and phrase in self.known[0]:
            return phrase in self.known[1]
        return b" " + phrase + b" " in self.padded


class KeywordScanner:
    """Which of a fixed set of phrases occur in a NormText, in one pass over its tokens.

    Each distinct token is learnt once per scanner (`_class_of`): EMPTY when it has no
    words (punctuation), OTHER when none of its normalised words is a keyword word, else a
    class holding those words. One C-level dict lookup per token of a text gives the class
    sequence; the set of classes gives the keyword words present, hence the single-word
    phrases; a multi-word phrase whose words are all present is then looked for in the
    class sequence from each occurrence of its first word (list.index, few of them).
    """

    EMPTY, OTHER = 0, 1
    _CACHE_SIZE = 300_000

    def __init__(self, phrases: Iterable[bytes]):
        self.phrases = frozenset(phrases)
        self.words = frozenset(w for p in self.phrases for w in p.split())
        self.single = frozenset(p for p in self.phrases if b" " not in p)
        self.multi: dict[bytes, list[tuple[bytes, tuple[bytes, ...]]]] = {}  # by first word
        for p in sorted(self.phrases - self.single):
            self.multi.setdefault(p.split()[0], []).append((p, tuple(p.split())))
        self._class_of: dict[bytes, int] = {}
        self._class_words: list[tuple[bytes, ...]] = [(), ()]  # class -> the token's words
        self._class_keywords: list[frozenset[bytes]] = [frozenset(), frozenset()]  # -> its keyword words
        self._class_ids: dict[tuple[bytes, ...], int] = {}

    def scan(self, text: NormText) -> set[bytes]:
        """The phrases occurring in `text`; also stored in `text.known` for has_phrase."""
        tokens = text.tokens
        seq = list(map(self._class_of.get, tokens, tokens))  # a token not learnt yet stays itself
        present = set(seq)
        new = [x for x in present if x.__class__ is bytes]
        if new:
            present.difference_update(new)
            present.update(self._learn(new))
        keywords = self._class_keywords
        words = set().union(*[keywords[c] for c in present if c > self.OTHER])
        found = words & self.single
        for first in self.multi.keys() & words:
            if new:  # the class of every token, now that all are learnt
                seq, new = list(map(self._class_of.get, tokens, seq)), []
            starts = [c for c in present if c > self.OTHER and first in keywords[c]]
            found.update(p for p, pw in self.multi[first] if words.issuperset(pw) and self._in(seq, pw, starts))
        text.known = (self.phrases, found)
        return found

    def _learn(self, new: list[bytes]) -> set[int]:
        if len(self._class_of) > self._CACHE_SIZE:
            self._class_of.clear()
        classes = set()
        for token in new:
            words = tuple((token if token.isascii() else _normalise_token(token)).split())
            if not words or self.words.isdisjoint(words):
                cls = self.OTHER if words else self.EMPTY
            elif (cls := self._class_ids.get(words)) is None:
                cls = self._class_ids[words] = len(self._class_words)
                self._class_words.append(words)
                self._class_keywords.append(self.words.intersection(words))
            self._class_of[token] = cls
            classes.add(cls)
        return classes

    def _in(self, seq: list, phrase: tuple[bytes, ...], starts: list[int]) -> bool:
        """Does `phrase` occur in the words of the class sequence `seq`?"""
        for cls in starts:
            words = self._class_words[cls]
            offsets = [j for j, w in enumerate(words) if w == phrase[0]]
            i = -1
            while (i := _index(seq, cls, i + 1)) >= 0:
                if any(self._follows(seq, i, words[j:], phrase) for j in offsets):
                    return True
        return False

    def _follows(self, seq: list, i: int, words: tuple[bytes, ...], phrase: tuple[bytes, ...]) -> bool:
        """Do `phrase`'s words follow from `words` (the end of token i's words) on?"""
        k = 0
        while True:
            for w in words:
                if k == len(phrase):
                    return True
                if w != phrase[k]:
                    return False
                k += 1
            if k == len(phrase):
                return True
            cls = self.EMPTY
            while cls == self.EMPTY:  # tokens without words do not separate words
                i += 1
                if i == len(seq):
                    return False
                cls = seq[i]
            if cls == self.OTHER:
                return False
            words = self._class_words[cls]


def _index(seq: list, value: int, start: int) -> int:
    try:
        return seq.index(value, start)
    except ValueError:
        return -1


# non-ASCII characters that case-insensitive `re` takes for an ASCII letter: ſ (s), İ ı (i),
# the Kelvin sign (k); tests/test_match_text.py checks this list against `re` itself
FOLDS_TO_ASCII = ("\u017f", "\u0130", "\u0131", "\u212a")
_FOLDS_TO_ASCII_UTF8 = tuple(phrase_bytes(c) for c in FOLDS_TO_ASCII)


class Regex:
    """A rule's regular expression, searched case-insensitively in title + text.

    When every match has one of a few ASCII literals (`literals`, lower case, 2+
    characters) at an offset of `lo` to `hi` characters from its start (`\\bshahed-?\\d+`:
    "shahed" at 0; `\\bs-?[34]00`: "00" at 2-3), a text can only match where one occurs in
    `NormText.folded`, and `search` tries the pattern at those few places only. Texts
    holding a character `re` equates with an ASCII letter (FOLDS_TO_ASCII) are searched
    in full.
    """

    def __init__(self, source: str):
        self.pattern = re.compile(source, re.IGNORECASE)
        try:
            anchor = _anchor(_parser.parse(source, re.IGNORECASE))
        except Exception:  # noqa: BLE001 - private parser: search in full rather than fail
            anchor = None
        self.literals: frozenset[bytes] | None = None
        if anchor is not None:
            literals, self.lo, self.hi = anchor
            self.literals = frozenset(map(phrase_bytes, literals))

    def search(self, text: NormText) -> bool:
        """Is the pattern found in title + text? (cached per text)"""
        hit = text.searched.get(self.pattern)
        if hit is None:
            if self.literals is None or text.may_fold_to_ascii:
                hit = self.pattern.search(text.raw) is not None
            else:
                hit = self._match_at_literals(text)
            text.searched[self.pattern] = hit
        return hit

    def _match_at_literals(self, text: NormText) -> bool:
        folded, raw, match, lo, hi = text.folded, text.raw, self.pattern.match, self.lo, self.hi
        same_offsets = raw.isascii()  # else: count the characters of the bytes skipped
        for literal in self.literals:
            byte = char = 0  # the same position in folded and in raw
            while (i := folded.find(literal, byte)) >= 0:
                char += i - byte if same_offsets else len(folded[byte:i].decode("utf-8", "surrogatepass"))
                if any(match(raw, char - k) for k in range(lo, min(hi, char) + 1)):
                    return True
                byte, char = i + 1, char + 1  # folded[i] is ASCII: one byte, one character
        return False


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_MAX_SPREAD = 8  # most possible offsets of a literal tried per occurrence


def _alnum_literal(op, av) -> bool:
    return op is sre.LITERAL and av < 0x80 and chr(av).isalnum()


def _anchor(parsed) -> tuple[set[str], int, int] | None:
    """(literals, lo, hi): every match has one of the literals at offset lo..hi; the best."""
    items, best = parsed.data, None
    for j, (op, av) in enumerate(items):
        if j and _alnum_literal(op, av) and _alnum_literal(*items[j - 1]):
            continue  # inside a run of literals, tried from its start
        literals = _prefixes(items[j:])
        if not literals:
            continue
        lo, hi = _parser.SubPattern(parsed.state, items[:j]).getwidth()
        if hi - lo > _MAX_SPREAD:
            break  # widths only grow
        if min(map(len, literals)) >= 2 and (best is None or min(map(len, literals)) > min(map(len, best[0]))):
            best = (literals, lo, hi)
    return best


def _prefixes(items: list) -> set[str] | None:
    """Literals one of which every match of `items` starts with (after \\b, ^...), or None."""
    items = list(items)
    while items and items[0][0] is sre.AT:  # zero width
        items.pop(0)
    if not items:
        return None
    op, av = items[0]
    if _alnum_literal(op, av):
        run = ""
        for op, av in items:
            if not _alnum_literal(op, av):
                break
            run += chr(av).lower()
        return {run}
    if op is sre.SUBPATTERN:
        return _prefixes(av[3].data)
    if op is sre.ATOMIC_GROUP:
        return _prefixes(av.data)
    if op in _REPEATS and av[0] >= 1:
        return _prefixes(av[2].data)
    if op is sre.BRANCH:
        branches = [_prefixes(b.data) for b in av[1]]
        return set().union(*branches) if all(branches) else None
    return None
