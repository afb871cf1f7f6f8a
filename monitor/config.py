"""Configuration: `monitor.yaml` and `sources.yaml`, validated once at load.

Every error names file, line and key (see yamlsource). Unknown keys are errors.
The loaded `Config` is passed explicitly to whoever needs it; nothing reads a global.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from monitor.durations import parse_duration
from monitor.yamlsource import ConfigError, ConfigInvalid, YamlDoc, load_yaml, validate_model

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
DEFAULT_DB_URL = "sqlite:///storage/monitor.db"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DatabaseSettings(_Strict):
    url: str = DEFAULT_DB_URL


class HttpSettings(_Strict):
    user_agent: str = "war-monitor/0.1 (+https://github.com/; self-hosted news monitor)"
    contact: str | None = None  # appended to the User-Agent, e.g. an email address
    concurrency: int = Field(50, ge=1, le=1000)
    per_host: int = Field(4, ge=1, le=100)  # requests in flight to one host at once
    per_host_delay: Duration = timedelta(milliseconds=250)  # minimum gap between request starts per host
    connect_timeout: Duration = timedelta(seconds=10)
    read_timeout: Duration = timedelta(seconds=20)
    total_timeout: Duration = timedelta(seconds=60)
    max_body_bytes: int = Field(10_000_000, ge=10_000)
    max_redirects: int = Field(5, ge=0, le=20)

    def full_user_agent(self) -> str:
        return f"{self.user_agent} {self.contact}".strip() if self.contact else self.user_agent


class WorkerSettings(_Strict):
    clean_processes: int = Field(2, ge=0, le=64)  # 0 = clean in-process


class DeliverySettings(_Strict):
    max_age: Duration = timedelta(hours=24)  # give up (dead) after this age
    base_backoff: Duration = timedelta(seconds=30)
    max_backoff: Duration = timedelta(hours=1)
    interval: Duration = timedelta(seconds=5)  # how often the daemon looks for alerts to send
    lease: Duration = timedelta(minutes=5)  # a claimed alert whose sender vanished is retried after this

    @field_validator("interval", "lease")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value.total_seconds() < 0.1:
            raise ValueError("must be at least 100ms")
        return value


class PollSettings(_Strict):
    default_interval: Duration = timedelta(minutes=10)  # until a source's posting rate is known
    adaptive: bool = True  # sources without their own `interval` follow their posting rate ...
    min_interval: Duration = timedelta(minutes=2)  # ... within these bounds
    max_interval: Duration = timedelta(hours=1)
    jitter: float = Field(0.1, ge=0, le=0.5)  # fraction of the interval
    max_backoff: Duration = timedelta(hours=1)
    failing_after: int = Field(3, ge=1)  # consecutive failures before a "source failing" notice
    quiet_factor: float = Field(6.0, ge=0)  # "went quiet" after this many usual gaps without items; 0 = off
    quiet_min: Duration = timedelta(hours=1)  # ... and never before this long without items

    @model_validator(mode="after")
    def _bounds(self) -> "PollSettings":
        if self.min_interval > self.max_interval:
            raise ValueError("poll.min_interval must not exceed poll.max_interval")
        return self


class Settings(_Strict):
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    workers: WorkerSettings = Field(default_factory=WorkerSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    poll: PollSettings = Field(default_factory=PollSettings)
    backfill: Duration = timedelta(hours=24)
    admin_channel: str | None = None
    channels: dict[str, str | list[str]] = Field(default_factory=dict)

    @field_validator("channels")
    @classmethod
    def _channel_urls(cls, value: dict[str, Any]) -> dict[str, Any]:
        for name, urls in value.items():
            for url in [urls] if isinstance(urls, str) else urls:
                if "://" not in url:
                    raise ValueError(f"channel {name!r}: not an apprise URL (scheme://...)")
        return value

    @model_validator(mode="after")
    def _admin_known(self) -> "Settings":
        if self.admin_channel and self.admin_channel not in self.channel_names():
            raise ValueError(
                f"admin_channel {self.admin_channel!r} is not a channel "
                f"(known: {', '.join(sorted(self.channel_names()))})"
            )
        return self

    def channel_names(self) -> set[str]:
        return set(self.channels) | {"console"}

    def channel_urls(self, name: str) -> list[str]:
        if name == "console" and "console" not in self.channels:
            return ["console://"]
        urls = self.channels[name]
        return [urls] if isinstance(urls, str) else list(urls)


class SourceConfig(_Strict):
    name: str = Field(min_length=1)
    url: str
    kind: Literal["rss", "atom", "auto"] = "auto"
    lang: str | None = None
    interval: Duration | None = None
    fetch_article: bool = True
    allow_private: bool = False
    tags: list[str] = Field(default_factory=list)
    backfill: Duration | None = None
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value


class SourcesFile(_Strict):
    sources: list[SourceConfig] = Field(default_factory=list)


@dataclass(frozen=True)
class Config:
    dir: Path
    settings: Settings
    sources: list[SourceConfig]

    @property
    def database_url(self) -> str:
        return os.environ.get("MONITOR_DATABASE_URL") or self.settings.database.url

    def source(self, name: str) -> SourceConfig:
        for src in self.sources:
            if src.name == name:
                return src
        raise KeyError(name)

    def interval(self, src: SourceConfig) -> timedelta:
        return src.interval or self.settings.poll.default_interval

    def backfill(self, src: SourceConfig) -> timedelta:
        return src.backfill if src.backfill is not None else self.settings.backfill


def _load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    doc = load_yaml(path)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise ConfigInvalid([doc.error((), "top level must be a mapping")])
    return validate_model(doc, Settings)


def _load_sources(path: Path) -> list[SourceConfig]:
    if not path.exists():
        raise ConfigInvalid([ConfigError(str(path), None, "", "file not found")])
    doc: YamlDoc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise ConfigInvalid([doc.error((), "top level must be a mapping with a `sources:` list")])
    parsed = validate_model(doc, SourcesFile)
    errors, seen = [], {}
    for i, src in enumerate(parsed.sources):
        if src.name in seen:
            errors.append(doc.error(("sources", i, "name"), f"duplicate source name {src.name!r}"))
        seen[src.name] = i
    if errors:
        raise ConfigInvalid(errors)
    return parsed.sources


def load_config(config_dir: Path | str) -> Config:
    """Load and validate monitor.yaml and sources.yaml (rules are loaded by monitor.rules)."""
    base = Path(config_dir)
    if not base.is_dir():
        raise ConfigInvalid([ConfigError(str(base), None, "", "configuration folder not found")])
    errors: list[ConfigError] = []
    settings, sources = Settings(), []
    try:
        settings = _load_settings(base / "monitor.yaml")
    except ConfigInvalid as exc:
        errors += exc.errors
    try:
        sources = _load_sources(base / "sources.yaml")
    except ConfigInvalid as exc:
        errors += exc.errors
    if errors:
        raise ConfigInvalid(errors)
    return Config(dir=base, settings=settings, sources=sources)
