"""Live reload with real files: valid edits apply, broken edits keep the last good rules."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from monitor.rules import ConfigInvalid
from monitor.rules_watch import RulesWatcher

RULE = "version: 1\nrules:\n  - name: {name}\n    match: {{kind: strike}}\n    notify: [{channel}]\n"


def wait_for(condition, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    (tmp_path / "main.yaml").write_text(RULE.format(name="first", channel="console"))
    return tmp_path


def test_valid_edit_applies_within_two_seconds(rules_dir):
    changes, errors = [], []
    with RulesWatcher(rules_dir, {"ops"}, changes.append, errors.append) as w:
        assert [r.name for r in w.current.rules] == ["first"]
        (rules_dir / "main.yaml").write_text(RULE.format(name="second", channel="ops"))
        assert wait_for(lambda: "second" in w.current.by_name, 2.0)
        (rules_dir / "extra.yml").write_text(RULE.format(name="third", channel="console"))
        assert wait_for(lambda: "third" in w.current.by_name, 2.0)
        (rules_dir / "extra.yml").unlink()
        assert wait_for(lambda: "third" not in w.current.by_name, 2.0)
    assert [sorted(rs.by_name) for rs in changes] == [["second"], ["second", "third"], ["second"]]
    assert errors == []


def test_broken_edit_keeps_last_good_and_reports_once(rules_dir):
    errors, changes = [], []
    w = RulesWatcher(rules_dir, set(), changes.append, errors.append).start()
    try:
        good = w.current
        (rules_dir / "main.yaml").write_text(RULE.format(name="first", channel="pager"))
        assert wait_for(lambda: errors, 2.0)
        assert errors == [f"{rules_dir}/main.yaml:5: rules[0].notify[0]: unknown channel 'pager' "
                          "(configured: console)"]
        (rules_dir / "main.yaml").write_text(RULE.format(name="first", channel="pager"))  # same content again
        (rules_dir / "notes.txt").write_text("not a rule file")
        time.sleep(1.2)
        assert len(errors) == 1 and w.current is good and changes == []
        (rules_dir / "main.yaml").write_text("version: 1\nrules: [")  # a different breakage
        assert wait_for(lambda: len(errors) == 2, 2.0)
        assert errors[1].startswith(f"{rules_dir}/main.yaml:2: invalid YAML")
        (rules_dir / "main.yaml").write_text(RULE.format(name="fixed", channel="console"))
        # `current` is replaced just before on_change is called, in the watcher's thread: wait for both
        assert wait_for(lambda: "fixed" in w.current.by_name and changes, 2.0)
        assert len(errors) == 2 and len(changes) == 1
    finally:
        w.stop()


def test_stop_joins_the_thread(rules_dir):
    before = threading.active_count()
    w = RulesWatcher(rules_dir, set()).start()
    assert threading.active_count() == before + 1
    t0 = time.monotonic()
    w.stop()
    assert time.monotonic() - t0 < 2.0
    assert threading.active_count() == before


def test_broken_rules_at_start_raise(rules_dir):
    (rules_dir / "main.yaml").write_text("version: 2\nrules: []\n")
    with pytest.raises(ConfigInvalid, match="unsupported version 2"):
        RulesWatcher(rules_dir, set()).start()
