"""Negotiation events: calls, meetings, talks, summits, proposals, agreements.

A sentence (or clause) with a negotiation trigger and at least two parties (ISO codes
of the people, governments or delegations acting) gives an event, unless it is
speculation, rhetoric, a labour / trade / sport negotiation or a parliament vote.
Events with the same set of parties in one article are one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.events import NegotiationEvent
from monitor.extract.actors import find_actors
from monitor.extract.places import find_places
from monitor.extract.sentences import Sentence
from monitor.extract.textnorm import guard

_FORMS = [
    ("call", r"appels? telephoniques?|entretiens? telephoniques?|conversations? telephoniques?|"
             r"echanges? telephoniques?|par telephone|au telephone|(?:tele)?phone calls?|calls? (?:with|between)|"
             r"phone conversations?|telephone conversations?|spoke (?:by phone |on the phone )?(?:with|to)|"
             r"a telephone|ont telephone|phoned|telephoned|appels? (?:avec|entre)|\bappele\b|s'est entretenu par"),
    ("summit", r"sommets?|summits?"),
    ("meeting", r"rencontres?|rencontrer|rencontre|reunions?|meetings?|\bmet\b|\bmeet\b|\bmeets\b|"
                r"tete-a-tete|entrevues?|face-a-face|recevra|a recu|received|hosted|accueilli"),
    ("talks", r"pourparlers|negociations?|negocier|negocie|discussions?|discute|discuter|talks|"
              r"negotiations?|negotiat\w+|dialogue|s'est entretenu|se sont entretenus|held talks"),
    ("agreement", r"accords?|agreements?|\bdeal\b|agreed|se sont mis d'accord|ont convenu|sont convenus"),
    ("proposal", r"propositions?|proposals?|propose\w*|plan de paix|peace plan|plan en \d+ points|"
                 r"\d+-point plan|offre|offered|offer"),
    ("statement", r"declaration commune|joint statement|communique commun|communique conjoint"),
]
_FORM_RES = [(f, re.compile(rf"\b(?:{p})")) for f, p in _FORMS]
_TRIGGER = re.compile("|".join(rf"\b(?:{p})" for _, p in _FORMS))
_STATUS = {
    "failed": re.compile(
        r"infructueu\w*|echoue\w*|\bechec\b|aucun progres|sans (?:aucun )?progres|no progress|"
        r"\bfailed\b|collapsed|fell apart|ended without|sans resultat|sans accord|without (?:an? )?"
        r"(?:agreement|deal|breakthrough)|no (?:agreement|deal|breakthrough)|dans l'impasse|deadlock|"
        r"stalled|rompu\w*|rejete\w*|rejected|refuse\w*|refused|turned down|broke down|tourne court"),
    "agreed": re.compile(
        r"accord (?:a ete )?(?:conclu|trouve|signe)|ont conclu|ont signe|ont convenu|sont convenus|"
        r"\bagreed\b|reached (?:an? )?(?:agreement|deal)|\bsigned\b|se sont mis d'accord|accepted|"
        r"accepte\w*|approuve\w*|approved|ont trouve un accord|parvenus? a un accord"),
    "planned": re.compile(
        r"\bprevue?s?\b|doit (?:se )?(?:rencontrer|avoir lieu|tenir|rendre|s'entretenir)|doivent|devrai\w*|"
        r"\bva\b|\bvont\b|\bwill\b|would (?:travel|meet|hold|take place)|upcoming|scheduled|planned|"
        r"next week|la semaine prochaine|prochaine?s?\b|a venir|expected to|se rendront|se rendra|"
        r"se rendant|compte (?:rencontrer|s'entretenir)|plans? to|is set to|are set to|to be held|"
        r"aura lieu|auront lieu|se tiendra|invite\w*|annonce (?:une|un) (?:rencontre|sommet)|"
        r"\bsoon\b|bientot|prepar\w+"),
}
_TOPICS = [
    ("energy_truce", r"(?:treve|truce|moratoire|moratorium|cessez-le-feu|ceasefire|pause)\s+(?:\S+\s+){0,4}?"
                     r"(?:energeti\w+|energy)|energy (?:truce|ceasefire|infrastructure)|"
                     r"(?:infrastructures?|installations?|sites?) energeti\w+"),
    ("ceasefire", r"cessez-le-feu|ceasefire|cease-fire|\btreve\b|\btruce\b|arret des combats|armistice|"
                  r"halt (?:to )?(?:the )?fighting"),
    ("peace_plan", r"plan de paix|peace plan|plan (?:de paix )?en \d+ points|\d+-point (?:peace )?plan|"
                   r"accord de paix|peace (?:deal|agreement|framework|proposal|settlement|accord)|"
                   r"traite de paix|peace treaty|reglement (?:politique|de paix)|settlement"),
    ("prisoner_exchange", r"prisonniers|prisoners?|\bpows?\b|captives|echange de corps|bodies"),
    ("black_sea", r"mer noire|black sea"),
    ("territory", r"territor\w+|donbass?|concessions territoriales|land swap|echange de territoires|"
                  r"ligne de front|front line|annex\w+|frontieres?"),
    ("security_guarantees", r"garanties? de securite|security guarantees?|garanties securitaires|"
                            r"reassurance|article 5"),
    ("sanctions", r"sanctions?"),
]
_TOPIC_RES = [(t, re.compile(rf"\b(?:{p})")) for t, p in _TOPICS]
_SPECULATION = re.compile(
    r"\bpourrai\w*|\bpourront\b|\bcould\b|\bmight\b|futures? (?:negociations|pourparlers|discussions)|"
    r"future (?:talks|negotiations)|eventuel\w*|potentiel\w*|\bpotential\b|hypothetical|"
    r"\bsi (?:des|les) (?:negociations|pourparlers)|\bif (?:talks|negotiations)|ouverts? a|open to|"
    r"prets? a (?:negocier|discuter|rencontrer)|ready to|willing to|\bhopes?\b|espere|souhaite|"
    r"en position de force|position of strength|paix par la force|peace through strength|"
    r"\bsi\b.*\bnegoci|\bwould\b(?! travel| meet| hold| take place)"
)
_NEGATIVE = re.compile(
    r"\bgreve|walkout|syndica\w*|\bunions?\b|salari\w*|\bwage|salaires?|\bpay (?:talks|deal|rise)|"
    r"dockworkers|dockers|controleurs aeriens|air traffic controllers|"
    r"\bmatch\b|football|tennis|championnat|league|ligue|entraineur|\bcoach|transfert|joueur|player|"
    r"\bclub\b|commerci\w+|\btrade\b|tarif\w*|tariffs?|douane|customs|"
    r"resolution|parlement|parliament|deputes|lawmakers|assemblee nationale|\bvote\b|\bvoted\b|"
    r"congres|congress|senat|senate|strike a deal|contrat|contract"
)
_SPECULATION, _NEGATIVE = guard(_SPECULATION), guard(_NEGATIVE)
_HELD_DEFAULT = {"call", "meeting", "talks", "summit"}


@dataclass
class _Neg:
    parties: tuple[str, ...]
    form: str
    status: str | None
    topics: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    last: int = 0


def _form(text: str) -> str | None:
    for form, rx in _FORM_RES:
        if rx.search(text):
            return form
    return None


def _status(text: str, form: str) -> str | None:
    if _STATUS["failed"].search(text):
        return "failed"
    if form in ("agreement", "proposal") and _STATUS["agreed"].search(text):
        return "agreed"
    if _STATUS["planned"].search(text):
        return "planned"
    if _STATUS["agreed"].search(text):
        return "agreed"
    return "held" if form in _HELD_DEFAULT else None


def _topics(text: str) -> list[str]:
    found = [t for t, rx in _TOPIC_RES if rx.search(text)]
    if "energy_truce" in found and "ceasefire" in found:
        rest = _TOPIC_RES[0][1].sub(" ", text)
        if not _TOPIC_RES[1][1].search(rest):
            found.remove("ceasefire")
    return found


_GATE = frozenset(
    "appel entre telep phone call calls spoke somme summi renco reuni meeti met meet meets tete- "
    "entre face- recev recu recei hoste accue pourp negoc discu talks negot dialo accor agree deal "
    "se conve propo plan offre offer decla joint commu".split()
)


def _gated(folded: str) -> bool:
    """Cheap test: could this sentence contain a negotiation trigger?"""
    return not _GATE.isdisjoint(w[:5] for w in folded.split())


def extract_negotiations(sentences: list[Sentence]) -> list[NegotiationEvent]:
    events: list[_Neg] = []
    for s in sentences:
        f = s.folded
        if not _gated(f) or not _TRIGGER.search(f):
            _extend_topics(events, s)
            continue
        if _NEGATIVE.search(f) or _SPECULATION.search(f):
            continue
        actors = [a for a in find_actors(f) if not a.locative]
        for a, b in s.clauses():
            clause = f[a:b]
            form = _form(clause)
            if form is None:
                continue
            parties = {x.iso for x in actors if a <= x.start < b}
            if len(parties) < 2 and actors:
                parties.add(actors[0].iso)  # the sentence subject: "after talks with Kiev"
            if len(parties) < 2:
                _extend_topics(events, s)
                continue
            if not parties & {"RU", "UA"} and not _topics(f):
                continue
            key = tuple(sorted(parties))
            places = [p.name for p in find_places(clause)
                      if p.venue and not p.actor and p.name not in ("Ukraine", "Russia")]
            people = [x.person for x in actors if x.person and x.iso in parties]
            ev = next((e for e in events if e.parties == key), None)
            if ev is None:
                ev = _Neg(key, form, _status(clause, form))
                events.append(ev)
            elif ev.status is None:
                ev.status = _status(clause, form)
            ev.last = s.index
            for t in _topics(f):
                if t not in ev.topics:
                    ev.topics.append(t)
            for p in places:
                if p not in ev.places:
                    ev.places.append(p)
            for p in people:
                if p not in ev.people:
                    ev.people.append(p)
            if s.text not in ev.evidence:
                ev.evidence.append(s.text)
    return [
        NegotiationEvent(
            parties=list(e.parties), form=e.form, status=e.status, topics=e.topics,
            places=e.places, people=e.people, evidence=e.evidence[:3],
            confidence=0.8 if e.status else 0.65,
        )
        for e in events
    ]


def _extend_topics(events: list[_Neg], s: Sentence) -> None:
    """Topics of a follow-up sentence close to the latest event (same subject)."""
    if not events:
        return
    ev = max(events, key=lambda e: e.last)
    if s.index - ev.last > 3:
        return
    parties = {a.iso for a in find_actors(s.folded) if not a.locative}
    if parties and not parties <= set(ev.parties):
        return
    if not parties and not _TRIGGER.search(s.folded):
        return
    if _SPECULATION.search(s.folded) and not _TRIGGER.search(s.folded):
        return
    for t in _topics(s.folded):
        if t not in ev.topics:
            ev.topics.append(t)
