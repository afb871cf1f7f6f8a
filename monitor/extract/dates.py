"""Resolve the date of an event from its sentences and the article's publication date.

Explicit dates ("4 juillet 2025", "July 4", "le 13 novembre") take the year from the text,
else from `published`; without either the date stays None. Night spans ("dans la nuit de
mardi à mercredi", "overnight into Wednesday") need `published` and resolve to the
most recent such weekday on or before it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from monitor.extract.screen import DIGIT_BIT, Indexed
from monitor.extract.sentences import Sentence, as_sentence

_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "aug": 8, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_DAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_M = "|".join(sorted(_MONTHS, key=len, reverse=True))
_D = "|".join(_DAYS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_M})\b\.?(?:,?\s+(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"\b({_M})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_NIGHT = re.compile(
    rf"\bnuit (?:du |de )?(?:{_D})(?: \d{{1,2}})? (?:au|a) (?P<a>{_D})|"
    rf"\bnight (?:of |from )?(?:{_D}) (?:to|into) (?P<b>{_D})|"
    rf"\bovernight (?:into|to) (?P<c>{_D})"
)


def _year_for(month: int, day: int, year: str | None, published: datetime | None) -> int | None:
    if year:
        return int(year)
    if published is None:
        return None
    y = published.year
    if (month, day) > (published.month, published.day + 1):
        y -= 1
    return y


def _make(y: int | None, m: int, d: int) -> str | None:
    if y is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


_DAY_MONTH_AT = Indexed(_DAY_MONTH, keys=list("0123456789"), whole="prefix")
_MONTH_DAY_AT = Indexed(_MONTH_DAY)
_NIGHT_AT = Indexed(_NIGHT)


def resolve_date(x: Sentence | str, published: datetime | None) -> str | None:
    s = as_sentence(x)
    folded = s.folded
    night = _NIGHT_AT.search(s)
    explicit = None
    m = _DAY_MONTH_AT.search(s) if s.flags & DIGIT_BIT else None
    if m and not re.match(r"\s*(?:ans|years)", folded[m.end():]):
        month, day = _MONTHS[m.group(2)], int(m.group(1))
        explicit = _make(_year_for(month, day, m.group(3), published), month, day)
    else:
        m = _MONTH_DAY_AT.search(s) if s.flags & DIGIT_BIT else None
        if m and m.group(1) not in ("may", "mars", "mai") or (m and m.group(3)):
            month, day = _MONTHS[m.group(1)], int(m.group(2))
            explicit = _make(_year_for(month, day, m.group(3), published), month, day)
    if explicit:
        return explicit
    if night and published is not None:
        weekday = _DAYS[night.group("a") or night.group("b") or night.group("c")]
        d = published.date() if isinstance(published, datetime) else published
        back = (d.weekday() - weekday) % 7
        return (d - timedelta(days=back)).isoformat()
    return None
