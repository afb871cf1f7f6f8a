"""Numbers in folded (lowercase, accent-free) text: digits and French/English words.

Word sequences are converted with text2num ("sept" -> 7, "quatre-vingt-dix" -> 90,
"twenty-nine" -> 29). Approximate nouns count as their round value ("une trentaine
de" -> 30, "a dozen" -> 12); plural vague forms ("des dizaines", "dozens") are not
numbers. "un"/"une"/"one" alone are only returned when `allow_one` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import text2num

from monitor.extract.screen import Indexed
from monitor.extract.sentences import Sentence, as_sentence

_FR = (
    "zero un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
    "quinze seize vingt vingts trente quarante cinquante soixante cent cents mille"
).split()
_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand"
).split()
_FR_SET, _EN_SET = frozenset(_FR), frozenset(_EN)
_WORD = "(?:" + "|".join(sorted(set(_FR + _EN), key=len, reverse=True)) + ")"
_WORDS_RE = rf"{_WORD}(?:(?:-|\s+|-et-|\s+et\s+|\s+and\s+)(?={_WORD}\b){_WORD})*"
_APPROX = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "dozen": 12,
}
NUMBER_RE = re.compile(
    r"(?<![\w.,/-])(?P<digits>\d{1,3}(?:[ ,]\d{3})+|\d+)(?![\w-]|[.,]\d)"
    r"|(?:\bune?\s+|\ba\s+)(?P<approx>" + "|".join(_APPROX) + r")\b(?!s)(?:\s+(?:de|d'|of)\s*)?"
    rf"|\b(?P<words>{_WORDS_RE})\b"
)  # the reference form; scan_numbers runs its three branches as indexed patterns
_DIGITS = Indexed(r"(?<![\w.,/-])(?:\d{1,3}(?:[ ,]\d{3})+|\d+)(?![\w-]|[.,]\d)", keys=list("0123456789"),
                  whole="prefix")  # the first digit starts a run of word characters
_APPROX_AT = Indexed(
    r"(?:\bune?\s+|\ba\s+)(?P<approx>" + "|".join(_APPROX) + r")\b(?!s)(?:\s+(?:de|d'|of)\s*)?",
    runs={w: {2, 3, 4, 5} for w in _APPROX},
)
_WORDS_AT = Indexed(rf"\b{_WORDS_RE}\b", keys=sorted(set(_FR + _EN)), whole=True)
_SPLIT_RE = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Num:
    value: int
    start: int
    end: int
    is_word_one: bool = False  # "un", "une", "one": a determiner as often as a number


@lru_cache(maxsize=2048)
def words_to_int(phrase: str) -> int | None:
    """Convert a number-word phrase ("cinq cent trente-neuf") to an int, or None."""
    parts = [p for p in _SPLIT_RE.split(phrase) if p and p not in ("et", "and", "a")]
    if not parts:
        return None
    langs = ("fr", "en") if sum(p in _FR_SET for p in parts) >= sum(p in _EN_SET for p in parts) else ("en", "fr")
    for lang in langs:
        try:
            return int(text2num(phrase.replace(" a ", " "), lang))
        except (ValueError, TypeError):
            continue
    return None


def scan_numbers(s: Sentence) -> list[Num]:
    """All numbers of a sentence, "un" / "une" / "one" included, left to right."""
    out: list[Num] = []
    for m in _DIGITS.finditer(s):
        out.append(Num(int(m.group().replace(" ", "").replace(",", "")), m.start(), m.end()))
    approx = _APPROX_AT.finditer(s)
    for m in approx:
        out.append(Num(_APPROX[m.group("approx")], m.start(), m.end()))
    for m in _WORDS_AT.finditer(s):
        if any(x.start() <= m.start() < x.end() for x in approx):
            continue
        phrase = m.group()
        value = words_to_int(phrase)
        if value is not None:
            out.append(Num(value, m.start(), m.end(), is_word_one=phrase in ("un", "une", "one")))
    if len(out) > 1:
        out.sort(key=lambda n: n.start)
    if "douzaine" in s.folded or "dozen" in s.folded:
        out = [_dozens(s.folded, n) for n in out]
    return out


# "two dozen drones", "deux douzaines de drones": so many twelves ("dozens of" is no figure)
_DOZEN_AFTER = re.compile(r"\s+(?:dozen|douzaines?)\b(?:\s+(?:de|d'|of)\b\s*)?")


def _dozens(folded: str, n: Num) -> Num:
    m = _DOZEN_AFTER.match(folded, n.end)
    if m is None or n.is_word_one or n.value > 12:
        return n
    return Num(n.value * 12, n.start, m.end() - (len(m.group()) - len(m.group().rstrip())))


def find_numbers(x: Sentence | str, allow_one: bool = False) -> list[Num]:
    """All numbers in a sentence (or folded string), left to right."""
    nums = as_sentence(x).numbers()
    return nums if allow_one else [n for n in nums if not n.is_word_one]
