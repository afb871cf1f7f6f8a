"""Every ```yaml example of docs/rules.md is loaded and run against the items stated under it.

Convention (HTML comments after a block, before the next block):
  <!-- channels: a, b -->              channels the example needs (console always exists)
  <!-- matches RULE: {flow YAML} -->   an item RULE must match
  <!-- no match RULE: {flow YAML} -->  an item RULE must not match
  <!-- error: file:line: key: msg -->  the example is invalid; exactly these errors (file = rules.yaml)
Items: {event: {...event schema...}, title, text, lang (default en), sources (default [doc])}.
Each valid example must have a `matches` for every rule it defines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from monitor.events import event_from_dict
from monitor.match import matches
from monitor.models import MatchInput
from monitor.rules import ConfigInvalid, load_rules

DOC = Path(__file__).parent.parent / "docs" / "rules.md"
BLOCK = re.compile(r"^```yaml\n(.*?)^```\n(.*?)(?=^```yaml|\Z)", re.S | re.M)
CHECK = re.compile(r"<!--\s*(channels|matches|no match|error)(?:\s+([\w.-]+))?:\s*(.*?)\s*-->", re.S)


def examples() -> list[tuple[str, str, list[tuple[str, str | None, str]]]]:
    text = DOC.read_text(encoding="utf-8")
    found = []
    for m in BLOCK.finditer(text):
        line = text[: m.start()].count("\n") + 1
        found.append((f"docs/rules.md:{line}", m.group(1), CHECK.findall(m.group(2))))
    return found


def item(spec: str) -> MatchInput:
    data = yaml.safe_load(spec)
    lang = data.get("lang", "en")
    event = event_from_dict(data["event"]) if data.get("event") else None
    return MatchInput(event, data.get("title", ""), data.get("text", ""), lang,
                      frozenset(data.get("sources", ["doc"])), frozenset([lang]))


def test_doc_has_examples():
    assert len(examples()) >= 8
    assert len(re.findall(r"^```yaml", DOC.read_text(encoding="utf-8"), re.M)) == len(examples())


@pytest.mark.parametrize("where, source, checks", examples(), ids=[e[0] for e in examples()])
def test_doc_example(tmp_path, where, source, checks):
    (tmp_path / "rules.yaml").write_text(source, encoding="utf-8")
    channels = {c.strip() for kind, _, arg in checks if kind == "channels" for c in arg.split(",")}
    errors = [arg for kind, _, arg in checks if kind == "error"]
    if errors:
        with pytest.raises(ConfigInvalid) as exc:
            load_rules(tmp_path, channels)
        assert str(exc.value).replace(f"{tmp_path}/", "").splitlines() == errors, where
        return
    ruleset = load_rules(tmp_path, channels)
    tested = {rule for kind, rule, _ in checks if kind == "matches"}
    assert tested == set(ruleset.by_name), f"{where}: every rule needs a `matches` example"
    for kind, rule, spec in checks:
        if kind in ("matches", "no match"):
            assert matches(ruleset.by_name[rule], item(spec)) == (kind == "matches"), f"{where}: {kind} {rule}: {spec}"
