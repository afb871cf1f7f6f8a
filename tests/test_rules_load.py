"""Loading and validating rule files: the valid/invalid corpus under tests/data/rules."""

from __future__ import annotations

import shutil
from datetime import time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor import gazetteer
from monitor.rules import ConfigInvalid, Digest, QuietHours, explain, load_rules
from monitor.rulespec import MatchSpec, RuleSpec

DATA = Path(__file__).parent / "data" / "rules"
CHANNELS = {"desk-email", "ops-chat"}
INVALID = sorted(p.stem for p in (DATA / "invalid").glob("*.yaml"))


def errors_of(tmp_path: Path, name: str) -> str:
    shutil.copy(DATA / "invalid" / f"{name}.yaml", tmp_path)
    with pytest.raises(ConfigInvalid) as exc:
        load_rules(tmp_path, CHANNELS)
    return str(exc.value).replace(f"{tmp_path}/", "")


@pytest.mark.parametrize("name", INVALID)
def test_invalid_file_reports_exactly_the_expected_errors(tmp_path, name):
    expected = (DATA / "invalid" / f"{name}.expected.txt").read_text(encoding="utf-8").strip()
    expected = expected.replace("{countries}", ", ".join(sorted(gazetteer.COUNTRIES)))
    assert expected, f"{name}.expected.txt is empty"
    assert errors_of(tmp_path, name) == expected


def test_invalid_corpus_is_complete():
    assert len(INVALID) >= 10
    for name in INVALID:
        assert (DATA / "invalid" / f"{name}.expected.txt").exists(), name


def test_all_errors_of_all_files_at_once(tmp_path):
    for name in ("unknown-keys", "bad-version", "syntax"):
        shutil.copy(DATA / "invalid" / f"{name}.yaml", tmp_path)
    with pytest.raises(ConfigInvalid) as exc:
        load_rules(tmp_path, CHANNELS)
    files = [e.file for e in exc.value.errors]
    assert {Path(f).name for f in files} == {"unknown-keys.yaml", "bad-version.yaml", "syntax.yaml"}
    assert files == sorted(files)  # files in name order
    assert len(exc.value.errors) == 6


def test_valid_corpus_loads(tmp_path):
    rs = load_rules(DATA / "valid", CHANNELS)
    assert [p.name for p in rs.files] == ["empty.yaml", "options.yml", "spec-examples.yaml"]
    assert [r.name for r in rs.rules] == [
        "night-strikes-digest", "oblast-casualties", "corroborated-talks",
        "massive-strike-on-ukraine", "kyiv-hit", "us-russia-ceasefire-talks", "north-korean-weapons"]
    assert set(rs.by_name) == {r.name for r in rs.rules}
    kyiv = rs.by_name["kyiv-hit"]
    assert kyiv.file == str(DATA / "valid" / "spec-examples.yaml") and kyiv.line == 10
    assert kyiv.notify == ("ops-chat",) and kyiv.severity == "info" and kyiv.min_sources == 1
    assert kyiv.throttle is kyiv.quiet_hours is kyiv.digest is None


def test_rule_options_are_parsed(tmp_path):
    rs = load_rules(DATA / "valid", CHANNELS)
    digest = rs.by_name["night-strikes-digest"]
    assert digest.digest == Digest(time(7, 0), ZoneInfo("Europe/Kyiv"))
    assert digest.notify == ("desk-email",) and digest.severity == "warning"
    oblast = rs.by_name["oblast-casualties"]
    assert oblast.throttle == timedelta(hours=1, minutes=30)
    assert oblast.quiet_hours == QuietHours(time(23, 0), time(6, 30), ZoneInfo("Europe/Paris"))
    assert oblast.match.spec.places == ["Kyiv Oblast"]
    talks = rs.by_name["corroborated-talks"]
    assert talks.min_sources == 3
    assert talks.quiet_hours == QuietHours(time(22), time(7), ZoneInfo("UTC"))
    assert talks.match.spec.exclude_keywords == ["wage talks"]


def test_unquoted_times_are_read_as_times(tmp_path):
    # YAML 1.1 reads 07:30 as the base-60 integer 450
    (tmp_path / "r.yaml").write_text("version: 1\nrules:\n  - name: r\n    match: {kind: strike}\n"
                                     "    notify: console\n    digest: {daily_at: 07:30, tz: UTC}\n")
    assert load_rules(tmp_path).by_name["r"].digest.at == time(7, 30)


def test_duplicate_names_across_files(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text("version: 1\nrules:\n  - name: same\n    match: {kind: strike}\n"
                                     "    notify: [console]\n")
    with pytest.raises(ConfigInvalid) as exc:
        load_rules(tmp_path, set())
    assert str(exc.value) == f"{tmp_path}/b.yaml:3: rules[0].name: duplicate rule name 'same' " \
                             f"(first defined at {tmp_path}/a.yaml:3)"


def test_console_channel_always_exists_and_others_are_checked(tmp_path):
    (tmp_path / "r.yaml").write_text("version: 1\nrules:\n  - name: r\n    match: {kind: strike}\n"
                                     "    notify: [console, pager]\n")
    with pytest.raises(ConfigInvalid, match="unknown channel 'pager' .configured: console.$"):
        load_rules(tmp_path, set())
    assert load_rules(tmp_path, {"pager"}).by_name["r"].notify == ("console", "pager")


def test_missing_folder_and_non_rule_files(tmp_path):
    with pytest.raises(ConfigInvalid, match="rules folder not found"):
        load_rules(tmp_path / "nope", set())
    (tmp_path / "README.md").write_text("not yaml: [")
    (tmp_path / ".hidden.yaml").write_text("not yaml: [")
    assert len(load_rules(tmp_path, set())) == 0


def test_explain_documents_every_key():
    text = explain()
    for name, field in [*RuleSpec.model_fields.items(), *MatchSpec.model_fields.items()]:
        key = field.alias or name
        assert f"\n  {key} " in text, key
        assert field.description and field.description in text
    for op in ("gte", "gt", "lte", "lt", "eq"):
        assert f"{op} (" in text
