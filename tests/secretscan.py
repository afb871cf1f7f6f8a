"""Pytest plugin: fail any test whose captured output or logs contain a test secret.

Scans, after each test phase, everything pytest captured (stdout, stderr, log
records) plus whatever the test read through `capsys.readouterr()` (which
pytest would otherwise never see again) and any text handed to
`secret_scan.feed()` (a subprocess's log file, say). A hit turns the phase into
a failure naming the secret and where it appeared.
"""

from __future__ import annotations

import os

import pytest

SECRETS = ("smtp-s3cret-pw", "hook-t0ken-secret", "mqtt-pa55-secret", "ntfy-pa55-secret")
_KEY = pytest.StashKey[list]()


def secrets() -> tuple[str, ...]:
    extra = tuple(s for s in os.environ.get("MONITOR_TEST_SECRETS", "").split(",") if s)
    return SECRETS + extra


def leaks(text: str) -> list[str]:
    return [s for s in secrets() if s in text]


class SecretScan:
    def __init__(self, item):
        self.item = item

    def feed(self, where: str, text: str) -> None:
        self.item.stash.setdefault(_KEY, []).append((where, text))


@pytest.fixture(autouse=True)
def secret_scan(request):
    """Records what the test reads from capsys, and lets it feed other output (subprocess logs)."""
    scan = SecretScan(request.node)
    if "capsys" in request.fixturenames:
        capsys = request.getfixturevalue("capsys")
        original = capsys.readouterr

        def readouterr():
            result = original()
            scan.feed("capsys stdout", result.out)
            scan.feed("capsys stderr", result.err)
            return result

        capsys.readouterr = readouterr
    yield scan


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    texts = [(name, content) for name, content in report.sections]
    texts += item.stash.get(_KEY, [])
    if call.when == "teardown":
        item.stash[_KEY] = []
    found = [(where, s) for where, content in texts for s in leaks(content)]
    if found and report.outcome != "failed":
        report.outcome = "failed"
        report.longrepr = "secret leaked into test output: " + "; ".join(
            f"{s[:4]}... in {where}" for where, s in sorted(set(found)))
