"""kill -9 the daemon at random moments: the SMTP server still holds each alert exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest

from conftest import write_config
from monitor.feedserver import rss

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("artillery convoy bridge harbour depot railway corridor village ridge reservoir bunker airfield "
         "checkpoint frontier river valley plateau hangar refinery substation warehouse barracks trench "
         "orchard quarry tunnel junction lighthouse viaduct silo granary pier marsh forest steppe canal").split()
N_ITEMS, RESTARTS = 50, int(os.environ.get("MONITOR_KILL_RESTARTS", 20))


def _items(n: int, now: datetime) -> list[dict]:
    out = []
    for i in range(n):
        rng = random.Random(i)
        text = f"Report {i}: zebrafinch sighting near the " + " ".join(rng.choice(WORDS) for _ in range(40)) + f" number {i}."
        out.append({"title": f"Dispatch {i:02d} {rng.choice(WORDS)}", "link": f"https://news.example/d/{i}",
                    "guid": f"dispatch-{i}", "description": text, "pubDate": format_datetime(now)})
    return out


def _spawn(cfg: Path, log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with open(log, "ab") as fh:
        return subprocess.Popen([sys.executable, "-m", "monitor", "run", "--config", str(cfg), "--no-watch-rules"],
                                cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=env)


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.mark.slow
def test_kill_9_at_random_moments_loses_and_duplicates_nothing(tmp_path, feed_server, smtp_server, secret_scan):
    now = datetime.now(timezone.utc)
    feed = lambda n: feed_server.publish("/feed.xml", rss("Wire", feed_server.url("/"), _items(n, now), lang="en"),
                                         "application/rss+xml")
    url = feed(5)
    cfg = write_config(
        tmp_path / "config",
        sources=[{"name": "wire", "url": url, "kind": "rss", "lang": "en", "interval": "1s",
                  "fetch_article": False, "allow_private": True}],
        channels={"desk": smtp_server.url()},
        rules=[{"name": "zebrafinch", "match": {"keywords": ["zebrafinch"]}, "notify": ["desk"]}],
        extra={"delivery": {"interval": "300ms", "lease": "3s", "base_backoff": "200ms", "max_backoff": "1s"}})
    log = tmp_path / "daemon.log"
    lives: list[int] = []  # alerts that arrived during each killed life
    rng = random.Random(int(os.environ.get("MONITOR_KILL_SEED", time.time())))
    started = time.time()
    published = 5
    for k in range(RESTARTS):
        if published < N_ITEMS:  # new items keep arriving, so most lives have alerts to deliver
            published = min(N_ITEMS, published + 3)
            feed(published)
        before = len(smtp_server.messages)
        runs_before = log.read_text(errors="replace").count("monitor running") if log.exists() else 0
        proc = _spawn(cfg, log)
        if k % 5 == 4:  # some lives die at a random moment of start-up (imports, migrations, first claims)...
            time.sleep(rng.uniform(0.2, 2.5))
        else:  # ...most at a random moment of polling, processing and delivering
            _wait_for(lambda: log.read_text(errors="replace").count("monitor running") > runs_before, 20)
            time.sleep(rng.uniform(0.0, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        lives.append(len(smtp_server.messages) - before)
    killed_with = len(smtp_server.messages)
    proc = _spawn(cfg, log)
    try:
        assert _wait_for(lambda: len(smtp_server.messages) >= N_ITEMS, 40), (
            f"{len(smtp_server.messages)} of {N_ITEMS} alerts arrived; log tail:\n{log.read_text()[-3000:]}")
        time.sleep(1.5)  # anything still to come (a duplicate) would arrive now
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
    counts = Counter(smtp_server.subjects())
    assert len(counts) == N_ITEMS, sorted(counts)
    assert [s for s, c in counts.items() if c > 1] == [], "alerts received twice"
    assert all(s.startswith("zebrafinch: ") for s in counts)
    secret_scan.feed("daemon.log", log.read_text(errors="replace"))  # checked for secrets after the test
    if not any(lives):  # a very loaded machine processes too slowly for the kills to land in deliveries
        import warnings

        warnings.warn(f"no killed life had started delivering (alerts per life {lives}); the test only "
                      "covered kills during start-up and processing")
    print(f"{RESTARTS} kills in {time.time() - started:.1f}s; alerts per killed life {lives}; "
          f"{killed_with} had arrived before the last start")
