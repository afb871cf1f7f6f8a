"""Which keyword phrases an article holds, for every rule of a rule set at once.

Words are those of `textnorm.normalise(title + "\\n" + text)` (case, accents and
separators ignored), phrases are compared as UTF-8 bytes (`phrase_bytes`).

`TextScanner.scan` has two ways, same answers (tests/test_match_fastpath.py):

- nearly every text has a form, its words with longer separators (`NormText.form`): for
  most fr/en articles an ASCII one made in a few C-level passes (`textnorm.ascii_words`),
  else a UTF-8 one where each run of non-ASCII characters is replaced by its image
  (`textnorm.any_words`). One Aho-Corasick pass over it (ahocorasick_rs, in Rust) finds
  every keyword phrase written with single spaces, the words of multi-word phrases
  followed by a longer separator (only then is the phrase tried with a regex allowing
  longer separators) and the regex anchors (their places are found when a regex asks,
  `NormText.places`);
- the rest (an image holding an upper-case ASCII letter, "ℌ" -> "H") is read token by
  token, in UTF-8 bytes: one C-level pass lowers ASCII letters and turns every other ASCII
  character into a space (`NormText.folded`), the result is split into tokens, and only
  tokens holding non-ASCII characters go through `normalise()`, once each per
  TextScanner. That gives the same words: normalising never joins or moves anything
  across an ASCII character. This way also tells which regex anchors the tokens hold
  (`textregex.Regex`).
"""

from __future__ import annotations

import itertools
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

    A TextScanner stores what it found in `known` (phrases looked for with their ids, ids found),
    `anchors` (regex anchors looked for, anchors found) and, for an aligned ASCII form,
    `anchor_hits` (the automaton's hits of anchors, to tell where in `raw` each may be:
    `places`), used by
    has_phrase and Regex.search.
    """

    def __init__(self, title: str, text: str):
        self.title, self.text = title, text
        self.known: tuple[dict[bytes, int], set[int]] | None = None  # (phrase -> id, ids found)
        self.anchors: tuple[frozenset, set] | None = None
        # for an aligned form: anchor -> [(pattern, shift)]: where the form holds the pattern,
        # plus shift, the anchor may be in raw (`places`)
        # for an aligned form: (a TextScanner's matches (pattern id, start, end), pattern id
        # -> [(anchor, shift)]): the anchor may be in raw at start + shift (`places`)
        self.anchor_hits: tuple[list[tuple[int, int, int]], dict[int, list]] | None = None
        self.anchor_at: dict[tuple[bytes, bool], list[int]] | None = None  # anchor -> places
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

    def places(self, anchor: tuple[bytes, bool]) -> list[int]:
        """Where in `raw` a regex anchor may be, by the hits of a TextScanner (`anchor_hits`,
        aligned forms only): the places of every anchor, made on the first call."""
        at = self.anchor_at
        if at is None:
            matches, shifts = self.anchor_hits
            at = self.anchor_at = {}
            for i, start, _ in matches:
                for found, shift in shifts.get(i, ()):
                    at.setdefault(found, []).append(start + shift)
        return at.get(anchor, ())

    def has_phrase(self, phrase: bytes) -> bool:
        """True when the normalised `phrase` (see phrase_bytes) occurs as whole consecutive words."""
        if self.known is not None and (i := self.known[0].get(phrase)) is not None:
            return i in self.known[1]
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
    needs), and when the form is aligned with the text, `anchor_hits` tells where they are.
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
        """One automaton for texts with a form, of b" phrase " for every phrase, the same with
        longer separators (up to `_spacings`), for every word but the last of a phrase
        b" word" then a separator longer than those, b" anchor" for regex anchors at a word
        start, b"anchor" for the other anchors; for each pattern, what its hit tells (a
        pattern may tell several things)."""
        ids: dict[bytes, int] = {}  # pattern -> its id (index)

        def pattern(text: bytes) -> int:
            return ids.setdefault(text, len(ids))

        self.ids = {phrase: pattern(b" " + phrase + b" ") for phrase in sorted(self.phrases)}
        # pattern -> [(phrase id, None when the hit proves the phrase, else the regex to try)]
        self._spaced: dict[int, list[tuple[int, re.Pattern[bytes] | None]]] = {}
        for phrase in sorted(p for p in self.phrases if b" " in p):
            words, proven = phrase.split(), self.ids[phrase]
            longest = _spacings(len(words))
            for spaces in itertools.product(range(1, longest + 1), repeat=len(words) - 1):
                if max(spaces) > 1:
                    spaced = b"".join(w + b" " * n for w, n in zip(words, spaces)) + words[-1]
                    self._spaced.setdefault(pattern(b" " + spaced + b" "), []).append((proven, None))
            # written with a longer separator: only then is the phrase looked for with a regex
            regex = re.compile(b" " + b" +".join(map(re.escape, words)) + b" ")
            for word in dict.fromkeys(words[:-1]):
                self._spaced.setdefault(pattern(b" " + word + b" " * (longest + 1)), []).append((proven, regex))
        # an anchor at a word start follows a separator or the start, hence a space in the
        # ASCII form (a non-word character's image is a space: tests/test_match_index.py)
        anchors_of: dict[int, set] = {}
        # pattern id -> [(anchor, where it is in raw relative to the pattern in the form)]
        self._anchor_shifts: dict[int, list[tuple[tuple[bytes, bool], int]]] = {}
        for anchor in sorted(self.anchor_set):
            if anchor[0].isascii():
                for spelling in sorted(self._spellings.get(anchor) or (anchor[0],)):
                    text = b" " + spelling if anchor[1] else spelling
                    anchors_of.setdefault(pattern(text), set()).add(anchor)
                    # raw[j] is at form[j + 1]; b" anchor" starts one byte earlier
                    self._anchor_shifts.setdefault(ids[text], []).append((anchor, 0 if anchor[1] else -1))
        self.n_patterns = len(ids)
        self._anchors_of = [frozenset(anchors_of.get(i, ())) for i in range(len(ids))]
        self._automaton = BytesAhoCorasick(list(ids), implementation=Implementation.DFA) if ids else None
        self._spaced_ids = frozenset(self._spaced)
        self._anchor_ids = frozenset(anchors_of)
        self._ascii_anchors = frozenset(a for a in self.anchor_set if a[0].isascii())

    def _forget(self) -> None:
        self._class_of = _Classes(self._learn)
        self._class_ids: dict[tuple, int] = {}
        self._class_words: list[tuple[bytes, ...]] = [(), ()]  # class -> the token's words
        self._class_keywords: list[frozenset[bytes]] = [frozenset(), frozenset()]  # -> its keyword words
        self._class_anchors: list[frozenset] = [frozenset(), frozenset()]  # -> the regex anchors in it
        self._surfaces: dict[int, list[bytes]] = {}  # class with keyword words -> its tokens

    def scan(self, text: NormText) -> tuple[set[bytes], set[tuple[bytes, bool]] | None]:
        """(phrases, anchors) occurring in `text`, anchors None when not looked for."""
        ids, anchors = self.scan_ids(text)
        return {p for p, i in self.ids.items() if i in ids}, anchors

    def scan_ids(self, text: NormText) -> tuple[set[int], set[tuple[bytes, bool]] | None]:
        """(ids, anchors): `ids` holds the id (`self.ids`) of every phrase occurring in `text`,
        maybe with ids that are no phrase's; anchors None when not looked for. Also stored in
        `text.known`, `text.anchors` and, for an aligned form, `text.anchor_hits`."""
        form = text.form
        if form is None:
            found, anchors = self._scan_tokens(text)
            ids = set(map(self.ids.__getitem__, found))
        else:
            automaton = self._automaton
            matches = automaton.find_matches_as_indexes(form, overlapping=True) if automaton is not None else []
            ids = set(map(_first, matches))
            # multi-word phrases not written with single spaces
            for i in ids & self._spaced_ids:
                for phrase, regex in self._spaced[i]:
                    if phrase not in ids and (regex is None or regex.search(form)):
                        ids.add(phrase)
            if self._ascii_anchors and text.form_separated:  # else b" anchor" may miss one
                # may be more than the folded text holds: Regex.search checks
                anchors = set().union(*map(self._anchors_of.__getitem__, ids & self._anchor_ids))
                text.anchors = (self._ascii_anchors, anchors)
                text.anchor_hits = (matches, self._anchor_shifts) if text.aligned else None
            else:
                anchors = text.anchors = text.anchor_hits = None  # each regex finds its own
        text.known = (self.ids, ids)
        return ids, anchors

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
        text.anchors, text.anchor_hits = (self.anchor_set, anchors), None
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


def _spacings(words: int) -> int:
    """The longest separator (in spaces) for which a TextScanner looks for each way of
    writing a phrase of `words` words (up to 32 ways); a longer one makes it use a regex."""
    return max(n for n in (1, 2, 3, 4) if n ** (words - 1) <= 32)


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


