"""`monitor worker` and `monitor run --scheduler-only` without PostgreSQL: clear refusals on
SQLite; the scheduler's timing helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from conftest import write_config
from monitor.cli import main
from monitor.config import SourceConfig
from monitor.scheduler import cron_every, due_polls
from monitor.workers import conninfo, is_postgres


def test_worker_on_sqlite_exits_1_saying_workers_need_postgresql(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("MONITOR_DATABASE_URL", raising=False)
    cfg = write_config(tmp_path / "config", sources=[])
    for argv in (["worker"], ["run", "--scheduler-only"]):
        assert main([*argv, "--config", str(cfg)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert "needs PostgreSQL" in err[0] and "monitor.yaml" in err[0] and "MONITOR_DATABASE_URL" in err[0]
        assert "Traceback" not in err[0]


def test_worker_rejects_unknown_queues(tmp_path, capsys):
    cfg = write_config(tmp_path / "config", sources=[])
    assert main(["worker", "--queue", "polls", "--config", str(cfg)]) == 2
    assert "unknown queue" in capsys.readouterr().err


def test_cron_lines():
    assert cron_every(1) == "* * * * * *"
    assert cron_every(0.3) == "* * * * * *"
    assert cron_every(5) == "* * * * * */5"
    assert cron_every(60) == "* * * * *"
    assert cron_every(600) == "*/10 * * * *"
    assert cron_every(3600) == "0 * * * *"
    assert cron_every(6 * 3600) == "0 */6 * * *"


def test_due_polls_lists_sources_due_before_the_next_tick():
    now = datetime(2025, 7, 4, 8, 0, tzinfo=timezone.utc)
    src = lambda name, **kw: SourceConfig(name=name, url=f"https://example.org/{name}.xml", **kw)  # noqa: E731
    row = lambda name, at: SimpleNamespace(name=name, next_poll_at=at)  # noqa: E731
    sources = [src("new"), src("late"), src("soon"), src("later"), src("off", enabled=False), src("never")]
    rows = [row("late", now - timedelta(minutes=3)), row("soon", now + timedelta(seconds=1)),
            row("later", now + timedelta(seconds=10)), row("off", None), row("never", None)]
    due = due_polls(sources, rows, now, timedelta(seconds=1.5))
    assert due == [("new", None), ("late", None), ("soon", now + timedelta(seconds=1)), ("never", None)]


def test_procrastinate_connects_with_the_same_url_and_options():
    url = "postgresql+psycopg://mon:p%40ss@db:5432/monitor?options=-csearch_path%3Dw1"
    assert is_postgres(url) and is_postgres("postgres://db/monitor") and not is_postgres("sqlite:///x.db")
    out = conninfo(url)
    assert out.startswith("postgresql://mon:p%40ss@db:5432/monitor?") and "search_path" in out
