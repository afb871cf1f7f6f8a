"""Regular expressions of rules, tried only where they can match.

A rule's `regex` is searched case-insensitively in title + text (`Regex.search`). Most
patterns hold a few short ASCII strings every match must contain (`\\bshahed-?\\d`:
"sha"): the text is searched for those first, in the folded bytes of textmatch.NormText,
and the pattern tried only there.
"""

from __future__ import annotations

import itertools
import re
from re import _constants as sre
from re import _parser
from typing import TYPE_CHECKING

from monitor.textnorm import phrase_bytes

if TYPE_CHECKING:
    from monitor.textmatch import NormText

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
    (`NormText.folded`): `search` tries the pattern at those few places (or at the places a
    TextScanner found, `NormText.places`), and not at all when a TextScanner found none
    in the text. Texts holding a character `re` equates with an ASCII letter
    (FOLDS_TO_ASCII) are searched in full.
    """

    def __init__(self, source: str):
        self.pattern = re.compile(source, re.IGNORECASE)
        try:
            anchor = _anchor(_parser.parse(source, re.IGNORECASE))
        except Exception:  # noqa: BLE001 - private parser: search in full rather than fail
            anchor = None
        self.anchors: frozenset[tuple[bytes, bool]] | None = None  # (anchor, at a word start)
        # anchor -> how the matches that begin with it there begin, in a text's form (textmatch)
        self.spellings: dict[tuple[bytes, bool], frozenset[bytes]] = {}
        if anchor is not None:
            strings, self.lo, self.hi, word_start, spelled = anchor
            self.anchors = frozenset((phrase_bytes(a), word_start) for a in strings)
            for a in self.anchors:
                self.spellings[a] = frozenset(phrase_bytes(s) for s in spelled if phrase_bytes(s).startswith(a[0]))

    def search(self, text: NormText) -> bool:
        """Is the pattern found in title + text? (cached per text)"""
        hit = text.searched.get(self)
        if hit is None:
            if self.anchors is None or text.may_fold_to_ascii:
                hit = self.pattern.search(text.raw) is not None
            elif text.anchor_hits is not None and self.anchors <= text.anchors[0]:
                hit = self._match_at(text, text.anchors[1])
            elif text.anchors is not None and self.anchors <= text.anchors[0]:
                hit = not self.anchors.isdisjoint(text.anchors[1]) and self._match_at_anchors(text)
            else:
                hit = self._match_at_anchors(text)
            text.searched[self] = hit
        return hit

    def _match_at(self, text: NormText, found: set) -> bool:
        """Is there a match with an anchor at one of its places (NormText.places), among the
        anchors a TextScanner found (`found`)?"""
        raw, match, lo, hi = text.raw, self.pattern.match, self.lo, self.hi
        for anchor in self.anchors:
            if anchor not in found:
                continue
            for at in text.places(anchor):
                if lo == hi:
                    if at >= lo and match(raw, at - lo):
                        return True
                elif any(match(raw, at - k) for k in range(lo, min(hi, at) + 1)):
                    return True
        return False

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


def _anchor(parsed) -> tuple[frozenset[str], int, int, bool, set[str]] | None:
    """(strings, lo, hi, word_start, spelled): every match holds one of the strings at offset
    lo..hi, right after a \\b if word_start; the best found. `spelled`: the longer strings
    the matches hold there, as in a text's form (a non-alphanumeric character is a space)."""
    items, best, best_key = parsed.data, None, None
    for j in range(len(items)):
        lo, hi = _parser.SubPattern(parsed.state, items[:j]).getwidth()
        if hi - lo > _MAX_SPREAD:
            break  # widths only grow
        expanded = _expand(items[j:], {""})[0]
        strings = _shortest(expanded)
        key = (min(map(len, strings)), -len(strings), lo - hi)
        if key[0] >= 2 and (best_key is None or key > best_key):
            before = items[:j] + list(itertools.takewhile(lambda item: item[0] is sre.AT, items[j:]))
            zero_width = list(itertools.takewhile(lambda item: item[0] is sre.AT, reversed(before)))
            spelled = _spelled(expanded)
            best, best_key = (frozenset(strings), lo, hi, (sre.AT, sre.AT_BOUNDARY) in zero_width, spelled), key
    return best


def _shortest(strings: set[str]) -> set[str]:
    """The strings cut before their first character that is not a letter or digit and to 3
    characters (rare enough, and fewer to look for), none a prefix of another."""
    cut = sorted({re.match("[a-z0-9]{0,3}", s).group() for s in strings})
    return {s for i, s in enumerate(cut) if not any(s.startswith(t) for t in cut[:i])}


def _spelled(strings: set[str]) -> set[str]:
    """The strings with every character that is not a letter or digit a space, none a prefix
    of another."""
    spelled = sorted({re.sub("[^a-z0-9]", " ", s) for s in strings})
    return {s for i, s in enumerate(spelled) if not any(s.startswith(t) for t in spelled[:i])}


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
