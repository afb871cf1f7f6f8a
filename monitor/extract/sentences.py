"""Paragraph, sentence and clause splitting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.extract.textnorm import fold, normalize_punct

_SENT_END = re.compile(r"(?<=[.!?\u2026])[\"\u00bb)\]]*\s+(?=[\"\u00ab(\[-]?\s*[A-Z\u00c0-\u00de\u0400-\u042f0-9])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\bM|\bMr|\bMrs|\bMs|\bDr|\bGov|\bGen|\bLt|\bCol|\bSt|\bSen|\bRep|\bJr|\bNo|"
    r"\bvs|\bMme|\bMM|\bPr|\bU\.S|\bU\.K|\bp|\bn°|\bcf|\bPres|\bSgt|\bCapt|\bAdm|\bMaj|\bRev)\.[\"\u00bb)\]]*$"
)
_CLAUSE = re.compile(
    r";|\s\u2014\s|\btandis que\b|\btandis qu'|\balors que\b|\balors qu'|\bwhile\b|\bwhereas\b|"
    r"\bmeanwhile\b|\bpar ailleurs\b|,\s*mais\b|,\s*but\b|,\s*as\b|,\s*after\b|,\s*apres\b"
)


@dataclass
class Sentence:
    text: str
    folded: str
    para: int
    index: int
    _clauses: list[tuple[int, int]] | None = field(default=None, repr=False, compare=False)

    def clauses(self) -> list[tuple[int, int]]:
        """(start, end) offsets of the clauses of this sentence (computed once)."""
        if self._clauses is None:
            self._clauses = self._split()
        return self._clauses

    def _split(self) -> list[tuple[int, int]]:
        cuts = [0]
        for m in _CLAUSE.finditer(self.folded):
            if m.start() > cuts[-1]:
                cuts.append(m.start())
        cuts.append(len(self.folded))
        return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


# "KIEV, 14 mai (AFP) - ", "MOSCOW/KYIV - ", "JEDDAH, Saudi Arabia (Reuters) - ": where the
# report was filed, not where anything happened
_DATELINE = re.compile(
    r"^[A-Z\u00c0-\u00de][A-Z\u00c0-\u00de'. /-]{2,40}(?:,[^-()\n]{0,30})?\s*(?:\([A-Za-z. ]{1,20}\))?\s*(?:-+|\u2014)\s+"
)


def strip_dateline(para: str) -> str:
    m = _DATELINE.match(para)
    return para[m.end() :] if m else para


def split_sentences(text: str) -> list[Sentence]:
    text = normalize_punct(text)
    out: list[Sentence] = []
    for p, para in enumerate(strip_dateline(x) for x in re.split(r"\n\s*", text) if x.strip()):
        pieces: list[str] = []
        last = 0
        for m in _SENT_END.finditer(para):
            chunk = para[last : m.start()]
            if _ABBREV.search(chunk):
                continue
            pieces.append(chunk)
            last = m.end()
        pieces.append(para[last:])
        for piece in pieces:
            piece = piece.strip()
            if piece:
                out.append(Sentence(piece, fold(piece), p, len(out)))
    return out
