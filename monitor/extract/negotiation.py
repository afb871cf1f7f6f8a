"""Negotiation events: calls, meetings, talks, summits, proposals, agreements.

A clause with a trigger that states news (talks_clause.py) and two or more parties
gives an event; the same set of parties in one article is one event (a call and a
meeting of the same parties are two). A clause that
names one side or none but refers back ("les deux dirigeants", "the talks", "the
Kremlin said the agreement ...") adds to the event it follows, and so does a
neighbouring sentence that opens with a party or an anaphor (its topics only).

- Hosts and mediators are not parties (talks_roles.py); "separate talks with Ukraine
  and Russia" gives one event per pair.
- Status: the first agreed/failed outcome stated for the event, else the status of its
  first mention (planned / held); topics from the event's sentences and follow-ups;
  places: the venue cities, a country only when no city is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor import gazetteer
from monitor.events import NegotiationEvent
from monitor.extract import lexicon as lx
from monitor.extract import talks_lexicon as L
from monitor.extract.actors import Actor, find_actors
from monitor.extract.firstchar import quick
from monitor.extract.sentences import Sentence, strip_dateline
from monitor.extract.talks_clause import (
    STRIKE_WORDS_AT,
    Mention,
    SentenceInfo,
    analyse,
    negative,
    search_at,
    sentence_topics,
    trigger_matches,
)
from monitor.extract.talks_gate import stems
from monitor.extract.talks_roles import CITY_ALIAS, HOST_CUE, HOST_GATE, hosts_of, is_country, subject_of
from monitor.extract.talks_topics import TOPIC_ORDER
from monitor.extract.talks_topics import possible as topics_possible
from monitor.extract.textnorm import normalize_punct
from monitor.gazetteer import canonical_place

_DECISIVE = ("agreed", "failed")
_SIDES = frozenset(("RU", "UA"))


@dataclass
class _Neg:
    parties: tuple[str, ...]
    form: str
    statuses: list[str | None] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    last: int = 0
    para: int = 0
    weak: bool = False  # form so far read from "discussed" only
    paras: list[int] = field(default_factory=list)

    def status(self) -> str | None:
        decisive = next((x for x in self.statuses if x in _DECISIVE), None)
        if self.final_form() == "proposal":
            return decisive  # a proposal is only accepted or rejected
        return decisive or next((x for x in self.statuses if x), None)

    def final_form(self) -> str:
        """The first mention's form; between meeting and talks, the one most mentions use. A
        plan worked on at talks that took place ("refined the peace framework after talks in
        Geneva") is those talks."""
        form = self.form
        if form == "proposal" and "held" in self.statuses:
            met = [f for f in self.forms if f in ("talks", "meeting", "summit")]
            form = max(met, key=met.count) if met else form
        if form not in ("meeting", "talks"):
            return form
        meeting, talks = self.forms.count("meeting"), self.forms.count("talks")
        if meeting == talks:
            return form
        return "meeting" if meeting > talks else "talks"

    def add_topics(self, topics: list[str]) -> None:
        self.topics += [t for t in topics if t not in self.topics]


# a date to come: "a summit in January 2026" is planned, not recalled
_TO_COME = quick(r"\b(?:will|would|shall|doit|doivent|devrai\w*|prevue?s?|planned|scheduled|next|prochaine?s?|"
               r"aura lieu|se tiendra|to be held|expected)\b")
_JOINED = quick(r"\b(?:joined|joins|a rejoint|ont rejoint|rejoindra\w*|took part in|takes part in|participated in|"
               r"a participe a|ont participe a|a pris part a|ont pris part a)\b")
_PRONOUN_SUBJECT = re.compile(r"\s*(il|elle|he|she)\b(?! (?:y a|faut|s'agit|est (?:prevu|question|possible)))")


class _Article:
    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.events: list[_Neg] = []
        self._actors: dict[int, list[Actor]] = {}
        self.hosts: set[str] = set()
        self.pending: tuple[Sentence, Mention, frozenset[str], SentenceInfo] | None = None
        self.stems = [stems(s.folded, s.chunks) for s in sentences]
        for s, pre in zip(sentences, self.stems):
            if HOST_GATE.possible(pre) and HOST_CUE.search(s.folded):
                self.hosts |= hosts_of(s.folded, self.actors(s))

    def actors(self, s: Sentence) -> list[Actor]:
        if s.index not in self._actors:
            self._actors[s.index] = self._with_pronoun_subject(s, find_actors(s.folded, s.text))
        return self._actors[s.index]

    def _with_pronoun_subject(self, s: Sentence, found: list[Actor]) -> list[Actor]:
        """"Friedrich Merz est arrivé à Kiev. Il s'est entretenu avec Volodymyr Zelensky": a sentence
        whose subject is "il" / "elle" / "he" / "she" has for subject the person the text was just
        about: the first person named by the nearest of the three sentences before it that names
        one, in its paragraph or the one before (a quote may stand between them)."""
        pronoun = _PRONOUN_SUBJECT.match(strip_dateline(s.folded))
        if pronoun is None:
            return found
        person = None
        for prev in reversed(self.sentences[max(0, s.index - 3) : s.index]):
            if s.para - prev.para > 1:
                break
            person = next((a for a in self.actors(prev) if a.person and not a.locative), None)
            if person is not None:
                break
        if person is None or any(a.iso == person.iso for a in found):
            return found
        at = s.folded.find(pronoun.group(1))
        return [Actor(person.iso, person.person, at, at + len(pronoun.group(1)), False), *found]

    def recent(self, s: Sentence, sentences: int = 5) -> list[_Neg]:
        return [e for e in self.events if s.index - e.last <= sentences and s.para - e.para <= 1]

    def read(self, s: Sentence) -> None:
        f = s.folded
        if s.text.rstrip(" \u00bb\"'\u201d").endswith("?"):
            return  # "Une rencontre entre Poutine et Zelensky est-elle envisageable ?": asked, not told
        if lx.dated_past(s) and not _TO_COME.search(f):
            return  # "Talks between Gazprom and Naftogaz went through several rounds in the autumn of 2019"
        pre = self.stems[s.index] if s.index < len(self.stems) else stems(f)
        found = trigger_matches(f, s) if L.TRIGGER_GATE.possible(pre) else []
        if not found:
            if self.events and topics_possible(pre) and not negative(f, pre, s):
                self.follow_up(s, pre)
            return
        if negative(f, pre, s):
            return
        actors = self.actors(s)
        info = analyse(f, actors, self.hosts, pre, found, s)
        if subject_of(f, actors) in self.hosts:
            # "Saudi Arabia, which hosted both rounds, has mediated ...": about the host; it
            # may report new talks but adds nothing to talks already reported
            info.topics = [] if self.events else info.topics
        used = False
        for m in info.mentions:
            for group in m.groups:
                used = self.place(s, m, group, info) or used
        if not used:
            self.follow_up(s, pre)

    def place(self, s: Sentence, m: Mention, group: frozenset[str], info: SentenceInfo) -> bool:
        if m.refers and group and _JOINED.search(s.folded):
            near = self.recent(s, 3)
            if near:  # "Giorgia Meloni joined the meeting by video link": one more party of those talks
                ev = near[-1]
                ev.parties = tuple(sorted(set(ev.parties) | group))
                ev.people += [p for p in m.people if p not in ev.people]
                self.attach(ev, s, m, info, full=False)
                return True
        if m.plural:
            near = self.recent(s)
            top = [e for e in near if e.last == max(x.last for x in near)] if near else []
            if len(top) > 1 and group <= set().union(*(e.parties for e in top)):
                for e in top:
                    self.attach(e, s, m, info, full=True)
                return True
        if m.multilateral or len(group) >= 2:
            key = tuple(sorted(group))
            ev = next((e for e in self.events if e.parties == key and _same_kind(e, m, s.folded)), None)
            # talks of two third countries belong to the war when the sentence names it, or when it
            # points back to talks this article reported ("to brief him on the discussions")
            if ev is None and not (group & _SIDES) and not info.war and not m.generic \
                    and not (self.events and m.anaphor):
                return False
            if ev is None and m.refers and not m.multilateral:
                near = [e for e in self.recent(s) if set(e.parties) <= group or group <= set(e.parties)]
                for e in near:
                    self.attach(e, s, m, info, full=True)
                if near:
                    return True
            if ev is None and m.generic:
                near = self.recent(s, 3)
                for e in near[-1:]:  # "... are expected to join the talks": the talks just reported
                    self.attach(e, s, m, info, full=False)
                return bool(near)
            if ev is None:
                ev = _Neg(key, m.form, weak=m.weak)
                self.events.append(ev)
            self.attach(ev, s, m, info, full=True)
            return True
        near = self.recent(s, 5 if m.anaphor else 3)
        if group:
            near = [e for e in near if group <= set(e.parties)]
            near = near if m.anaphor else near[-1:]
            if not near:
                return self.answer(s, m, group, info)
        elif not m.anaphor or not near:
            return False
        else:
            top = max(e.last for e in near)
            near = [e for e in near if e.last == top]
        for e in near:
            self.attach(e, s, m, info, full=m.anaphor)
        return bool(near)

    def answer(self, s: Sentence, m: Mention, group: frozenset[str], info: SentenceInfo) -> bool:
        """"Zelensky proposed an energy truce. The Kremlin rejected the offer.": a proposal
        by one side, answered by another in the next sentences, is one event."""
        if m.form == "proposal" and not m.anaphor:
            self.pending = (s, m, group, info)
            return False
        if self.pending is None or not m.anaphor or m.status not in _DECISIVE:
            return False
        ps, pm, pgroup, pinfo = self.pending
        if s.index - ps.index > 2 or pgroup == group:
            return False
        self.pending = None
        ev = _Neg(tuple(sorted(pgroup | group)), "proposal")
        self.events.append(ev)
        self.attach(ev, ps, pm, pinfo, full=True)
        self.attach(ev, s, m, info, full=True)
        return True

    def attach(self, ev: _Neg, s: Sentence, m: Mention, info: SentenceInfo, full: bool) -> None:
        ev.last, ev.para = s.index, s.para
        if s.para not in ev.paras:
            ev.paras.append(s.para)
        ev.add_topics(info.topics)
        if s.text not in ev.evidence:
            ev.evidence.append(s.text)
        if not full:
            return
        first = ev.status()
        ev.statuses.append(m.status)
        if ev.weak and not m.weak:
            ev.form, ev.weak = m.form, False
        if not m.weak:
            ev.forms.append(m.form)
        if not (m.status == "planned" and first not in (None, "planned")) and (
                m.form != "proposal" or ev.form == "proposal"):
            ev.places += [p for p in m.places if p not in ev.places]
        ev.people += [p for p in m.people if p not in ev.people]

    def follow_up(self, s: Sentence, pre: int) -> None:
        """Topics of a neighbouring sentence about the same meeting."""
        if not topics_possible(pre):
            return  # no topic to add
        near = self.recent(s, 4)
        if not near:
            return
        subject = subject_of(s.folded, self.actors(s))
        if subject is None or subject in self.hosts:
            return
        if subject == "*":
            top = max(e.last for e in near)
            targets = [e for e in near if e.last == top]
        else:
            targets = [e for e in near if subject in e.parties]
        if targets and search_at(STRIKE_WORDS_AT, L.STRIKE_WORDS_RE, s.folded, s) is None:
            found = sentence_topics(s.folded, pre, s)
            for e in targets:
                e.add_topics(found)


_FAMILY = {"call": "call", "meeting": "meet", "talks": "meet", "summit": "meet"}


_VAGUE = quick(r"\b(?:entretiens?|conversations?|echanges?)\b")
_IN_PERSON = quick(r"rencontr|reuni|sommet|summit|meeting|visite|tete-a-tete|face-a-face")


def _same_kind(ev: _Neg, m: Mention, folded: str) -> bool:
    """A phone call and a meeting of the same parties told in one article are two events
    ("the summit was cancelled the day after a Rubio-Lavrov call"); a mention that refers
    back ("cet échange", "the talks"), names no form of its own or only a vague one ("un
    entretien franc", which may be the call) joins the event."""
    a, b = _FAMILY.get(ev.form), _FAMILY.get(m.form)
    if m.weak or ev.weak:
        return True
    if m.refers:
        # "Putin and Trump spoke by phone. ... the presidents agreed that technical teams would meet in
        # Riyadh next week": the parties are the same, the planned meeting is another event
        return not (a and b and a != b and m.status == "planned" and ev.status() == "held")
    if _VAGUE.search(folded) and not _IN_PERSON.search(folded):
        return True
    return a is None or b is None or a == b


def _places(names: list[str]) -> list[str]:
    cities = [p for p in names if not is_country(p)]
    return cities or names[:1]


def _datelines(text: str) -> dict[int, str]:
    """Paragraph index -> the venue city of its dateline ("ISTANBUL (AP) -"), numbered as
    split_sentences numbers paragraphs."""
    out: dict[int, str] = {}
    paras = [x for x in re.split(r"\n\s*", normalize_punct(text)) if x.strip()]
    for p, para in enumerate(paras):
        line = para[: len(para) - len(strip_dateline(para))]
        if not line or "/" in line:
            continue
        name = canonical_place(re.split(r"[,(\-\u2014]", line, maxsplit=1)[0].strip())
        info = gazetteer.place_info(name) if name else None
        if info is not None and info.kind == "venue":
            out[p] = CITY_ALIAS.get(info.name, info.name)
    return out


def extract_negotiations(sentences: list[Sentence], text: str | None = None) -> list[NegotiationEvent]:
    """Negotiation events of an article's sentences. With the article `text`, talks held
    where the report is datelined ("ISTANBUL (AP) - ... talks ended") and naming no other
    venue get the dateline city."""
    art = _Article(sentences)
    for s in sentences:
        art.read(s)
    datelines = _datelines(text) if text and art.events else {}  # only events use them
    out = []
    for e in art.events:
        status = e.status()
        places = _places(e.places)
        form = e.final_form()
        lines = [datelines[p] for p in e.paras if p in datelines]
        if not places and lines and form in ("meeting", "talks", "summit") and status in ("held", "failed", "agreed"):
            places = lines[:1]
        out.append(NegotiationEvent(
            parties=list(e.parties), form=form, status=status,
            topics=[t for t in TOPIC_ORDER if t in e.topics], places=places,
            people=e.people, evidence=e.evidence[:3], confidence=0.8 if status else 0.65,
        ))
    return out
