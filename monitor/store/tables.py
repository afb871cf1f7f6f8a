"""Database tables (sqlmodel). Only monitor.store uses them.

Uniqueness is enforced by the database, not by checks in Python, so two processes
racing to store the same item, article or alert cannot both win.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class SourceRow(SQLModel, table=True):
    __tablename__ = "source"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    url: str
    etag: str | None = None
    last_modified: str | None = None
    polls: int = 0
    last_polled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    consecutive_failures: int = 0
    next_poll_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    items_seen: int = 0
    last_item_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    failing_notified: bool = False
    # health (migration 0003): see monitor/health.py
    last_error_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_warning: str | None = Field(default=None, sa_column=Column(Text))  # feed parsed despite a problem
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)  # first failure of the streak
    post_gap_seconds: float | None = None  # usual gap between the source's items
    quiet_notified: bool = False


class ItemRow(SQLModel, table=True):
    """One feed entry as seen, keyed by (source, guid)."""

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("source_id", "guid", name="uq_item_source_guid"),)
    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    guid: str
    url: str | None = Field(default=None, index=True)  # canonical
    link: str | None = Field(default=None, sa_column=Column(Text))  # as published
    title: str = ""
    summary: str = Field(default="", sa_column=Column(Text, nullable=False))
    lang: str | None = None
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    state: str = Field(default="new", index=True)  # new | backfill | done | duplicate | error
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    article_id: int | None = Field(default=None, foreign_key="article.id")


class ArticleRow(SQLModel, table=True):
    __tablename__ = "article"
    __table_args__ = (
        UniqueConstraint("url", name="uq_article_url"),
        Index("ix_article_content_hash", "content_hash"),
    )
    id: int | None = Field(default=None, primary_key=True)
    url: str | None = None
    source: str | None = None
    title: str = ""
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    lang: str | None = None
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    content_hash: str
    duplicate_of: int | None = Field(default=None, foreign_key="article.id")
    near_duplicate_of: int | None = Field(default=None, foreign_key="article.id")
    minhash: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UTCDateTime)


class EventRow(SQLModel, table=True):
    __tablename__ = "event"
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True)
    kind: str = Field(index=True)
    data: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the event schema
    cluster_id: int | None = Field(default=None, foreign_key="event_cluster.id", index=True)
    reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UTCDateTime)


class AlertRow(SQLModel, table=True):
    """The outbox: an alert is stored before it is sent, then its state follows delivery.

    state: pending -> sending (claimed by one sender, `claimed_by`/`claimed_at` is
    its lease) -> sent | pending (retry at `next_attempt_at`) | dead. `done_targets`
    lists the keys of the channel's targets that already accepted it, so a retry
    only goes to the targets that failed. `chat`/`markdown`/`html` are the other
    renderings of `body` (plain text); each target gets the one that suits it.
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("rule", "subject", "channel", "revision", name="uq_alert_identity"),
        Index("ix_alert_due", "state", "next_attempt_at"),
        Index("ix_alert_channel_state", "channel", "state"),
    )
    id: int | None = Field(default=None, primary_key=True)
    rule: str
    subject: str  # "event:<id>" or "article:<id>"
    channel: str
    revision: int = 0  # 0 = first alert, 1.. = update alerts
    title: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    chat: str | None = Field(default=None, sa_column=Column(Text))
    markdown: str | None = Field(default=None, sa_column=Column(Text))
    html: str | None = Field(default=None, sa_column=Column(Text))
    state: str = "pending"  # pending | sending | sent | dead
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = None
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_targets: str | None = Field(default=None, sa_column=Column(Text))  # JSON list of target keys


class LshBandRow(SQLModel, table=True):
    """MinHash LSH bands of each original article (near-duplicate index, shared by workers)."""

    __tablename__ = "lsh_band"
    # the primary key's index (band, hash, article_id) serves the lookup by (band, hash), covering it
    band: int = Field(primary_key=True)
    hash: int = Field(sa_column=Column(BigInteger, primary_key=True))
    article_id: int = Field(primary_key=True, foreign_key="article.id")


class EventClusterRow(SQLModel, table=True):
    """One real-world event (attack wave, meeting) and the merged figures of its reports."""

    __tablename__ = "event_cluster"
    __table_args__ = (Index("ix_cluster_key_seen", "key", "last_seen"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    key: str  # "strike:RU>UA" or "negotiation:RU,US"
    data: str = Field(sa_column=Column(Text, nullable=False))  # merged event JSON
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime)
    reports: int = 1
    sources: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list of source names
    languages: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, index=True, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ClusterAlertRow(SQLModel, table=True):
    """What a rule last alerted about a cluster: the figures of its last (update) alert."""

    __tablename__ = "cluster_alert"
    rule: str = Field(primary_key=True)
    cluster_id: int = Field(primary_key=True, foreign_key="event_cluster.id")
    revision: int = 0
    data: str = Field(sa_column=Column(Text, nullable=False))  # the event as alerted
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
