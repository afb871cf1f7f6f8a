"""Event identity: when two reports describe the same attack wave or meeting,
and how their figures merge.

Same event = same kind, same direction (attacker -> target) or the same parties,
a compatible time (an overnight attack is reported from the evening to the next
noon; a meeting on its date) and compatible figures and places. Pure functions:
the store supplies candidates, this module decides.

Merge rule (README, "One alert per event"): each count is the highest figure any
report gives (official tallies are revised upward as the night's reports come in;
a lower later figure is almost always a partial count); places, topics and people
are the union; the evidence of the first report is kept, plus the sentence that
gave a new highest figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from monitor.events import Counts, Event, NegotiationEvent, StrikeEvent

STRIKE_SPAN = timedelta(hours=20)  # reports of one night: evening to next noon, plus slack
NEGOTIATION_SPAN = timedelta(days=3)
COUNT_FIELDS = ("drones.launched", "drones.destroyed", "missiles.launched", "missiles.destroyed",
                "drones_lost", "killed", "injured")


@dataclass
class ClusterView:
    """What the decision needs to know about a stored event cluster."""

    id: int
    event: Event
    first_seen: datetime
    last_seen: datetime


def key(event: Event) -> str:
    if isinstance(event, StrikeEvent):
        return f"strike:{event.attacker or '?'}>{event.target or '?'}"
    return "negotiation:" + ",".join(sorted(event.parties) or ["?"])


def span(event: Event) -> timedelta:
    return STRIKE_SPAN if isinstance(event, StrikeEvent) else NEGOTIATION_SPAN


def _date(event: Event) -> date | None:
    try:
        return date.fromisoformat(event.date[:10]) if event.date else None
    except ValueError:
        return None


def get_count(event: StrikeEvent, path: str) -> int | None:
    obj = event
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _counts_compatible(a: StrikeEvent, b: StrikeEvent) -> bool | None:
    """True when shared counts agree (revisions within x2.5), False when they clash, None if none shared."""
    shared = False
    for path in ("drones.launched", "drones.destroyed", "missiles.launched", "missiles.destroyed"):
        x, y = get_count(a, path), get_count(b, path)
        if x is None or y is None:
            continue
        shared = True
        lo, hi = sorted((x, y))
        if hi > 10 and hi > lo * 2.5:
            return False
    return True if shared else None


def _places_overlap(a: Event, b: Event) -> bool | None:
    from monitor.gazetteer import place_parent

    if not a.places or not b.places:
        return None
    def widen(places):
        out = set(places)
        out |= {p for p in (place_parent(x) for x in places) if p}
        return out
    return bool(widen(a.places) & widen(b.places))


def same_event(cluster: ClusterView, event: Event, when: datetime) -> bool:
    """Does `event`, reported at `when`, describe the cluster's event?"""
    if key(cluster.event) != key(event):
        return False
    d1, d2 = _date(cluster.event), _date(event)
    if d1 and d2 and abs((d1 - d2).days) > (0 if isinstance(event, NegotiationEvent) else 1):
        return False
    if not (d1 and d2 and d1 == d2):
        if when - cluster.first_seen > span(event) * 1.5 or cluster.last_seen - when > span(event) * 1.5:
            return False
        if abs(when - cluster.last_seen) > span(event):
            return False
    if isinstance(event, StrikeEvent):
        counts = _counts_compatible(cluster.event, event)
        if counts is False:
            return False
        if counts is None and _places_overlap(cluster.event, event) is False:
            return False
        return True
    if cluster.event.form and event.form and cluster.event.form != event.form:
        pairs = {cluster.event.form, event.form}
        if not pairs <= {"talks", "meeting", "summit"} and not pairs <= {"call", "statement"}:
            return False
    return _places_overlap(cluster.event, event) is not False


def _union(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def merge(base: Event, new: Event) -> tuple[Event, list[str]]:
    """Merged event and the list of human-readable changes (for update alerts)."""
    changes: list[str] = []
    if isinstance(base, StrikeEvent) and isinstance(new, StrikeEvent):
        data = base.model_dump()
        evidence = list(base.evidence)
        for path in COUNT_FIELDS:
            old, val = get_count(base, path), get_count(new, path)
            if val is not None and (old is None or val > old):
                parts = path.split(".")
                if len(parts) == 2:
                    data[parts[0]][parts[1]] = val
                else:
                    data[path] = val
                changes.append(f"{path.replace('.', ' ')}: {'-' if old is None else old} -> {val}")
                for sentence in new.evidence[:1]:
                    if sentence not in evidence:
                        evidence.append(sentence)
        data["places"] = _union(base.places, new.places)
        data["evidence"] = evidence[:4]
        data["date"] = base.date or new.date
        data["confidence"] = max(base.confidence, new.confidence)
        data["drones"], data["missiles"] = Counts(**data["drones"]), Counts(**data["missiles"])
        return StrikeEvent(**data), changes
    if isinstance(base, NegotiationEvent) and isinstance(new, NegotiationEvent):
        status = base.status
        order = {None: 0, "planned": 1, "held": 2, "failed": 3, "agreed": 3}
        if order.get(new.status, 0) > order.get(status, 0):
            if status != new.status:
                changes.append(f"status: {status or '-'} -> {new.status}")
            status = new.status
        merged = base.model_copy(update={
            "status": status, "form": base.form or new.form,
            "topics": _union(base.topics, new.topics), "places": _union(base.places, new.places),
            "people": _union(base.people, new.people), "date": base.date or new.date,
            "evidence": (base.evidence + [e for e in new.evidence if e not in base.evidence])[:4],
            "confidence": max(base.confidence, new.confidence)})
        return merged, changes
    return base, changes


def significant_rise(alerted: Event, current: Event) -> list[str]:
    """What rose enough since the last alert to be worth an update; [] for wobbles.

    Counts must rise by at least 10% and 5 units (drones, missiles) or by 2 and 20%
    (killed, injured), or appear where the alerted report had none. Negotiations
    update when the status moves on (planned -> held -> agreed/failed).
    """
    out = []
    if isinstance(alerted, StrikeEvent) and isinstance(current, StrikeEvent):
        for path in COUNT_FIELDS:
            old, new = get_count(alerted, path), get_count(current, path)
            if new is None:
                continue
            casualties = path in ("killed", "injured")
            if old is None:
                if new > 0:
                    out.append(f"{path.replace('.', ' ')}: - -> {new}")
                continue
            step, ratio = (2, 0.2) if casualties else (5, 0.1)
            if new - old >= step and new - old >= old * ratio:
                out.append(f"{path.replace('.', ' ')}: {old} -> {new}")
    elif isinstance(alerted, NegotiationEvent) and isinstance(current, NegotiationEvent):
        if current.status != alerted.status and current.status in ("held", "agreed", "failed"):
            out.append(f"status: {alerted.status or '-'} -> {current.status}")
    return out


def report_time(published: datetime | None, seen: datetime) -> datetime:
    t = published or seen
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
