"""Killed / injured counts in one sentence (folded text)."""

from __future__ import annotations

import re

from monitor.extract.numbers import find_numbers

_KILLED = r"tue(?:e|s|es)?|morts?|killed|dead|died|perished|decede\w*|ont peri|a peri|perdu la vie|lost (?:his|her|their) li(?:fe|ves)"
_INJURED = r"blesse(?:e|s|es)?|injur(?:ed|ies|ing)|wounded|wounding|hurt"
_NOUNS = (
    r"(?:(?:autres|other|more|further)\s+)?(?:personnes?|people|persons?|civils|civilians|habitants|residents|enfants|children|"
    r"adultes|adults|hommes|femmes|men|women|soldats|employes|employees|workers|ouvriers|"
    r"passants|pompiers|firefighters|secouristes|rescuers|policiers|others|autres)"
)
_AFTER_NUM = re.compile(
    rf"\s+(?:{_NOUNS}\s+)?(?:(?:ont|ont ete|a ete|were|have been|had been|was|sont|are|been)\s+)?"
    rf"(?:\w+ment\s+|also\s+|egalement\s+)?(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED}))\b"
)
_VERB_BEFORE = re.compile(
    rf"\b(?:(?P<killed>killed|killing|tuant|a tue|ont tue|tue|faisant)|(?P<injured>injured|injuring|wounded|wounding|blessant|a blesse|ont blesse|left))\s+(?:au moins\s+|at least\s+|some\s+|quelque\s+)?$"
)
_SINGLE = re.compile(
    r"\b(?:une personne|un homme|une femme|un enfant|une fillette|un garcon|un civil|une civile|"
    r"un adolescent|une adolescente|un retraite|une retraitee|une enseignante|un enseignant|"
    r"un habitant|une habitante|un passant|un secouriste|un pompier|un policier|a man|a woman|a child|"
    r"a boy|a girl|one person|a person|a civilian|a teenager|an elderly (?:man|woman)|a resident|"
    r"a rescuer|a firefighter|a police officer|an? \d+-year-old (?:man|woman|boy|girl|resident)|"
    r"(?:un homme|une femme|un garcon|une fille) (?:age|agee)? ?de \d+ ans)\b"
    rf"[^.;]{{0,60}}?\b(?:a ete|est|was|has been|had been|is)\s+(?:\w+\s+)?(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED}))\b"
)


def find_casualties(folded: str) -> tuple[int | None, int | None]:
    """(killed, injured) stated in a sentence; the first figure of each kind wins."""
    killed: int | None = None
    injured: int | None = None
    for num in find_numbers(folded, allow_one=True):
        m = _AFTER_NUM.match(folded, num.end)
        kind = None
        if m and not (num.is_word_one and not m.group(0).strip().startswith(("personne", "person"))):
            kind = "killed" if m.group("killed") else "injured"
        else:
            b = _VERB_BEFORE.search(folded, 0, num.start)
            if b and not _is_age(folded, num.end):
                kind = "killed" if b.group("killed") else "injured"
                if b.group(0).startswith("faisant") and not re.match(r"\s+(?:morts?|victimes)", folded[num.end:]):
                    kind = None
        if kind == "killed" and killed is None:
            killed = num.value
        elif kind == "injured" and injured is None:
            injured = num.value
    for m in _SINGLE.finditer(folded):
        if m.group("killed") and killed is None:
            killed = 1
        elif m.group("injured") and injured is None:
            injured = 1
    return killed, injured


def _is_age(folded: str, pos: int) -> bool:
    return bool(re.match(r"\s*(?:ans\b|-year|years?\b)", folded[pos:]))
