"""Workers under faults: kill -9 of a worker mid-job, PostgreSQL restarted mid-run.
Nothing is lost, nothing is sent twice."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from test_workers import Fleet, TimedFeedServer, alert_counts, fleet_config, item, pg_url, publish, wait_for  # noqa: F401

from conftest import PG_URL

pytestmark = [pytest.mark.postgres, pytest.mark.slow,
              pytest.mark.skipif(not PG_URL, reason="workers need PostgreSQL: set MONITOR_TEST_POSTGRES_URL")]
SLOW_PAGE = "/articles/slow.html"
PAGE = """<html><head><title>Zebrafinch convoy seen</title></head><body><article><h1>Zebrafinch convoy seen</h1>
<p>Witnesses reported a zebrafinch sighting near the eastern depot late on Tuesday evening, officials said.</p>
<p>The regional administration said the convoy of trucks moved north along the river road before dawn.</p>
<p>No further details were given about the route, the cargo or the number of vehicles involved.</p>
</article></body></html>"""


def jobs(url: str, where: str) -> list[tuple]:
    from sqlalchemy import create_engine

    from monitor.store.db import normalise_url

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(f"SELECT id, task_name, status, args::text FROM procrastinate_jobs "
                                        f"WHERE {where}").all()
    finally:
        engine.dispose()


def test_kill_9_worker_mid_job_its_job_is_retried_by_another(tmp_path, smtp_server, pg_url):
    feeds = 6
    with TimedFeedServer() as server:
        for f in range(feeds):
            publish(server, f, [item(f, 0)])
        server.publish(SLOW_PAGE, PAGE, delay=6.0)  # the article fetch the worker dies in
        server.publish("/slow.xml", f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>
<link>{server.url('/')}</link><item><title>Zebrafinch convoy seen</title><link>{server.url(SLOW_PAGE)}</link>
<guid>slow-1</guid><description>Convoy seen.</description></item></channel></rss>""", "application/rss+xml")
        slow = {"name": "slow", "url": server.url("/slow.xml"), "kind": "rss", "lang": "en", "interval": "5s",
                "fetch_article": True, "allow_private": True}
        cfg = fleet_config(tmp_path, server, smtp_server, pg_url, feeds, interval="5s", extra_sources=[slow])
        fleet = Fleet(cfg, tmp_path)
        fleet.upgrade()
        try:
            for k in range(2):
                fleet.worker(f"worker{k}")
            fleet.scheduler("scheduler", "--stalled-after", "8")
            busy = lambda: [n for n in ("worker0", "worker1") if "processing items of source slow" in fleet.log(n)]
            assert wait_for(busy, 60), fleet.log("scheduler")[-2000:] + fleet.log("worker0")[-2000:]
            victim = busy()[0]
            time.sleep(0.5)  # well inside the 6 s fetch
            fleet.kill9(victim)  # no goodbye: the job stays `doing` until its heartbeat is old
            survivor = "worker1" if victim == "worker0" else "worker0"
            expected = {f"Report {f}-0" for f in range(feeds)}
            assert wait_for(lambda: len(smtp_server.subjects()) >= feeds + 1, 45, step=0.5), \
                fleet.log("scheduler")[-3000:] + fleet.log(survivor)[-3000:]
            time.sleep(2.0)  # a doubled alert would arrive now
            # the scheduler first, then the survivor once it has drained what the scheduler deferred last
            # (stopping both at once could leave a job it had just queued waiting: not what is tested here)
            fleet.stop("scheduler")
            wait_for(lambda: not jobs(pg_url, "status = 'todo' AND task_name = 'monitor.process'"), 30, step=0.5)
            fleet.stop(survivor)
        finally:
            fleet.kill_all()
        assert "of a dead worker is" in fleet.log("scheduler")  # retried, or dropped for the same job waiting
        assert "processing items of source slow" in fleet.log(survivor)
        counts = alert_counts(smtp_server)
        assert set(counts) == expected and max(counts.values()) == 1, counts
        assert len([s for s in smtp_server.subjects() if "Zebrafinch convoy seen" in s]) == 1, smtp_server.subjects()
        assert len(smtp_server.subjects()) == feeds + 1
        assert jobs(pg_url, "status IN ('doing', 'todo') AND task_name = 'monitor.process'") == []
        assert len(server.hits_for(SLOW_PAGE)) >= 2  # fetched by the victim, then again by the survivor


def _cluster() -> str | None:
    if not shutil.which("pg_ctlcluster") or not Path("/etc/postgresql").is_dir():
        return None
    versions = sorted(os.listdir("/etc/postgresql"))
    return versions[-1] if versions else None


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


@pytest.mark.skipif(bool(os.environ.get("MONITOR_SKIP_PG_RESTART")), reason="MONITOR_SKIP_PG_RESTART is set")
@pytest.mark.skipif(_cluster() is None or "127.0.0.1" not in (PG_URL or ""),
                    reason="restarts the local PostgreSQL cluster (pg_ctlcluster): needs it on 127.0.0.1")
def test_postgres_restart_mid_run_workers_reconnect_and_carry_on(tmp_path, smtp_server, pg_url):
    feeds = 10
    with TimedFeedServer() as server:
        for f in range(feeds):
            publish(server, f, [item(f, 0)])
        cfg = fleet_config(tmp_path, server, smtp_server, pg_url, feeds, interval="2s")
        fleet = Fleet(cfg, tmp_path)
        fleet.upgrade()
        try:
            for k in range(2):
                fleet.worker(f"worker{k}")
            fleet.scheduler("scheduler", "--stalled-after", "10")
            first = {f"Report {f}-0" for f in range(feeds)}
            assert wait_for(lambda: set(alert_counts(smtp_server)) >= first, 90, step=0.5), fleet.log("worker0")[-3000:]
            cluster = _cluster()
            # a fast shutdown still waits for a client caught between TCP connect and its startup packet
            # (a worker reconnecting at that moment) until authentication_timeout, 60 s by default: seen in CI
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True,
                           timeout=150, capture_output=True)
            restarted = time.monotonic()
            assert wait_for(_pg_ready, 30)
            for f in range(feeds):
                publish(server, f, [item(f, 0), item(f, 1)])
            second = first | {f"Report {f}-1" for f in range(feeds)}
            assert wait_for(lambda: set(alert_counts(smtp_server)) >= second, 60, step=0.5), \
                fleet.log("scheduler")[-3000:] + fleet.log("worker0")[-3000:]
            time.sleep(2.0)
            assert all(p.poll() is None for p in fleet.procs.values()), "a process died with the database"
            fleet.stop()
        finally:
            fleet.kill_all()
            if not _pg_ready():
                subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", _cluster(), "main", "start"],
                               timeout=60, capture_output=True)
                wait_for(_pg_ready, 30)
        counts = alert_counts(smtp_server)
        assert set(counts) == second and max(counts.values()) == 1, counts
        for f in range(feeds):  # polling went on after the restart
            assert [t for t in server.times_for(f"/feed/{f}.xml") if t > restarted], f
