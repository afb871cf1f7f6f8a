"""The event schema of SPEC.md ("Event schema"): the typed value extraction produces.

`model_dump(mode="json")` of these models is exactly the JSON that
`monitor extract --json` prints and that the store keeps per event.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, Field

Form = Literal["call", "meeting", "talks", "summit", "proposal", "agreement", "statement"]
Status = Literal["planned", "held", "failed", "agreed"]
Topic = Literal[
    "ceasefire",
    "peace_plan",
    "prisoner_exchange",
    "energy_truce",
    "black_sea",
    "territory",
    "security_guarantees",
    "sanctions",
]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]
FORMS: tuple[str, ...] = Form.__args__  # type: ignore[attr-defined]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]


class Counts(BaseModel):
    """Launched / destroyed counts for one weapon class; None = not stated."""

    model_config = ConfigDict(extra="forbid")
    launched: int | None = None
    destroyed: int | None = None


class StrikeEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["strike"] = "strike"
    attacker: str | None = None  # ISO 3166-1 alpha-2
    target: str | None = None
    drones: Counts = Field(default_factory=Counts)
    missiles: Counts = Field(default_factory=Counts)
    drones_lost: int | None = None
    places: list[str] = Field(default_factory=list)  # canonical English names
    killed: int | None = None
    injured: int | None = None
    date: str | None = None  # ISO date when the text states it
    evidence: list[str] = Field(default_factory=list)
    confidence: float = 0.5


class NegotiationEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["negotiation"] = "negotiation"
    parties: list[str] = Field(default_factory=list)  # ISO codes, sorted
    form: Form | None = None
    status: Status | None = None
    topics: list[Topic] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    people: list[str] = Field(default_factory=list)
    date: str | None = None
    evidence: list[str] = Field(default_factory=list)
    confidence: float = 0.5


Event = Union[StrikeEvent, NegotiationEvent]


def event_from_dict(data: dict) -> Event:
    """Rebuild a typed event from its stored JSON form."""
    if data.get("kind") == "strike":
        return StrikeEvent.model_validate(data)
    if data.get("kind") == "negotiation":
        return NegotiationEvent.model_validate(data)
    raise ValueError(f"unknown event kind: {data.get('kind')!r}")
