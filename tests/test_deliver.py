"""The outbox sender against real servers: outages, order, per-target progress, dead alerts, claims."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from conftest import SmtpSink, free_port, write_config
from monitor.alert import Notifier
from monitor.cli import main
from monitor.config import DeliverySettings, Settings
from monitor.deliver import ADMIN_RULE, deliver_due, sender_token
from monitor.store import AlertDraft, Store
from monitor.store import db as dbmod
from monitor.store.tables import utcnow

FAST = DeliverySettings(base_backoff=timedelta(milliseconds=100), max_backoff=timedelta(milliseconds=400),
                        lease=timedelta(seconds=30))


def _drafts(channel: str, n: int, rule: str = "r") -> list[AlertDraft]:
    return [AlertDraft(rule, f"article:{i}", channel, f"{rule}: alert {i:02d}", f"body {i}") for i in range(n)]


def _run_until(store, notifier, settings, done, seconds: float = 20.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        deliver_due(store, notifier, settings)
        if done():
            return
        time.sleep(0.05)
    raise AssertionError("delivery did not finish")


def test_smtp_outage_then_every_alert_once_oldest_first(db_url, http_sink):
    smtp = SmtpSink()  # not started: the mail server is down
    store = Store(db_url)
    notifier = Notifier(Settings(channels={"desk": [smtp.url(), http_sink.url()]}))
    try:
        for draft in _drafts("desk", 8):
            store.queue_alerts([draft])
        failed = held = 0
        for _ in range(4):  # several cycles while SMTP is down
            report = deliver_due(store, notifier, FAST)
            failed, held = failed + report.failed, held + report.held
            time.sleep(0.15)
        assert failed >= 2 and held >= 7 and smtp.messages == []
        # The webhook target was up all along: it has each alert once, in order, and is not sent them again.
        assert [r["json"]["title"] for r in http_sink.requests] == [f"r: alert {i:02d}" for i in range(8)]
        failed = store.alerts(failed=True)
        assert failed and all("smtp-s3cret-pw" not in (a.last_error or "") for a in failed)
        smtp.start()
        try:
            _run_until(store, notifier, FAST, lambda: len(smtp.messages) == 8)
            time.sleep(0.3)
            deliver_due(store, notifier, FAST)
            assert smtp.subjects() == [f"r: alert {i:02d}" for i in range(8)]
            assert len(http_sink.requests) == 8
            assert {a.state for a in store.alerts()} == {"sent"}
        finally:
            smtp.stop()
    finally:
        store.close()


def test_dead_after_max_age_notifies_admin_once_and_is_listed(tmp_path, http_sink, capsys):
    dead_port = free_port()
    cfg = write_config(tmp_path / "config", sources=[], rules=[], channels={
        "desk": f"json://127.0.0.1:{dead_port}/x?+X-Token=hook-t0ken-secret", "ops": http_sink.url()},
        extra={"admin_channel": "ops", "delivery": {"max_age": "1s", "base_backoff": "100ms", "max_backoff": "200ms"}})
    from monitor.config import load_config

    config = load_config(cfg)
    store = Store(config.database_url)
    notifier = Notifier(config.settings)
    try:
        store.queue_alerts(_drafts("desk", 2))
        deliver_due(store, notifier, config.settings.delivery)
        assert main(["alerts", "--failed", "--config", str(cfg), "--json"]) == 0
        retrying = json.loads(capsys.readouterr().out)
        assert {r["state"] for r in retrying} == {"pending"} and all(r["attempts"] == 1 for r in retrying)
        time.sleep(1.1)
        _run_until(store, notifier, config.settings.delivery,
                   lambda: {a.state for a in store.alerts() if a.channel == "desk"} == {"dead"}
                   and len(http_sink.requests) == 2)
        deliver_due(store, notifier, config.settings.delivery)
        notices = [r["json"]["title"] for r in http_sink.requests]
        assert sorted(notices) == [f"{ADMIN_RULE}: alert to desk could not be delivered"] * 2
        assert main(["alerts", "--failed", "--config", str(cfg)]) == 0
        table = capsys.readouterr().out
        assert "dead" in table and "hook-t0ken-secret" not in table and f"127.0.0.1:{dead_port}/***" in table
    finally:
        store.close()


def test_only_one_sender_wins_a_claim(db_url):
    a, b = Store(db_url), Store(db_url)
    try:
        a.queue_alerts(_drafts("desk", 1))
        (row,) = a.due_alerts(utcnow() + timedelta(seconds=1))
        first = a.claim_alert(row.id, "host:1:a", utcnow())
        second = b.claim_alert(row.id, "host:2:b", utcnow())
        assert first is not None and first.state == "sending" and second is None
        assert not b.alert_sent(row.id, utcnow(), "host:2:b")  # not the owner: no effect
        assert a.alert_sent(row.id, utcnow(), "host:1:a")
        assert a.alerts()[0].state == "sent"
    finally:
        a.close()
        b.close()


def test_stuck_claims_are_recovered_by_lease_or_when_the_sender_is_gone(db_url, http_sink):
    store = Store(db_url)
    notifier = Notifier(Settings(channels={"hook": http_sink.url()}))
    try:
        store.queue_alerts(_drafts("hook", 3))
        rows = store.due_alerts(utcnow() + timedelta(seconds=1))
        import socket

        host = socket.gethostname()
        store.claim_alert(rows[0].id, f"{host}:999999999:gone", utcnow())  # a process of ours that died
        store.claim_alert(rows[1].id, "elsewhere:123:x", utcnow() - timedelta(minutes=10))  # lease expired
        store.claim_alert(rows[2].id, "elsewhere:456:y", utcnow())  # alive, within its lease
        report = deliver_due(store, notifier, FAST)
        assert report.recovered == 2
        assert [r["json"]["title"] for r in http_sink.requests] == ["r: alert 00", "r: alert 01"]
        states = {a.title: a.state for a in store.alerts()}
        assert states == {"r: alert 00": "sent", "r: alert 01": "sent", "r: alert 02": "sending"}
        assert sender_token().startswith(f"{host}:")
    finally:
        store.close()


def _upgrade_from_0001(url: str) -> None:
    engine = dbmod.make_engine(url)
    try:
        dbmod.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO alert (rule, subject, channel, revision, title, body, state, attempts, "
                              "next_attempt_at, created_at) VALUES ('old', 'article:1', 'hook', 0, 'old: queued "
                              "before the upgrade', 'b', 'pending', 0, :t, :t)"), {"t": utcnow()})
        dbmod.upgrade(engine, "head")
        cols = {c["name"] for c in __import__("sqlalchemy").inspect(engine).get_columns("alert")}
        assert {"chat", "markdown", "html", "claimed_by", "claimed_at", "done_targets"} <= cols
        dbmod.upgrade(engine, "head")  # idempotent
    finally:
        engine.dispose()


def test_upgrade_from_0001_keeps_queued_alerts_and_sends_them(db_url, http_sink):
    _upgrade_from_0001(db_url)
    store = Store(db_url)
    try:
        report = deliver_due(store, Notifier(Settings(channels={"hook": http_sink.url()})), FAST)
        assert report.sent == 1 and http_sink.requests[0]["json"]["title"] == "old: queued before the upgrade"
    finally:
        store.close()


def test_downgrade_to_0001_returns_claims_to_pending(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    store = Store(url)
    store.queue_alerts(_drafts("hook", 1))
    store.claim_alert(store.due_alerts(utcnow() + timedelta(seconds=1))[0].id, "h:1:x", utcnow())
    store.close()
    from alembic import command

    engine = dbmod.make_engine(url)
    cfg = dbmod.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT state FROM alert")).scalar() == "pending"
    engine.dispose()
