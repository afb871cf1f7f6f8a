"""People and countries acting in negotiations: names, demonyms, capitals -> ISO codes.

"Poutine" -> ("Vladimir Putin", "RU"); "les Américains", "Washington", "la Maison
Blanche" -> "US"; "le Kremlin", "Moscou" -> "RU"; "Kiev" -> "UA"; "U.S.-Russia talks",
"pourparlers russo-ukrainiens" -> two actors. A name that cannot be a negotiating side
where it stands is flagged `locative`: after a place preposition ("à Moscou", "in Saudi
Arabia"), as the target of an attack, sanction or war ("contre la Russie", "the war with
Russia"), or as the complement of an abstract noun ("l'avenir de l'Ukraine").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (canonical full name, ISO) -> surname spellings (folded)
_PEOPLE_SRC = {
    ("Donald Trump", "US"): "trump",
    ("Steve Witkoff", "US"): "witkoff|whitkoff",
    ("Marco Rubio", "US"): "rubio",
    ("JD Vance", "US"): "vance",
    ("Keith Kellogg", "US"): "kellogg",
    ("Dan Driscoll", "US"): "driscoll",
    ("Jared Kushner", "US"): "kushner",
    ("Joe Biden", "US"): "biden",
    ("Antony Blinken", "US"): "blinken",
    ("Mike Waltz", "US"): "waltz",
    ("Pete Hegseth", "US"): "hegseth",
    ("Scott Bessent", "US"): "bessent",
    ("Karoline Leavitt", "US"): "leavitt",
    ("Vladimir Putin", "RU"): "putin|poutine|putine|poutin",
    ("Sergei Lavrov", "RU"): "lavrov|lavrow|lawrow",
    ("Vladimir Medinsky", "RU"): "medinsky|medinski|medinskiy",
    ("Dmitry Peskov", "RU"): "peskov|peskow",
    ("Yuri Ushakov", "RU"): "ushakov|ouchakov|uschakow",
    ("Kirill Dmitriev", "RU"): "dmitriev|dmitriyev",
    ("Sergei Shoigu", "RU"): "shoigu|choigou",
    ("Andrei Belousov", "RU"): "belousov|belooussov",
    ("Igor Kostyukov", "RU"): "kostyukov|kostioukov|kostjukow",
    ("Grigory Karasin", "RU"): "karasin|karassine",
    ("Maria Zakharova", "RU"): "zakharova|zakharova",
    ("Mikhail Galuzin", "RU"): "galuzin|galouzine",
    ("Volodymyr Zelensky", "UA"): "zelensky|zelenskyy|zelenski|zelenskiy|selenskyj|zelenskyi",
    ("Rustem Umerov", "UA"): "umerov|oumerov|umyerov",
    ("Andriy Yermak", "UA"): "yermak|iermak|jermak",
    ("Andrii Sybiha", "UA"): "sybiha|sybiga",
    ("Kyrylo Budanov", "UA"): "budanov|boudanov",
    ("Dmytro Kuleba", "UA"): "kuleba|kouleba",
    ("Sergiy Kyslytsya", "UA"): "kyslytsya|kyslytsia|kyslytsia",
    ("Denys Shmyhal", "UA"): "shmyhal|chmyhal",
    ("Yulia Svyrydenko", "UA"): "svyrydenko|svyrydenko",
    ("Recep Tayyip Erdogan", "TR"): "erdogan",
    ("Hakan Fidan", "TR"): "fidan",
    ("Emmanuel Macron", "FR"): "macron",
    ("Jean-Noel Barrot", "FR"): "barrot",
    ("Keir Starmer", "GB"): "starmer",
    ("David Lammy", "GB"): "lammy",
    ("Friedrich Merz", "DE"): "merz",
    ("Olaf Scholz", "DE"): "scholz",
    ("Johann Wadephul", "DE"): "wadephul",
    ("Mohammed bin Salman", "SA"): "mbs|ben salmane|bin salman",
    ("Xi Jinping", "CN"): "xi jinping|xi",
    ("Wang Yi", "CN"): "wang yi",
    ("Alexander Lukashenko", "BY"): "lukashenko|loukachenko|lukaschenko",
    ("Viktor Orban", "HU"): "orban",
    ("Giorgia Meloni", "IT"): "meloni",
    ("Donald Tusk", "PL"): "tusk",
    ("Radoslaw Sikorski", "PL"): "sikorski",
    ("Narendra Modi", "IN"): "modi",
    ("Alexander Stubb", "FI"): "stubb",
    ("Kim Jong-un", "KP"): "kim jong-un|kim jong un",
    ("Mohammed bin Zayed", "AE"): "ben zayed|bin zayed|mbz",
    ("Tamim bin Hamad Al Thani", "QA"): "al thani|al-thani",
}
PEOPLE: dict[str, tuple[str, str]] = {
    alias: key for key, pattern in _PEOPLE_SRC.items() for alias in pattern.split("|")
}
_PEOPLE_RE = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(a) for a in PEOPLE), key=len, reverse=True)) + r")\b"
)

_ADJ = {
    "RU": "russes?|russian",
    "US": "americains?|americaines?|americans?|us|u\\.s\\.|etats-uniens?",
    "UA": "ukrainiens?|ukrainiennes?|ukrainian",
    "TR": "turcs?|turques?|turkish",
    "FR": "francais(?:es?)?|french",
    "GB": "britanniques?|british",
    "DE": "allemands?|allemandes?|german",
    "CN": "chinois(?:es?)?|chinese",
    "SA": "saoudiens?|saoudiennes?|saudi",
    "BY": "bielorusses?|belarusian",
    "QA": "qataris?|qatariens?|qatariennes?",
    "AE": "emiratis?|emiriens?|emiriennes?",
    "CH": "suisses?|swiss",
    "IT": "italiens?|italiennes?|italian",
    "PL": "polonais(?:es?)?|polish",
    "HU": "hongrois(?:es?)?|hungarian",
}
_HEAD_FR = (
    r"(?:president|presidente|chef|cheffe|dirigeant|dirigeants|ministre|ministres|negociateurs?|"
    r"delegations?|emissaires?|envoyes?|envoye special|responsables|officiels|diplomates?|homologue|"
    r"representants?|equipes?|partie|cote|camp|gouvernement|autorites|diplomatie|chef de la diplomatie|"
    r"chef d'etat|vice-president|secretaire d'etat|premier ministre|chancelier|homologues)"
)
_HEAD_EN = (
    r"(?:president|leader|leaders|delegation|delegations|negotiators?|envoys?|special envoy|officials|"
    r"side|team|counterpart|diplomats?|foreign minister|defen[cs]e minister|government|authorities|"
    r"secretary of state|national security advisers?|negotiating team|vice president|prime minister|"
    r"chancellor|counterparts|representatives)"
)
_NOUNS = {
    "RU": r"(?:entre|avec|les|des|aux|et) russes|la russie|russia|russie|russians|moscou|moscow|"
          r"le kremlin|the kremlin|kremlin",
    "US": r"(?:entre|avec|des|aux|et) americains|les etats-unis|etats-unis|united states|the us|u\.s|"
          r"usa|les americains|americans|washington|la maison blanche|maison blanche|white house|"
          r"l'administration trump|trump administration",
    "UA": r"(?:entre|avec|des|aux|et) ukrainiens|l'ukraine|ukraine|les ukrainiens|ukrainians|kiev|kyiv|kiew",
    "TR": r"la turquie|turquie|turkey|turkiye|ankara|les turcs",
    "SA": r"l'arabie saoudite|arabie saoudite|saudi arabia|riyad|riyadh|les saoudiens",
    "FR": r"la france|france|paris|l'elysee|elysee",
    "GB": r"le royaume-uni|royaume-uni|united kingdom|britain|the uk|londres|london|downing street",
    "DE": r"l'allemagne|allemagne|germany|berlin",
    "CN": r"la chine|chine|china|pekin|beijing",
    "QA": r"le qatar|qatar|doha",
    "AE": r"les emirats arabes unis|emirats arabes unis|united arab emirates|uae|les emirats|abou dhabi|abu dhabi",
    "BY": r"la bielorussie|bielorussie|belarus|minsk",
    "VA": r"le vatican|vatican|le pape|the pope|saint-siege|holy see",
    "KP": r"la coree du nord|coree du nord|north korea|pyongyang",
    "CH": r"la suisse|suisse|switzerland|berne|bern",
    "IT": r"l'italie|italie|italy|rome",
    "PL": r"la pologne|pologne|poland|varsovie|warsaw",
    "HU": r"la hongrie|hongrie|hungary|budapest",
}
_ADJ_ISO = [(re.compile(rf"(?:{adj})$"), iso) for iso, adj in _ADJ.items()]
_ALL_ADJ = "|".join(_ADJ.values())
_NOUN_ISO_RE = [(re.compile(rf"(?:{nouns})$"), iso) for iso, nouns in _NOUNS.items()]
# "U.S.-Russia", "Russia-Ukraine", "russo-ukrainiens", "americano-russe": two sides at once
_PREFIX = {
    "RU": "russo|russia|russian", "US": "americano|us|u\\.s\\.|american", "UA": "ukraino|ukraine|ukrainian",
    "TR": "turco|turkish", "FR": "franco|french", "DE": "germano|german", "GB": "anglo|british",
    "CN": "sino|china|chinese", "SA": "saudi", "PL": "polono",
}
_PREFIX_ALL = "|".join(_PREFIX.values())
_PREFIX_ISO = [(re.compile(rf"(?:{p})$"), iso) for iso, p in _PREFIX.items()]
_COMPOUND_RE = re.compile(rf"(?<![\w-])(?:{_PREFIX_ALL})-(?:{_PREFIX_ALL}|{_ALL_ADJ})(?![\w-])")
# one alternation per shape (nouns, "head + adjective", "adjective + head"); the ISO code
# is read from the matched words afterwards, which is far cheaper than one group per code
_ADJ_LIST_FR = rf"(?:{_ALL_ADJ})(?:(?:\s*,\s*|\s+et\s+)(?:{_ALL_ADJ})\b)*"
_ADJ_LIST_EN = rf"(?:{_ALL_ADJ})(?:(?:\s*,\s*|\s+and\s+)(?:{_ALL_ADJ})(?![\w-]))*"
_ACTOR_RE = re.compile(
    rf"\b(?P<noun>{'|'.join(_NOUNS.values())})\b(?!-\w)"
    rf"|\b{_HEAD_FR}s?\s+(?:\w+\s+)?(?:\w+\s+et\s+)?(?P<adj1>{_ADJ_LIST_FR})\b"
    rf"|\b(?P<adj2>{_ADJ_LIST_EN})(?=(?:\s+and\s+[\w.]+)?\s+(?:\w+\s+)?{_HEAD_EN}\b)"
)
_ADJ_WORD_RE = re.compile(rf"\b(?:{_ALL_ADJ})(?!\w)")
# French demonym nouns are capitalised ("Russes et Ukrainiens"), adjectives are not
_CAP_NOUN_RE = re.compile(
    r"\b(?:US|USA|Russes|Américains|Americains|Ukrainiens|Turcs|Saoudiens|Britanniques|Allemands|Chinois)\b"
)
_CAP_ISO = {"US": "US", "USA": "US", "R": "RU", "A": "US", "U": "UA", "T": "TR", "S": "SA", "B": "GB", "C": "CN"}

# a name after these words is a place, a target or a topic, not a negotiating side
_LOCATIVE = re.compile(
    r"(?:\b(?:a|en|au|aux|in|at|dans|to|vers|pour|for|sur|on|over|into|depuis|contre|against|"
    r"de la guerre en|war with|guerre avec|guerre contre|war on|attack on|attaque contre|"
    r"(?:avenir|sort|future|fate|souverainete|sovereignty|integrite territoriale|territoire|territory|"
    r"reconstruction|invasion|occupation|adhesion|membership|neutralite|neutrality|partition|"
    r"capitulation|surrender|defeat|defaite|victoire|victory|soutien|support|aid|aide|"
    r"securite|security|frontieres?|borders?)\s+(?:de|d'|of|du|des)(?:\s+la|\s+l'|\s+the)?)\s*)$"
)


def _isos_of(m: re.Match[str]) -> tuple[list[str], bool]:
    """ISO codes named by one actor match; "les présidents russe et ukrainien" gives two."""
    noun = m.group("noun")
    if noun is not None:
        return [iso for rx, iso in _NOUN_ISO_RE if rx.fullmatch(noun)][:1], True
    words = _ADJ_WORD_RE.findall(m.group("adj2") or m.group())
    out: list[str] = []
    for adj in words:
        iso = next((iso for rx, iso in _ADJ_ISO if rx.fullmatch(adj)), None)
        if iso and iso not in out:
            out.append(iso)
    return out, False


@dataclass(frozen=True)
class Actor:
    iso: str
    person: str | None
    start: int
    end: int
    locative: bool  # "à Moscou", "in Ukraine", "contre la Russie": not a party


_CITY_NOUN = re.compile(
    r"(?:moscou|moscow|washington|kiev|kyiv|kiew|ankara|riyad|riyadh|paris|londres|london|berlin|pekin|beijing|"
    r"doha|abou dhabi|abu dhabi|minsk|rome|varsovie|warsaw|budapest|berne|bern|pyongyang)$"
)
_ATTRIBUTIVE_AFTER = re.compile(
    r"\s+(?:peace |ceasefire |security )?(?:summit|talks|meeting|format|process|agreements?|accords?|negotiations|"
    r"declaration|communique|round|memorandum|conference)\b"
)
_ATTRIBUTIVE_BEFORE = re.compile(
    r"\b(?:sommet|pourparlers|negociations|accords?|rencontre|reunion|format|processus|memorandum|declaration|"
    r"conference|cycle)\s+(?:\w+\s+)?(?:de|d')\s*$"
)


def _locative(folded: str, start: int, end: int | None = None) -> bool:
    if _LOCATIVE.search(folded[max(0, start - 40) : start]):
        return True
    if end is not None and _CITY_NOUN.search(folded, start, end):
        # a city naming a venue or an accord: "the Paris summit", "les pourparlers d'Istanbul"
        return bool(_ATTRIBUTIVE_AFTER.match(folded, end) or _ATTRIBUTIVE_BEFORE.search(folded[max(0, start - 40) : start]))
    return False


def find_actors(folded: str, text: str | None = None) -> list[Actor]:
    """Actors named in a folded sentence; `text` (same length, original case) lets
    capitalised French demonyms count as nouns."""
    out: list[Actor] = []
    for m in _PEOPLE_RE.finditer(folded):
        full, iso = PEOPLE[m.group()]
        out.append(Actor(iso, full, m.start(), m.end(), False))
    taken: list[tuple[int, int]] = []
    for m in _COMPOUND_RE.finditer(folded):
        first, second = m.group().split("-", 1)
        isos = [next((i for rx, i in _PREFIX_ISO if rx.fullmatch(first)), None),
                next((i for rx, i in _PREFIX_ISO + _ADJ_ISO if rx.fullmatch(second)), None)]
        if None in isos or isos[0] == isos[1]:
            continue
        taken.append((m.start(), m.end()))
        for iso in isos:
            out.append(Actor(iso, None, m.start(), m.end(), False))
    for m in _ACTOR_RE.finditer(folded):
        if any(a <= m.start() < b for a, b in taken):
            continue
        isos, is_noun = _isos_of(m)
        locative = is_noun and _locative(folded, m.start(), m.end())
        for iso in isos:
            out.append(Actor(iso, None, m.start(), m.end(), locative))
    if text is not None and len(text) == len(folded):
        seen = {(a.start, a.iso) for a in out}
        for m in _CAP_NOUN_RE.finditer(text):
            iso = _CAP_ISO.get(m.group()) or _CAP_ISO[m.group()[0]]
            if not any(a.iso == iso and a.start <= m.start() < a.end for a in out) and (m.start(), iso) not in seen:
                out.append(Actor(iso, None, m.start(), m.end(), _locative(folded, m.start())))
    out.sort(key=lambda a: a.start)
    return out
