"""Word lists of the extractor as compiled regexes over folded text (lowercase, no accents)."""

from __future__ import annotations

from datetime import date
import re

from monitor.extract.firstchar import quick
from monitor.extract.screen import DIGIT_BIT, Indexed
from monitor.extract.sentences import Sentence, as_sentence


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


DRONE_NAMES = (
    r"shahed(?:-\d+)?s?|geran(?:-\d+)?s?|gerbera(?:s)?|lancets?|mohajer(?:-\d+)?|lyutyi|liutyi|"
    r"orlan(?:-\d+)?s?|fp-1|bober"
)
MISSILE_NAMES = (
    r"iskander(?:-m|-k)?s?|kh-\d+\w*|x-\d+\w*|kalibrs?|kinzhals?|kn-2[34]|s-[34]00|tomahawks?|atacms|"
    r"storm[ -]shadows?|scalp(?:-eg)?|neptunes?|flamingos?|oreshnik|oniks|onyx|zircons?|tsirkons?|"
    r"tochka(?:-u)?|taurus|p-800"
)
DRONE_NOUN = (
    r"drones?(?:-leurres?|-kamikazes?| kamikazes?| d'attaque| de combat| leurres?)?|uavs?|"
    r"engins (?:volants|aeriens)|aeronefs? sans pilote|vehicules? aeriens? sans pilote|"
    r"unmanned aerial vehicles?|unmanned aircraft|leurres?|decoys?|quadcopters?|" + DRONE_NAMES
)
MISSILE_NOUN = r"missiles?|" + MISSILE_NAMES
WEAPON_RE = rx(rf"\b(?:(?P<drone>{DRONE_NOUN})|(?P<missile>{MISSILE_NOUN}))\b")
WEAPON = Indexed(WEAPON_RE)
# words allowed between a number and its weapon noun: "47 autres drones", "29 attack drones"
MODIFIER = (
    r"autres|other|more|additional|supplementaires|attack|strike|kamikaze|combat|hostile|enemy|"
    r"ennemis|russian|russes|ukrainian|ukrainiens|iranian|iraniens|iranian-made|russian-made|"
    r"long-range|shahed-type|type|heavy|new|explosive|cruise|ballistic|guided|air-launched|"
    r"sea-launched|hypersonic|anti-ship|aerial|air|sea|fixed-wing|jet-powered|jet|de|d'|x-\d+|and|et|"
    r"aeroballistic|quasi-ballistic|decoy|north korean(?:-made)?|north korean-built|"
    r"british|american|french|german|western|u\.s\.|us|franco-british|anglo-french|"
    r"[\w.]+-(?:made|supplied|built|produced|designed|provided|manufactured)|"
    + DRONE_NAMES + "|" + MISSILE_NAMES
)
MOD1_RE = rx(rf"\s+(?:{MODIFIER})(?![\w-])")

WEAPON_AT_RE = rx(rf"(?:(?P<drone>{DRONE_NOUN})|(?P<missile>{MISSILE_NOUN}))\b")
# words after the weapon noun that still belong to it: "missiles balistiques Iskander-M"
POST_MODS_RE = rx(
    r"(?:\s+(?:balistiques?|de croisiere|hypersoniques?|guides?|iraniens?|ukrainiens?|russes?|"
    r"nord-coreens?|d'attaque|kamikazes?|de type \w+(?:-\d+)?|de longue portee|a longue portee|"
    r"aeroportes?|sol-air|anti-navires?|aerobalistiques?|"
    r"de fabrication [\w-]+(?: et [\w-]+)?|de conception [\w-]+|" + DRONE_NAMES + "|" + MISSILE_NAMES + r")\b)*"
)

DESTROY = (
    r"abattu(?:e|s|es)?|abattre|abat|abattent|intercept\w*|detrui\w*|neutralis\w*|neutraliz\w*|"
    r"shot down|shoot(?:s|ing)? down|downed|bring(?:ing)? down|brought down|destroy\w*|repelled|"
    r"repouss\w*|elimin\w*|taken out|took out|stopped|stoppe\w*|arrete\w*|parried|"
    r"defeated|mis hors d'etat|hit by air defen[cs]e"
)
LOST = (
    r"perdu(?:s|es|e)?|locally lost|locationally lost|lost|brouill\w*|guerre electronique|electronic warfare|"
    r"electronic countermeasures|jamm\w*|suppressed by electronic|radio-electronique|"
    r"disparu\w* des radars|disappeared from radar|failed to reach|did not reach|"
    r"n'ont pas atteint|redirected|rerouted|location lost"
)
LAUNCH = (
    r"with|avec|frapp\w*|struck|hit|slammed|percute\w*|visant|targeting|targeted|touche\w*|lance(?:s|es|e|r|nt)?|launch\w*|tire(?:s|es|e|r|nt)?|fired|firing|used|utilis\w*|employ\w*|"
    r"repere\w*|detected|detect\w*|enregistre\w*|recorded|tracked|spotted|"
    r"a l'aide d[e']|au moyen d[e']|attaqu\w+ avec|attacked with|struck with|"
    r"(?:attaques?|frappes?|salves?|vagues?|assauts?) (?:\w+ ){0,2}(?:de|d'|avec|impliquant)|"
    r"(?:attacks?|strikes?|salvos?|waves?|barrages?|volleys?|assaults?) (?:\w+ ){0,2}"
    r"(?:of|with|involving|by)|involving|comprising|sent|envoye\w*|deploy\w*|deploye\w*|"
    r"targeted (?:\w+ ){0,3}with|visee? (?:\w+ ){0,3}par|involved|involves|mobilis\w*|mobiliz\w*|"
    r"comprenai\w*|comprend|comprennent|comportait|consisted of|consistait en|composee? de"
)
ROLE_LEFT_RE = rx(rf"\b(?:(?P<destroyed>{DESTROY})|(?P<lost>{LOST})|(?P<launched>{LAUNCH}))\b")
ROLE_LEFT = Indexed(ROLE_LEFT_RE)
_PASSIVE = (
    r"(?:ont|a|avaient|avait|ont pu|sont|etaient|were|was|have|has|had|have been|had been|"
    r"were all|have all|ont tous|ont toutes|ont ete|a ete|avaient ete|n'ont|n'a)?\s*(?:ete\s+|been\s+)?"
    r"(?:\w+ment\s+|all\s+|tous\s+|toutes\s+|successfully\s+|reportedly\s+)?"
)
ROLE_RIGHT_RE = rx(
    rf"(?:\s*,)?\s*{_PASSIVE}(?:(?P<destroyed>{DESTROY})|(?P<lost>{LOST})|(?P<launched>{LAUNCH}))\b"
)
EW_RE = rx(r"brouill\w*|guerre electronique|electronic warfare|jamm\w*|\bew\b|radio-electronique|locally lost|locationally lost|perdus? localement|contre-mesures electroniques")
EW = Indexed(EW_RE)
# searched over short spans before a count: tried only where a match can start (firstchar.py)
ALL_BEFORE_RE = quick(r"(?:\ball(?: of)?(?: the)?|\btous les|\btoutes les|\bl'ensemble des|\bla totalite des)\s*$")
ALL_AFTER_RE = rx(r"^[^.;]{0,40}?\b(?:all of (?:them|which) (?:were|was)|tous ont ete|toutes ont ete|tous abattus|all shot down|all destroyed)")
SUB_BEFORE_RE = quick(r"(?:\bdont|\bincluding|\bamong them|\bparmi lesquels|\bparmi eux|\bnotamment|\by compris)\s*(?:au moins\s+|at least\s+)?$")
COORD_RE = rx(
    r"^\s*,?\s*(?:et|and|ainsi que|as well as|along with|together with|de meme que|plus)?\s*(?:de\s+|d')?"
    r"(?:les\s+|the\s+|all(?: of the| the)?\s+|tous les\s+|toutes les\s+)?"
    r"(?:quelque|environ|about|some|around|au moins|at least|plus de|more than|pres de|nearly)?\s*$"
)
REGIONAL_RE = rx(
    r"^\s*(?:\w+\s+){0,1}(?:au-dessus|au dessus|over|above|dans|in|sur|en|en direction|near|pres)\b"
    r"(?:\s+(?:de|du|des|d'|la|le|l'|the|les|celle|celles|that|those|of))*\s*(?:region|oblast|territoire|territory|regions)?"
)
NOT_COUNT_AFTER_RE = rx(
    r"\s*(?:%|pour ?cent|percent|per cent|ans\b|-year|year|an\b|km|kilometres|kilometers|miles|"
    r"metres|meters|h\b|heures|hours|minutes|jours|days|semaines|weeks|mois|months|dollars|euros|"
    r"\$|€|millions?|milliards?|billions?)"
)
# running totals "since the start of the war": a superlative ("the largest attack since
# the start of the war") makes them a comparison, not a total
SINCE_RE = rx(
    r"depuis le debut (?:de la guerre|de l'invasion|du conflit|de la guerre a grande echelle|de l'annee|du mois)|"
    r"since the (?:start|beginning|outset) of|since (?:february )?2022|since the full-scale|"
    r"depuis (?:fevrier )?2022|au total depuis|in total since|cumulative|cumul|depuis le \d+|"
    r"since (?:january|february|march|april|may|june|july|august|september|october|november|december)|"
    r"depuis (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)|"
    # "Since Friday, Russia has fired more than 300 drones": the days since then, several waves
    r"since (?:last )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the weekend)|"
    r"depuis (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|le week-end|le debut de la semaine)|"
    r"over the (?:past|last) (?:few |several |two |three |four |five |six |\d+ )?days|in (?:recent|the past few) days|"
    r"ces derniers jours|au cours des (?:derniers|\w+ derniers) jours|depuis plusieurs jours"
)
# period windows: figures over a week / month / year are never one attack, record or not
PERIOD_RE = rx(
    r"so far this (?:year|month)|cette annee|this year|ce mois-ci|this month|last month|le mois dernier|en un mois|"
    r"au cours du mois|au cours de la semaine|over the past (?:week|month)|la semaine derniere|pendant le mois|"
    r"during the month|over the month|in the month of|durant le mois|sur le mois|over the week|"
    r"last week|au total cette|"
    # "in October" (this year's month); "the invasion in February 2022" is a date, not a period
    r"\bin (?:january|february|march|april|may|june|july|august|september|october|november|december)\b(?! \d{4})|"
    r"\ben (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b(?! \d{4})|"
    r"\b(?:each|every|par|chaque) (?:night|nuit|jour|day|mois|month|semaine|week)|per (?:night|day|month|week)|"
    r"en moyenne|on average|par mois|a month\b|a week\b"
)
RUNNING_RE = rx(SINCE_RE.pattern + "|" + PERIOD_RE.pattern)


SUPERLATIVE_RE = rx(
    r"\b(?:plus (?:importante?s?|grandes?|massives?|vastes?|lourde?s?|meurtriere?s?|intenses?|puissantes?)|largest|"
    r"biggest|heaviest|deadliest|record|jamais|ever|most)\b|"  # whole words: not "several", "almost"
    # "in the third large-scale air attack on Kyiv this month": a rank among attacks, not a total
    r"\b(?:second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)|deuxieme|troisieme|quatrieme|cinquieme|"
    r"sixieme|\d+e)\s+(?:[\w-]+\s+){0,3}(?:attacks?|strikes?|assaults?|attaques?|frappes?|bombardements?)\b"
)
_SINCE = Indexed(SINCE_RE)
_PERIOD = Indexed(PERIOD_RE)
_SUPERLATIVE = Indexed(SUPERLATIVE_RE)


def is_running(x: Sentence | str, a: int = 0, b: int | None = None) -> bool:
    """Figures of this span are totals over a period, not one attack."""
    s = as_sentence(x)
    if _PERIOD.test(s, a, b):
        return True
    return bool(_SINCE.test(s, a, b)) and not _SUPERLATIVE.test(s, a, b)


def is_superlative(x: Sentence | str) -> bool:
    """"The largest attack this year", "la plus massive depuis": a record, compared with the past."""
    return bool(_SUPERLATIVE.test(as_sentence(x)))


# an event dated by its month and year, its season and year or its year alone ("En avril 2025, deux
# missiles ... faisant plus de trente morts", "in the autumn of 2019"): an earlier one recalled
_DATED_PAST = re.compile(
    r"(?<!\d )\b(?:en|in|by) (?:(?:the )?(?:(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
    r"novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december|"
    r"l'automne|l'hiver|l'ete|autumn|fall|winter|summer|spring) (?:of |de )?)|(?:au )?printemps (?:de )?)?"
    r"(?:19|20)\d\d\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTHS = (r"(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|"
           r"february|march|april|may|june|july|august|september|october|november|december)")
# "Le 30 décembre 2023, une attaque ... avait fait 25 morts", "on December 30, 2023": a full date of an
# earlier year (the current year's full dates may be today's)
_PLUPERFECT = re.compile(r"\b(?:avai(?:t|ent)|had)\b")
_SINCE_DATE = re.compile(r"\b(?:depuis|since|after|apres)(?: le| the| on)?\s*$")
_FULL_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:er)? {_MONTHS}|{_MONTHS} \d{{1,2}},?) ((?:19|20)\d\d)\b")


def dated_past(s: Sentence) -> bool:
    """The sentence tells of an event dated by month, season or year, not compared as a record
    (computed once per sentence; only sentences holding a year are searched)."""
    if "dated_past" not in s.cache:
        f = s.folded
        # a year is four digits: a sentence none of whose chunks holds a digit is not searched
        s.cache["dated_past"] = bool(s.flags & DIGIT_BIT and _YEAR.search(f)) and (
            (bool(_DATED_PAST.search(f)) and not is_superlative(s))
            # a full date of an earlier year told in the pluperfect ("Le 30 décembre 2023, une attaque avait
            # fait 25 morts, la plus meurtrière"): recalled. An old report's own date ("on April 17, 2024,
            # killing three") is told in the simple past.
            or (bool(_PLUPERFECT.search(f)) and any(
                int(m.group(1)) < date.today().year and not _SINCE_DATE.search(f, max(0, m.start() - 12), m.start())
                for m in _FULL_DATE.finditer(f))))
    return s.cache["dated_past"]


def is_running_any(x: Sentence | str) -> bool:
    """Any running-total or period cue, superlative or not."""
    s = as_sentence(x)
    return bool(_PERIOD.test(s) or _SINCE.test(s))


def is_running_casualties(x: Sentence | str) -> bool:
    """Casualty figures of this sentence are running totals ("tués depuis le début de la
    guerre"); a comparison ("one of the largest attacks this year, killing six") is not one."""
    s = as_sentence(x)
    if not (_PERIOD.test(s) or _SINCE.test(s)):
        return False
    return not _SUPERLATIVE.test(s)
