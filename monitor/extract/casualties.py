"""Killed / injured counts in one sentence (folded text).

"Deux employés d'une compagnie d'énergie ont été tués", "two port workers were
injured", "killing six people and injuring 30", "one firefighter was injured", "a
41-year-old security guard was killed", "killing the driver", "Two passengers,
including a 16-year-old girl, were taken to hospital". Ages are never counts.
"""

from __future__ import annotations

import re

from monitor.extract.firstchar import quick
from monitor.extract.screen import gate
from monitor.extract.sentences import Sentence, as_sentence

_KILLED = r"tue(?:e|s|es)?|morts?|killed|dead|died|perished|decede\w*|ont peri|a peri|perdu la vie|lost (?:his|her|their) li(?:fe|ves)"
_INJURED = (
    r"blesse(?:e|s|es)?|injur(?:ed|ies|ing)|wounded|wounding|hurt|hospitali[sz](?:ed|ee?s?)|"
    r"taken to (?:a )?hospital|admitted to (?:a )?hospital|transporte\w* a l'hopital"
)
_INJURED_STATE = (r"blesse(?:e|s|es)?|injured|wounded|hurt|hospitali[sz](?:ed|ee?s?)|taken to (?:a )?hospital|"
                  r"admitted to (?:a )?hospital|transporte\w* a l'hopital|"
                  r"(?:treated|soigne(?:e|s|es)?) (?:for|pour) (?:\w+ ){0,2}?(?:wounds|injuries|blessures)")
# up to five words between the figure and the verb ("port workers", "employés d'une compagnie
# d'énergie"), never a weapon, an age, a conjunction or another figure
_W = r"(?!(?:drones?|missiles?|ans|years?|ages?|agee?s?|of|des|d'entre|and|et|or|ou|while|but|mais|with|avec|no|aucun)\b)[a-z][\w'-]*(?![\w'-])"
_AFTER_NUM = re.compile(
    rf"\s+(?:{_W}(?:\s+{_W}){{0,4}}?)?(?:\s*,[^,.;]{{0,45}},)?\s*(?:(?:ont|ont ete|a ete|were|have been|had been|was|sont|are|been|"
    rf"ont du etre|had to be|were later|were also)\s+)?"
    rf"(?:\w+ment\s+|also\s+|egalement\s+|later\s+|seriously\s+|slightly\s+|critically\s+)?"
    rf"(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED_STATE}))\b"
)
_VERB_BEFORE = quick(
    rf"\b(?:(?P<killed>killed|killing|kills?|tuant|a tue|ont tue|tue|tuent|faisant)|(?P<injured>injured|injuring|wounded|wounding|blessant|a blesse|ont blesse|left))\s+(?:au moins\s+|at least\s+|some\s+|quelque\s+)?$"
)
_PERSON = (
    r"personne|homme|femme|enfant|fillette|garcon|civile?|adolescente?|retraitee?|enseignante?|"
    r"habitante?|passante?|secouriste|pompier|policier|policiere|conducteur|conductrice|chauffeur|"
    r"passagere?|gardien|agent|employee?|ouvriere?|soldat|militaire|marin|pecheur|agriculteur|"
    r"man|woman|child|boy|girl|person|civilian|teenager|resident|rescuer|firefighter|officer|driver|"
    r"passenger|guard|worker|employee|soldier|serviceman|sailor|fisherman|farmer|pensioner|motorist"
)
_SINGLE = quick(
    rf"\b(?:(?:une?|a|an|one|the|le|la|l') (?:\w+ ){{0,2}}?(?:{_PERSON})|an elderly (?:man|woman)|"
    rf"an? \d+-year-old|une? \w+ (?:age |agee )?de \d+ ans)\b"
    rf"[^.;]{{0,60}}?\b(?:a ete|est|was|has been|had been|is)\s+(?:\w+\s+)?(?:(?P<killed>{_KILLED})|(?P<injured>{_INJURED}))\b"
)
# "killing the driver", "tuant le conducteur": one person
_VERB_ONE = quick(
    rf"\b(?:(?P<killed>killing|tuant)|(?P<injured>injuring|wounding|blessant))\s+(?:the|a|an|one|le|la|l'|une?)\s+"
    rf"(?:[\w'-]+\s+){{0,2}}?(?:{_PERSON})\b"
)
# "A man who was injured in the incident later died in hospital": one killed, not also one injured
_DIED_LATER = re.compile(
    r"[^.;,]{0,40}?\b(?:later died|died (?:later|in hospital|of (?:his|her) (?:wounds|injuries))|"
    r"succumbed|a succombe|est decede\w*|est mort\w*)\b")
# "Le nombre de blessés est passé de 41 à 48", "the death toll rose to 12": the figure it reached
_TOLL_TO = quick(
    r"\b(?:(?P<killed>nombre de (?:morts|tues|deces)|death toll|number of (?:dead|deaths|people killed))|"
    r"(?P<injured>nombre de blesses|number of (?:injured|wounded|people injured)))\b"
    r"[^.;]{0,40}?\b(?:a|to)\s+$")
_TOLL_GATE = gate(runs=["nombre", "number", "toll"])
_AGE = re.compile(r"\s*(?:ans\b|-year|years?\b)")
_DEATHS_AFTER = re.compile(r"\s+(?:morts?|victimes)")
_NONE_BEFORE = quick(r"\b(?:no|not|pas|aucun|l')\s*$")


# a casualty word must be there for any figure to be one
_GATE = gate(runs="tue tuant mort kill dead died perish dece peri perdu lost bless injur wound hurt hospital hopital".split())
# _SINGLE needs a person noun, "year" ("a 41-year-old") or "ans" as a whole word; _VERB_ONE its verb
_PERSON_WORDS = [w for alt in _PERSON.split("|") for w in ((alt[:-2], alt[:-1]) if alt.endswith("?") else (alt,))]
_SINGLE_GATE = gate(words=[*_PERSON_WORDS, "year", "ans"])
_VERB_ONE_GATE = gate(words="killing tuant injuring wounding blessant".split())


def find_casualties(x: Sentence | str, a: int = 0, b: int | None = None) -> tuple[int | None, int | None]:
    """(killed, injured) stated in a sentence (or its span a:b); the first figure of each kind wins."""
    s = as_sentence(x)
    if not s.flags & _GATE:
        return None, None
    folded = s.folded
    b = len(folded) if b is None else b
    killed: int | None = None
    injured: int | None = None
    for num in s.numbers():
        if not a <= num.start < b:
            continue
        if _AGE.match(folded, num.end) or _NONE_BEFORE.search(folded, max(0, num.start - 8), num.start):
            continue  # an age; "no one was hurt"
        m = _AFTER_NUM.match(folded, num.end, b)
        kind = None
        if m and not (num.is_word_one and folded[max(0, num.start - 2) : num.start] == "l'"):
            kind = "killed" if m.group("killed") or _DIED_LATER.match(folded, m.end()) else "injured"
        else:
            v = _VERB_BEFORE.search(folded, max(a, num.start - 40), num.start)
            if v:
                kind = "killed" if v.group("killed") else "injured"
                if v.group(0).startswith("faisant") and not _DEATHS_AFTER.match(folded, num.end):
                    kind = None
            elif s.flags & _TOLL_GATE and (t := _TOLL_TO.search(folded, max(a, num.start - 80), num.start)):
                kind = "killed" if t.group("killed") else "injured"
        if kind == "killed" and killed is None:
            killed = num.value
        elif kind == "injured" and injured is None:
            injured = num.value
    if killed is not None and injured is not None:
        return killed, injured  # the one-person patterns only fill a figure still missing
    for rx, bit in ((_SINGLE, _SINGLE_GATE), (_VERB_ONE, _VERB_ONE_GATE)):
        if not s.flags & bit:
            continue
        for m in rx.finditer(folded, a, b):
            if m.group("killed") and killed is None:
                killed = 1
            elif m.group("injured"):
                if _DIED_LATER.match(folded, m.end()):
                    killed = 1 if killed is None else killed  # "a man who was injured later died": killed
                elif injured is None:
                    injured = 1
    return killed, injured
