"""Alert text: a title that starts with the rule name, a body that states the facts.

The body gives the event's kind, who, where and counts, the evidence sentence
and every source URL that reported it, so an alert can be acted on as read.
`render_text` is the complete plain text. `Renderer` adds the Jinja2 renderings
(monitor/templates/, overridable by files of the same name in config/templates/):
`chat.txt` (short: title, key figures, link), `alert.md` (Markdown for chat apps)
and `email.html` (a table of figures, the evidence, every reporting source).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
import logging
from pathlib import Path

from monitor.events import Event, NegotiationEvent, StrikeEvent

log = logging.getLogger(__name__)


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


# -- templates ------------------------------------------------------------------
TEMPLATES = ("chat.txt", "alert.md", "email.html")


@dataclass(frozen=True)
class RenderedAlert:
    """Every rendering of one alert; the outbox stores them all and each target gets one."""

    title: str
    text: str  # the complete plain text (render_text)
    chat: str  # short: title, key figures, link
    markdown: str
    html: str


def template_context(content: AlertContent) -> dict:
    title, text = render_text(content)
    lines = facts(content.event)
    figures = [tuple(line.split(": ", 1)) if ": " in line else (line, "") for line in lines]
    reports = [r for r in content.reports]
    links = [r.url for r in reports if r.url]
    return {
        "rule": content.rule, "title": title, "text": text, "update": content.update,
        "changes": list(content.changes), "severity": content.severity,
        "kind": content.event.kind if content.event else "article",
        "headline": headline(content.event, reports[0].title if reports else ""),
        "figures": figures, "evidence": list(content.event.evidence[:2]) if content.event else [],
        "reports": reports, "link": links[0] if links else None, "links": links,
        "sources": sorted({r.source for r in reports if r.source}),
        "langs": sorted({r.lang for r in reports if r.lang}),
    }


def _markdown_escape(value) -> str:
    text = "" if value is None else str(value)
    for ch in "\\`*_[]":
        text = text.replace(ch, "\\" + ch)
    return text


class Renderer:
    """Renders alerts with Jinja2 templates: `override_dir` (config/templates/) first, then the built-ins.

    A broken user template never blocks an alert: it is logged and the built-in one is used.
    """

    def __init__(self, override_dir: Path | None = None):
        self.override_dir = Path(override_dir) if override_dir and Path(override_dir).is_dir() else None
        self.env = _environment(self.override_dir)
        self.builtin = _environment(None) if self.override_dir else self.env

    def render(self, content: AlertContent) -> RenderedAlert:
        ctx = template_context(content)
        out = {}
        for name in TEMPLATES:
            try:
                out[name] = self.env.get_template(name).render(**ctx).strip()
            except Exception as exc:  # jinja2 raises many kinds; a user's typo must not lose the alert
                if self.env is self.builtin:
                    raise
                log.error("template %s in %s failed (%s); using the built-in one", name, self.override_dir, exc)
                out[name] = self.builtin.get_template(name).render(**ctx).strip()
        return RenderedAlert(title=ctx["title"], text=ctx["text"], chat=out["chat.txt"],
                             markdown=out["alert.md"], html=out["email.html"])

    def check(self) -> list[str]:
        """Problems with the templates (syntax errors, unknown names), rendered against a sample alert."""
        problems = []
        sample = AlertContent("sample-rule", None, [Report("wire", "https://example.org/a", "Sample", "en")],
                              update=True, changes=["drones launched 100 -> 120"])
        for name in TEMPLATES:
            try:
                self.env.get_template(name).render(**template_context(sample))
            except Exception as exc:
                where = getattr(exc, "filename", None) or name
                line = getattr(exc, "lineno", None)
                problems.append(f"{where}{f':{line}' if line else ''}: {exc}")
        return problems


def _environment(override_dir: Path | None):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    loaders = [FileSystemLoader(str(override_dir))] if override_dir else []
    loaders.append(PackageLoader("monitor", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=lambda name: bool(name and name.endswith(".html")),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _markdown_escape
    return env


def test_content() -> AlertContent:
    """The sample alert `monitor notify` sends: every field a template may show."""
    from monitor.events import Counts

    event = StrikeEvent(attacker="RU", target="UA", drones=Counts(launched=100, destroyed=90), places=["Kyiv"],
                        injured=1, evidence=["This is a test alert from the war-news monitor: if you read it, "
                                             "the channel works."])
    return AlertContent("monitor-test", event, [Report("monitor", "https://example.org/monitor-test",
                                                       "Test alert", "en")])


@lru_cache(maxsize=8)
def renderer_for(template_dir: Path | None) -> Renderer:
    return Renderer(template_dir)


_TEMPLATE_DIR: list[Path | None] = [None]


def use_templates(config_dir: Path | None) -> None:
    """Make `config_dir/templates/` the process's template overrides (set once at start-up)."""
    _TEMPLATE_DIR[0] = Path(config_dir) / "templates" if config_dir else None


def default_renderer() -> Renderer:
    return renderer_for(_TEMPLATE_DIR[0])
