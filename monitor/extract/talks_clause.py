"""One sentence read for negotiations: its clauses, valid triggers, parties, status, topics.

A trigger counts only where it states news: not under speculation ("pourrait",
"could", "si"), an appeal ("called for talks", "presses Moscow to accept"), a negation
("toute discussion", "neither meeting"), a vague future ("upcoming meetings") or a
background reference ("les pourparlers de 2022", "the Minsk agreements").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.extract import talks_lexicon as L
from monitor.extract.actors import Actor
from monitor.extract.firstchar import quick, start_runs
from monitor.extract.screen import VOCAB, Indexed, gate
from monitor.extract.sentences import Sentence
from monitor.extract.talks_gate import Gated
from monitor.extract.talks_roles import (
    PARTY_ANAPHOR_RE,
    PLURAL_ANAPHOR_RE,
    clause_venues,
    is_source,
    venue_country,
    venues,
)
from monitor.extract.talks_sides import reported, split_separate
from monitor.extract.talks_status import clause_status
from monitor.extract.talks_topics import possible as topics_possible, topics

_CLAUSE_RE = quick(
    r";|\s[\u2014-]\s|,\s*(?:mais\b|but\b|as\b(?! well)|(?:(?:a|one|un|two|deux|hours|heures|shortly|peu|quelques) "
    r"(?:\w+ )?)?(?:after|apres|following|before|avant)\b|la veille\b|le lendemain\b|a qui\b|to whom\b)|"
    r"\b(?:tandis qu|alors qu|while\b|whereas\b|meanwhile\b|par ailleurs\b)|"
    r"(?:,\s*)?\b(?:puis|then|et ensuite|and then|ensuite|later) (?:avec|with)\b|"
    # "Macron s'est entretenu avec Zelensky, le Kremlin rejette une trêve": a second subject
    r",\s*(?=(?:le|the) (?:kremlin|white house|maison blanche|elysee)\b)|"
    # "... spoke by phone on Wednesday, and U.S. envoy Steve Witkoff will travel to Moscow": a new subject
    r",\s*(?:and|et)\s+(?=(?:[\w.'-]+\s+){1,4}?(?:will|would|is|was|has|had|va|doit|devrait|sera)\b)"
)
# "avec Vladimir Poutine, puis avec Volodymyr Zelensky": a second call, same verb
_SEQUENCE = re.compile(r"[\s,]*(?:puis|then|et ensuite|and then|ensuite|later) (?:avec|with)\b")
_MULTI_RE = quick(
    r"\bcoalition des volontaires|coalition of the willing|\b(?:dizaine|vingtaine|trentaine|quarantaine|"
    r"cinquantaine) de pays|\b\d+ (?:pays|countries|nations|chefs d'etat)\b|dozens of countries|"
    r"des dizaines de pays"
)
_PAIR_ANAPHOR = quick(r"\b(?:les deux|the two|both) ")
_WORD = re.compile(r"[\w'-]+")
_BETWEEN = re.compile(r"\b(?:between|entre)\b")
_AHEAD_OF = re.compile(r"\b(?:ahead of|in the run-up to|a la veille d(?:e|es|u)|en amont d(?:e|es|u))\s+(?:[\w'-]+ ){0,3}$")
_SIDE_AFTER = re.compile(r"\w+(?: \w+)? (?:with|avec|entre|between|de|d'|of)\b|[\w-]+ (?:russo|us|u\.s|\w+)-")
_OBJ_GAP = re.compile(
    r"(?:(?!(?:talks|meetings?|summit|pourparlers|negociations|rencontres?|sommet|discussions|entre|between|with|avec|"
    r"on|for|upon|up|out|off|a|aux|les|des|to|de|du|from)\b)[a-z'-]+ ){0,2}(?:l')?$"
)
# "reçu par le prince héritier saoudien Mohammed ben Salmane", "met the Saudi crown prince": an
# office (and its nationality) between the verb and the person it names
_TITLE_GAP = re.compile(
    r"(?:le |la |l'|the |son |his |her )?(?:[a-z'-]+ ){0,2}(?:prince heritier|crown prince|presidente?|premier ministre|"
    r"prime minister|chanceli\w+|chancellor|roi|king|emir|pape|pope|secretaire d'etat|secretary of state|ministre|"
    r"minister|envoye\w*|envoy|conseiller|adviser|advisor|chef de la diplomatie)(?: [a-z'-]+){0,3} $"
)
_WAR_RE = quick(r"\b(?:ukrain|russ|kremlin|\bkiev|\bkyiv|moscou|moscow|donbas|crimee|crimea|zelensk|poutine|putin)")
_IN_PERSON_FORMS = ("meeting", "talks", "summit")
_SIDES = ("RU", "UA", "US")


@dataclass
class Mention:
    form: str
    status: str | None
    groups: list[frozenset[str]]  # several for "separate talks with A and B"
    anaphor: bool
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    multilateral: bool = False
    plural: bool = False  # "under the deals": refers to every event just reported
    generic: bool = False  # may add to an event, never starts one
    weak: bool = False  # form read from "discussed" only
    refers: bool = False  # opens on "the talks" / "les deux dirigeants": about talks already reported


@dataclass
class SentenceInfo:
    mentions: list[Mention]
    topics: list[str]
    war: bool


# every clause cut but ";", a dash and ", and" / ", et" needs one of these words (whole runs of word characters)
_CLAUSE_WORDS = gate(words="mais but as after apres following before avant veille lendemain qui whom tandis alors "
                           "while whereas meanwhile ailleurs avec with kremlin white maison elysee".split())


def _current(s: Sentence | None, f: str) -> bool:
    """Whether `s` is the sentence of `f` with flags read after every screen registered."""
    return s is not None and s.folded is f and s._gen == VOCAB.generation


def clauses(folded: str, s: Sentence | None = None) -> list[tuple[int, int]]:
    """(start, end) of the clauses of a sentence (`s`: its `Sentence`, whose word flags
    tell when no cut can occur)."""
    if _current(s, folded) and not s.flags & _CLAUSE_WORDS and ";" not in folded and "-" not in folded \
            and "\u2014" not in folded and ", and " not in folded and ", et " not in folded:
        return [(0, len(folded))] if folded else []
    cuts = [0]
    for m in _CLAUSE_RE.finditer(folded):
        if m.start() > cuts[-1]:
            cuts.append(m.start())
    cuts.append(len(folded))
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _indexed(g: Gated) -> Indexed | None:
    """The pattern of a stem-screened regex as an indexed one (tried at its word starts)."""
    runs = start_runs(g.rx)
    return Indexed(g.rx, starts=runs, late=True) if runs else None


_SPEC_AT, _BG_CLAUSE_AT, _BG_AFTER_CUE_AT, _NEGATIVE_AT = map(_indexed, (L.SPEC, L.BG_CLAUSE, L.BG_AFTER_CUE, L.NEGATIVE))


def _gated(g: Gated, at: Indexed | None, f: str, pre: int, s: Sentence | None, a: int = 0,
           b: int | None = None) -> re.Match[str] | None:
    """`g.search(f, pre, a, b)`: the same match, searched at indexed positions when `s` is the
    sentence of `f`."""
    if not g.possible(pre):
        return None
    if at is not None and _current(s, f):
        return at.search(s, a, b)
    return g.rx.search(f, a, len(f) if b is None else b)


def _plain(rx: re.Pattern[str]) -> Indexed | None:
    runs = start_runs(rx)
    return Indexed(rx, starts=runs, late=True) if runs else None


_TIME_ANCHOR_AT, _PARTY_ANAPHOR_AT, _PLURAL_ANAPHOR_AT, _WAR_AT, STRIKE_WORDS_AT = map(
    _plain, (L.TIME_ANCHOR_RE, PARTY_ANAPHOR_RE, PLURAL_ANAPHOR_RE, _WAR_RE, L.STRIKE_WORDS_RE))


def search_at(at: Indexed | None, rx: re.Pattern[str], f: str, s: Sentence | None, a: int = 0,
              b: int | None = None) -> re.Match[str] | None:
    """`rx.search(f, a, b)`, at indexed positions when `s` is the sentence of `f`."""
    if at is not None and _current(s, f):
        return at.search(s, a, b)
    return rx.search(f, a, len(f) if b is None else b)


def negative(f: str, pre: int, s: Sentence | None = None) -> re.Match[str] | None:
    """L.NEGATIVE.search(f, pre) (labour, sport, trade, parliament: no talks of the war)."""
    return _gated(L.NEGATIVE, _NEGATIVE_AT, f, pre, s)


_OCCUR_AFTER = re.compile(
    r"\s+(?:(?:par ailleurs|aussi|egalement|bien|also|still|even|soon|bientot)\s+)?"
    r"(?:se tenir|avoir lieu|se derouler|intervenir|take place|be held|happen|occur|go ahead)\b")


def _speculation(f: str, a: int, b: int, pre: int, s: Sentence | None = None) -> list[tuple[int, int]]:
    """Speculation and background spans inside one clause."""
    spec: list[tuple[int, int]] = []
    m = _gated(L.SPEC, _SPEC_AT, f, pre, s, a, b)
    if m is not None:
        end = b
        if m.group() in ("si", "if", "whether", "unless", "au cas ou", "a moins que"):
            comma = f.find(",", m.end(), b)
            end = comma if comma > 0 else b
        # "une réunion ... pourrait se tenir à Berlin", "a meeting could take place": the meeting
        # named before the modal is the speculation's subject
        start = a if _OCCUR_AFTER.match(f, m.end()) else m.start()
        spec.append((start, end))
    if _gated(L.BG_CLAUSE, _BG_CLAUSE_AT, f, pre, s, a, b) \
            and not search_at(_TIME_ANCHOR_AT, L.TIME_ANCHOR_RE, f, s, a, b):
        spec.append((a, b))
    cue = _gated(L.BG_AFTER_CUE, _BG_AFTER_CUE_AT, f, pre, s, a, b)
    if cue:
        spec.append((cue.start(), b))
    return spec


def _appeal(f: str, a: int, b: int, pre: int, s: Sentence | None = None) -> list[tuple[int, int]]:
    """The appeal span inside one clause ("called for talks" to the clause's end), if any."""
    m = _APPEAL_AT.search(s, a, b) if _current(s, f) else L.APPEAL.search(f, pre, a, b)
    return [(m.start(), b)] if m else []


def _blank(f: str, a: int, b: int, spans: list[tuple[int, int]]) -> str:
    """f[a:b] with the spans blanked out (same length)."""
    out = list(f[a:b])
    for x, y in spans:
        x, y = max(x, a), min(y, b)
        if x < y:
            out[x - a : y - a] = " " * (y - x)
    return "".join(out)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(x <= pos < y for x, y in spans)


def _valid(f: str, m: re.Match[str], clause: tuple[int, int], anchor: bool) -> bool:
    s, e = m.start(), m.end()
    before = f[max(0, s - 40) : s]
    if L.NEGATED_BEFORE_RE.search(before):
        return False
    if m.group().startswith(("accord", "agreement")) and (before.endswith("d'") or L.CONSENT_BEFORE_RE.search(before)):
        return False
    if L.NEGATED_AFTER_RE.match(f, e, min(len(f), e + 120)):
        return False
    if L.BG_AFTER_RE.search(f[e : e + 40]) or L.BG_BEFORE_RE.search(before) or L.BG_COUNT_AFTER_RE.match(f, e):
        return False
    if not anchor and (L.VAGUE_BEFORE_RE.search(before) or L.VAGUE_AFTER_RE.match(f, e)):
        return False
    return True


@dataclass
class _Trig:
    kind: str
    pos: int
    prior: bool  # "after weeks of talks": the lead-in to what the clause reports
    definite: bool  # "the talks", "les négociations": may refer to talks reported elsewhere


def _triggers(f: str, a: int, b: int, found: list[re.Match[str]], actors: list[Actor],
              blocked: list[tuple[int, int]], pre: int, s: Sentence | None = None) -> list[_Trig]:
    anchor = bool(search_at(_TIME_ANCHOR_AT, L.TIME_ANCHOR_RE, f, s, a, b))
    named_bg = [(m.start(), m.end()) for m in L.BG_NAMED.finditer(f, pre, a, b)]
    out: list[_Trig] = []
    for m in found:
        if not a <= m.start() < b or _inside(m.start(), blocked):
            continue
        if m.re is L.TRIGGER_RE:
            if _inside(m.start(), named_bg) or not _valid(f, m, (a, b), anchor):
                continue
            before = f[max(a, m.start() - 40) : m.start()]
            opening = not f[: m.start()].strip(" \"'-")  # "Discussions focused on ...": the talks just reported
            out.append(_Trig(m.lastgroup or "talks", m.start(), bool(L.PRIOR_BEFORE_RE.search(before)),
                             opening or bool(L.DEFINITE_BEFORE_RE.search(before))))
            continue
        obj = next((x for x in actors if m.end() <= x.start <= m.end() + 70 and (
            x.start <= m.end() + 25 and _OBJ_GAP.match(f, m.end(), x.start) or _TITLE_GAP.match(f, m.end(), x.start))),
            None)
        if obj is None or L.APPEAL_AFTER_RE.match(f, obj.end):
            continue
        if m.group().startswith(("called", "calls")) and not L.CALLED_NEXT_RE.match(f, obj.end):
            continue
        out.append(_Trig("call" if m.group("call") else "meeting", m.start(), False, False))
    return sorted(out, key=lambda t: t.pos)


def _form(trigs: list[_Trig], clause: str, has_venue: bool) -> str:
    kinds = [t.kind for t in trigs]
    if "call" in kinds:
        return "call"
    if "summit" in kinds:
        return "summit"
    main = [t for t in trigs if not t.prior]
    if any(t.kind == "agreement" for t in main) and not any(
            t.kind in ("meeting", "talks", "meetv", "converse", "discuss") for t in main):
        return "agreement"  # "signed an agreement after weeks of negotiations"
    for t in trigs:
        if t.kind == "converse":
            return "meeting" if has_venue or L.IN_PERSON_RE.search(clause) else "call"
        if t.kind == "meetv":
            return "talks" if L.DELEGATES_RE.search(clause) else "meeting"
        if t.kind in ("meeting", "talks"):
            return t.kind
    for k in ("agreement", "proposal", "statement"):
        if k in kinds:
            return k
    return "talks"  # "discutent", "discussed": talks, the weakest evidence of a form


def sentence_topics(f: str, pre: int, s: Sentence | None = None) -> list[str]:
    """Topics of a sentence, speculation left out."""
    if not topics_possible(pre):
        return []
    spec: list[tuple[int, int]] = []
    for a, b in clauses(f, s):
        spec += _speculation(f, a, b, pre, s)
    return topics(f, spec, pre, s)


# the same matches, tried only at the word starts their literal prefixes allow (screen.py)
# (`late`: their positions are read only in the sentences that pass TRIGGER_GATE)
_TRIGGER_AT = Indexed(L.TRIGGER_RE, starts=start_runs(L.TRIGGER_RE), late=True)
_OBJECT_VERB_AT = Indexed(L.OBJECT_VERB_RE, starts=start_runs(L.OBJECT_VERB_RE), late=True)
_APPEAL_AT = Indexed(L.APPEAL.rx, starts=start_runs(L.APPEAL.rx), late=True)


def trigger_matches(f: str, s: Sentence | None = None) -> list[re.Match[str]]:
    """Every trigger and object verb of a sentence (before any context test); with the
    `Sentence` whose folded text `f` is, searched at its indexed positions only."""
    if _current(s, f):
        return [*_TRIGGER_AT.finditer(s), *_OBJECT_VERB_AT.finditer(s)]
    return [*L.TRIGGER_RE.finditer(f), *L.OBJECT_VERB_RE.finditer(f)]


def analyse(f: str, actors: list[Actor], hosts: set[str], pre: int, found: list[re.Match[str]],
            s: Sentence | None = None) -> SentenceInfo:
    """The mentions of talks in one sentence (one per clause with a valid trigger); `s`: its
    `Sentence`, for the indexed searches."""
    mentions: list[Mention] = []
    all_spec: list[tuple[int, int]] = []
    eligible = [x for x in actors if not x.locative and not is_source(f, x)]
    sentence_venues: list[tuple[str, int]] | None = None
    spans = clauses(f, s)
    specs: dict[tuple[int, int], list[tuple[int, int]]] = {}  # clause -> its speculation spans, read once
    prev: list[_Trig] = []
    for a, b in spans:
        sequel = bool(prev) and bool(_SEQUENCE.match(f, a))
        if not sequel and not any(a <= m.start() < b for m in found):
            continue
        spec = specs[a, b] = _speculation(f, a, b, pre, s)
        all_spec += spec
        blocked = spec + _appeal(f, a, b, pre, s)
        own = _triggers(f, a, b, found, actors, blocked, pre, s)
        trigs = own or (prev if sequel else [])
        if not trigs:
            continue
        prev = trigs
        parties = _own_parties(f, trigs, _parties(f, a, b, eligible, blocked))
        isos = {x.iso for x in parties}
        pair = bool(search_at(_PARTY_ANAPHOR_AT, PARTY_ANAPHOR_RE, f, s, a, b))
        anaphor = pair or any(t.definite for t in trigs)
        multi = _multilateral(f, a, b, trigs)
        if not isos and not anaphor and not multi:
            continue
        if sentence_venues is None:
            sentence_venues = venues(f)
        places = clause_venues(f, a, b, [t.pos for t in trigs], blocked, sentence_venues)
        parties = _without_hosts(parties, hosts, places, bool(_MEDIATED.search(f, a, b)))
        clause = f[a:b]
        form = _form(trigs, clause, bool(places))
        if form in ("agreement", "proposal") and L.ARMS_DEAL_RE.search(clause):
            continue  # "signed a letter of intent on the purchase of 100 Rafale"
        proposal = bool(L.PROPOSAL_OF_TALKS_RE.search(clause))
        if proposal and form in _IN_PERSON_FORMS and not L.ACCEPT_RE.search(clause):
            form = "proposal"  # "Zelensky proposed a meeting with Putin": no answer yet
        if own or not mentions:
            status = clause_status(_blank(f, a, b, blocked), form, proposal, trigs[0].pos - a, pre)
        else:
            status = mentions[-1].status  # "..., puis avec Zelensky": same verb, same tense
        groups = [frozenset()] if multi else split_separate(parties, f, a, b)
        # "accused Russia of dragging out the talks": no side after the noun, no date, no venue
        generic = all(t.definite and not _SIDE_AFTER.match(f, t.pos) for t in trigs) and not places \
            and not L.TIME_ANCHOR_RE.search(clause)
        mentions.append(Mention(
            form, status, groups, anaphor or generic, places, [x.person for x in parties if x.person], multi,
            bool(search_at(_PLURAL_ANAPHOR_AT, PLURAL_ANAPHOR_RE, f, s, a, b)), generic,
            all(t.kind == "discuss" for t in trigs),
            pair or trigs[0].definite))
    if not mentions:
        return SentenceInfo([], [], False)
    for a, b in spans:
        if not any(x <= a < y for x, y in all_spec):
            all_spec += specs[a, b] if (a, b) in specs else _speculation(f, a, b, pre, s)
    war = any(x.iso in ("RU", "UA") for x in actors) or bool(search_at(_WAR_AT, _WAR_RE, f, s))
    return SentenceInfo(mentions, topics(f, all_spec, pre, s), war)


def _own_parties(f: str, trigs: list[_Trig], parties: list[Actor]) -> list[Actor]:
    """The sides the talks themselves name, where the clause says whose talks they are:
    "talks between U.S. and Ukrainian officials" (whoever else the clause names: "The
    Kremlin visit followed talks between ..."), and "Russia pounds Kyiv ahead of Berlin
    talks" (the attackers are not the talks' sides: only a side named after the talks is)."""
    t = trigs[0].pos
    between = _BETWEEN.search(f, t, t + 40)
    if between is not None:
        inner = [x for x in parties if between.end() <= x.start <= between.end() + 80]
        if len({x.iso for x in inner}) >= 2:
            return inner
    # "Ukraine-US consultations", "les pourparlers russo-ukrainiens": the compound names the sides
    glued = [x for x in parties if 0 <= t - x.end <= 2 or 0 <= x.start - t - len(_word_at(f, t)) <= 2]
    if len({x.iso for x in glued}) >= 2 and len({(x.start, x.end) for x in glued}) == 1:
        return glued
    if _AHEAD_OF.search(f, max(0, t - 30), t):
        return [x for x in parties if x.start > t]
    return parties


def _word_at(f: str, pos: int) -> str:
    m = _WORD.match(f, pos)
    return m.group() if m else ""


def _parties(f: str, a: int, b: int, eligible: list[Actor], blocked: list[tuple[int, int]]) -> list[Actor]:
    """Sides named in a clause; a clause naming one side takes the sentence's subject as
    the other ("Trump announced ..., after talks with Kiev")."""
    parties = reported(f, [x for x in eligible if a <= x.start < b and not _inside(x.start, blocked)])
    if len({x.iso for x in parties}) == 1:
        subj = next((x for x in eligible if x.start < a and not _inside(x.start, blocked)), None)
        if subj is not None and subj.iso != parties[0].iso:
            parties.insert(0, subj)
    return parties


_MEDIATED = re.compile(r"\b(?:mediated by|mediation|mediat(?:ion|eur|rice)|sous l'egide|par l'intermediaire)")


def _without_hosts(parties: list[Actor], hosts: set[str], places: list[str], mediated: bool = False) -> list[Actor]:
    """A host or mediator, or the country of a neutral venue not acting through its leader,
    is no side when two others remain; a mediator named as such ("an exchange mediated by the
    UAE") is none either, beside Russia or Ukraine alone."""
    isos = dict.fromkeys(x.iso for x in parties)  # in the text's order
    persons = {x.iso for x in parties if x.person}
    # a third country is dropped before Russia or Ukraine ("la Russie et l'Ukraine ... contacts
    # avec la partie ukrainienne menés par l'intermédiaire des Emirats": the Emirates mediated)
    for h in sorted(isos, key=lambda iso: iso in _SIDES):
        venue = h not in _SIDES and h not in persons and any(venue_country(p) == h for p in places)
        if (h in hosts or venue) and (len(isos) - 1 >= 2 or (mediated and h in hosts and h not in _SIDES and
                                                              h not in persons and set(isos) - {h} <= {"RU", "UA"})):
            del isos[h]  # "exchange mediated by the UAE": Ukraine's side of it, the mediator is none
    return [x for x in parties if x.iso in isos]


def _multilateral(f: str, a: int, b: int, trigs: list[_Trig]) -> bool:
    """A meeting of a coalition or of dozens of countries: no list of parties."""
    m = _MULTI_RE.search(f, a, b)
    if m is None or _PAIR_ANAPHOR.search(f, a, b):
        return False
    return any(t.kind in ("meeting", "meetv", "summit", "talks") and abs(t.pos - m.start()) <= 80 for t in trigs)
