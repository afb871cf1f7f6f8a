"""Roles around a negotiation: hosts and mediators, venues, the sentence subject, anaphors.

- A host or mediator ("Saudi Arabia, which hosted both rounds", "sous l'égide de la
  Turquie", "UAE-mediated", "ouvertes par le ministre turc") is not a party unless it is
  one of only two sides ("Erdogan meets Zelensky in Ankara": TR + UA).
- The venue is the city after a place preposition ("à Riyad", "in the Saudi city of
  Jeddah", "au Kremlin" -> Moscow, "à la Maison Blanche" -> Washington).
- A sentence that opens with a party, an anaphor ("les deux dirigeants", "the talks")
  or is a party's quote can extend the topics of the event it follows.
"""

from __future__ import annotations

import re

from monitor import gazetteer
from monitor.extract.actors import DATIVE, HEAD_WORDS, Actor
from monitor.extract.firstchar import quick
from monitor.extract.talks_gate import Gated

_HOST_AFTER = re.compile(
    r"\b(?:hosted by|accueillie?s? par|organisee?s? par|organi[sz]ed by|sous l'egide (?:de|du|des|d')|"
    r"under the auspices of|mediated by|brokered by|with the mediation of|(?:avec|grace a) la mediation "
    r"(?:de|du|des|d')|mediation (?:de|du|des|d')|facilitated by|ouvertes? par|opened by|chaired by|presidee?s? par)\s*"
)
_HOST_BEFORE = re.compile(
    r"\b(?:accueill\w+|hosted|hosts|hosting|host|organise\w*|organi[sz]ed|mediated|a servi|served|sert|opened|"
    r"a ouvert|ouvre|inaugure\w*|chaired|preside\w*)\s+"
    r"(?:\w+\s+){0,2}?(?:talks|meetings?|rounds?|negotiations|summit|session|pourparlers|rencontres?|"
    r"reunions?|discussions|negociations|sommet|echanges|d'intermediaire|de mediateur|as (?:a )?mediator)\b|"
    r"\b(?:mediat(?:or|eur|rice)|intermediaire|pays hote|host country|hote des|host of)\b"
)
_OFFER = quick(r"(?:propose\w*|offert|offered|offers?|offre|prete?s?|ready|disposee?s?) (?:de |d'|a |to )$")
_HOST_ADJ = re.compile(
    r"\b(?:uae|turkish|saudi|qatari|swiss|emirati|vatican)-(?:mediated|brokered|hosted)\b|"
    r"\bmediation (?:turque|saoudienne|qatarie|emiratie|suisse|vaticane)\b"
)
_HOST_ADJ_ISO = {"uae": "AE", "emirati": "AE", "emiratie": "AE", "turkish": "TR", "turque": "TR",
                 "saudi": "SA", "saoudienne": "SA", "qatari": "QA", "qatarie": "QA", "swiss": "CH",
                 "suisse": "CH", "vatican": "VA", "vaticane": "VA"}
HOST_GATE = Gated(re.compile(""), "host accuei organi egide auspic mediat interm broker facili ouvert opened "
                  "chaire servi =sert =hote inaugu ouvre =preside =presidee =presidees =presided", auto=False)
HOST_CUE = re.compile("|".join(p.pattern for p in (_HOST_AFTER, _HOST_BEFORE, _HOST_ADJ)))


def hosts_of(folded: str, actors: list[Actor]) -> set[str]:
    """ISO codes named as host or mediator in one sentence."""
    out: set[str] = set()
    for m in _HOST_AFTER.finditer(folded):
        nxt = [a for a in actors if m.end() <= a.start <= m.end() + 50]
        if nxt:
            out.add(nxt[0].iso)
    for m in _HOST_BEFORE.finditer(folded):
        if _OFFER.search(folded[max(0, m.start() - 30) : m.start()]):
            continue  # "proposé d'accueillir": an offer, not a host of these talks
        prev = [a for a in actors if a.end <= m.start() and m.start() - a.end <= 80 and not a.locative]
        if prev:
            out.add(prev[-1].iso)
    for m in _HOST_ADJ.finditer(folded):
        word = re.split(r"[- ]", m.group())[0 if "-" in m.group() else 1]
        if word in _HOST_ADJ_ISO:
            out.add(_HOST_ADJ_ISO[word])
    return out


_VENUE_BEFORE = re.compile(
    r"(?:\b(?:a|en|au|aux|in|at|dans|near|pres de|outside|devant)\s+(?:la\s+|le\s+|l'|the\s+)?|"
    r"\b(?:city|ville|capital|capitale|resort|station balneaire|base militaire|military base) (?:of|de|d')\s*|"
    r"\b(?:talks|summit|sommet|pourparlers|meeting) (?:in|a)\s+)$"
)
_CAPITALS_EN = {
    "saudi": "Riyadh", "turkish": "Ankara", "emirati": "Abu Dhabi", "qatari": "Doha", "russian": "Moscow",
    "ukrainian": "Kyiv", "french": "Paris", "british": "London", "german": "Berlin", "hungarian": "Budapest",
    "italian": "Rome",
}
_CAPITALS_FR = {
    "saoudienne": "Riyadh", "turque": "Ankara", "emiratie": "Abu Dhabi", "qatarie": "Doha", "russe": "Moscow",
    "ukrainienne": "Kyiv", "francaise": "Paris", "britannique": "London", "allemande": "Berlin",
    "hongroise": "Budapest", "italienne": "Rome",
}
_CAPITALS = {**_CAPITALS_EN, **_CAPITALS_FR}
_CAPITAL_RE = quick(
    rf"\b(?:(?:in|at) the (?P<en>{'|'.join(_CAPITALS_EN)}) capital|(?:a|dans) la capitale "
    rf"(?P<fr>{'|'.join(_CAPITALS_FR)}))\b"
)
_PALACE_RE = quick(r"\b(?:au|at the|in the|inside the) kremlin\b|\b(?:a l'|at the )elysee\b|\bdowning street\b")
_PALACE_CITY = {"kremlin": "Moscow", "elysee": "Paris", "downing": "London"}
CITY_ALIAS = {"White House": "Washington"}
_SOURCE_AFTER = re.compile(r"\S+ (?:a|ont|has|have) (?:annonce|indique|said|affirme|declare)")


_VENUE_AT = quick(
    r"\b(?:a|en|au|aux|in|at|dans|near|pres de|outside|devant)\s+(?:la\s+|le\s+|l'|the\s+)?|"
    r"\b(?:city|ville|capital|capitale|resort|station balneaire|base militaire|military base) (?:of|de|d')\s*"
)
_WORD = re.compile(r"\w+(?:-\w+)*")


def venues(folded: str) -> list[tuple[str, int]]:
    """Venue places named in a sentence: (canonical name, position)."""
    out: list[tuple[str, int]] = []
    first, longest = gazetteer.first_words(), gazetteer.max_alias_words()
    for m in _VENUE_AT.finditer(folded):
        head = _WORD.search(folded, m.end(), m.end() + 60)  # the first word after the preposition
        if head is None or head.group() not in first:
            continue  # no place name starts there (most prepositions)
        if DATIVE.search(folded, max(0, m.start() - 30), m.end()):
            continue  # "a proposé à Kiev": the addressee, not the venue
        found = list(_WORD.finditer(folded, m.end(), m.end() + 60))[:longest]
        words = [w.group() for w in found]
        for size in range(len(words), 0, -1):
            hit = gazetteer.lookup(tuple(words[:size]))
            if hit is not None:
                if folded.startswith(("'s ", "\u2019s "), found[size - 1].end()):
                    break  # "at Washington's request": whose request, not where
                if hit.bare not in ("Ukraine", "Russia") and not _SOURCE_AFTER.match(folded, m.end()):
                    out.append((CITY_ALIAS.get(hit.bare, hit.bare), m.end()))
                break
    for m in _CAPITAL_RE.finditer(folded):
        out.append((_CAPITALS[m.group("en") or m.group("fr")], m.start()))
    for m in _PALACE_RE.finditer(folded):
        key = next(k for k in _PALACE_CITY if k in m.group())
        out.append((_PALACE_CITY[key], m.start()))
    return out


def is_country(name: str) -> bool:
    info = gazetteer.place_info(name)
    return info is not None and info.kind == "country"


def venue_country(name: str) -> str | None:
    return gazetteer.place_country(name)


PARTY_ANAPHOR_RE = quick(
    r"\b(?:les deux (?:dirigeants|presidents|hommes|parties|camps|delegations|chefs d'etat|ministres|pays|equipes)|"
    r"the two (?:leaders|presidents|men|sides|delegations|countries|ministers|teams)|both (?:sides|leaders|"
    r"delegations|presidents|countries)|les delegations|the delegations|the leaders|under the deals?)\b"
)
ANAPHOR_RE = quick(
    r"\b(?:les deux (?:dirigeants|presidents|hommes|parties|camps|delegations|chefs d'etat|ministres|pays|equipes)|"
    r"the two (?:leaders|presidents|men|sides|delegations|countries|ministers|teams)|both (?:sides|leaders|"
    r"delegations|presidents|countries)|les delegations|the delegations|the leaders|under the deals?|"
    r"(?:la|le|les|l'|cette|cet|ce|ces|the|this|that|these|those) (?:\w+ )?(?:rencontres?|reunions?|entretiens?|"
    r"appels?|conversations?|sommets?|discussions?|pourparlers|negociations|talks|meetings?|calls?|summits?|"
    r"negotiations|deals?|agreements?|accords?|statements?|communique|readout|compte-rendu|sessions?|rounds?))\b"
)
# one reference to several events: "under the deals", "les deux accords", "both meetings"
PLURAL_ANAPHOR_RE = quick(
    r"\b(?:(?:under )?the (?:two |separate )?(?:deals|agreements|accords)|les (?:deux )?accords|both (?:deals|agreements|"
    r"meetings|rounds|calls)|ces (?:deux )?(?:accords|rencontres|reunions|entretiens)|these (?:deals|agreements|meetings))\b"
)
_SPEAKER_RE = quick(
    r"(?:,|\u00bb|\") (?:a|ont) (?:declare|indique|ecrit|precise|affirme|souligne|ajoute|estime|annonce|"
    r"assure|reconnu)\s+|\b(?:said|told|wrote|added)\b"
)
# what may stand before the opening actor: a short adverbial, titles, articles
_OPENING = re.compile(
    r"^[\s\-\u2014]*(?:(?:[\w'-]+ ){0,3}[\w'-]+, )?(?:(?:le|la|les|l'|the|m\.|mr\.?|mme|mrs\.?|ms\.?|premier|prime|"
    r"of|state|de|du|d'|des|affaires|etrangeres|a|et|and|spokes(?:man|woman|person)|porte-parole|speciale?|"
    r"\d{1,2}h\d\d|-|" + "|".join(sorted(HEAD_WORDS)) + r")\s*)*$"
)
_PRONOUN = re.compile(r"[\s\"]*(?:il|elle|he|she|ils|they)\b(?! (?:y a|faut|est (?:probable|possible)))")
_SOURCE_RE = quick(r"\b(?:selon|according to|d'apres|cite par|quoted by)\s+$")


def is_source(folded: str, actor: Actor) -> bool:
    """"Selon Kiev", "according to the Kremlin": the source of a report, not a party."""
    return bool(_SOURCE_RE.search(folded[max(0, actor.start - 20) : actor.start]))


def subject_of(folded: str, actors: list[Actor]) -> str | None:
    """ISO code of the sentence's opening actor or its speaker; '*' for an anaphor."""
    if _PRONOUN.match(folded):
        return "*"
    m = ANAPHOR_RE.search(folded, 0, 60)
    first = next((a for a in actors if not a.locative and not is_source(folded, a)), None)
    if m and (first is None or m.start() < first.start):
        return "*"
    if first is not None and _OPENING.match(folded[: first.start]):
        return first.iso
    for sm in _SPEAKER_RE.finditer(folded):
        if sm.group().startswith(("said", "told", "wrote", "added")):
            prev = [a for a in actors if a.end <= sm.start() and sm.start() - a.end <= 25]
            if prev:
                return prev[-1].iso
        else:
            nxt = [a for a in actors if sm.end() <= a.start <= sm.end() + 12]
            if nxt:
                return nxt[0].iso
    return None


# ", a déclaré le président russe dans une allocution au Kremlin": where it was said
_SPEECH_AFTER = quick(
    r"(?:,|\u00bb|\") (?:a|ont|avait) (?:\w+ )?(?:declare|indique|ecrit|precise|affirme|souligne|ajoute|estime|"
    r"annonce|assure|reconnu|dit|explique)\b|\b(?:said|told|wrote|added)\b"
)
# "depuis le retour du républicain à la Maison Blanche": no venue in a "since" phrase
_SINCE = quick(r"\b(?:depuis|since)\b")


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(x <= pos < y for x, y in spans)


def _comma(f: str, start: int, end: int) -> int:
    i = f.find(",", start, end)
    return i if i >= 0 else end


def clause_venues(f: str, a: int, b: int, trigs: list[int], blocked: list[tuple[int, int]],
                  found: list[tuple[str, int]]) -> list[str]:
    """Venues of one clause: near a trigger, not in the speaker's frame or a "since" phrase."""
    frame = _SPEECH_AFTER.search(f, trigs[0], b)
    cut = frame.start() if frame and not any(t > frame.start() for t in trigs) else b
    since = [(m.start(), _comma(f, m.end(), b)) for m in _SINCE.finditer(f, a, b)]
    out: list[str] = []
    for name, pos in found:
        near = any(-80 <= pos - t <= 120 for t in trigs)
        if a <= pos < cut and near and not _inside(pos, blocked + since) and name not in out:
            out.append(name)
    return out
