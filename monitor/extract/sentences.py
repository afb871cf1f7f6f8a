"""Paragraph, sentence and clause splitting, and the per-sentence analysis cache.

The article is normalised and folded once; each `Sentence` holds slices of both and
computes, at most once, what several extractors need: its word-chunk flags (screen.py),
chunk offsets, clauses, places, numbers and actors. Strike and negotiation extraction
share them through the `Sentence` objects of one article (`s.places()`, `s.numbers()`,
`s.actors()`), so nothing is recomputed per extractor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from monitor.extract.firstchar import quick
from monitor.extract.screen import VOCAB, candidates, flags, gate
from monitor.extract.textnorm import fold, normalize_punct

if TYPE_CHECKING:
    from monitor.extract.numbers import Num
    from monitor.extract.places import PlaceMention

_SENT_END = re.compile(r"[.!?\u2026][\"\u00bb)\]]*\s+(?=[\"\u00ab(\[-]?\s*[A-Z\u00c0-\u00de\u0400-\u042f0-9])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\bM|\bMr|\bMrs|\bMs|\bDr|\bGov|\bGen|\bLt|\bCol|\bSt|\bSen|\bRep|\bJr|\bNo|"
    r"\bvs|\bMme|\bMM|\bPr|\bU\.S|\bU\.K|\bp|\bn°|\bcf|\bPres|\bSgt|\bCapt|\bAdm|\bMaj|\bRev|"
    # agency style dates: "on Sept. 7, 2025", "Dec. 24"
    r"\bJan|\bFeb|\bMar|\bApr|\bJun|\bJul|\bAug|\bSept?|\bOct|\bNov|\bDec|"
    r"\ba\.m|\bp\.m)\.[\"\u00bb)\]]*$"  # "at 2 a.m. Moscow time"
)
_CLAUSE = quick(
    r";|\s\u2014\s|\btandis que\b|\btandis qu'|\balors que\b|\balors qu'|\bwhile\b|\bwhereas\b|"
    r"\bmeanwhile\b|\bpar ailleurs\b|,\s*mais\b|,\s*but\b|,\s*as\b|,\s*after\b|,\s*apres\b"
)
_CLAUSE_GATE = gate(words="tandis alors while whereas meanwhile ailleurs mais but as after apres".split())
_PARA = re.compile(r"[^\S\n]*([^\n]*\S)")  # a non-blank line, leading blanks aside


class Sentence:
    """One sentence of an article: original and folded text, paragraph and position."""

    __slots__ = ("text", "folded", "chunks", "para", "index", "start", "flags", "_gen", "evictions", "_clauses",
                 "_cands", "_late", "_places", "_numbers", "_actors", "cache", "memo")

    def __init__(self, text: str, folded: str, para: int, index: int, start: int = 0) -> None:
        self.text = text
        self.folded = folded
        self.para = para
        self.index = index
        self.start = start  # offset in the article's normalised text
        self.chunks = folded.split()  # its whitespace-separated chunks, split once for every screen
        self.flags = flags(self.chunks)  # bits of the screens its chunks pass (screen.py)
        self._gen = VOCAB.generation
        self.evictions = VOCAB.evictions
        self._clauses: list[tuple[int, int]] | None = None
        self._cands: dict[int, list[int]] | None = None
        self._late: dict[int, list[int]] | None = None
        self.memo: dict[tuple[int, int, int], Any] = {}  # indexed pattern results (screen.py)
        self._places: list[PlaceMention] | None = None
        self._numbers: list[Num] | None = None
        self._actors: list[Any] | None = None
        self.cache: dict[str, Any] = {}  # free slot for other extractors' per-sentence results

    @classmethod
    def of(cls, folded: str) -> Sentence:
        """A stand-alone sentence over an already folded string (tests, helpers)."""
        return cls(folded, folded, 0, 0)

    def __repr__(self) -> str:
        return f"Sentence({self.index}, para={self.para}, {self.text[:40]!r})"

    def refresh(self) -> None:
        """Recompute the flags after a screen was registered (screens normally all register
        at import, before any sentence exists)."""
        self.flags, self._gen, self.evictions = flags(self.chunks), VOCAB.generation, VOCAB.evictions
        self._cands = self._late = None
        self.memo.clear()

    def clauses(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the clauses of this sentence (computed once)."""
        if self._clauses is None:
            f = self.folded
            if not self.flags & _CLAUSE_GATE and ";" not in f and "\u2014" not in f:
                self._clauses = [(0, len(f))] if f else []
            else:
                cuts = [0]
                for m in _CLAUSE.finditer(f):
                    if m.start() > cuts[-1]:
                        cuts.append(m.start())
                cuts.append(len(f))
                self._clauses = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
        return self._clauses

    def candidates(self) -> dict[int, list[int]]:
        """Indexed pattern id -> positions where its keys may start (screen.py), once."""
        if self._cands is None or self._gen != VOCAB.generation:
            if self._gen != VOCAB.generation:
                self.refresh()
            self._cands = candidates(self)
        return self._cands

    def late_candidates(self) -> dict[int, list[int]]:
        """The same for the `late` indexed patterns (screen.py), read on their first search."""
        if self._late is None or self._gen != VOCAB.generation:
            if self._gen != VOCAB.generation:
                self.refresh()
            self._late = candidates(self, late=True)
        return self._late

    def places(self) -> list[PlaceMention]:
        """Place mentions (places.find_places), computed once."""
        if self._places is None:
            from monitor.extract.places import find_places

            self._places = find_places(self)
        return self._places

    def numbers(self) -> list[Num]:
        """All numbers, "un/une/one" included (numbers.find_numbers), computed once."""
        if self._numbers is None:
            from monitor.extract.numbers import scan_numbers

            self._numbers = scan_numbers(self)
        return self._numbers

    def actors(self) -> list[Any]:
        """Negotiation actors (actors.find_actors), computed once."""
        if self._actors is None:
            from monitor.extract.actors import find_actors

            self._actors = find_actors(self.folded, self.text)
        return self._actors


def as_sentence(x: Sentence | str) -> Sentence:
    return x if isinstance(x, Sentence) else Sentence.of(x)


# "KIEV, 14 mai (AFP) - ", "MOSCOW/KYIV - ", "JEDDAH, Saudi Arabia (Reuters) - ": where the
# report was filed, not where anything happened
_DATELINE = re.compile(
    r"^[A-Z\u00c0-\u00de][A-Z\u00c0-\u00de'. /-]{2,40}(?:,[^-()\n]{0,30})?\s*(?:\([A-Za-z., ]{1,30}\))?\s*(?:-+|\u2014)\s+"
    # "MOSCOW, December 5. /TASS/. "
    r"|^[A-Z\u00c0-\u00de][A-Z\u00c0-\u00de'. -]{2,40},[^-()/\n]{0,30}/[A-Za-z-]{2,16}/\.?\s+"
    # "Kiev, 28 septembre (AFP) - ": a place in mixed case needs the agency to be a dateline
    r"|^[A-Z\u00c0-\u00de][\w'. /-]{2,40}(?:,[^-()\n]{0,30})?\s*\((?:AFP|Reuters|AP|dpa|ANSA|Ukrinform|UNIAN|"
    r"Interfax|TASS|Bloomberg)\)\s*(?:-+|\u2014)\s+"
)


_DATELINE_AT = re.compile(_DATELINE.pattern[1:].replace("|^", "|"))  # the same, matched at a paragraph start


def strip_dateline(para: str) -> str:
    m = _DATELINE.match(para)
    return para[m.end() :] if m else para


def split_sentences(text: str) -> list[Sentence]:
    text = normalize_punct(text)
    folded = fold(text)
    out: list[Sentence] = []
    for p, pm in enumerate(_PARA.finditer(text)):
        a, b = pm.span(1)
        d = _DATELINE_AT.match(text, a, b)
        if d:
            a = d.end()
        last = a
        for m in _SENT_END.finditer(text, a, b):
            end = m.start() + 1
            if _ABBREV.search(text, max(last, end - 10), end):
                continue
            _piece(text, folded, last, end, p, out)
            last = m.end()
        _piece(text, folded, last, b, p, out)
    return out


def _piece(text: str, folded: str, a: int, b: int, para: int, out: list[Sentence]) -> None:
    seg = text[a:b]
    piece = seg.strip()
    if piece:
        a += len(seg) - len(seg.lstrip())
        out.append(Sentence(piece, folded[a : a + len(piece)], para, len(out), a))
