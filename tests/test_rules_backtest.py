"""Back-testing rules against stored items."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.events import NegotiationEvent, StrikeEvent
from monitor.models import MatchInput
from monitor.rules import load_rules
from monitor.rules_backtest import backtest, format_backtest

DATA = Path(__file__).parent / "data" / "rules" / "valid"
CHANNELS = {"desk-email", "ops-chat"}


def items():
    big = StrikeEvent(attacker="RU", target="UA", drones={"launched": 539}, places=["Kyiv"])
    small = StrikeEvent(attacker="RU", target="UA", drones={"launched": 12}, places=["Kharkiv"])
    talks = NegotiationEvent(parties=["RU", "US"], topics=["ceasefire"], form="call", status="held")
    return [
        ("e1", MatchInput(big, "Massive attack", "", "en", frozenset({"bbc"}))),
        ("e1", MatchInput(big, "Attaque massive", "", "fr", frozenset({"bbc", "lemonde"}))),  # same event again
        ("e2", MatchInput(small, "Kharkiv", "", "en", frozenset({"bbc"}))),
        ("e3", MatchInput(talks, "Putin-Trump call before a summit", "", "en", frozenset({"a", "b", "c"}))),
        ("a4", MatchInput(None, "Weather", "sunny", "en", frozenset({"bbc"}))),
    ]


def test_backtest_counts_one_alert_per_rule_and_event():
    report = backtest(load_rules(DATA, CHANNELS), items())
    assert report.items == 5 and report.matched_items == 4
    hits = {name: h.ids for name, h in report.by_rule.items()}
    assert hits["massive-strike-on-ukraine"] == ["e1"]
    assert report.by_rule["massive-strike-on-ukraine"].matches == 2
    assert hits["kyiv-hit"] == ["e1"]
    assert hits["night-strikes-digest"] == ["e1", "e2"]
    assert hits["us-russia-ceasefire-talks"] == ["e3"]
    assert hits["corroborated-talks"] == ["e3"]
    assert hits["north-korean-weapons"] == [] and hits["oblast-casualties"] == []
    assert report.alerts == 6
    assert report.rules_for("e1") == ["night-strikes-digest", "massive-strike-on-ukraine", "kyiv-hit"]


def test_backtest_one_rule_and_unknown_rule():
    rs = load_rules(DATA, CHANNELS)
    report = backtest(rs, items(), rule_name="kyiv-hit")
    assert list(report.by_rule) == ["kyiv-hit"] and report.alerts == 1
    with pytest.raises(KeyError, match="did you mean 'kyiv-hit'"):
        backtest(rs, items(), rule_name="kiev-hit")


def test_format_backtest():
    text = format_backtest(backtest(load_rules(DATA, CHANNELS), items()), max_ids=1)
    lines = text.splitlines()
    assert lines[0].split() == ["rule", "alerts", "matches", "events"]
    assert lines[1].split() == ["night-strikes-digest", "2", "3", "e1,", "...", "(+1)"]
    assert "kyiv-hit" in text and lines[-1] == "5 items, 4 matched, 6 alert(s) would have been sent"
