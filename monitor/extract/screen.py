"""Word-chunk screens and indexed patterns: run a big regex only where it can match.

Every match of a pattern built from word alternatives starts with one of a few literal
keys (`literal_keys`), and each key holds a run of word characters ("shot down" holds
"shot"). Such a run lies inside one whitespace-separated chunk of the text. So:

- each distinct chunk is read once per process (`VOCAB`, bounded): one bit per screen
  whose runs it contains, and where each indexed pattern's keys would start in it;
- a sentence's flags are the OR over its chunks (one dict lookup per word, in C);
- `Indexed.search` / `finditer` try `regex.match` only at the positions where a key's run
  sits in the sentence, in increasing order: the same matches as `regex.search` over the
  span, without scanning every position with a large alternation.

Patterns whose keys cannot be derived run as plain regexes (bit 0: always possible).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import reduce
from itertools import accumulate, compress
from operator import or_
from typing import TYPE_CHECKING, Iterable

from monitor.extract.firstchar import quick
from monitor.extract.patternkeys import anchored_keys, run_of

if TYPE_CHECKING:
    from monitor.extract.sentences import Sentence

_RUN = re.compile(r"\w+")
_CHUNK = re.compile(r"\S+")
_MAX_WORDS = 200_000  # bound of the chunk caches (memory stays flat on any input)


class _Vocab(dict):
    """Chunk -> bits of the screens it may pass (computed on first sight); `info` keeps,
    per chunk, (pattern id, key start relative to the chunk) pairs of indexed patterns.

    A screen's runs are of three kinds: `runs` (substrings of the chunk), `words` (a whole
    run of word characters in the chunk) and `prefixes` (the start of such a run)."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: dict[str, list[tuple[int, int]]] = {}  # substring -> (bit, offset in key)
        self.words: dict[str, list[tuple[int, int]]] = {}  # whole word run -> ...
        self.prefixes: dict[str, list[tuple[int, int]]] = {}  # start of a word run -> ...
        self.lengths: list[int] = []
        self.plengths: list[int] = []
        self.info: dict[str, tuple[tuple[int, int], ...]] = {}
        self.late_info: dict[str, tuple[tuple[int, int], ...]] = {}  # the same for `late` patterns
        self.indexed = 0  # bits of the indexed patterns (their entries give positions)
        self.late = 0  # bits of indexed patterns searched in few sentences: their positions apart
        self.exacts: list[tuple[int, int, re.Pattern[str]]] = []  # (bit, exact bit, regex)
        self.bits = 0
        self.generation = 0  # bumped by each registration: sentence flags made before are stale
        self.evictions = 0  # bumped when the bound empties the caches

    def register(self, runs: Iterable[tuple[str, str, int]], indexed: bool = False,
                 exact: re.Pattern[str] | None = None, late: bool = False) -> int:
        """A new bit for (kind, run, offset of the run in a match) triples; kind is "run",
        "word" or "prefix"; `indexed`: the offsets give match starts (Indexed). With
        `exact`, the next bit is set on chunks where that regex matches: a sentence holding
        such a chunk surely matches it (whitespace around a chunk is what \\b and the
        lookarounds see at its edges)."""
        bit = 1 << self.bits
        self.bits += 1 + bool(exact)
        if exact is not None:
            self.exacts.append((bit, bit << 1, exact))
        table = {"run": self.runs, "word": self.words, "prefix": self.prefixes}
        for kind, run, off in runs:
            entries = table[kind].setdefault(run, [])
            if (bit, off) not in entries:
                entries.append((bit, off))
        if indexed:
            self.indexed |= bit
            if late:  # kept in `late_info`: a sentence reads them only when such a pattern is searched
                self.late |= bit
        self.lengths = sorted({len(r) for r in self.runs})
        self.plengths = sorted({len(r) for r in self.prefixes})
        self.clear()
        self.info.clear()
        self.late_info.clear()
        self.generation += 1
        return bit

    def __missing__(self, chunk: str) -> int:
        bits, n, found = 0, len(chunk), []
        runs = self.runs
        for size in self.lengths:
            if size > n:
                break
            for i in range(n - size + 1):
                hit = runs.get(chunk[i : i + size])
                if hit:
                    found.extend((b, i - off) for b, off in hit)
        words, prefixes, plengths = self.words, self.prefixes, self.plengths
        for m in _RUN.finditer(chunk):
            w, i = m.group(), m.start()
            hit = words.get(w)
            if hit:
                found.extend((b, i - off) for b, off in hit)
            for size in plengths:
                if size > len(w):
                    break
                hit = prefixes.get(w[:size])
                if hit:
                    found.extend((b, i - off) for b, off in hit)
        info, late = [], []
        for b, start in found:
            bits |= b
            if b & self.indexed:
                (late if b & self.late else info).append((b.bit_length() - 1, start))
        for b, exact, rx in self.exacts:
            if bits & b and rx.search(chunk):
                bits |= exact
        if len(self) >= _MAX_WORDS:
            self.clear()
            self.info.clear()
            self.late_info.clear()
            self.evictions += 1
        self[chunk] = bits
        if info:
            self.info[chunk] = tuple(sorted(set(info), key=lambda x: x[1]))
        if late:
            self.late_info[chunk] = tuple(sorted(set(late), key=lambda x: x[1]))
        return bits


VOCAB = _Vocab()
flag_of = VOCAB.__getitem__
DIGIT_BIT = VOCAB.register(("run", d, 0) for d in "0123456789")


def flags(chunks: list[str]) -> int:
    # most chunks pass no screen: their zeros are dropped in C before the (big int) ORs
    return reduce(or_, filter(None, map(flag_of, chunks)), 0)


def gate(runs: Iterable[str] = (), words: Iterable[str] = ()) -> int:
    """A sentence-level screen: the bit of chunks holding one of `runs` (literals, as
    substrings) or one of `words` (whole runs of word characters)."""
    triples = [run_of(r, False) for r in runs] + [("word", w, 0) for w in words]
    return VOCAB.register(triples)


def candidates(s: Sentence, late: bool = False) -> dict[int, list[int]]:
    """Pattern id -> sorted positions in the sentence where one of its keys may start (of
    the `late` patterns with `late`)."""
    chunks = s.chunks
    if VOCAB.evictions != s.evictions:  # the bound dropped chunks read before: read them again
        flags(chunks)
    infos = list(map((VOCAB.late_info if late else VOCAB.info).get, chunks))
    if not any(infos):
        return {}
    f = s.folded
    out: dict[int, list[int]] = {}
    get = out.get
    lengths = list(accumulate(map(len, chunks), initial=0))
    if lengths[-1] + len(chunks) - 1 == len(f):  # single spaces: offsets from the lengths
        where = [(lengths[i] + i, infos[i]) for i in compress(range(len(chunks)), infos)]
    else:  # the chunk starts (\s is what str.split splits on)
        starts = [m.start() for m in _CHUNK.finditer(f)]
        where = [(starts[i], infos[i]) for i in compress(range(len(chunks)), infos)]
    for i, found in where:
        for pid, off in found:
            lst = get(pid)
            if lst is None:
                out[pid] = [i + off]
            else:
                lst.append(i + off)
    for lst in out.values():
        if len(lst) > 1:
            lst.sort()
    return out


class Indexed:
    """A regex searched only at the positions its literal keys allow (see module doc)."""

    __slots__ = ("rx", "bit", "pid", "pattern", "exact", "late")

    def __init__(self, rx: re.Pattern[str] | str, keys: list[str] | None = None,
                 runs: dict[str, set[int]] | None = None, whole: bool | str = False,
                 starts: list[tuple[str, str, int]] | None = None, late: bool = False) -> None:
        """`keys`: literals every match starts with (default: derived from the pattern),
        `whole`: each a whole word (True) or the start of one ("prefix"); `runs`: or
        directly, substrings every match holds -> their possible offsets; `starts`: or the
        (kind, run, offset) triples themselves (firstchar.start_runs). `late`: a pattern
        searched in few sentences, whose positions a sentence reads only when it is searched."""
        self.late = late
        self.rx = re.compile(rx) if isinstance(rx, str) else rx
        self.pattern = self.rx.pattern
        triples: list[tuple[str, str, int]] = [("run", r, o) for r, offs in (runs or {}).items() for o in offs]
        if keys is not None and whole:
            found = None
            triples += [("prefix" if whole == "prefix" else "word", k, 0) for k in keys]
        elif keys is not None:
            found: list[tuple[str, bool]] | None = [(k, False) for k in keys]
        else:
            found = None if runs else anchored_keys(self.pattern)  # type: ignore[assignment]
        try:
            triples += [run_of(k, a) for k, a in found or ()]
        except ValueError:  # a key without word characters: no screen
            triples = []
        if starts is not None:
            triples = list(starts)
        if triples:
            exact = None if any(x in self.pattern for x in ("$", "^", "(?<=", "\\A", "\\Z")) else self.rx
            self.bit = VOCAB.register(triples, indexed=True, exact=exact, late=late)
            self.pid = self.bit.bit_length() - 1
            self.exact = self.bit << 1 if exact is not None else 0
        else:  # no keys: searched over whole spans, so tried only where a match can start
            self.bit, self.pid, self.exact = 0, -1, 0
            self.rx = quick(self.rx)

    def test(self, s: Sentence, a: int = 0, b: int | None = None) -> bool:
        """Whether the pattern matches in the span (the whole sentence by default)."""
        fl = s.flags
        if not fl & self.bit:
            return not self.bit and self.rx.search(s.folded, a, len(s.folded) if b is None else b) is not None
        if fl & self.exact and not a and (b is None or b >= len(s.folded)):
            return True
        return self.search(s, a, b) is not None

    def possible(self, s: Sentence) -> bool:
        return not self.bit or bool(s.flags & self.bit)

    def _starts(self, s: Sentence, a: int, b: int) -> list[int]:
        lst = (s.late_candidates() if self.late else s.candidates()).get(self.pid)
        if not lst:
            return []
        if not a and b >= lst[-1] + 1:
            return lst
        i = bisect_left(lst, a)
        return lst[i : bisect_left(lst, b, i)]

    def search(self, s: Sentence, a: int = 0, b: int | None = None) -> re.Match[str] | None:
        f = s.folded
        if b is None:
            b = len(f)
        if not self.bit:
            return self.rx.search(f, a, b)
        if not s.flags & self.bit:
            return None
        key = (self.pid, a, b)
        memo = s.memo
        found = memo.get(key, memo)
        if found is not memo:
            return found
        match, found = self.rx.match, None
        for pos in self._starts(s, a, b):
            found = match(f, pos, b)
            if found:
                break
        memo[key] = found
        return found

    def finditer(self, s: Sentence, a: int = 0, b: int | None = None) -> list[re.Match[str]]:
        f = s.folded
        if b is None:
            b = len(f)
        if not self.bit:
            return list(self.rx.finditer(f, a, b))
        if not s.flags & self.bit:
            return []
        key = (~self.pid, a, b)
        memo = s.memo
        out = memo.get(key)
        if out is not None:
            return out
        out = []
        last, match = -1, self.rx.match
        for pos in self._starts(s, a, b):
            if pos < last:
                continue
            m = match(f, pos, b)
            if m:
                out.append(m)
                last = max(m.end(), pos + 1)
        memo[key] = out
        return out


class Screened:
    """A regex run (over the span) only in sentences that pass a screen of required
    literals: for patterns whose leading keys are common words ("the", "in") but which
    always hold a rarer one ("the latest attack" holds "attack")."""

    __slots__ = ("rx", "bit", "pid", "pattern")

    def __init__(self, rx: re.Pattern[str] | str, required: Iterable[str]) -> None:
        self.rx = re.compile(rx) if isinstance(rx, str) else rx
        self.pattern = self.rx.pattern
        self.rx = quick(self.rx)  # searched over whole spans: try it only where a match can start
        self.bit = gate(runs=required)
        self.pid = -1 - self.bit.bit_length()  # memo key space apart from Indexed ids

    def possible(self, s: Sentence) -> bool:
        return bool(s.flags & self.bit)

    def test(self, s: Sentence, a: int = 0, b: int | None = None) -> bool:
        return self.search(s, a, b) is not None

    def search(self, s: Sentence, a: int = 0, b: int | None = None) -> re.Match[str] | None:
        if not s.flags & self.bit:
            return None
        b = len(s.folded) if b is None else b
        key = (self.pid, a, b)
        memo = s.memo
        if key not in memo:
            memo[key] = self.rx.search(s.folded, a, b)
        return memo[key]

    def finditer(self, s: Sentence, a: int = 0, b: int | None = None) -> list[re.Match[str]]:
        if not s.flags & self.bit:
            return []
        b = len(s.folded) if b is None else b
        return list(self.rx.finditer(s.folded, a, b))
