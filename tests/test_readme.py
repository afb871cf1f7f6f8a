"""Every configuration example in the README is valid configuration."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from monitor.config import load_config
from monitor.rules import load_rules

BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def _block(start: str) -> str:
    found = [b for b in BLOCKS if b.startswith(start)]
    assert len(found) == 1, f"README has no single yaml block starting with {start!r}"
    return found[0]


@pytest.fixture
def secrets(monkeypatch):
    for var in ("SMTP_USER", "SMTP_PASSWORD", "TELEGRAM_BOT_TOKEN", "TELEGRAM_CHAT_ID"):
        monkeypatch.setenv(var, f"readme-{var.lower()}")


def test_readme_config_examples_load(tmp_path, secrets):
    (tmp_path / "monitor.yaml").write_text(_block("database:"))
    (tmp_path / "sources.yaml").write_text(_block("sources:"))
    cfg = load_config(tmp_path)
    assert cfg.settings.admin_channel == "ops-chat"
    assert cfg.sources[0].name == "guardian-ukraine" and cfg.sources[0].allow_private is False
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "readme.yaml").write_text(_block("version: 1"))
    rules = load_rules(tmp_path / "rules", cfg.settings.channel_names())
    assert [r.name for r in rules.rules] == ["massive-strike-on-ukraine", "kyiv-hit", "us-russia-ceasefire-talks",
                                             "north-korean-weapons"]


def test_readme_shows_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text
    assert "make test" in (ROOT / ".ci" / "run").read_text()
