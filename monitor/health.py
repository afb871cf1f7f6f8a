"""Source health notices for the admin channel: failing, recovered, went quiet.

After `poll.failing_after` consecutive failures, ONE "source failing" notice; when
the source answers again, ONE "source recovered". A source that usually posts
every X and has posted nothing for `poll.quiet_factor` x X (and at least
`poll.quiet_min`) gets ONE "source went quiet" notice per silence.

Notices go through the store's outbox, so they are durable. Their subjects are
stable per episode (`source:<name>:failing:<epoch ms of the first failure>`), and the
outbox is unique on (rule, subject, channel, revision): the pipeline queues first
and sets the `*_notified` flags second, so a crash in between re-queues the same
subject, which the database ignores. Nothing here is taken from the feed's
content: titles and bodies are built from the source name, our own error text and
times, reduced to plain text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.config import PollSettings
from monitor.poll import plain_text
from monitor.store.outbox import AlertDraft
from monitor.store.tables import SourceRow

log = logging.getLogger(__name__)
RULE = "source-health"


@dataclass
class Review:
    drafts: list[AlertDraft] = field(default_factory=list)
    changes: list[tuple[str, dict]] = field(default_factory=list)  # (source, column values) after queueing


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}".replace(".0 ", " ")
    return f"{seconds} s"


def _epoch(when: datetime | None) -> int:
    return int(when.timestamp() * 1000) if when else 0  # ms: one episode, one subject


def quiet_after(row: SourceRow, poll: PollSettings) -> timedelta | None:
    """How long without items makes this source "quiet", or None when unknown or disabled."""
    if not poll.quiet_factor or not row.post_gap_seconds or row.items_seen < 3:
        return None
    return max(timedelta(seconds=row.post_gap_seconds * poll.quiet_factor), poll.quiet_min)


def is_quiet(row: SourceRow, poll: PollSettings, now: datetime) -> bool:
    limit = quiet_after(row, poll)
    return bool(limit and row.last_item_at and not row.consecutive_failures and now - row.last_item_at > limit)


def review(rows: list[SourceRow], poll: PollSettings, admin: str | None, now: datetime) -> Review:
    """The notices these freshly polled sources call for, and the flags to set once queued."""
    out = Review()

    def notice(row: SourceRow, kind: str, key: int, title: str, lines: list[str]) -> None:
        title = plain_text(title)
        log.warning("%s", title)
        if admin:
            body = "\n".join(plain_text(line) for line in lines if line)
            out.drafts.append(AlertDraft(rule=RULE, subject=f"source:{row.name}:{kind}:{key}", channel=admin,
                                         title=title, body=body, chat=title))

    for row in rows:
        name = row.name
        if row.consecutive_failures >= poll.failing_after and not row.failing_notified:
            since = row.failing_since or now
            notice(row, "failing", _epoch(row.failing_since), f"{RULE}: source {name} failing", [
                f"Source {name} failed {row.consecutive_failures} times in a row since {since:%Y-%m-%d %H:%M} UTC.",
                f"Last error: {row.last_error or 'unknown'}",
                f"URL: {row.url}",
                "The monitor keeps retrying with backoff"
                + (f"; next try {row.next_poll_at:%Y-%m-%d %H:%M} UTC." if row.next_poll_at else ".")])
            out.changes.append((row.name, {"failing_notified": True}))
        elif row.consecutive_failures == 0 and row.failing_notified:
            down = now - row.failing_since if row.failing_since else None
            notice(row, "recovered", _epoch(row.failing_since), f"{RULE}: source {name} recovered", [
                f"Source {name} answers again" + (f" after {_ago(down)} of failures." if down else "."),
                f"URL: {row.url}"])
            out.changes.append((row.name, {"failing_notified": False, "failing_since": None}))
        if is_quiet(row, poll, now) and not row.quiet_notified:
            notice(row, "quiet", _epoch(row.last_item_at), f"{RULE}: source {name} went quiet", [
                f"Source {name} usually posts every {_ago(timedelta(seconds=row.post_gap_seconds))} and has "
                f"posted nothing for {_ago(now - row.last_item_at)} (last item {row.last_item_at:%Y-%m-%d %H:%M} UTC).",
                f"URL: {row.url}"])
            out.changes.append((row.name, {"quiet_notified": True}))
    return out
