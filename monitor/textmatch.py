"""Text normalisation for keyword rules: case-, accent- and separator-insensitive.

Both the article text and every keyword go through `normalise()`, so matching is
a plain substring test on word boundaries:

- case folded ("Kyiv" = "KYIV"), accents removed ("coréen" = "coreen", "й" = "и"),
  ligatures spelled out ("cœur" = "coeur");
- every run of characters that are not letters or digits (spaces, hyphens, apostrophes,
  punctuation, line breaks) becomes one space, so "cessez-le-feu" = "cessez le feu"
  and "l'Ukraine" contains the word "ukraine".

A keyword phrase matches when its words appear consecutively, as whole words.

For rule sets, articles are read token by token, in UTF-8 bytes: one C-level pass lowers
ASCII letters and turns every other ASCII character into a space (`NormText.folded`), the
result is split into tokens, and only tokens holding non-ASCII characters go through
`normalise()`, once each per TextScanner. That gives the words of
`normalise(title + "\\n" + text)`: normalising never joins or moves anything across an ASCII
character. Phrases are compared as UTF-8 bytes (`phrase_bytes`).

`TextScanner` tells, for all the rules of a rule set at once, which keyword phrases and
which regex anchors a text holds, with one dict lookup per token; `Regex` tries a pattern
only where its anchors are.
"""

from __future__ import annotations

import itertools
import re
import threading
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


def _normalise_token(token: bytes) -> bytes:
    return phrase_bytes(normalise(token.decode("utf-8", "surrogatepass")))


class NormText:
    """Title + text of one item, normalised lazily and shared by every rule.

    A TextScanner stores what it found in `known` (phrases looked for, phrases found) and
    `anchors` (regex anchors looked for, anchors found), used by has_phrase and Regex.search.
    """

    def __init__(self, title: str, text: str):
        self.title, self.text = title, text
        self.known: tuple[frozenset[bytes], set[bytes]] | None = None
        self.anchors: tuple[frozenset, set] | None = None
        self.searched: dict[Regex, bool] = {}  # Regex.search results

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
        """b" word word ... " = normalise(raw) with a space on each side: the plain way, for
        phrases no TextScanner looked for (`matches()` on one rule)."""
        return phrase_bytes(f" {normalise(self.raw)} ")

    @cached_property
    def may_fold_to_ascii(self) -> bool:
        """Does the text hold a character that case-insensitive `re` equates with an ASCII letter?"""
        if self.anchors is not None and FOLD_ANCHORS <= self.anchors[0]:  # a scan looked for them
            return not FOLD_ANCHORS.isdisjoint(self.anchors[1])
        raw = self.raw
        return not raw.isascii() and any(c in raw for c in FOLDS_TO_ASCII)

    def has_phrase(self, phrase: bytes) -> bool:
        """True when the normalised `phrase` (see phrase_bytes) occurs as whole consecutive words."""
        if self.known is not None and phrase in self.known[0]:
            return phrase in self.known[1]
        return b" " + phrase + b" " in self.padded


_NONE: frozenset = frozenset()


class _Classes(dict):
    """token -> class; a token not learnt yet is learnt on first lookup."""

    __slots__ = ("learn",)

    def __init__(self, learn):
        super().__init__()
        self.learn = learn

    def __missing__(self, token: bytes) -> int:
        return self.learn(token)


_last_text: NormText | None = None


def norm_text(title: str, text: str) -> NormText:
    """NormText(title, text), the same object again when asked for the same strings in a row
    (an article is matched without its event, then with it)."""
    global _last_text
    last = _last_text
    if last is None or last.title is not title or last.text is not text:
        last = _last_text = NormText(title, text)
    return last


class TextScanner:
    """Which of a fixed set of keyword phrases and regex anchors a NormText holds.

    Each distinct token is learnt once, on first sight (`_class_of`): EMPTY when it has no
    words (punctuation), OTHER when it has words but no keyword word and no anchor, else a
    class recording its keyword words, its anchors and, when it has keyword words, all its
    words. One C-level dict lookup per token of a text gives the set of classes present,
    hence the keyword words and anchors present and the single-word phrases. A multi-word
    phrase whose words are all present is then looked for as is in `folded`, else after each
    occurrence there of a token holding its first word. (An anchor, ASCII letters and
    digits, can only occur inside a token.) Thread-safe: one lock per scan.
    """

    EMPTY, OTHER = 0, 1
    _CACHE_SIZE = 200_000  # tokens (~20 MB); then everything learnt is forgotten

    def __init__(self, phrases: Iterable[bytes], anchors: Iterable[tuple[bytes, bool]] = ()):
        self.phrases, self.anchor_set = frozenset(phrases), frozenset(anchors)
        self.words = frozenset(w for p in self.phrases for w in p.split())
        self.single = frozenset(p for p in self.phrases if b" " not in p)
        self.multi: dict[bytes, list[tuple[bytes, tuple[bytes, ...]]]] = {}  # by first word
        for p in sorted(self.phrases - self.single):
            self.multi.setdefault(p.split()[0], []).append((p, tuple(p.split())))
        any_anchor = b"|".join(sorted(re.escape(a) for a, _ in self.anchor_set))
        self._any_anchor = re.compile(any_anchor) if any_anchor else None  # most tokens have none
        self._lock = threading.Lock()
        self._forget()

    def _forget(self) -> None:
        self._class_of = _Classes(self._learn)
        self._class_ids: dict[tuple, int] = {}
        self._class_words: list[tuple[bytes, ...]] = [(), ()]  # class -> the token's words
        self._class_keywords: list[frozenset[bytes]] = [frozenset(), frozenset()]  # -> its keyword words
        self._class_anchors: list[frozenset] = [frozenset(), frozenset()]  # -> the regex anchors in it
        self._surfaces: dict[int, list[bytes]] = {}  # class with keyword words -> its tokens

    def scan(self, text: NormText) -> tuple[set[bytes], set[tuple[bytes, bool]]]:
        """(phrases, anchors) occurring in `text`; also stored in `text.known`, `text.anchors`."""
        with self._lock:  # learning changes several tables together
            if len(self._class_of) > self._CACHE_SIZE:
                self._forget()
            present = set(map(self._class_of.__getitem__, text.tokens))  # learning new tokens
            present.discard(self.EMPTY)
            present.discard(self.OTHER)
            keywords = self._class_keywords
            words = set().union(*[keywords[c] for c in present])
            found = words & self.single
            for first in self.multi.keys() & words:
                for phrase, phrase_words in self.multi[first]:
                    if words.issuperset(phrase_words) and (
                            _written_as_is(text.folded, phrase) or self._in(text.folded, phrase_words, present)):
                        found.add(phrase)
            anchors = set().union(*[self._class_anchors[c] for c in present])
        text.known, text.anchors = (self.phrases, found), (self.anchor_set, anchors)
        return found, anchors

    def _learn(self, token: bytes) -> int:
        """The class of a token, learnt."""
        if token.isascii():  # one word, itself
            words = (token,)
            keywords = frozenset(words) if token in self.words else _NONE
        else:
            words = tuple(_normalise_token(token).split())
            keywords = self.words.intersection(words)
        anchors = _NONE
        if self._any_anchor is not None and self._any_anchor.search(token):
            anchors = frozenset(a for a in self.anchor_set if _anchor_in(token, *a))
        if not keywords and not anchors:
            cls = self.OTHER if words else self.EMPTY
        else:
            key = (words if keywords else None, anchors)
            if (cls := self._class_ids.get(key)) is None:
                cls = self._class_ids[key] = len(self._class_words)
                self._class_words.append(words if keywords else ())
                self._class_keywords.append(keywords)
                self._class_anchors.append(anchors)
            if keywords:
                self._surfaces.setdefault(cls, []).append(token)
        self._class_of[token] = cls
        return cls

    def _in(self, folded: bytes, phrase: tuple[bytes, ...], present: set[int]) -> bool:
        """Does `phrase` occur in the text, starting in a token of a class in `present`?"""
        first = phrase[0]
        for cls in present:
            if first not in self._class_keywords[cls]:
                continue
            words = self._class_words[cls]
            offsets = [j for j, w in enumerate(words) if w == first]
            for surface in self._surfaces[cls]:
                i = -1
                while (i := folded.find(surface, i + 1)) >= 0:
                    end = i + len(surface)
                    if (i and folded[i - 1] != 0x20) or (end < len(folded) and folded[end] != 0x20):
                        continue  # inside a longer token
                    if any(self._follows(folded, end, words[j:], phrase) for j in offsets):
                        return True
        return False

    def _follows(self, folded: bytes, end: int, words: tuple[bytes, ...], phrase: tuple[bytes, ...]) -> bool:
        """Do `phrase`'s words follow from `words` (the last words of the token ending at `end`) on?"""
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
                while end < len(folded) and folded[end] == 0x20:
                    end += 1
                if end == len(folded):
                    return False
                start, end = end, folded.find(b" ", end)
                end = len(folded) if end < 0 else end
                cls = self._class_of[folded[start:end]]
            if not self._class_keywords[cls]:
                return False  # words that are no keyword word
            words = self._class_words[cls]


def _written_as_is(folded: bytes, phrase: bytes) -> bool:
    """Is the (ASCII) phrase in `folded` as whole tokens separated by single spaces?"""
    if not phrase.isascii():
        return False
    at = 0
    while (i := folded.find(phrase, at)) >= 0:
        j = i + len(phrase)
        if (i == 0 or folded[i - 1] == 0x20) and (j == len(folded) or folded[j] == 0x20):
            return True
        at = i + 1
    return False


# non-ASCII characters that case-insensitive `re` takes for an ASCII letter: ſ (s), İ ı (i),
# the Kelvin sign (k); tests/test_match_index.py checks this list against `re` itself
FOLDS_TO_ASCII = ("\u017f", "\u0130", "\u0131", "\u212a")
# ... as anchors for a TextScanner (they are letters: always inside a token)
FOLD_ANCHORS = frozenset((phrase_bytes(c), False) for c in FOLDS_TO_ASCII)


class Regex:
    """A rule's regular expression, searched case-insensitively in title + text.

    When every match holds one of a few strings of ASCII letters and digits (`anchors`, 2-3
    characters) at an offset of `lo` to `hi` characters from its start (`\\b(mig|su)-?\\d`:
    mig, su at 0; `\\bs-?[34]00`: 300, 400 at 1-2), a text can only match where one occurs
    (`NormText.folded`): `search` tries the pattern at those few places, and not at all
    when a TextScanner found none in the text's tokens. Texts holding a character `re`
    equates with an ASCII letter (FOLDS_TO_ASCII) are searched in full.
    """

    def __init__(self, source: str):
        self.pattern = re.compile(source, re.IGNORECASE)
        try:
            anchor = _anchor(_parser.parse(source, re.IGNORECASE))
        except Exception:  # noqa: BLE001 - private parser: search in full rather than fail
            anchor = None
        self.anchors: frozenset[tuple[bytes, bool]] | None = None  # (anchor, at a word start)
        if anchor is not None:
            strings, self.lo, self.hi, word_start = anchor
            self.anchors = frozenset((phrase_bytes(a), word_start) for a in strings)

    def search(self, text: NormText) -> bool:
        """Is the pattern found in title + text? (cached per text)"""
        hit = text.searched.get(self)
        if hit is None:
            if self.anchors is None or text.may_fold_to_ascii:
                hit = self.pattern.search(text.raw) is not None
            elif text.anchors is not None and self.anchors <= text.anchors[0]:
                hit = not self.anchors.isdisjoint(text.anchors[1]) and self._match_at_anchors(text)
            else:
                hit = self._match_at_anchors(text)
            text.searched[self] = hit
        return hit

    def _match_at_anchors(self, text: NormText) -> bool:
        folded, raw, match, lo, hi = text.folded, text.raw, self.pattern.match, self.lo, self.hi
        same_offsets = raw.isascii()  # else: count the characters of the bytes skipped
        for anchor, word_start in self.anchors:
            byte = char = 0  # the same position in folded and in raw
            i = folded.find(anchor)
            while i >= 0:
                if not (word_start and i and 0x20 != folded[i - 1] < 0x80):  # else no \\b before it
                    char += i - byte if same_offsets else len(folded[byte:i].decode("utf-8", "surrogatepass"))
                    byte = i
                    if word_start and char and (raw[char - 1].isalnum() or raw[char - 1] == "_"):
                        pass  # after a non-ASCII word character
                    elif lo == hi:
                        if char >= lo and match(raw, char - lo):
                            return True
                    elif any(match(raw, char - k) for k in range(lo, min(hi, char) + 1)):
                        return True
                i = folded.find(anchor, i + 1)
        return False


def _anchor_in(token: bytes, anchor: bytes, word_start: bool) -> bool:
    """Is the anchor in the folded token (at a word start: not after an ASCII letter or digit)?"""
    i = token.find(anchor)
    while word_start and i > 0 and token[i - 1] < 0x80:
        i = token.find(anchor, i + 1)
    return i >= 0


_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_MAX_SPREAD = 8  # most offsets tried per occurrence of an anchor
_MAX_ANCHORS = 8  # most strings enumerated


def _anchor(parsed) -> tuple[frozenset[str], int, int, bool] | None:
    """(strings, lo, hi, word_start): every match holds one of the strings at offset lo..hi,
    right after a \\b if word_start; the best found."""
    items, best, best_key = parsed.data, None, None
    for j in range(len(items)):
        lo, hi = _parser.SubPattern(parsed.state, items[:j]).getwidth()
        if hi - lo > _MAX_SPREAD:
            break  # widths only grow
        strings = _shortest(_expand(items[j:], {""})[0])
        key = (min(map(len, strings)), -len(strings), lo - hi)
        if key[0] >= 2 and (best_key is None or key > best_key):
            before = items[:j] + list(itertools.takewhile(lambda item: item[0] is sre.AT, items[j:]))
            zero_width = list(itertools.takewhile(lambda item: item[0] is sre.AT, reversed(before)))
            best, best_key = (frozenset(strings), lo, hi, (sre.AT, sre.AT_BOUNDARY) in zero_width), key
    return best


def _shortest(strings: set[str]) -> set[str]:
    """The strings cut before their first character that is not a letter or digit and to 3
    characters (rare enough, and fewer to look for), none a prefix of another."""
    cut = sorted({re.match("[a-z0-9]{0,3}", s).group() for s in strings})
    return {s for i, s in enumerate(cut) if not any(s.startswith(t) for t in cut[:i])}


def _expand(items: list, starts: set[str]) -> tuple[set[str], bool]:
    """`starts` followed by each string `items` can begin with (lower-case ASCII), and whether
    those are whole matches of `items` (else only their beginnings: nothing may follow)."""
    strings = starts
    for op, av in items:
        if op is sre.AT:
            continue  # zero width: the real match checks it
        chars = _chars(op, av)
        if chars is not None:
            grown, whole = {s + c for s in strings for c in chars}, True
        elif op is sre.SUBPATTERN:
            grown, whole = _expand(av[3].data, strings)
        elif op is sre.BRANCH:
            grown, whole = set(), True
            for branch in av[1]:
                more, branch_whole = _expand(branch.data, strings)
                grown, whole = grown | more, whole and branch_whole
        elif op in _REPEATS and av[0] <= 4:  # {min,max}: the strings of min..max copies
            (least, most, copy), grown, step = av, set(), strings
            whole = most <= 4  # else: at least `least` copies, then anything
            for n in range(most if whole else least):
                if n >= least:
                    grown |= step
                step, step_whole = _expand(copy.data, step)
                if not step_whole:  # matches with more than n copies begin with `step`
                    whole = False
                    break
            grown |= step
        else:
            return strings, False
        if len(grown) > _MAX_ANCHORS:
            return strings, False
        strings = grown
        if not whole:
            return strings, False
    return strings, True


def _chars(op, av) -> set[str] | None:
    """The lower-case ASCII characters one LITERAL or [...] item matches, if few."""
    if op is sre.LITERAL:
        return {chr(av).lower()} if av < 0x80 else None
    if op is not sre.IN:
        return None
    chars = set()
    for kind, value in av:
        if kind is sre.LITERAL and value < 0x80:
            chars.add(chr(value).lower())
        elif kind is sre.RANGE and value[1] < 0x80 and value[1] - value[0] < _MAX_ANCHORS * 2:
            chars.update(chr(c).lower() for c in range(value[0], value[1] + 1))
        else:
            return None
    return chars if len(chars) <= _MAX_ANCHORS else None
