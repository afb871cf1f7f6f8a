"""Alert channels: the only module that imports apprise.

A channel is a list of apprise URLs ("targets"). Each target is sent on its own
apprise plugin instance, so success is known per target, and apprise's log
output of the attempt is captured to say why a target failed. Every string that
leaves this module (target names, errors) has the channel secrets masked: apprise's
own privacy mode is not enough (it prints custom header values such as
`json://host/?+X-Token=secret` in clear).

Each target gets the rendering that suits it: HTML for email, Markdown for chat
apps, the short chat text for push/SMS-like services, the full plain text for
webhooks, MQTT and the console. The `console` channel prints to stdout and
always exists.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from dataclasses import dataclass, field
from typing import TextIO

from monitor.config import Settings
from monitor.secrets import mask_url, redact_logger, scrub, secret_fragments

log = logging.getLogger(__name__)

EMAIL = {"mailto", "mailtos", "o365", "ses", "sendgrid", "mailgun", "sparkpost", "postmark", "resend", "brevo",
         "smtp2go", "mailersend"}
MARKDOWN = {"slack", "tgram", "discord", "matrix", "matrixs", "mmost", "mmosts", "rocket", "rockets", "zulip",
            "msteams", "workflows", "gchat", "guilded", "revolt", "ryver", "twist", "flock"}
CHAT = {"ntfy", "ntfys", "pover", "gotify", "gotifys", "pbul", "signal", "signals", "twilio", "sns", "join",
        "prowl", "pushed", "bark", "barks"}


@dataclass(frozen=True)
class Target:
    key: str  # stable identity of the URL (hash prefix), safe to store and show
    masked: str
    fmt: str  # html | markdown | chat | text
    url: str = field(repr=False)


@dataclass(frozen=True)
class Message:
    """One alert in all its renderings; `ident` is passed to receivers as a deduplication key."""

    title: str
    text: str
    chat: str | None = None
    markdown: str | None = None
    html: str | None = None
    ident: str | None = None

    def body(self, fmt: str) -> tuple[str, str]:
        """(body, apprise body format) for a target that prefers `fmt`."""
        chosen = {"html": self.html, "markdown": self.markdown, "chat": self.chat}.get(fmt)
        if chosen:
            return chosen, {"chat": "text"}.get(fmt, fmt)
        return self.text, "text"


@dataclass
class TargetResult:
    target: str  # masked URL
    ok: bool
    error: str | None = None
    key: str = ""


@dataclass
class SendResult:
    channel: str
    targets: list[TargetResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.targets) and all(t.ok for t in self.targets)

    @property
    def error(self) -> str | None:
        errs = [f"{t.target}: {t.error}" for t in self.targets if not t.ok]
        return "; ".join(errs) or (None if self.targets else "channel has no targets")


class UnknownChannel(KeyError):
    pass


def target_format(url: str) -> str:
    scheme = url.split("://", 1)[0].lower()
    if scheme in EMAIL:
        return "html"
    if scheme in MARKDOWN:
        return "markdown"
    if scheme in CHAT:
        return "chat"
    return "text"


def target_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


class Notifier:
    """Sends rendered alerts to named channels, target by target."""

    def __init__(self, settings: Settings, console: TextIO | None = None):
        self.settings = settings
        self.console = console
        self.secrets: set[str] = set()
        for name in settings.channel_names():
            for url in settings.channel_urls(name):
                self.secrets |= secret_fragments(url)
        redact_logger("apprise", self.secrets)

    def channels(self) -> list[str]:
        return sorted(self.settings.channel_names())

    def describe(self, name: str) -> list[str]:
        """The channel's targets with secrets masked (for tables and `check`)."""
        return [t.masked for t in self.targets(name)]

    def scrub(self, text: str) -> str:
        return scrub(text, self.secrets)

    def targets(self, channel: str) -> list[Target]:
        if channel not in self.settings.channel_names():
            raise UnknownChannel(channel)
        return [Target(target_key(u), self.scrub(mask_url(u)), target_format(u), u)
                for u in self.settings.channel_urls(channel)]

    def send(self, channel: str, title: str, body: str | Message, *, body_format: str = "text") -> SendResult:
        """Send to every target of the channel; a plain `body` goes out as is in `body_format`."""
        message = body if isinstance(body, Message) else Message(
            title, body, **({body_format: body} if body_format in ("html", "markdown") else {}))
        result = SendResult(channel)
        for target in self.targets(channel):
            fmt = target.fmt if isinstance(body, Message) else body_format
            result.targets.append(self.send_target(target, message, fmt=fmt))
        return result

    def send_target(self, target: Target, message: Message, *, fmt: str | None = None) -> TargetResult:
        body, body_format = message.body(fmt or target.fmt)
        try:
            ok, error = self._notify(target.url, message.title, body, body_format, message.ident)
        except Exception as exc:  # a plugin bug must not kill delivery
            ok, error = False, f"{exc.__class__.__name__}: {exc}"
        error = None if ok else self.scrub(error or "delivery failed")[:500]
        return TargetResult(target.masked, ok, error, target.key)

    def _notify(self, url: str, title: str, body: str, body_format: str, ident: str | None) -> tuple[bool, str | None]:
        if url.startswith("console://"):
            out = self.console or sys.stdout
            out.write(f"{title}\n{body}\n\n")
            out.flush()
            return True, None
        import apprise

        fmt = {"text": apprise.NotifyFormat.TEXT, "markdown": apprise.NotifyFormat.MARKDOWN,
               "html": apprise.NotifyFormat.HTML}[body_format]
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            plugin = apprise.Apprise.instantiate(url)
            if plugin is None:
                return False, "not a valid apprise URL (see `monitor check`)"
            if ident and isinstance(getattr(plugin, "headers", None), dict):
                plugin.headers.setdefault("X-Monitor-Alert-Id", ident)  # lets receivers drop a resend
            ok = bool(plugin.notify(body=body, title=title, body_format=fmt))
            detail = captured.getvalue().strip().splitlines()
        return ok, None if ok else (detail[-1] if detail else "delivery failed")
