"""Throttle, quiet hours and digests: pure release-time computations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from monitor.rules import Rule, load_rules
from monitor.rules_schedule import digest_period, in_quiet_hours, is_digest, next_digest, release_time

UTC = timezone.utc


def rule(tmp_path: Path, options: str) -> Rule:
    (tmp_path / "r.yaml").write_text(
        f"version: 1\nrules:\n  - name: r\n    match: {{kind: strike}}\n    notify: [console]\n{options}")
    return load_rules(tmp_path, set()).by_name["r"]


def utc(h: int, m: int = 0, day: int = 10) -> datetime:
    return datetime(2025, 7, day, h, m, tzinfo=UTC)


def test_plain_rule_sends_now(tmp_path):
    r = rule(tmp_path, "")
    assert release_time(r, utc(12), None) == utc(12)
    assert release_time(r, utc(12), utc(11, 59)) == utc(12)
    assert not is_digest(r)


def test_throttle_holds_until_window_ends(tmp_path):
    r = rule(tmp_path, "    throttle: 30m\n")
    assert release_time(r, utc(12), None) == utc(12)
    assert release_time(r, utc(12, 10), utc(12)) == utc(12, 30)
    assert release_time(r, utc(12, 30), utc(12)) == utc(12, 30)
    assert release_time(r, utc(13), utc(12)) == utc(13)


def test_quiet_hours_across_midnight_in_rule_time_zone(tmp_path):
    # Paris is UTC+2 in July: 22:00-07:00 Paris = 20:00-05:00 UTC
    r = rule(tmp_path, '    quiet_hours: "22:00-07:00 Europe/Paris"\n')
    assert release_time(r, utc(19, 59), None) == utc(19, 59)
    assert release_time(r, utc(20), None) == utc(5, day=11)
    assert release_time(r, utc(23), None) == utc(5, day=11)
    assert release_time(r, utc(4, 59, day=11), None) == utc(5, day=11)
    assert release_time(r, utc(5, day=11), None) == utc(5, day=11)
    assert in_quiet_hours(r, utc(21)) and not in_quiet_hours(r, utc(12))


def test_quiet_hours_within_a_day_and_with_throttle(tmp_path):
    r = rule(tmp_path, "    quiet_hours: {start: '01:00', end: '06:00', tz: UTC}\n    throttle: 2h\n")
    assert release_time(r, utc(0, 30), None) == utc(0, 30)
    assert release_time(r, utc(0, 30), utc(0)) == utc(6)  # throttle ends 02:00, inside quiet hours
    assert release_time(r, utc(6, 30), utc(6)) == utc(8)


def test_digest_daily_at_local_time(tmp_path):
    r = rule(tmp_path, '    digest: "daily at 07:00 Europe/Paris"\n    throttle: 1h\n')
    assert is_digest(r)
    assert release_time(r, utc(4), None) == utc(5)  # 07:00 Paris = 05:00 UTC
    assert release_time(r, utc(5), None) == utc(5)
    assert release_time(r, utc(5, 1), utc(5)) == utc(5, day=11)
    assert next_digest(r, utc(12)) == utc(5, day=11)
    assert digest_period(r, utc(5, day=11)) == (utc(5), utc(5, day=11))


def test_digest_follows_daylight_saving(tmp_path):
    r = rule(tmp_path, '    digest: "daily at 07:00 Europe/Paris"\n')
    # 2025-03-30: Paris switches from UTC+1 to UTC+2
    assert next_digest(r, datetime(2025, 3, 29, 7, tzinfo=UTC)) == datetime(2025, 3, 30, 5, tzinfo=UTC)
    start, end = digest_period(r, datetime(2025, 3, 30, 5, tzinfo=UTC))
    assert (start, end) == (datetime(2025, 3, 29, 6, tzinfo=UTC), datetime(2025, 3, 30, 5, tzinfo=UTC))
    assert end - start == timedelta(hours=23)


def test_naive_datetimes_are_refused(tmp_path):
    r = rule(tmp_path, "    throttle: 1h\n")
    with pytest.raises(ValueError, match="timezone-aware"):
        release_time(r, datetime(2025, 7, 10, 12), None)
    with pytest.raises(ValueError, match="timezone-aware"):
        release_time(r, utc(12), datetime(2025, 7, 10, 11))
