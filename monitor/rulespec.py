"""The YAML shape of watch rules (`config/rules/*.yaml`), as pydantic models.

These models only validate and normalise what the user wrote (canonical place names,
upper-case country codes, parsed keywords, times, time zones). `monitor.rules` turns
them into executable `Rule`s. Every field's `description` is user documentation:
`explain()` prints them for `monitor check --explain`.
"""

from __future__ import annotations

import difflib
import re
from datetime import time, timedelta
from functools import lru_cache
from typing import Annotated, Any, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationInfo, field_validator, model_validator

from monitor import gazetteer
from monitor.durations import parse_duration
from monitor.events import FORMS, STATUSES, TOPICS
from monitor.textmatch import parse_keyword

KINDS = ("strike", "negotiation")
SEVERITIES = ("info", "warning", "critical")
NUMERIC_FIELDS = {
    "drones_launched": "drones launched",
    "drones_destroyed": "drones shot down / intercepted",
    "missiles_launched": "missiles launched",
    "missiles_destroyed": "missiles shot down / intercepted",
    "weapons_launched": "drones + missiles launched (the known ones; null when both are null)",
    "drones_lost": "drones lost to electronic warfare",
    "killed": "people killed",
    "injured": "people injured",
}


def suggest(value: str, choices) -> str:
    """'; did you mean X?' for the closest choice, or ''."""
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, (str, int, float)) and not isinstance(value, bool) else value


def _one_of(allowed: tuple[str, ...], what: str):
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r} (allowed: {', '.join(allowed)}){suggest(value, allowed)}")
        return value

    return check


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in gazetteer.COUNTRIES:
        allowed = ", ".join(sorted(gazetteer.COUNTRIES))
        raise ValueError(f"unknown country code {value!r} (allowed: {allowed})")
    return code


def _place(value: str) -> str:
    canonical = gazetteer.canonical_place(value)
    if canonical is None:
        raise ValueError(f"unknown place {value!r}{suggest(value, gazetteer.all_places())}")
    return canonical


def _regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
    return value


def _time_of_day(value: Any) -> time:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # unquoted 07:30 is a YAML 1.1 base-60 integer (450): read it back as a time
        return time(value // 60, value % 60)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", value)
        if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
            return time(int(m.group(1)), int(m.group(2)))
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        value = f"{value // 60}:{value % 60:02d}"  # show what the user typed
    raise ValueError(f"expected a time of day HH:MM, e.g. \"07:00\", got {value!r}")


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Paris or UTC)"
                         f"{suggest(value, _zone_names())}") from None
    return value


def _duration(value: Any) -> timedelta:
    td = parse_duration(value)
    if td <= timedelta(0):
        raise ValueError("must be longer than 0s")
    return td


def _listof(item_type):
    return Annotated[list[item_type], BeforeValidator(_as_list), Field(min_length=1)]


Country = Annotated[str, AfterValidator(_country)]
Place = Annotated[str, AfterValidator(_place)]
Keyword = Annotated[str, AfterValidator(parse_keyword)]
Regex = Annotated[str, AfterValidator(_regex)]
TimeOfDay = Annotated[time, BeforeValidator(_time_of_day)]
TimeZone = Annotated[str, AfterValidator(_time_zone)]
Count = Annotated[int, Field(strict=True, ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class NumCond(_Strict):
    """A numeric condition; every operator given must hold."""

    gte: Optional[Count] = Field(None, description="at least")
    gt: Optional[Count] = Field(None, description="more than")
    lte: Optional[Count] = Field(None, description="at most")
    lt: Optional[Count] = Field(None, description="fewer than")
    eq: Optional[Count] = Field(None, description="exactly")

    @model_validator(mode="after")
    def _satisfiable(self) -> NumCond:
        lo, hi = self.bounds()
        if all(v is None for v in (self.gte, self.gt, self.lte, self.lt, self.eq)):
            raise ValueError("give at least one of gte, gt, lte, lt, eq")
        if lo > hi:
            raise ValueError("these bounds can never all hold")
        return self

    def bounds(self) -> tuple[float, float]:
        """Inclusive [low, high] interval of the integers satisfying the condition."""
        lo, hi = float("-inf"), float("inf")
        for value, low in ((self.gte, 0), (self.gt, 1), (self.eq, 0)):
            if value is not None:
                lo = max(lo, value + low)
        for value, high in ((self.lte, 0), (self.lt, -1), (self.eq, 0)):
            if value is not None:
                hi = min(hi, value + high)
        return lo, hi



class MatchSpec(_Strict):
    """One `match:` block. Keys are ANDed; list values are ORed (except `parties`)."""

    kind: Optional[Annotated[str, AfterValidator(_one_of(KINDS, "kind"))]] = Field(
        None, description="event kind: strike | negotiation")
    attacker: Optional[_listof(Country)] = Field(None, description="strike attacker, ISO country codes (any of)")
    target: Optional[_listof(Country)] = Field(None, description="strike target, ISO country codes (any of)")
    parties: Optional[_listof(Country)] = Field(
        None, description="negotiation parties, ISO country codes: ALL must take part")
    forms: Optional[_listof(Annotated[str, AfterValidator(_one_of(FORMS, "form"))])] = Field(
        None, description=f"negotiation form (any of): {', '.join(FORMS)}")
    status: Optional[_listof(Annotated[str, AfterValidator(_one_of(STATUSES, "status"))])] = Field(
        None, description=f"negotiation status (any of): {', '.join(STATUSES)}")
    topics: Optional[_listof(Annotated[str, AfterValidator(_one_of(TOPICS, "topic"))])] = Field(
        None, description=f"negotiation topics (any of): {', '.join(TOPICS)}")
    places: Optional[_listof(Place)] = Field(
        None, description="event places (any of); any spelling the gazetteer knows (Kiev, Київ = Kyiv)")
    include_subplaces: bool = Field(
        False, description="with places: also match places inside them (an oblast matches its cities)")
    drones_launched: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["drones_launched"])
    drones_destroyed: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["drones_destroyed"])
    missiles_launched: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["missiles_launched"])
    missiles_destroyed: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["missiles_destroyed"])
    weapons_launched: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["weapons_launched"])
    drones_lost: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["drones_lost"])
    killed: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["killed"])
    injured: Optional[NumCond] = Field(None, description=NUMERIC_FIELDS["injured"])
    keywords: Optional[_listof(Keyword)] = Field(
        None, description="words or phrases in title + text (any of); case-, accent- and "
        "punctuation-insensitive, whole words; \"quotes\" optional")
    exclude_keywords: Optional[_listof(Keyword)] = Field(
        None, description="words or phrases that must NOT appear (same matching as keywords)")
    regex: Optional[_listof(Regex)] = Field(
        None, description="Python regular expressions searched in title + text, case-insensitive (any of)")
    languages: Optional[_listof(str)] = Field(None, description="language of any report: fr, en, ... (any of)")
    sources: Optional[_listof(str)] = Field(None, description="name of any reporting source (any of)")
    min_sources: Optional[Annotated[int, Field(strict=True, ge=1)]] = Field(
        None, description="at least N distinct sources report it (corroboration)")
    not_: Optional[MatchSpec] = Field(None, alias="not", description="a nested match block that must NOT match")
    any_: Optional[Annotated[list[MatchSpec], Field(min_length=1)]] = Field(
        None, alias="any", description="a list of nested match blocks, at least one of which must match")

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: list[str] | None) -> list[str] | None:
        return [v.strip().lower() for v in value] if value else value

    @model_validator(mode="after")
    def _coherent(self) -> MatchSpec:
        if not self.model_fields_set - {"include_subplaces"}:
            raise ValueError("empty match block: give at least one condition (see monitor check --explain)")
        if self.include_subplaces and not self.places:
            raise ValueError("include_subplaces needs places")
        return self


class QuietHoursSpec(_Strict):
    start: TimeOfDay
    end: TimeOfDay
    tz: TimeZone

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            m = re.fullmatch(r"\s*(\S+)\s*-\s*(\S+)\s+(\S+)\s*", value)
            if not m:
                raise ValueError(f'expected "HH:MM-HH:MM Area/City", e.g. "22:00-07:00 Europe/Paris", got {value!r}')
            return {"start": m.group(1), "end": m.group(2), "tz": m.group(3)}
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> QuietHoursSpec:
        if self.start == self.end:
            raise ValueError("start and end are equal: quiet hours would be empty")
        return self


class DigestSpec(_Strict):
    daily_at: TimeOfDay
    tz: TimeZone

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            m = re.fullmatch(r"\s*daily\s+at\s+(\S+)\s+(\S+)\s*", value)
            if not m:
                raise ValueError(f'expected "daily at HH:MM Area/City", e.g. "daily at 07:00 Europe/Paris", got {value!r}')
            return {"daily_at": m.group(1), "tz": m.group(2)}
        return value


def _channel(value: str, info: ValidationInfo) -> str:
    channels = set((info.context or {}).get("channels", ())) | {"console"}
    if value not in channels:
        raise ValueError(f"unknown channel {value!r} (configured: {', '.join(sorted(channels))}){suggest(value, channels)}")
    return value


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(f"{value!r} is not a valid rule name (letters, digits, - _ . ; no spaces)")
    return value


class RuleSpec(_Strict):
    name: Annotated[str, AfterValidator(_name)] = Field(
        description="unique name across all rule files; starts every alert title")
    description: Optional[str] = Field(None, description="free text for humans")
    match: MatchSpec = Field(description="the conditions (see match keys below)")
    notify: _listof(Annotated[str, AfterValidator(_channel)]) = Field(
        description="channel names from monitor.yaml `channels:` (console always exists)")
    severity: Annotated[str, AfterValidator(_one_of(SEVERITIES, "severity"))] = Field(
        "info", description=f"{' | '.join(SEVERITIES)} (default info), shown in the alert")
    throttle: Optional[Annotated[timedelta, BeforeValidator(_duration)]] = Field(
        None, description="at most one alert per window (e.g. 30m, 2h); later matches fold into the next alert")
    quiet_hours: Optional[QuietHoursSpec] = Field(
        None, description='hold alerts during these hours, then send one digest: "22:00-07:00 Europe/Paris" '
        "or {start, end, tz}")
    digest: Optional[DigestSpec] = Field(
        None, description='send one summary per day instead of each alert: "daily at 07:00 Europe/Paris" '
        "or {daily_at, tz}")


class RulesFile(_Strict):
    version: int = Field(description="file format version; must be 1")
    rules: list[RuleSpec] = Field(description="the watch rules of this file")

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, value: Any) -> Any:
        if value != 1 or isinstance(value, bool):
            raise ValueError(f"unsupported version {value!r} (supported: 1)")
        return value


def explain() -> str:
    """Every rule option and match key with its meaning (for `monitor check --explain`)."""
    out = ["Rule options (each item of `rules:`):"]
    for name, field in RuleSpec.model_fields.items():
        out.append(f"  {field.alias or name:<20} {field.description}")
    out += ["", "Match keys (inside `match:`; keys are ANDed, list values ORed except parties):"]
    for name, field in MatchSpec.model_fields.items():
        out.append(f"  {field.alias or name:<20} {field.description}")
    out += ["", "Numeric keys take a mapping of: "
            + ", ".join(f"{op} ({f.description})" for op, f in NumCond.model_fields.items())
            + ". A count the article does not state (null) never matches.",
            "Event keys (kind, attacker, target, parties, forms, status, topics, places, numeric keys) never "
            "match an article without an event; text keys (keywords, regex, languages, sources, min_sources) "
            "match any article."]
    return "\n".join(out)
