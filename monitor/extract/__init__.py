"""Event extraction: strike and negotiation events from a cleaned article text.

`extract_events(text, lang, title, published)` is pure and deterministic: no I/O, no
configuration. French and English are handled by the same bilingual patterns, so
`lang` is optional. See strike.py and negotiation.py for the rules. The package
imports its pattern modules on the first call only.
"""

from __future__ import annotations

from datetime import datetime

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.events import Event

__all__ = ["extract_events"]


def extract_events(
    text: str,
    lang: str | None = None,
    title: str | None = None,
    published: datetime | None = None,
) -> list[Event]:
    """Strike and negotiation events stated in an article (title + text)."""
    # imported on first use: the gazetteer and the rules only need textnorm, and the
    # patterns take ~0.3 s to compile, which `monitor check` and `--help` must not pay
    from monitor.extract.negotiation import extract_negotiations
    from monitor.extract.sentences import split_sentences
    from monitor.extract.strike import extract_strikes

    body = text or ""
    if title and title.strip() and title.strip() not in body[: len(title) + 200]:
        body = title.strip() + "\n" + body
    sentences = split_sentences(body)
    events: list[Event] = []
    events.extend(extract_strikes(sentences, published))
    events.extend(extract_negotiations(sentences, body))
    return events
