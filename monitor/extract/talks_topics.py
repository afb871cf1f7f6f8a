"""Topics of negotiation sentences: ceasefire, peace_plan, prisoner_exchange, energy_truce,
black_sea, territory, security_guarantees, sanctions.

A ceasefire named only inside an energy truce ("halt to strikes on energy facilities") or
a Black Sea truce ("ceasefire at sea") is not a ceasefire topic, nor one named as a time
("garanties après un éventuel cessez-le-feu").
"""

from __future__ import annotations

import re

from monitor.extract.firstchar import quick, start_runs
from monitor.extract.screen import VOCAB, Indexed
from monitor.extract.sentences import Sentence
from monitor.extract.talks_gate import Gated


def rx(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, tried only where a match can start (firstchar.py)."""
    return quick(pattern)


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(x <= pos < y for x, y in spans)


_CEASE = r"treve|truce|moratoire|moratorium|cessez-le-feu|ceasefire|cease-fire|pause|halt|arret|suspension|ban|interdiction"
TOPIC_RES = [
    ("energy_truce", rx(
        rf"\b(?:{_CEASE})\s+(?:\S+\s+){{0,5}}?(?:energeti\w+|energy|power (?:plants?|grid))|"
        r"\benergy (?:truce|ceasefire|infrastructure|facilities|sites|strikes)|"
        r"\b(?:infrastructures?|installations?|sites?|centrales?) (?:\w+ )?energeti\w+|"
        r"\b(?:frappes?|attaques?|strikes?|attacks?) (?:\w+ ){0,3}(?:energeti\w+|energy)")),
    ("black_sea", rx(
        r"\b(?:black sea|mer noire) (?:truce|ceasefire|cease-fire)|\b(?:treve|cessez-le-feu|ceasefire|cease-fire|truce) "
        r"(?:\w+ ){0,2}(?:en|dans la|in the|on the) (?:mer noire|black sea)|\bmer noire|\bblack sea|\b(?:cessez-le-feu|ceasefire|cease-fire|treve|truce) (?:maritime|naval|at sea|en mer)|"
        r"\bmaritime (?:ceasefire|truce)|\bnavigation\b|\bshipping\b|corridor (?:maritime|cerealier)|"
        r"\bgrain (?:corridor|exports)")),
    ("ceasefire", rx(
        r"\b(?:cessez-le-feu|ceasefire|cease-fire|treve|truce|arret des combats|armistice|halt (?:to )?(?:the )?"
        r"fighting|fin des hostilites|end to (?:the )?hostilities)\b")),
    ("peace_plan", rx(
        r"\bplan de paix|\bpeace plan|\bplans? (?:de paix )?en \d+ points|-point (?:peace )?plan\b|\baccord de paix|"
        r"\bpeace (?:deal|agreement|framework|proposal|settlement|accord|roadmap|initiative|treaty)|\btraite de paix|"
        r"\breglement (?:politique|de paix|du conflit)|\bcadre de paix|\bfeuille de route|\bplan (?:americain|us|"
        r"de trump|de washington)|\b(?:american|us|trump's|washington's) (?:peace )?plan\b")),
    ("prisoner_exchange", rx(
        r"\bprisonniers|\bprisoners?\b|\bpows?\b|\bcaptives|\bcaptifs|\bechanges? de corps|\bbodies\b|"
        r"\bcorps de soldats|\bprisoner swap|\bcaptivity\b|\bcaptivite\b")),
    ("territory", rx(
        r"\bterritor\w+|\bterritoi\w+|\bdonbass?\b|\bland swap|\bechanges? de terr\w+|\bligne de front|\bfront ?line|\bannex\w+|"
        r"\bfrontieres\b|\bborders\b|\bceder\b|\bcede\b|\bcession\b|\bcrimee\b|\bcrimea\b|\bligne de contact|"
        r"\b(?:line of|ligne de) contact|\bcontact line|\bdemilitari[sz]ed zone|\bzone demilitarisee")),
    ("security_guarantees", rx(
        r"\bgaranties? (?:de securite|securitaires)|\bsecurity guarantees?|\bguarantees? of security|"
        r"\bforce de reassurance|\breassurance force|\barticle 5\b|\bpeacekeep\w+|\bmaintien de la paix|"
        r"\bforce multinationale|\bmultinational force|\btroupes (?:europeennes|occidentales|etrangeres)|"
        r"\b(?:european|western|foreign) troops")),
    ("sanctions", rx(r"\bsanctions?\b|\bembargo\b|\bavoirs (?:russes )?geles|\bfrozen (?:russian )?assets")),
]
TOPIC_ORDER = [t for t, _ in TOPIC_RES]
TOPIC_GATES = [(t, Gated(r)) for t, r in TOPIC_RES]
_ALWAYS = any(gate.keys is None for _, gate in TOPIC_GATES)
_TOPIC_BITS = sum(gate.bit for _, gate in TOPIC_GATES)


def _indexed(gate: Gated) -> Indexed | None:
    runs = start_runs(gate.rx)
    return Indexed(gate.rx, starts=runs, late=True) if runs else None


# each topic pattern as an indexed one (tried at its word starts), for a sentence at hand
_TOPIC_AT = [_indexed(gate) for _, gate in TOPIC_GATES]


def possible(pre: int) -> bool:
    """Whether a sentence with these stem bits (talks_gate.stems) may name any topic."""
    return _ALWAYS or bool(pre & _TOPIC_BITS)

# "après un éventuel cessez-le-feu": a time reference, not what was discussed
TEMPORAL_BEFORE_RE = rx(
    r"(?:apres|after|au lendemain d'|au lendemain de |following|une fois|once|des que|as soon as|in the event of|"
    r"en cas de)\s*(?:un |une |a |an |the |le |la |l'|any |tout |toute )?(?:eventuel(?:le)?\s+|possible\s+|potential\s+|futur\s+|"
    r"future\s+)?$"
)


def topics(f: str, blocked: list[tuple[int, int]], pre: int, s: Sentence | None = None) -> list[str]:
    """Topics named in `f` outside the blocked spans (`s`: its Sentence, for indexed searches)."""
    found: dict[str, list[tuple[int, int]]] = {}
    current = s is not None and s.folded is f and s._gen == VOCAB.generation
    for (t, gate), at in zip(TOPIC_GATES, _TOPIC_AT):
        if current and at is not None:
            matches = at.finditer(s) if gate.possible(pre) else ()
        else:
            matches = gate.finditer(f, pre)
        spans = [(m.start(), m.end()) for m in matches if not _inside(m.start(), blocked)]
        if t == "ceasefire":
            other = found.get("energy_truce", []) + found.get("black_sea", [])
            spans = [(s, e) for s, e in spans
                     if not any(x <= s < y or x < e <= y for x, y in other)
                     and not TEMPORAL_BEFORE_RE.search(f[max(0, s - 40) : s])]
        if spans:
            found[t] = spans
    return [t for t in TOPIC_ORDER if t in found]
