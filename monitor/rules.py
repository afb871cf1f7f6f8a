"""Watch rules: load and validate `rules/*.yaml` into an executable `RuleSet`.

    ruleset = load_rules(Path("config/rules"), channels={"desk-email", "ops-chat"})
    for rule in match_all(ruleset, item): ...        # monitor.match

`load_rules` reports every problem of every file at once (`ConfigInvalid`, one
`file:line: key: message` per error) or returns a RuleSet where every rule is compiled
and ready to match. The YAML shape lives in `monitor.rulespec`, matching in
`monitor.match`, scheduling (throttle, quiet hours, digest) in `monitor.rules_schedule`.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from monitor.match import Matcher, RuleIndex, compile_match
from monitor.rulespec import RuleSpec, RulesFile, explain, suggest
from monitor.yamlsource import ConfigError, ConfigInvalid, YamlDoc, dotted, load_yaml

__all__ = ["Rule", "RuleSet", "QuietHours", "Digest", "load_rules", "explain", "ConfigInvalid"]


@dataclass(frozen=True)
class QuietHours:
    """Local [start, end) period in `tz`; may span midnight (22:00-07:00)."""

    start: time
    end: time
    tz: ZoneInfo


@dataclass(frozen=True)
class Digest:
    """One summary per day at `at` local time in `tz`."""

    at: time
    tz: ZoneInfo


@dataclass(frozen=True, eq=False)
class Rule:
    name: str
    match: Matcher
    notify: tuple[str, ...]
    severity: str = "info"
    throttle: timedelta | None = None
    quiet_hours: QuietHours | None = None
    digest: Digest | None = None
    min_sources: int = 1  # corroboration threshold: `min_sources` at the top of `match`
    description: str | None = None
    file: str = ""
    line: int | None = None

    @classmethod
    def from_spec(cls, spec: RuleSpec, file: str = "", line: int | None = None) -> Rule:
        qh, dg = spec.quiet_hours, spec.digest
        return cls(
            name=spec.name,
            match=compile_match(spec.match),
            notify=tuple(dict.fromkeys(spec.notify)),
            severity=spec.severity,
            throttle=spec.throttle,
            quiet_hours=QuietHours(qh.start, qh.end, ZoneInfo(qh.tz)) if qh else None,
            digest=Digest(dg.daily_at, ZoneInfo(dg.tz)) if dg else None,
            min_sources=spec.match.min_sources or 1,
            description=spec.description,
            file=file,
            line=line,
        )

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = ()
    files: tuple[Path, ...] = ()
    by_name: dict[str, Rule] = field(init=False, repr=False)
    index: RuleIndex = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {r.name: r for r in self.rules})
        object.__setattr__(self, "index", RuleIndex(self.rules))

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):
        return iter(self.rules)


def rule_files(rules_dir: Path) -> list[Path]:
    """The rule files of a folder, sorted by name (`*.yaml` and `*.yml`, not hidden)."""
    rules_dir = Path(rules_dir)
    return sorted(p for p in rules_dir.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith("."))


def load_rules(rules_dir: Path, channels: set[str] | frozenset[str] = frozenset()) -> RuleSet:
    """Load every rule file of `rules_dir`; raise ConfigInvalid listing ALL errors.

    `channels` are the channel names configured in monitor.yaml; `console` always exists.
    A missing folder is an error; an empty folder gives an empty RuleSet.
    """
    rules_dir = Path(rules_dir)
    if not rules_dir.is_dir():
        raise ConfigInvalid([ConfigError(str(rules_dir), None, "", "rules folder not found")])
    errors: list[ConfigError] = []
    rules: list[Rule] = []
    seen: dict[str, str] = {}  # rule name -> file:line
    files = rule_files(rules_dir)
    for path in files:
        try:
            doc = load_yaml(path)
        except ConfigInvalid as exc:
            errors += exc.errors
            continue
        file_errors: list[ConfigError] = []
        parsed = _validate(doc, channels, file_errors)
        for i, name in _raw_names(doc.data):
            where = f"{path}:{doc.line_of(('rules', i))}"
            if name in seen:
                file_errors.append(doc.error(("rules", i, "name"),
                                             f"duplicate rule name {name!r} (first defined at {seen[name]})"))
            seen.setdefault(name, where)
        errors += sorted(file_errors, key=lambda e: e.line or 0)
        if parsed is not None and not file_errors:
            rules += [Rule.from_spec(spec, str(path), doc.line_of(("rules", i)))
                      for i, spec in enumerate(parsed.rules)]
    if errors:
        raise ConfigInvalid(errors)
    return RuleSet(tuple(rules), tuple(files))


def _validate(doc: YamlDoc, channels, errors: list[ConfigError]) -> RulesFile | None:
    try:
        return RulesFile.model_validate(doc.data if doc.data is not None else {},
                                        context={"channels": set(channels)})
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not _is_tag(p))
            key = dotted(loc)
            errors.append(ConfigError(str(doc.path), doc.line_of(loc), key, _message(err, loc)))
        return None


def _raw_names(data: Any) -> list[tuple[int, str]]:
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        return []
    return [(i, r["name"]) for i, r in enumerate(rules) if isinstance(r, dict) and isinstance(r.get("name"), str)]


def _is_tag(part: Any) -> bool:
    # pydantic puts the chosen union member / validator name into loc paths
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _message(err: dict, loc: tuple) -> str:
    kind, value = err.get("type", ""), err.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        return f"unknown key (allowed: {', '.join(allowed)}){suggest(str(loc[-1]), allowed)}"
    if kind == "missing":
        return "required key is missing"
    if kind in ("string_type",):
        return f"expected a string, got {_describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {_describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        allowed = _allowed_keys(loc)
        hint = f" with keys from: {', '.join(allowed)}" if allowed else ""
        return f"expected a mapping{hint}, got {_describe(value)}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "greater_than_equal":
        return f"must be at least {err['ctx']['ge']}, got {_describe(value)}"
    msg = err.get("msg", "invalid value")
    return msg.removeprefix("Value error, ")


def _allowed_keys(loc: tuple) -> list[str]:
    """Keys allowed in the mapping at `loc` (walking the model tree from RulesFile)."""
    model: Any = RulesFile
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        if part not in fields:
            return []
        model = _model_in(fields[part].annotation)
        if model is None:
            return []
    return [f.alias or n for n, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
