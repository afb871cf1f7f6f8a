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

from monitor.extract.firstchar import quick
from monitor.extract.talks_people import PEOPLE_SRC as _PEOPLE_SRC

_TOKEN_RE = re.compile(r"[a-z0-9]+")


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN_RE.findall(text))


# people: token phrase -> (full name, ISO)
_PEOPLE = {_phrase(alias): key for key, pattern in _PEOPLE_SRC.items() for alias in pattern.split("|")}

# countries, capitals, seats of power, peoples; an optional article before them is part
# of the mention ("la Russie", "the Kremlin") so that the place test sees "à la Russie"
_NOUNS = {
    "RU": "russie|russia|moscou|moscow|kremlin|russians|federation de russie|russian federation",
    "US": "etats unis|united states|usa|americans|washington|maison blanche|white house|administration trump|"
          "trump administration",
    "UA": "ukraine|ukrainians|kiev|kyiv|kiew|bankova",
    "TR": "turquie|turkey|turkiye|ankara",
    "SA": "arabie saoudite|saudi arabia|riyad|riyadh",
    "FR": "france|elysee",
    "GB": "royaume uni|united kingdom|britain|uk|londres|london|downing street",
    "DE": "allemagne|germany|berlin",
    "CN": "chine|china|pekin|beijing",
    "QA": "qatar|doha",
    "AE": "emirats arabes unis|united arab emirates|uae|emirats|abou dhabi|abu dhabi",
    "BY": "bielorussie|belarus|minsk",
    "VA": "vatican|pape|pope|saint siege|holy see",
    "KP": "coree du nord|north korea|pyongyang",
    "CH": "suisse|switzerland|berne|bern",
    "IT": "italie|italy|rome",
    "PL": "pologne|poland|varsovie|warsaw",
    "HU": "hongrie|hungary|budapest",
}
_NOUN = {_phrase(n): iso for iso, names in _NOUNS.items() for n in names.split("|")}
# cities that are also actors ("Moscou a rejeté"); "Paris" alone is too often the venue
_NOUN[("paris",)] = "FR"
_ARTICLES = frozenset("la le les l the".split())
# plural demonyms are nouns after these words or when capitalised ("Russes et Ukrainiens")
_DEMONYMS = {"russes": "RU", "americains": "US", "ukrainiens": "UA", "turcs": "TR", "saoudiens": "SA",
             "britanniques": "GB", "allemands": "DE", "chinois": "CN"}
_DEMONYM_PREV = frozenset("entre avec les des aux et".split())

_ADJ_SRC = {
    "RU": "russe russes russian", "UA": "ukrainien ukrainiens ukrainienne ukrainiennes ukrainian",
    "US": "americain americains americaine americaines american etats-unien etats-uniens",
    "TR": "turc turcs turque turques turkish", "FR": "francais francaise francaises french",
    "GB": "britannique britanniques british", "DE": "allemand allemands allemande allemandes german",
    "CN": "chinois chinoise chinoises chinese", "SA": "saoudien saoudiens saoudienne saoudiennes saudi",
    "BY": "bielorusse bielorusses belarusian", "QA": "qatari qataris qatarien qatariens qatarienne",
    "AE": "emirati emiratis emirien emiriens emirienne", "CH": "suisse suisses swiss",
    "IT": "italien italiens italienne italiennes italian", "PL": "polonais polonaise polish",
    "HU": "hongrois hongroise hungarian",
}
_ADJ = {w: iso for iso, words in _ADJ_SRC.items() for w in words.split()}
# heads that make an adjective a side: "le président russe", "the Russian delegation"
_HEAD_FR = frozenset(
    "president presidente presidents chef cheffe chefs dirigeant dirigeants ministre ministres negociateur "
    "negociateurs delegation delegations emissaire emissaires envoye envoyes responsables officiels diplomate "
    "diplomates homologue homologues representant representants equipe equipes partie cote camp gouvernement "
    "autorites diplomatie chancelier conseiller secretaire captivite mediateur mediatrice commissaire ombudsman".split()
)
_HEAD_EN = frozenset(
    "president presidents leader leaders delegation delegations negotiator negotiators envoy envoys officials "
    "side team counterpart counterparts diplomat diplomats minister ministers government authorities secretary "
    "adviser advisers advisor chancellor representatives foreign defense defence prime national special vice "
    "negotiating chief top senior teams sides technical experts delegates captivity ombudsman commissioner".split()
)
HEAD_WORDS = _HEAD_FR | _HEAD_EN
_LIST_WORDS = frozenset(("et", "and"))
# "Russia-Ukraine talks", "pourparlers russo-ukrainiens", "U.S.-Russia meeting"
_PREFIX = {w: iso for iso, words in {
    "RU": "russo russia russian russie moscou moscow kremlin", "US": "americano american us washington etats",
    "UA": "ukraino ukraine ukrainian kiev kyiv",
    "TR": "turco turkish", "FR": "franco french", "DE": "germano german", "GB": "anglo british",
    "CN": "sino china chinese", "SA": "saudi", "PL": "polono"}.items() for w in words.split()}

_FIRST = frozenset(k[0] for k in (*_PEOPLE, *_NOUN)) | set(_ADJ) | set(_DEMONYMS) | set(_PREFIX) | {"u"}
_MAX = max(len(k) for k in (*_PEOPLE, *_NOUN))

# a name after these words is a place, a target or a topic, not a negotiating side
_LOCATIVE = quick(
    r"(?:\b(?:a|en|au|aux|in|at|dans|to|vers|pour|for|sur|on|over|into|depuis|contre|against|about|regarding|"
    r"concerning|concernant|discuss|discussed|discussing|discuter de|discute de|evoque|evoquer|a propos de|"
    r"au sujet de|de la guerre en|war with|guerre avec|guerre contre|war on|attack on|attaque contre|"
    r"(?:avenir|sort|future|fate|souverainete|sovereignty|integrite territoriale|territoire|territory|"
    r"reconstruction|invasion|occupation|adhesion|membership|neutralite|neutrality|partition|"
    r"capitulation|surrender|defeat|defaite|victoire|victory|soutien|support|aid|aide|tentative|attempt|menace|"
    r"threat|offensive|securite|security|frontieres?|borders?|"
    # "the papal residence south of Rome", "au nord de Kiev", "outside Moscow": a location
    r"(?:north|south|east|west|nord|sud|est|ouest)(?:-?(?:east|west|est|ouest))?|outside|near|pres|"
    r"environs|outskirts|banlieue|periphery|peripherie)\s+(?:de|d'|of|du|des)(?:\s+la|\s+l'|\s+the)?|"
    r"outside|near|pres de|aux abords de)\s*)$"
)
_CITY_NOUN = frozenset(
    "moscou moscow washington kiev kyiv kiew ankara riyad riyadh paris londres london berlin pekin beijing "
    "doha dhabi minsk rome varsovie warsaw budapest berne bern pyongyang".split()
)
_ATTRIBUTIVE_AFTER = re.compile(
    r"\s+(?:peace |ceasefire |security )?(?:summit|talks|meeting|format|process|agreements?|accords?|negotiations|"
    r"declaration|communique|round|memorandum|conference)\b"
)
DATIVE = quick(
    r"\b(?:propose\w*|proposons|offert|offre\w*|suggere\w*|demande\w*|telephone|parle|ecrit|adresse\w*|transmis|"
    r"remis|presente\w*|lance un appel) (?:a|aux) (?:la |le |l')?$"
)
# a rubric or a topic, not a side: "Ukraine : des pourparlers ...", "Ukraine peace push", "Russia war"
_LABEL_AFTER = re.compile(r"\.?\s*:|\.?\s+(?:peace|war|crisis|conflict|ceasefire|truce|aid|talks? latest|proposals?|plan|framework|"
                          r"blueprint|initiative|draft)\b")
_ATTRIBUTIVE_BEFORE = quick(
    r"\b(?:sommet|pourparlers|negociations|accords?|rencontre|reunion|format|processus|memorandum|declaration|"
    r"conference|cycle)\s+(?:\w+\s+)?(?:de|d')\s*$"
)


@dataclass(frozen=True)
class Actor:
    iso: str
    person: str | None
    start: int
    end: int
    locative: bool  # "à Moscou", "in Ukraine", "contre la Russie": not a party


def _locative(folded: str, start: int, end: int, city: bool) -> bool:
    before = folded[max(0, start - 40) : start]
    if DATIVE.search(before):
        return False  # "a proposé à Kiev", "a téléphoné à Poutine": the addressee
    if _LOCATIVE.search(before) or _LABEL_AFTER.match(folded, end):
        return True
    # a city naming a venue or an accord: "the Paris summit", "les pourparlers d'Istanbul"
    return city and bool(_ATTRIBUTIVE_AFTER.match(folded, end) or _ATTRIBUTIVE_BEFORE.search(before))


def find_actors(folded: str, text: str | None = None) -> list[Actor]:
    """Actors named in a folded sentence. `text` (the original, same length) lets
    capitalised French demonyms ("Russes") and "US" count."""
    found = list(_TOKEN_RE.finditer(folded))
    words = list(map(re.Match.group, found))
    if _FIRST.isdisjoint(words):
        return []  # no word can start an actor (the loop below would skip every one)
    toks = list(zip(words, map(re.Match.start, found), map(re.Match.end, found)))
    cased = text if text is not None and len(text) == len(folded) else None
    out: list[Actor] = []
    adjs: list[tuple[str, int, int]] = []  # (iso, first token, last token + 1)
    i, n = 0, len(toks)
    while i < n:
        w = words[i]
        if w not in _FIRST:
            i += 1
            continue
        j = _compound(folded, toks, i)
        if j:
            first, second = _PREFIX.get(w) or "US", _PREFIX.get(words[j - 1]) or _ADJ.get(words[j - 1])
            for iso in (first, second):
                out.append(Actor(iso, None, toks[i][1], toks[j - 1][2], False))
            i = j
            continue
        hit = None
        for size in range(min(_MAX, n - i), 0, -1):
            key = tuple(words[i : i + size])
            if key in _PEOPLE or key in _NOUN:
                hit = key
                break
        if hit is not None:
            end = toks[i + len(hit) - 1][2]
            if hit in _PEOPLE:
                full, iso = _PEOPLE[hit]
                out.append(Actor(iso, full, toks[i][1], end, False))
            elif not folded.startswith("-", end) or hit[-1] in ("unis", "uni"):
                start = toks[i - 1][1] if i and words[i - 1] in _ARTICLES else toks[i][1]
                loc = _locative(folded, start, end, hit[-1] in _CITY_NOUN)
                out.append(Actor(_NOUN[hit], None, start, end, loc))
            i += len(hit)
            continue
        if w == "u" and i + 1 < n and words[i + 1] == "s" and folded.startswith("u.s", toks[i][1]):
            adjs.append(("US", i, i + 2))  # "U.S." is a noun and an adjective
            out.append(Actor("US", None, toks[i][1], toks[i + 1][2], _locative(folded, toks[i][1], toks[i + 1][2], False)))
            i += 2
            continue
        if w in ("us", "usa") and cased is not None and cased[toks[i][1] : toks[i][2]].isupper():
            out.append(Actor("US", None, toks[i][1], toks[i][2], _locative(folded, toks[i][1], toks[i][2], False)))
            adjs.append(("US", i, i + 1))
        elif w in _DEMONYMS and ((i and words[i - 1] in _DEMONYM_PREV)
                                 or (cased is not None and cased[toks[i][1]].isupper())):
            out.append(Actor(_DEMONYMS[w], None, toks[i][1], toks[i][2], _locative(folded, toks[i][1], toks[i][2], False)))
        elif w in _ADJ:
            adjs.append((_ADJ[w], i, i + 1))
        i += 1
    taken = {(a.iso, a.start) for a in out}
    out += [a for a in _adjective_sides(adjs, toks, words) if (a.iso, a.start) not in taken]
    out.sort(key=lambda a: a.start)
    return out


def _compound(folded: str, toks: list[tuple[str, int, int]], i: int) -> int:
    """Token index after a two-country compound starting at token i, or 0."""
    k = i + 2 if toks[i][0] == "u" and i + 1 < len(toks) and toks[i + 1][0] == "s" else i + 1
    if toks[i][0] not in _PREFIX and k == i + 1 or k >= len(toks):
        return 0
    gap = folded[toks[k - 1][2] : toks[k][1]]
    nxt = toks[k][0]
    if gap not in ("-", ".-") or (nxt not in _PREFIX and nxt not in _ADJ):
        return 0
    first = "US" if k == i + 2 else _PREFIX[toks[i][0]]
    second = _PREFIX.get(nxt) or _ADJ.get(nxt)
    return k + 1 if first != second else 0


def _adjective_sides(adjs: list[tuple[str, int, int]], toks: list[tuple[str, int, int]],
                     words: list[str]) -> list[Actor]:
    """Demonym adjectives that name a side: after a French head ("les délégations russe et
    ukrainienne") or before an English one ("Russian and U.S. officials")."""
    out: list[Actor] = []
    g = 0
    while g < len(adjs):
        h = g  # extend over "russe et ukrainienne", "Russian, Ukrainian and U.S."
        while h + 1 < len(adjs) and (adjs[h + 1][1] == adjs[h][2]
                                     or (adjs[h + 1][1] == adjs[h][2] + 1 and words[adjs[h][2]] in _LIST_WORDS)):
            h += 1
        first, last = adjs[g][1], adjs[h][2]
        fr = any(w in _HEAD_FR for w in words[max(0, first - 4) : first])
        en = any(w in _HEAD_EN for w in words[last : last + 2])
        if fr or en:
            for iso, a, b in adjs[g : h + 1]:
                if not any(x.iso == iso and x.start == toks[a][1] for x in out):
                    out.append(Actor(iso, None, toks[a][1], toks[b - 1][2], False))
        g = h + 1
    return out
