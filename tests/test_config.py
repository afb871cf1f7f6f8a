"""Configuration errors: one line each, naming file, line and key; exit 1; nothing stored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, write_config
from monitor.cli import main
from monitor.config import load_config
from monitor.yamlsource import ConfigInvalid

GOOD_SOURCE = {"name": "wire", "url": "http://127.0.0.1:9/feed.xml"}


def test_default_config_is_valid(capsys):
    assert main(["check", "--config", str(ROOT / "config")]) == 0
    out = capsys.readouterr().out
    assert "configuration OK" in out and "massive-strike-on-ukraine" in out


def test_broken_sources_file_names_file_line_and_key(tmp_path, capsys):
    cfg = write_config(tmp_path / "c", sources=[GOOD_SOURCE], rules=[])
    (cfg / "sources.yaml").write_text(
        "sources:\n"
        "  - name: wire\n"
        "    url: http://127.0.0.1:9/feed.xml\n"
        "    intervall: 10m\n")
    assert main(["once", "--config", str(cfg)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {cfg / 'sources.yaml'}:4: sources[0].intervall: unknown key"]
    assert not (cfg / "monitor.db").exists(), "a config error must store nothing"


def test_broken_rule_file_names_file_line_and_key(tmp_path, capsys):
    cfg = write_config(tmp_path / "c", sources=[GOOD_SOURCE])
    (cfg / "rules" / "desk.yaml").write_text(
        "version: 1\n"
        "rules:\n"
        "  - name: big-strike\n"
        "    match:\n"
        "      kind: strike\n"
        "      dornes_launched: {gte: 100}\n"
        "    notify: [console]\n")
    assert main(["once", "--config", str(cfg)]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {cfg / 'rules' / 'desk.yaml'}:6: rules[0].match.dornes_launched: unknown key")
    assert not (cfg / "monitor.db").exists()


def test_yaml_syntax_error_has_a_line(tmp_path, capsys):
    cfg = write_config(tmp_path / "c", sources=[GOOD_SOURCE], rules=[])
    (cfg / "monitor.yaml").write_text("channels:\n  desk: [unclosed\n")
    assert main(["check", "--config", str(cfg)]) == 1
    err = capsys.readouterr().err
    assert f"{cfg / 'monitor.yaml'}:" in err and "invalid YAML" in err


def test_env_substitution_and_missing_variable(tmp_path, monkeypatch):
    cfg = write_config(tmp_path / "c", sources=[GOOD_SOURCE], rules=[])
    (cfg / "monitor.yaml").write_text("channels:\n  hook: json://127.0.0.1:9/x?+X-Token=${HOOK_TOKEN}\n")
    monkeypatch.setenv("HOOK_TOKEN", "abc123")
    assert load_config(cfg).settings.channels["hook"].endswith("X-Token=abc123")
    monkeypatch.delenv("HOOK_TOKEN")
    with pytest.raises(ConfigInvalid) as exc:
        load_config(cfg)
    assert str(exc.value) == f"{cfg / 'monitor.yaml'}:2: channels.hook: environment variable ${{HOOK_TOKEN}} is not set"


def test_database_url_env_overrides(tmp_path, monkeypatch):
    cfg = write_config(tmp_path / "c", sources=[GOOD_SOURCE], rules=[])
    monkeypatch.setenv("MONITOR_DATABASE_URL", "sqlite:////tmp/elsewhere.db")
    assert load_config(cfg).database_url == "sqlite:////tmp/elsewhere.db"


def test_all_errors_reported_at_once(tmp_path):
    cfg = write_config(tmp_path / "c", sources=[GOOD_SOURCE], rules=[])
    (cfg / "sources.yaml").write_text(
        "sources:\n  - name: a\n    url: ftp://x\n  - name: a\n    url: http://x\n    kind: json\n")
    with pytest.raises(ConfigInvalid) as exc:
        load_config(cfg)
    text = str(exc.value).splitlines()
    assert f"{cfg / 'sources.yaml'}:3: sources[0].url: must be an http:// or https:// URL" in text
    assert any(line.startswith(f"{cfg / 'sources.yaml'}:6: sources[1].kind: Input should be 'rss', 'atom' or 'auto'")
               for line in text)


def test_cli_usage_error_exits_2_and_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "monitor", "once", "--no-such-flag"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_cli_user_error_is_one_line_without_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "monitor", "check", "--config", str(tmp_path / "nope")],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {tmp_path / 'nope'}: configuration folder not found"
