"""The daemon (`monitor run`) as a user runs it: a subprocess, real feeds, live rule reload, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from email.utils import format_datetime

import yaml

from conftest import ROOT, write_config
from monitor.feedserver import rss


def _wait(predicate, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Feed:
    def __init__(self, server):
        self.server, self.items = server, []

    def post(self, guid: str, title: str, text: str) -> None:
        self.items.insert(0, {"title": title, "link": self.server.url(f"/{guid}.html"), "guid": guid,
                              "description": text, "pubDate": format_datetime(datetime.now(timezone.utc))})
        self.server.publish("/feed.xml", rss("Wire", self.server.url("/"), self.items, lang="en"),
                            "application/rss+xml")


def _rules(*rules) -> str:
    return yaml.safe_dump({"version": 1, "rules": list(rules)})


def _titles(sink) -> list[str]:
    return [r["json"]["title"] for r in sink.requests]


def test_live_reload_against_a_running_daemon(feed_server, http_sink, tmp_path):
    feed = Feed(feed_server)
    feed.post("a1", "Alpha team reports", "The alpha unit said the convoy arrived at the depot on time.")
    rule_a = {"name": "rule-alpha", "match": {"keywords": ["alpha"]}, "notify": ["hook"]}
    rule_b = {"name": "rule-bravo", "match": {"keywords": ["bravo"]}, "notify": ["hook"]}
    cfg = write_config(tmp_path / "config",
                       sources=[{"name": "wire", "url": feed_server.url("/feed.xml"), "interval": "1s",
                                 "fetch_article": False, "lang": "en"}],
                       channels={"hook": http_sink.url()}, rules=[rule_a],
                       extra={"delivery": {"interval": "1s"}})
    log = open(tmp_path / "daemon.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "run", "--config", str(cfg)], cwd=ROOT,
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        _wait(lambda: any(t.startswith("rule-alpha") for t in _titles(http_sink)), what="first alert")

        # A valid edit applies without a restart: the new rule alerts, the removed one does not.
        (cfg / "rules" / "rules.yaml").write_text(_rules(rule_b))
        time.sleep(2.5)
        feed.post("a2", "Alpha and bravo units meet", "Both the alpha and the bravo units reached the border.")
        _wait(lambda: any(t.startswith("rule-bravo") for t in _titles(http_sink)), what="alert of the new rule")
        time.sleep(2)
        assert [t.split(":")[0] for t in _titles(http_sink)] == ["rule-alpha", "rule-bravo"]

        # A broken edit is reported and the last good rules keep running.
        (cfg / "rules" / "rules.yaml").write_text("version: 1\nrules:\n  - name: broken\n    match: {kind: strik}\n")
        time.sleep(2.5)
        feed.post("a3", "Bravo unit back home", "The bravo unit returned to its base after the exercise.")
        _wait(lambda: len(_titles(http_sink)) == 3, what="alert from the last good rules")
        assert _titles(http_sink)[2].startswith("rule-bravo")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=40)
        log.close()
    output = (tmp_path / "daemon.log").read_text()
    assert code == 0, output
    assert "rules not reloaded" in output and "kind" in output
    assert "stopped" in output
    assert "Traceback" not in output
