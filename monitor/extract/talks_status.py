"""Status of one mention of talks: planned, held, failed or agreed.

"failed" (ended without agreement, rejected, collapsed, n'ont pas abouti) comes first,
then "agreed" (agreed to, ont convenu, signed, deal reached) unless what was agreed is
to keep talking ("agreed to continue talks": held) or to meet ("agreed to meet": planned);
between a plan (will meet, doit rencontrer, prévu, rencontrerait) and a past event (met,
held talks, s'est entretenu) the cue nearest the trigger wins; a bare date ahead (next
week, la semaine prochaine) makes it planned; calls, meetings, talks and summits are
otherwise held.
"""

from __future__ import annotations

import re

from monitor.extract.firstchar import quick
from monitor.extract.talks_gate import Gated

_IN_PERSON_FORMS = ("meeting", "talks", "summit")


def rx(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, tried only where a match can start (firstchar.py)."""
    return quick(pattern)


FAILED_RE = rx(
    r"\b(?:infructueu\w*|\bechoue\w*|n'a (?:pas|rien) (?:abouti|donne)|walked out|failure|fiasco|stalemate|"
    r"no (?:\w+ )?(?:results?|progress|breakthrough)|\bechec\b|aucun (?:progres|resultat|accord|compromis)|sans (?:aucun )?(?:progres|"
    r"resultat|accord|avancee|percee)|n'ont (?:pas|rien) (?:abouti|donne)|no (?:progress|agreement|deal|breakthrough)|"
    r"\bfail(?:ed|ing|s)?\b|collapsed|fell apart|end(?:s|ed)? without|without (?:an? |any )?(?:\w+ )?(?:agreement|deal|"
    r"breakthrough|result|progress|ceasefire|accord)|without (?:agreeing|reaching|a deal)|sans (?:parvenir|s'accorder|"
    r"se mettre d'accord|trouver d'accord)|dans l'impasse|deadlock\w*|\bstalled\b|\brompu\w*|broke (?:off|down)|"
    r"\brejet(?:e|ee|es|tent|tte|ait)\b|\brejected\b|\brejects?\b|refuse\w*|turned down|tourne court|"
    r"debouche sur aucun|n'a pas debouche|did not (?:reach|produce|agree)|pas d'accord|se quittent sans|"
    r"sans compromis|suspend(?:u|ed)|ajourne\w*|called off|annule\w*|cancel(?:l)?ed|\breportee?s?\b|postponed|"
    r"put on hold|shelved|on ice|dismiss(?:ed|es)|rebuff\w*|balaye\w*|ecarte\w*)"
)
AGREED_RE = rx(
    r"\b(?:(?:swapped|exchanged|swap|exchange|released) (?:\d[\d,]* |some |about |around )?(?:prisoners|pows)|"
    r"ont echange (?:\d[\d ]* )?prisonniers|procede a un echange de prisonniers|"
    r"(?:returned|brought home|brings home|freed|repatriated|rapatrie|ramene|libere)s? (?:[\w-]+ ){0,6}?"
    r"(?:from (?:russian |ukrainian )?captivity|de (?:la )?captivite)|"
    r"accord (?:a ete |a |est )?(?:conclu|trouve|signe|scelle)|\b(?:a|ont|avait|avaient) (?:conclu|signe)\b|"
    r"\b(?:concluent|signent|conclut)\b|ont convenu|sont convenus|\bacceptee?s? par\b|"
    r"\bagreed\b|\bagrees?\b|\bagreeing\b|reached (?:an? |separate |the )?(?:\w+ )?(?:agreements?|deals?|accord)|"
    r"\bsigned\b|se sont mise?s? d'accord|s'accorde(?:nt)?\b|s'accordent|\baccepted\b|\baccepts\b|"
    r"\ba accepte\b|\bont accepte\b|\baccepte (?:la|le|l'|une|un)\b|acceptent|(?<!-)\bbacks\b|(?<!-)\bbacked (?:the|a|an)\b|\bendorsed (?:the|a|an)\b|"
    r"ont trouve un accord|parvenue?s? a un accord|deal (?:was |has been )?reached|accord de principe|"
    r"struck (?:an? )?(?:\w+ )?(?:deal|agreement)|responded positively|repondu positivement|nous avons convenu|"
    r"we agreed)"
)
# "agreed to continue talks" is no agreement; "agreed to meet" is a plan
_AGREE_TO = r"\b(?:agreed|agree|agrees|agreeing|convenu\w*|conviennent|decided|decide\w*) (?:[\w']+ ){0,8}?(?:de |d'|to )"
_TO_MEET = (r"(?:meet|se revoir|se rencontrer|se retrouver|hold|organiser|organi[sz]e|tenir|arrange|prepare|preparer|"
            r"set up)")
AGREED_NOT_RE = rx(
    _AGREE_TO + r"(?:continue|poursuivre|continuer|keep|work|stay|maintain|rester|maintenir|pursue|resume|reprendre|"
    r"further|cooperer|cooperate|travailler|talk|parler|discuss|discuter|" + _TO_MEET[3:]
)
AGREED_TO_MEET_RE = rx(
    _AGREE_TO + _TO_MEET + r"|\b(?:agree\w*|convien\w*|convenu\w*|s'accorde\w*) (?:sur |on |to |d'|de )?(?:un |une |a |the |"
    r"new |nouvel(?:le)? )?(?:\w+ )?(?:sommet|summit|rencontre|meeting|reunion|entretien|talks|negociations|pourparlers)\b|"
    # "the presidents had agreed that technical teams would meet in Riyadh next week"
    r"\b(?:agreed|convenu\w*|decide\w*) (?:that|que|qu') (?:[\w'-]+ ){0,10}?(?:would|will|should|allaient|devraient|"
    r"se retrouveraient|se reuniraient|se rencontreraient)\b"
)
PLANNED_STRONG_RE = rx(
    r"\b(?:prevue?s?|doi(?:t|vent) (?:se |s')?\w+|devrai\w* (?:se |s')?\w+|will|shall|"
    r"would (?:\w+ly )?(?:travel|meet|hold|take place|visit|go|speak|call|host|receive|attend|fly|start|begin|resume|launch)|upcoming|scheduled|"
    r"planned|plans? to|expected to|is to|are to|is due|are due|due to|set to|to be held|to meet|to speak|to talk|"
    r"aura lieu|auront lieu|se tiendra|se tiendront|se deroulera|attendue?s? a|est attendue?|sont attendue?s|"
    r"annonc\w+ (?:un |une |de |des )(?:nouvel(?:le)?s? |prochaine?s? )?"
    r"(?:appel|rencontre|sommet|reunion|entretien|pourparlers|negociations|discussions|consultations)|"
    r"announced (?:an? )?(?:new )?"
    r"(?:call|meeting|summit|talks)|va (?:se |s')?\w+|vont (?:se |s')?\w+|to hold)\b"
)
# French future and conditional (reported plans): "rencontrera", "s'entretiendrait"
FUTURE_RE = rx(r"\b\w+(?:era|eront|erait|eraient|dra|dront|drait|draient|ira|iront|irait|iraient|vra|vront|vrait|"
               r"vraient|rra|rront|rrait|rraient)\b")  # "recevra", "verra"
PLANNED_WEAK_RE = rx(
    r"next week|la semaine prochaine|prochaine?s?\b|\bnext\b|a venir|\bsoon\b|bientot|\bdes (?:lundi|mardi|"
    r"mercredi|jeudi|vendredi|samedi|dimanche|demain)\b|\bdemain\b|\btomorrow\b|\blater this\b|\bd'ici\b"
)
HELD_RE = rx(
    r"\b(?:\b(?:a|ont|avait|avaient) (?:\w+ )?(?:eu|tenu|discute|rencontre|recu|parle|echange|negocie|evoque|"
    r"aborde|abouti|mene|participe)\b|s'est (?:entretenu|tenu|deroule|reuni|achev|termin)\w*|"
    r"se sont (?:entretenus|rencontres|reunis|retrouves|parle|tenus|deroules)|a eu lieu|ont eu lieu|\bheld\b|"
    r"\bmet\b|\bspoke\b|\bdiscussed\b|\btalked\b|\btook place\b|\bwrapped up\b|\bconcluded\b|\bended\b|"
    r"\bhad (?:a |an )?(?:\w+ )?(?:call|meeting|talks|conversation)|\bhosted\b|\breceived\b|\breunie?s\b|"
    r"\bparticipait\b|\battended\b|"
    # "drafted a framework after talks in Geneva": the talks are past
    r"\bafter (?:\w+ ){0,2}(?:talks|meetings?|negotiations|summit|call)\b|"
    r"\bapres (?:des |les |l'|la |le |un |une |leurs? )?(?:\w+ )?(?:pourparlers|negociations|discussions|rencontre|sommet|"
    r"entretien|appel)\b)"
)

FAILED = Gated(FAILED_RE, (
    "infruc echoue abouti donne walked failur fiasco stalem result progre breakt echec aucun accord avance percee "
    "agre deal fail collap fell withou parven impass deadlo stalle rompu broke reje refuse turned tourne debouc did "
    "quitte compro suspen ajourn called annule cancel report postpo hold shelve ice dismis rebuff balaye ecarte"),
    auto=False)
AGREED = Gated(AGREED_RE, (
    "accord conclu sign conven accept agre reache backs backed endors parven deal struck respon repond "
    "=swap =swapped exchan releas echang procede"), auto=False)
HELD = Gated(HELD_RE, (
    "eu tenu discut rencon recu parle echang negoci evoq abord abouti mene partic entret deroul reun achev termin "
    "retrou parl lieu held met spoke discus talked took wrappe conclu ended had hosted receiv attend after apres"),
    auto=False)
PLANNED_STRONG = Gated(PLANNED_STRONG_RE)


def clause_status(text: str, form: str, proposal: bool, pos: int, pre: int) -> str | None:
    if FAILED.search(text, pre):
        return "failed"
    if proposal and form == "proposal":
        return None
    if AGREED.search(text, pre) and not AGREED_NOT_RE.search(text) and not AGREED_TO_MEET_RE.search(text):
        return "planned" if proposal and form in _IN_PERSON_FORMS else "agreed"
    planned = [m.start() for m in PLANNED_STRONG.finditer(text, pre)]
    planned += [m.start() for m in FUTURE_RE.finditer(text)]
    planned += [m.start() for m in AGREED_TO_MEET_RE.finditer(text)]
    held = [m.start() for m in HELD.finditer(text, pre)]
    if planned and held:
        return "planned" if min(abs(p - pos) for p in planned) < min(abs(h - pos) for h in held) else "held"
    if planned:
        return "planned"
    if held:
        return "held"
    if PLANNED_WEAK_RE.search(text) or (proposal and form in _IN_PERSON_FORMS):
        return "planned"
    return "held" if form in ("call", "meeting", "talks", "summit") else None
