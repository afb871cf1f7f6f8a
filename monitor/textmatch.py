"""Which keyword phrases an article holds, for every rule of a rule set at once.

Words are those of `textnorm.normalise(title + "\\n" + text)` (case, accents and
separators ignored), phrases are compared as UTF-8 bytes (`phrase_bytes`).

`TextScanner.scan` has two ways, same answers (tests/test_match_fastpath.py):

- nearly every text has a form, its words with longer separators (`NormText.form`): for
  most fr/en articles an ASCII one made in a few C-level passes (`textnorm.ascii_words`),
  else a UTF-8 one where each run of non-ASCII characters is replaced by its image
  (`textnorm.any_words`). One Aho-Corasick pass over it (ahocorasick_rs, in Rust) finds
  every keyword that is a whole word, every multi-word phrase written with single spaces,
  the first and last words of the others (then tried with a regex allowing longer
  separators, where the first word is) and the regex anchors, with their places;
- the rest (an image holding an upper-case ASCII letter, "ℌ" -> "H") is read token by
  token, in UTF-8 bytes: one C-level pass lowers ASCII letters and turns every other ASCII
  character into a space (`NormText.folded`), the result is split into tokens, and only
  tokens holding non-ASCII characters go through `normalise()`, once each per
  TextScanner. That gives the same words: normalising never joins or moves anything
  across an ASCII character. This way also tells which regex anchors the tokens hold
  (`textregex.Regex`).
"""

from __future__ import annotations

import re
import threading
from operator import itemgetter
from typing import Iterable

from ahocorasick_rs import BytesAhoCorasick, Implementation

from monitor.textnorm import FOLD as _FOLD
from monitor.textnorm import any_words, ascii_words, normalise, parse_keyword, phrase_bytes  # noqa: F401
from monitor.textregex import FOLD_ANCHORS, FOLDS_TO_ASCII, Regex, _anchor_in  # noqa: F401 - re-exported


def _normalise_token(token: bytes) -> bytes:
    return phrase_bytes(normalise(token.decode("utf-8", "surrogatepass")))


class _lazy:  # noqa: N801 - a decorator, like the functools.cached_property it stands for
    """functools.cached_property without the lock Python 3.11 takes on every first read:
    the values below are pure, two threads computing one at once get the same."""

    def __init__(self, func):
        self.func, self.__doc__ = func, func.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


class NormText:
    """Title + text of one item, normalised lazily and shared by every rule.

    A TextScanner stores what it found in `known` (phrases looked for, phrases found),
    `anchors` (regex anchors looked for, anchors found) and, for an aligned ASCII form,
    `anchor_at` (where in `raw` each anchor found may be), used by has_phrase and Regex.search.
    """

    def __init__(self, title: str, text: str):
        self.title, self.text = title, text
        self.known: tuple[frozenset[bytes], set[bytes]] | None = None
        self.anchors: tuple[frozenset, set] | None = None
        self.anchor_at: dict[tuple[bytes, bool], list[int]] | None = None  # anchor -> where in raw
        self.form_plain = self.form_separated = self.aligned = False
        self.searched: dict[Regex, bool] = {}  # Regex.search results

    @_lazy
    def raw(self) -> str:
        return f"{self.title}\n{self.text}"

    @_lazy
    def folded(self) -> bytes:
        """UTF-8 of `raw`, ASCII letters lowered, other ASCII characters turned into spaces."""
        return self.raw.encode("utf-8", "surrogatepass").translate(_FOLD)

    @_lazy
    def tokens(self) -> list[bytes]:
        return self.folded.split()

    @_lazy
    def form(self) -> bytes | None:
        """The words of normalise(raw), separators possibly longer, with a space at each end;
        None in rare cases. `form_plain` when made by textnorm.ascii_words (every character
        known, none of FOLDS_TO_ASCII), else by any_words; `form_separated` when every
        non-word character became a space (always when plain); `aligned` when plain and
        byte i + 1 of it is the image of raw[i]."""
        words = ascii_words(self.raw)
        self.form_plain = self.form_separated = words is not None
        if words is None:
            words, self.form_separated = any_words(self.raw) or (None, False)
        self.aligned = self.form_plain and len(words) == len(self.raw)
        return None if words is None else b" " + words + b" "

    @_lazy
    def padded(self) -> bytes:
        """b" word word ... " = normalise(raw) with a space on each side, for phrases no
        TextScanner looked for (`matches()` on one rule)."""
        if self.form is not None:
            return b" " + b" ".join(self.form.split()) + b" "
        return phrase_bytes(f" {normalise(self.raw)} ")

    @_lazy
    def may_fold_to_ascii(self) -> bool:
        """Does the text hold a character that case-insensitive `re` equates with an ASCII letter?"""
        if self.form is not None and self.form_plain:  # none of them there (test_match_fastpath.py)
            return False
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

    Texts with a form (NormText.form) are read by one Aho-Corasick pass (see `_form_way`
    for its patterns). When every non-word character of the text became a space in the
    form, the anchors found may be more than the text holds (a superset is all Regex.search
    needs), and when the form is aligned with the text, where they are goes to `anchor_at`.
    Other forms leave regexes to find their own anchors.

    Other texts are read token by token. Each distinct token is learnt once, on first sight
    (`_class_of`): EMPTY when it has no words (punctuation), OTHER when it has words but no
    keyword word and no anchor, else a class recording its keyword words, its anchors and,
    when it has keyword words, all its words. One C-level dict lookup per token of a text
    gives the set of classes present, hence the keyword words and anchors present and the
    single-word phrases. A multi-word phrase whose words are all present is then looked for
    as is in `folded`, else after each occurrence there of a token holding its first word.
    (An anchor, ASCII letters and digits, can only occur inside a token.) Thread-safe: one
    lock per token scan; the ASCII way changes nothing shared.
    """

    EMPTY, OTHER = 0, 1
    _CACHE_SIZE = 200_000  # tokens (~20 MB); then everything learnt is forgotten

    def __init__(self, phrases: Iterable[bytes], anchors: Iterable[tuple[bytes, bool]] = (),
                 spellings: dict[tuple[bytes, bool], Iterable[bytes]] | None = None):
        """`spellings` (Regex.spellings): how text at an anchor begins in a form, when known."""
        self.phrases, self.anchor_set = frozenset(phrases), frozenset(anchors)
        self._spellings = spellings or {}
        self.words = frozenset(w for p in self.phrases for w in p.split())
        self.single = frozenset(p for p in self.phrases if b" " not in p)
        self.multi: dict[bytes, list[tuple[bytes, tuple[bytes, ...]]]] = {}  # by first word
        for p in sorted(self.phrases - self.single):
            self.multi.setdefault(p.split()[0], []).append((p, tuple(p.split())))
        any_anchor = b"|".join(sorted(re.escape(a) for a, _ in self.anchor_set))
        self._any_anchor = re.compile(any_anchor) if any_anchor else None  # most tokens have none
        self._lock = threading.Lock()
        self._forget()
        self._form_way()

    def _form_way(self) -> None:
        """One automaton for texts with a form, of b" word " for the single-word phrases and
        the first and last words of the others, b" several words " for the others, b" anchor"
        for regex anchors at a word start, b"anchor" for the rest; for each pattern, what
        its hit tells."""
        longer = sorted(p for p in self.phrases if b" " in p)
        words = set(self.single)
        words.update(w for p in longer for w in (p.split()[0], p.split()[-1]))
        words = sorted(words)
        # an anchor at a word start follows a separator or the start, hence a space in the
        # ASCII form (a non-word character's image is a space: tests/test_match_index.py)
        anchors: dict[bytes, set] = {}
        for anchor in self.anchor_set:
            if anchor[0].isascii():
                for spelling in self._spellings.get(anchor) or (anchor[0],):
                    anchors.setdefault(b" " + spelling if anchor[1] else spelling, set()).add(anchor)
        patterns = [b" " + w + b" " for w in words] + [b" " + p + b" " for p in longer] + sorted(anchors)
        # pattern -> the phrase it proves present, or None; -> the anchors it proves possible
        self._phrase_of = [w if w in self.phrases else None for w in words] + longer + [None] * len(anchors)
        self._anchors_of = [_NONE] * (len(words) + len(longer)) + [frozenset(anchors[a]) for a in sorted(anchors)]
        self._with_anchors = len(words) + len(longer)  # the first anchor pattern
        # multi-word phrases written with longer separators: tried when their first and last
        # words are there (by the first word's pattern: (phrase, last word's pattern, regex))
        self._spaced: dict[int, list[tuple[bytes, int, re.Pattern[bytes]]]] = {}
        for phrase in longer:
            first, *_, last = phrase.split()
            regex = re.compile(b" " + b" +".join(map(re.escape, phrase.split())) + b" ")
            self._spaced.setdefault(words.index(first), []).append((phrase, words.index(last), regex))
        self._automaton = BytesAhoCorasick(patterns, implementation=Implementation.DFA) if patterns else None
        self._spaced_ids = frozenset(self._spaced)
        self._anchor_ids = frozenset(range(self._with_anchors, len(patterns)))
        self._ascii_anchors = frozenset(a for a in self.anchor_set if a[0].isascii())

    def _forget(self) -> None:
        self._class_of = _Classes(self._learn)
        self._class_ids: dict[tuple, int] = {}
        self._class_words: list[tuple[bytes, ...]] = [(), ()]  # class -> the token's words
        self._class_keywords: list[frozenset[bytes]] = [frozenset(), frozenset()]  # -> its keyword words
        self._class_anchors: list[frozenset] = [frozenset(), frozenset()]  # -> the regex anchors in it
        self._surfaces: dict[int, list[bytes]] = {}  # class with keyword words -> its tokens

    def scan(self, text: NormText) -> tuple[set[bytes], set[tuple[bytes, bool]] | None]:
        """(phrases, anchors) occurring in `text`, anchors None when not looked for; also
        stored in `text.known`, `text.anchors`."""
        form = text.form
        if form is None:
            return self._scan_tokens(text)
        by_form = self._ascii_anchors and text.form_separated  # else b" anchor" may miss one
        found: set[bytes] = set()
        anchors: set[tuple[bytes, bool]] = set()
        at: dict[tuple[bytes, bool], list[int]] = {}
        if self._automaton is not None:
            matches = self._automaton.find_matches_as_indexes(form, overlapping=True)
            hits = set(map(_first, matches))
            found = set(map(self._phrase_of.__getitem__, hits))
            found.discard(None)
            # multi-word phrases not written with single spaces, their first and last words there
            spaced = [(i, phrase, regex) for i in hits & self._spaced_ids for phrase, last, regex in self._spaced[i]
                      if last in hits and phrase not in found]
            anchored = hits & self._anchor_ids if by_form else _NONE
            if spaced or anchored:
                starts: dict[int, list[int]] = {}  # pattern -> where it starts, for the patterns kept
                keep = anchored.union(i for i, _, _ in spaced)
                for i, start, _ in matches:
                    if i in keep:
                        starts.setdefault(i, []).append(start)
                for i, phrase, regex in spaced:  # from each place of the first word
                    if any(regex.match(form, j) for j in starts[i]):
                        found.add(phrase)
                anchors_of, aligned = self._anchors_of, text.aligned
                for i in anchored:
                    anchors.update(anchors_of[i])
                    if aligned:  # raw[j] is at form[j + 1]; b" anchor" starts one byte earlier
                        for anchor in anchors_of[i]:
                            at[anchor] = starts[i] if anchor[1] else [j - 1 for j in starts[i]]
        text.known = (self.phrases, found)
        if by_form:  # may be more than the folded text holds: Regex.search checks
            text.anchors, text.anchor_at = (self._ascii_anchors, anchors), at if text.aligned else None
            return found, anchors
        text.anchors = text.anchor_at = None  # each regex finds its own
        return found, None

    def _scan_tokens(self, text: NormText) -> tuple[set[bytes], set[tuple[bytes, bool]]]:
        """scan, token by token (texts without a form)."""
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
        text.known, text.anchors, text.anchor_at = (self.phrases, found), (self.anchor_set, anchors), None
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


_first = itemgetter(0)


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


