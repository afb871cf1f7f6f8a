"""Secrets stay out of output, and the scanner that checks it really catches a leak."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from monitor.secrets import SecretRedactor, mask_url, scrub, secret_fragments

TESTS = Path(__file__).resolve().parent


def test_mask_url_and_fragments_cover_every_credential_shape():
    cases = {
        "json://127.0.0.1:8080/hook?+X-Token=hook-t0ken-secret": ("json://127.0.0.1:8080/***", "hook-t0ken-secret"),
        "mailto://bot:smtp-s3cret-pw@mail.example.org?to=a@b.org": ("mailto://***@mail.example.org/***", "smtp-s3cret-pw"),
        "tgram://123456789:AAbbCCddEEff_token/4242": ("tgram://***/***", "AAbbCCddEEff_token"),
        "ntfy://desk:ntfy-pa55-secret@127.0.0.1:9/t": ("ntfy://***@127.0.0.1:9/***", "ntfy-pa55-secret"),
        "json://h.example/x?token=abc%2Fdef": ("json://h.example/***", "abc/def"),
    }
    for url, (masked, secret) in cases.items():
        assert mask_url(url) == masked
        assert secret in secret_fragments(url)
        assert secret not in scrub(f"error posting to {url} ({secret})", secret_fragments(url))
    # plain words are not secrets: scrubbing them would garble every log line
    assert "monitor" not in secret_fragments("mqtt://monitor:pw12@127.0.0.1/monitor/x?from=monitor@example.org")


def test_redactor_scrubs_messages_and_tracebacks():
    record = logging.LogRecord("apprise", logging.WARNING, __file__, 1, "token %s rejected", ("hook-t0ken-secret",), None)
    try:
        raise RuntimeError("bad header hook-t0ken-secret")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    SecretRedactor({"hook-t0ken-secret"}).filter(record)
    assert "hook-t0ken-secret" not in record.getMessage() and "hook-t0ken-secret" not in record.exc_text


LEAKY = '''
import logging

def test_prints_it():
    print("connecting with smtp-s3cret-pw")

def test_logs_it():
    logging.getLogger("x").warning("header hook-t0ken-secret")

def test_reads_it_back(capsys):
    print("ntfy-pa55-secret")
    assert capsys.readouterr().out

def test_feeds_it(secret_scan):
    secret_scan.feed("daemon.log", "mqtt-pa55-secret")

def test_clean(capsys):
    print("json://127.0.0.1/***")
    capsys.readouterr()
'''


def test_the_scanner_flags_a_deliberate_leak(tmp_path):
    (tmp_path / "conftest.py").write_text("from secretscan import pytest_runtest_makereport, secret_scan\n")
    (tmp_path / "test_leaky.py").write_text(LEAKY)
    env_path = f"{TESTS}"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf", str(tmp_path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={**__import__("os").environ, "PYTHONPATH": env_path})
    out = proc.stdout
    assert "4 failed, 1 passed" in out, out[-3000:]
    for name in ("test_prints_it", "test_logs_it", "test_reads_it_back", "test_feeds_it"):
        assert f"FAILED test_leaky.py::{name}" in out
    assert "secret leaked into test output" in out
    assert "smtp-s3cret-pw" not in out.split("short test summary")[-1]  # the report names it, masked
