"""Alert channels: the only module that imports apprise.

Each configured channel is a list of apprise URLs. We instantiate one apprise
plugin per URL so that success is known per target, and capture apprise's own
log output of the attempt to report why a target failed (with secrets scrubbed).
The `console` channel prints to stdout and always exists.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import TextIO

from monitor.config import Settings
from monitor.secrets import mask_url, scrub, secret_fragments

log = logging.getLogger(__name__)


@dataclass
class TargetResult:
    target: str  # masked URL
    ok: bool
    error: str | None = None


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


class Notifier:
    """Sends rendered alerts to named channels."""

    def __init__(self, settings: Settings, console: TextIO | None = None):
        self.settings = settings
        self.console = console
        self.secrets: set[str] = set()
        for name in settings.channel_names():
            for url in settings.channel_urls(name):
                self.secrets |= secret_fragments(url)

    def channels(self) -> list[str]:
        return sorted(self.settings.channel_names())

    def describe(self, name: str) -> list[str]:
        """The channel's targets with secrets masked (for tables and `check`)."""
        return [mask_url(u) for u in self.settings.channel_urls(name)]

    def send(self, channel: str, title: str, body: str, *, body_format: str = "text") -> SendResult:
        if channel not in self.settings.channel_names():
            raise UnknownChannel(channel)
        result = SendResult(channel)
        for url in self.settings.channel_urls(channel):
            result.targets.append(self._send_one(url, title, body, body_format))
        return result

    def _send_one(self, url: str, title: str, body: str, body_format: str) -> TargetResult:
        masked = mask_url(url)
        if url.startswith("console://"):
            out = self.console or sys.stdout
            out.write(f"{title}\n{body}\n\n")
            out.flush()
            return TargetResult(masked, True)
        import apprise

        plugin = apprise.Apprise.instantiate(url)
        if plugin is None:
            return TargetResult(masked, False, "not a valid apprise URL")
        fmt = {"text": apprise.NotifyFormat.TEXT, "markdown": apprise.NotifyFormat.MARKDOWN,
               "html": apprise.NotifyFormat.HTML}[body_format]
        with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
            try:
                ok = bool(plugin.notify(body=body, title=title, body_format=fmt))
            except Exception as exc:  # a plugin bug must not kill delivery
                ok, captured_extra = False, f"{exc.__class__.__name__}: {exc}"
            else:
                captured_extra = ""
            detail = captured.getvalue().strip().splitlines()
        if ok:
            return TargetResult(masked, True)
        reason = captured_extra or (detail[-1] if detail else "delivery failed")
        return TargetResult(masked, False, scrub(reason, self.secrets)[:500])
