"""Alert text: a title that starts with the rule name, a body that states the facts.

The body gives the event's kind, who, where and counts, the evidence sentence
and every source URL that reported it, so an alert can be acted on as read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.events import Event, NegotiationEvent, StrikeEvent


@dataclass(frozen=True)
class Report:
    """One article that reported the subject of an alert."""

    source: str | None
    url: str | None
    title: str
    lang: str | None


@dataclass(frozen=True)
class AlertContent:
    rule: str
    event: Event | None
    reports: list[Report] = field(default_factory=list)
    update: bool = False
    changes: list[str] = field(default_factory=list)
    severity: str = "info"


def _count(label: str, launched: int | None, destroyed: int | None) -> str | None:
    if launched is None and destroyed is None:
        return None
    if launched is not None and destroyed is not None:
        return f"{launched} {label} launched, {destroyed} destroyed"
    if launched is not None:
        return f"{launched} {label} launched"
    return f"{destroyed} {label} destroyed"


def headline(event: Event | None, fallback: str) -> str:
    if isinstance(event, StrikeEvent):
        who = f"{event.attacker or '?'} strike on {event.target or '?'}"
        figures = [c for c in (_count("drones", event.drones.launched, event.drones.destroyed),
                               _count("missiles", event.missiles.launched, event.missiles.destroyed)) if c]
        where = f" ({', '.join(event.places)})" if event.places else ""
        return f"{who}{where}" + (f": {'; '.join(figures)}" if figures else "")
    if isinstance(event, NegotiationEvent):
        parties = "-".join(event.parties) or "?"
        status = f" ({event.status})" if event.status else ""
        topics = f" on {', '.join(event.topics)}" if event.topics else ""
        return f"{event.form or 'negotiation'} {parties}{status}{topics}"
    return fallback


def facts(event: Event | None) -> list[str]:
    if isinstance(event, StrikeEvent):
        lines = [f"Kind: strike", f"Attacker: {event.attacker or 'unknown'}", f"Target: {event.target or 'unknown'}"]
        for label, c in (("Drones", event.drones), ("Missiles", event.missiles)):
            if c.launched is not None or c.destroyed is not None:
                lines.append(f"{label}: launched {_n(c.launched)}, destroyed {_n(c.destroyed)}")
        if event.drones_lost is not None:
            lines.append(f"Drones lost to electronic warfare: {event.drones_lost}")
        if event.killed is not None or event.injured is not None:
            lines.append(f"Casualties: killed {_n(event.killed)}, injured {_n(event.injured)}")
    elif isinstance(event, NegotiationEvent):
        lines = ["Kind: negotiation", f"Parties: {', '.join(event.parties) or 'unknown'}",
                 f"Form: {event.form or 'unknown'}", f"Status: {event.status or 'unknown'}"]
        if event.topics:
            lines.append(f"Topics: {', '.join(event.topics)}")
        if event.people:
            lines.append(f"People: {', '.join(event.people)}")
    else:
        return ["Kind: article"]
    if event.places:
        lines.append(f"Places: {', '.join(event.places)}")
    if event.date:
        lines.append(f"Date: {event.date}")
    return lines


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)


def render_text(content: AlertContent) -> tuple[str, str]:
    """(title, plain-text body) of an alert."""
    first = content.reports[0] if content.reports else Report(None, None, "", None)
    prefix = "UPDATE: " if content.update else ""
    title = f"{content.rule}: {prefix}{headline(content.event, first.title)}"
    lines = facts(content.event)
    if content.update and content.changes:
        lines.append("Changed: " + "; ".join(content.changes))
    evidence = content.event.evidence if content.event else []
    if evidence:
        lines.append("")
        lines.append("Evidence: " + " ".join(f"\u201c{e}\u201d" for e in evidence[:2]))
    langs = sorted({r.lang for r in content.reports if r.lang})
    names = sorted({r.source for r in content.reports if r.source})
    lines.append("")
    lines.append(f"Reported by {len(names) or len(content.reports)} source(s)"
                 + (f" in {', '.join(langs)}" if langs else "") + ":")
    for r in content.reports:
        lines.append(f"- {r.source or 'article'}: {r.title} {r.url or ''}".rstrip())
    return title, "\n".join(lines)
