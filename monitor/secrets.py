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
    host = MASK if _token_like_host(host) else host  # bot ids, webhook ids in the host position
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    user = f"{MASK}@" if (parts.username or parts.password) else ""
    rest = f"/{MASK}" if (parts.path.strip("/") or parts.query) else ""
    return f"{parts.scheme}://{user}{host}{port}{rest}"


def secret_fragments(url: str) -> set[str]:
    """The pieces of a channel URL that may be secrets, as they could appear in a message.

    Passwords, header values (`+X-Token=`), credential-like query values and
    token-like user names, hosts and path segments. Plain words (a topic
    `monitor`, `to=desk@...`) are left alone: scrubbing them would garble logs.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. tgram://123:token/... -> the "port" is the token
        parts, host = None, ""
    frags: set[str] = set()

    def add(value: str | None, minimum: int) -> None:
        for piece in {value or "", unquote(value or "")}:
            if len(piece) >= minimum and piece.lower() not in _HARMLESS:
                frags.add(piece)

    if parts is None:
        for raw in _SPLIT.split(url.split("://", 1)[-1]):
            add(raw, 6)
        return frags
    add(parts.password, 3)
    add(parts.username, 8 if not any(c.isdigit() for c in parts.username or "") else 4)
    hostport = parts.netloc.rpartition("@")[2]
    raw_host, _, port = hostport.partition(":")
    if _token_like_host(raw_host.lower()):
        add(raw_host, 4)
    if port and not port.isdigit():
        add(port, 3)  # tgram://<bot id>:<token>/...: the "port" is the token
    for seg in parts.path.split("/"):
        add(seg, 8 if not any(c.isdigit() for c in seg) else 6)
    for pair in parts.query.split("&"):
        key, _, value = pair.partition("=")
        if key.startswith(("+", "-", ":", "%2B", "%2b")) or unquote(key).lower() in _CREDENTIAL_KEYS:
            add(value, 3)
        else:
            add(value, 20)  # long opaque values (API keys under another name)
    return frags


def _token_like_host(host: str) -> bool:
    return bool(host) and "." not in host and ":" not in host and host != "localhost"


_CREDENTIAL_KEYS = {"pass", "password", "pwd", "token", "key", "apikey", "api_key", "secret", "auth",
                    "access_token", "bearer", "webhook", "botkey", "privatekey", "apptoken", "usertoken"}
_HARMLESS = {"http", "https", "json", "xml", "form", "mailto", "mailtos", "smtp", "localhost",
             "true", "false", "yes", "html", "text", "markdown", "format", "from", "to", "name",
             "mode", "user", "pass", "ssl", "starttls", "priority", "tags", "topic", "title",
             "content-type", "127.0.0.1", "monitor", "alerts", "notifications", "webhook", "webhooks"}


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
