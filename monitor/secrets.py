"""Masking of secrets in channel URLs, everywhere they could be shown.

An apprise URL carries its credentials in the userinfo, the path (bot tokens,
webhook ids), the query (`?pass=`, `+X-Header=value`). We keep the scheme and the
host and mask the rest; `SecretRedactor` also scrubs the raw secret fragments from
any log record or error text, since libraries may echo them in their own words.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

MASK = "***"
_SPLIT = re.compile(r"[/:@?&=+,;#]")


def mask_url(url: str) -> str:
    """`mailto://user:pw@smtp.example.com/x?to=a` -> `mailto://***@smtp.example.com/***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"{url.split('://', 1)[0]}://{MASK}" if "://" in url else MASK
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    user = f"{MASK}@" if (parts.username or parts.password) else ""
    rest = f"/{MASK}" if (parts.path.strip("/") or parts.query) else ""
    return f"{parts.scheme}://{user}{host}{port}{rest}"


def secret_fragments(url: str) -> set[str]:
    """Every piece of a channel URL that might be a secret (len >= 4, not the host)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        host = ""
    body = url.split("://", 1)[-1]
    frags = set()
    try:
        port = str(urlsplit(url).port or "")
    except ValueError:
        port = ""
    for raw in _SPLIT.split(body):
        for piece in {raw, unquote(raw)}:
            if len(piece) >= 4 and piece.lower() != host and piece != port and piece.lower() not in _HARMLESS:
                frags.add(piece)
    return frags


_HARMLESS = {"http", "https", "json", "xml", "form", "mailto", "mailtos", "smtp", "localhost",
             "true", "false", "yes", "html", "text", "markdown", "format", "from", "to", "name",
             "mode", "user", "pass", "ssl", "starttls", "priority", "tags", "topic", "title",
             "content-type", "127.0.0.1"}


def scrub(text: str, secrets: set[str]) -> str:
    for frag in sorted(secrets, key=len, reverse=True):
        if frag in text:
            text = text.replace(frag, MASK)
    return text


class SecretRedactor(logging.Filter):
    """Logging filter that removes channel secrets from every record it sees."""

    def __init__(self, secrets: set[str]):
        super().__init__()
        self.secrets = set(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            msg = record.getMessage()
            clean = scrub(msg, self.secrets)
            if clean != msg:
                record.msg, record.args = clean, ()
            if record.exc_info:
                record.exc_text = scrub(logging.Formatter().formatException(record.exc_info), self.secrets)
                record.exc_info = None
        return True


_LIBRARY_REDACTOR = SecretRedactor(set())


def redact_logger(name: str, secrets: set[str]) -> None:
    """Scrub `secrets` from every record logged by library logger `name` (e.g. apprise), however
    logging is configured: a logger's own filter runs before any handler, pytest's included."""
    logger = logging.getLogger(name)
    _LIBRARY_REDACTOR.secrets |= set(secrets)
    if _LIBRARY_REDACTOR not in logger.filters:
        logger.addFilter(_LIBRARY_REDACTOR)


def install_redactor(secrets: set[str]) -> SecretRedactor:
    """Attach a redactor to the root handlers (and apprise's logger) for these secrets."""
    redactor = SecretRedactor(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(redactor)
    redact_logger("apprise", secrets)
    return redactor
