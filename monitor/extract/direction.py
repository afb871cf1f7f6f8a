"""Who attacked whom, read from one clause (folded text).

Explicit attacker cues ("drones ukrainiens", "Russia launched", "attribuées à Kiev")
win over reporter / target cues ("le ministère russe de la Défense", "Ukraine's air
force", "sur l'Ukraine"), which win over the country of the places named.
"""

from __future__ import annotations

import re

from monitor.extract.screen import Indexed, gate
from monitor.extract.sentences import Sentence, as_sentence

_W = r"(?:drones?|missiles?|frappes?|attaques?|bombardements?|raids?|strikes?|attacks?|shaheds?|engins(?: volants)?|aeronefs?|uavs?|tirs|salves?|vagues?|assauts?|offensive)"
_V = (r"(?:lance\w*|tire\w*|attaqu\w*|frapp\w*|vise\w*|bombarde\w*|pilonne\w*|launch\w*|fired|"
      r"attacked|struck|targeted|hit|pounded|unleashed|sent|envoye\w*|used|utilise\w*|cible\w*)")


# "attacks on the Russian capital": the adjective after a preposition of aim is the target
_NOT_AIM = r"(?!(?:on|sur|against|contre|over|at|into|toward|towards|vers|visant|targeting)\b)"


# "Ukraine says Russia fired ...": the verb belongs to the nearest side named before it
# nor past a passive auxiliary: "Energy facilities in Kyiv region were hit" names the target
_NOT_SIDE = r"(?!(?:russia|russie|moscou|moscow|kremlin|ukraine|kiev|kyiv|kiew|were|was|been|is|are|ete|est|sont|etaient|etait)\b)"


def _attacker(side_adj: str, side_nouns: str) -> re.Pattern[str]:
    # an adjective after the noun is French ("frappes russes"); in English the word after a verb
    # is its object ("Ukraine strikes Russian refinery")
    postposed = "|".join(a for a in side_adj.split("|") if not a.endswith("ian"))
    return re.compile(
        rf"\b{_W}\s+(?:{_NOT_AIM}\w+\s+){{0,3}}?(?:{postposed})\b"
        rf"|\b(?:{side_adj})(?:-launched)?\s+(?:\w+\s+){{0,2}}?{_W}"
        rf"|\b(?:lance|tire|envoye|launched|fired|sent)\w*\s+(?:par|by|from)\s+(?:{side_nouns})\b"
        rf"|\b(?:{side_nouns})\s+(?:{_NOT_SIDE}\w+\s+){{0,3}}?(?:a |ont |has |have |had |avait )?(?:de nouveau |again |also |egalement )?{_V}"
        r"\b(?!\s+(?:par|by)\b)"  # "Moscou visée par 20 drones": the passive names the target
        # headlines' present tense, right after the side: "Russia attacks Ukraine with 146 drones"
        rf"|\b(?:{side_nouns})\s+(?:again |also )?(?:attacks|strikes|targets|hits|pounds|bombards|shells|fires|sends)"
        r"\b(?!\s+(?:on|against|by|from|at)\b)"
        rf"|\b(?:attribuee?s?|attribue|attributed|blamed|imputee?s?)\s+(?:a|on|to)\s+(?:{side_nouns})\b"
    )


_ADJ_RU = r"russes?|russian"
_ADJ_UA = r"ukrainiens?|ukrainiennes?|ukrainian"
_N_RU = r"la russie|russia|moscou|moscow|les forces russes|l'armee russe|russian forces|the russian military|le kremlin|the kremlin"
_N_UA = r"l'ukraine|ukraine|kiev|kyiv|kiew|les forces ukrainiennes|l'armee ukrainienne|ukrainian forces|the ukrainian military"
_KEYS_RU = "russ|moscou|moscow|kremlin"
_KEYS_UA = "ukrain|kiev|kyiv|kiew"
ATTACKER = {"RU": Indexed(_attacker(_ADJ_RU, _N_RU)), "UA": Indexed(_attacker(_ADJ_UA, _N_UA))}

TARGET = {
    "RU": re.compile(
        # "Moscou affirme avoir abattu 117 drones", "Russia says it shot down 40 drones": the defender
        r"\b(?:moscou|la russie|russia|moscow|le kremlin|the kremlin)\s+(?:\w+\s+){0,2}?(?:affirme|dit|annonce|assure|"
        r"revendique|says?|said|claims?|claimed)\s+(?:avoir|it (?:had |has )?|to have)\s*(?:\w+\s+){0,2}?"
        r"(?:abattu|intercepte|detruit|neutralise|shot down|downed|intercepted|destroyed)|"
        r"defen[cs]es? (?:anti-?aeriennes?|aeriennes?) russes?|forces de defense antiaerienne russes|"
        r"russian (?:air[- ]defen[cs]es?|anti-aircraft)|(?:sur|contre|visant|vers) (?:la russie|le territoire russe|moscou)|"
        r"\b(?:on|against|at|targeting|into|over) (?:russia|russian territory|moscow)\b|\ben russie\b|\bin russia\b|"
        r"territoire russe|russian territory|espace aerien russe|russian airspace"
    ),
    "UA": re.compile(
        r"armee de l'air (?:ukrainienne|de l'ukraine)|force aerienne ukrainienne|forces aeriennes ukrainiennes|"
        r"ukrainian air force|ukraine's air force|air force of ukraine|\bthe air force\b|l'armee de l'air|"
        r"defen[cs]es? (?:anti-?aeriennes?|aeriennes?) (?:de l'ukraine|ukrainiennes?)|"
        r"ukrainian air[- ]defen[cs]es?|ukraine's air[- ]defen[cs]es?|(?:sur|contre|visant|vers) l'ukraine|"
        r"\b(?:on|against|at|targeting|into|over) ukraine\b|\ben ukraine\b|\bin ukraine\b|"
        r"\bkiev a (?:annonce|declare|affirme)|\bkyiv (?:said|says)|villes ukrainiennes|ukrainian cities|"
        r"regions ukrainiennes|ukrainian regions|espace aerien ukrainien|ukrainian airspace|"
        r"infrastructures? (?:energetiques? )?ukrainiennes?|ukrainian (?:energy|infrastructure|towns|villages)"
    ),
    "BY": re.compile(
        r"bielorussie|belarus\b|espace aerien bielorusse|belarusian (?:airspace|air defen[cs]e|military|defen[cs]e)|"
        r"\bbielorusse"
    ),
    "PL": re.compile(r"espace aerien polonais|polish airspace|\bpologne\b|\bpoland\b"),
}
# who reports: a Russian ministry or agency usually reports attacks on Russia, but also
# its own strikes ("its forces struck port infrastructure in Odesa"): places decide then
REPORTER = {
    "RU": re.compile(
        r"ministere (?:russe de la defense|de la defense russe|russe)|russian (?:defen[cs]e|defense) ministry|"
        r"russia's (?:defen[cs]e|defense) ministry|ministry of defen[cs]e of russia|\btass\b|ria novosti|"
        r"interfax|\bmoscou a (?:declare|annonce|affirme)|\bmoscow (?:said|says)|\bgouverneur russe|"
        r"russian governor"
    ),
}
_TARGET_KEYS = {"RU": _KEYS_RU, "UA": _KEYS_UA + "|air force|armee de l'air", "BY": "bielorus|belarus",
                "PL": "polonais|polish|pologne|poland"}
TARGET = {iso: Indexed(rx) for iso, rx in TARGET.items()}
REPORTER = {iso: Indexed(rx) for iso, rx in REPORTER.items()}
# a side can only be named where one of its words is: a screen in front of each side's patterns
_GATES = {iso: gate(runs=keys.split("|")) for iso, keys in _TARGET_KEYS.items()}
_REPORTER_GATE = gate(runs=(_KEYS_RU + "|tass|ria novosti|interfax").split("|"))
OPPOSITE = {"RU": "UA", "UA": "RU", "BY": "UA", "PL": "RU"}


def read_direction(x: Sentence | str, place_countries: list[str], a: int = 0,
                   b: int | None = None) -> tuple[str | None, str | None, bool]:
    """(attacker, target, explicit) for one clause (span a:b of a sentence); None where the
    clause does not say."""
    s = as_sentence(x)
    fl = s.flags
    att = {iso for iso, rx in ATTACKER.items() if fl & _GATES[iso] and rx.test(s, a, b)}
    tgt = {iso for iso, rx in TARGET.items() if fl & _GATES[iso] and rx.test(s, a, b)}
    places = set(place_countries)
    if not tgt and fl & _REPORTER_GATE:
        reported = {iso for iso, rx in REPORTER.items() if rx.test(s, a, b)}
        if reported and not (places and not places & reported):
            tgt = reported
    if len(tgt) > 1 and "BY" in tgt and not att - {"UA"}:
        tgt = {"BY"}
    if len(tgt) > 1 and "PL" in tgt:
        tgt = {"PL"}
    if len(att) == 1:
        a = next(iter(att))
        t = next(iter(tgt - {a}), None) if len(tgt - {a}) == 1 else None
        if t is None and len(places - {a}) == 1:
            t = next(iter(places - {a}))
        return a, t or OPPOSITE.get(a), True
    if len(tgt) == 1:
        t = next(iter(tgt))
        if len(att) > 1:
            return OPPOSITE.get(t), t, True
        return OPPOSITE.get(t), t, True
    if len(places) == 1 and not att:
        t = next(iter(places))
        return OPPOSITE.get(t), t, False
    return None, None, False
