"""People and countries acting in negotiations: names, demonyms, capitals -> ISO codes.

"Poutine" -> ("Vladimir Putin", "RU"); "les Américains", "Washington", "la Maison
Blanche" -> "US"; "le Kremlin", "Moscou" -> "RU"; "Kiev" -> "UA". A name after a
locative preposition ("à Moscou", "in Saudi Arabia", "en Ukraine") is a place, not a
party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# surname spellings -> (canonical full name, ISO)
PEOPLE: dict[str, tuple[str, str]] = {}
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
    ("Vladimir Putin", "RU"): "putin|poutine|putine|poutin|putin's",
    ("Sergei Lavrov", "RU"): "lavrov|lavrow|lawrow",
    ("Vladimir Medinsky", "RU"): "medinsky|medinski|medinskiy",
    ("Dmitry Peskov", "RU"): "peskov|peskow",
    ("Yuri Ushakov", "RU"): "ushakov|ouchakov|uschakow",
    ("Kirill Dmitriev", "RU"): "dmitriev|dmitriyev",
    ("Sergei Shoigu", "RU"): "shoigu|choigou",
    ("Andrei Belousov", "RU"): "belousov|belooussov",
    ("Volodymyr Zelensky", "UA"): "zelensky|zelenskyy|zelenski|zelenskiy|selenskyj",
    ("Rustem Umerov", "UA"): "umerov|oumerov|umyerov",
    ("Andriy Yermak", "UA"): "yermak|iermak|jermak",
    ("Andrii Sybiha", "UA"): "sybiha|sybiga|sybiha",
    ("Kyrylo Budanov", "UA"): "budanov|boudanov",
    ("Recep Tayyip Erdogan", "TR"): "erdogan",
    ("Hakan Fidan", "TR"): "fidan",
    ("Emmanuel Macron", "FR"): "macron",
    ("Keir Starmer", "GB"): "starmer",
    ("Friedrich Merz", "DE"): "merz",
    ("Olaf Scholz", "DE"): "scholz",
    ("Mohammed bin Salman", "SA"): "mbs|ben salmane|bin salman",
    ("Xi Jinping", "CN"): "xi jinping|xi",
    ("Alexander Lukashenko", "BY"): "lukashenko|loukachenko|lukaschenko",
    ("Viktor Orban", "HU"): "orban",
    ("Giorgia Meloni", "IT"): "meloni",
    ("Narendra Modi", "IN"): "modi",
    ("Alexander Stubb", "FI"): "stubb",
    ("Kim Jong-un", "KP"): "kim jong-un|kim jong un",
    ("Mohammed bin Zayed", "AE"): "ben zayed|bin zayed|mbz",
    ("Tamim bin Hamad Al Thani", "QA"): "al thani|al-thani",
}
for (full, iso), pattern in _PEOPLE_SRC.items():
    for alias in pattern.split("|"):
        PEOPLE[alias] = (full, iso)

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
}
_HEAD_FR = (
    r"(?:president|presidente|chef|cheffe|dirigeant|dirigeants|ministre|ministres|negociateurs?|"
    r"delegations?|emissaires?|envoyes?|envoye special|responsables|officiels|diplomates?|homologue|"
    r"representants?|equipes?|partie|cote|camp|gouvernement|autorites|diplomatie|chef de la diplomatie|"
    r"chef d'etat|vice-president|secretaire d'etat)"
)
_HEAD_EN = (
    r"(?:president|leader|leaders|delegation|delegations|negotiators?|envoys?|special envoy|officials|"
    r"side|team|counterpart|diplomats?|foreign minister|defen[cs]e minister|government|authorities|"
    r"secretary of state|national security adviser|negotiating team|vice president)"
)
_NOUNS = {
    "RU": r"(?:entre|avec|les|des|aux|et) russes|la russie|russia|russie|les russes|russians|moscou|moscow|le kremlin|the kremlin|kremlin",
    "US": r"(?:entre|avec|des|aux|et) americains|les etats-unis|etats-unis|united states|the us|the u\.s\.|usa|les americains|americans|washington|la maison blanche|maison blanche|white house|l'administration trump|trump administration",
    "UA": r"(?:entre|avec|des|aux|et) ukrainiens|l'ukraine|ukraine|les ukrainiens|ukrainians|kiev|kyiv|kiew",
    "TR": r"la turquie|turquie|turkey|turkiye|ankara|les turcs",
    "SA": r"l'arabie saoudite|arabie saoudite|saudi arabia|riyad|riyadh|les saoudiens",
    "FR": r"la france|france|paris|l'elysee|elysee",
    "GB": r"le royaume-uni|royaume-uni|united kingdom|britain|the uk|londres|london",
    "DE": r"l'allemagne|allemagne|germany|berlin",
    "CN": r"la chine|chine|china|pekin|beijing",
    "QA": r"le qatar|qatar|doha",
    "AE": r"les emirats arabes unis|emirats arabes unis|united arab emirates|uae|abou dhabi|abu dhabi",
    "BY": r"la bielorussie|bielorussie|belarus|minsk",
    "VA": r"le vatican|vatican|le pape|the pope|saint-siege",
    "KP": r"la coree du nord|coree du nord|north korea|pyongyang",
}
_NOUN_PATTERNS = list(_NOUNS.values())
_ADJ_ISO = [(re.compile(rf"(?:{adj})$"), iso) for iso, adj in _ADJ.items()]
_ALL_ADJ = "|".join(_ADJ.values())
_NOUN_ISO_RE = [(re.compile(rf"(?:{nouns})$"), iso) for iso, nouns in _NOUNS.items()]
# one alternation per shape (nouns, "head + adjective", "adjective + head"); the ISO code
# is read from the matched words afterwards, which is far cheaper than one group per code
_ACTOR_RE = re.compile(
    rf"\b(?P<noun>{'|'.join(_NOUN_PATTERNS)})\b"
    rf"|\b{_HEAD_FR}s?\s+(?:\w+\s+)?(?:\w+\s+et\s+)?(?P<adj1>{_ALL_ADJ})\b"
    rf"|\b(?P<adj2>{_ALL_ADJ})(?=(?:\s+and\s+\w+)?\s+(?:\w+\s+)?{_HEAD_EN}\b)"
)


_ADJ_WORD_RE = re.compile(rf"\b(?:{_ALL_ADJ})\b")


def _isos_of(m: re.Match[str]) -> tuple[list[str], bool]:
    """ISO codes named by one actor match; "les présidents russe et ukrainien" gives two."""
    noun = m.group("noun")
    if noun is not None:
        return [iso for rx, iso in _NOUN_ISO_RE if rx.fullmatch(noun)][:1], True
    words = [m.group("adj2")] if m.group("adj2") else _ADJ_WORD_RE.findall(m.group())
    out: list[str] = []
    for adj in words:
        iso = next((iso for rx, iso in _ADJ_ISO if rx.fullmatch(adj)), None)
        if iso and iso not in out:
            out.append(iso)
    return out, False


_LOCATIVE = re.compile(r"(?:\b(?:a|en|au|aux|in|at|dans|to|vers|pour|for|sur|on|over|de la guerre en|of)\s+)$")


@dataclass(frozen=True)
class Actor:
    iso: str
    person: str | None
    start: int
    end: int
    locative: bool  # "à Moscou", "in Ukraine": a place, not a party


def find_actors(folded: str) -> list[Actor]:
    out: list[Actor] = []
    for m in _PEOPLE_RE.finditer(folded):
        full, iso = PEOPLE[m.group()]
        out.append(Actor(iso, full, m.start(), m.end(), False))
    for m in _ACTOR_RE.finditer(folded):
        isos, is_noun = _isos_of(m)
        locative = is_noun and bool(_LOCATIVE.search(folded[max(0, m.start() - 20) : m.start()]))
        for iso in isos:
            out.append(Actor(iso, None, m.start(), m.end(), locative))
    out.sort(key=lambda a: a.start)
    return out
