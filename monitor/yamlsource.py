"""YAML loading that remembers where every value came from.

Configuration errors must name file, line and key. PyYAML builds plain Python
objects and forgets positions, so we compose the node tree once, construct the
data from it, and walk both in parallel to map each key path to its line.
`${VAR}` references are substituted in string scalars after loading.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

Loc = tuple[Any, ...]
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class ConfigError:
    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class ConfigInvalid(Exception):
    """One or more configuration errors; str() is one line per error."""

    def __init__(self, errors: list[ConfigError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class YamlDoc:
    """Loaded YAML data plus the line of every key path (1-based)."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Loc) -> int | None:
        """Line of the deepest known prefix of `loc`."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)

    def error(self, loc: Loc, message: str) -> ConfigError:
        return ConfigError(str(self.path), self.line_of(loc), dotted(loc), message)


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            lines[loc + (key,)] = key_node.start_mark.line + 1
            _walk(value_node, loc + (key,), lines)
            lines[loc + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), lines)


def _substitute(value: Any, loc: Loc, doc: YamlDoc, env: dict[str, str], errors: list) -> Any:
    if isinstance(value, str):
        def repl(m: re.Match) -> str:
            name = m.group(1)
            if name not in env:
                errors.append(doc.error(loc, f"environment variable ${{{name}}} is not set"))
                return ""
            return env[name]

        return _ENV.sub(repl, value)
    if isinstance(value, dict):
        return {k: _substitute(v, loc + (k,), doc, env, errors) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, loc + (i,), doc, env, errors) for i, v in enumerate(value)]
    return value


def load_yaml(path: Path, *, env: dict[str, str] | None = None, text: str | None = None) -> YamlDoc:
    """Parse one YAML file; raise ConfigInvalid with file:line on syntax or env errors."""
    path = Path(path)
    try:
        source = text if text is not None else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigInvalid([ConfigError(str(path), None, "", f"cannot read: {exc}")]) from None
    loader = yaml.SafeLoader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ConfigInvalid([ConfigError(str(path), line, "", f"invalid YAML: {msg}")]) from None
    except yaml.YAMLError as exc:
        raise ConfigInvalid([ConfigError(str(path), None, "", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    doc = YamlDoc(path=path, data=data)
    if node is not None:
        _walk(node, (), doc.lines)
    errors: list[ConfigError] = []
    doc.data = _substitute(data, (), doc, dict(os.environ if env is None else env), errors)
    if errors:
        raise ConfigInvalid(errors)
    return doc


def _pydantic_message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    msg = err.get("msg", "invalid value")
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg


def validate_model(doc: YamlDoc, model: type[BaseModel], data: Any = None, base: Loc = ()):
    """Validate `data` (default: the whole doc) against `model`; errors carry lines."""
    payload = doc.data if data is None else data
    try:
        return model.model_validate(payload if payload is not None else {})
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = base + tuple(p for p in err["loc"] if not _is_union_tag(p))
            errors.append(doc.error(loc, _pydantic_message(err)))
        raise ConfigInvalid(errors) from None


def _is_union_tag(part: Any) -> bool:
    # pydantic inserts the chosen union member / function name into loc paths
    return isinstance(part, str) and (part.startswith("function-") or "[" in part)
