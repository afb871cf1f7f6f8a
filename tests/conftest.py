"""Shared fixtures: real local servers (feeds, SMTP, HTTP sink) and real databases."""

from __future__ import annotations

import json
import os
import threading
import uuid
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from monitor.feedserver import FeedServer

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
if not SHARED.exists():  # CI clones main with shared/ beside it
    SHARED = Path(os.environ.get("MONITOR_SHARED", ROOT / ".." / "shared"))
PG_URL = os.environ.get("MONITOR_TEST_POSTGRES_URL")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def feed_server():
    with FeedServer() as server:
        yield server


class SmtpSink:
    """A real SMTP server (aiosmtpd) that keeps every message it receives."""

    def __init__(self, port: int = 0):
        from aiosmtpd.controller import Controller

        self.port = port or free_port()  # aiosmtpd's readiness probe cannot connect to port 0
        self.messages = []
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802
                msg = message_from_bytes(envelope.content, policy=email_policy)
                with sink._lock:
                    sink.messages.append(msg)
                return "250 OK"

        def authenticate(server, session, envelope, mechanism, auth_data):
            from aiosmtpd.smtp import AuthResult

            ok = getattr(auth_data, "password", b"") in (b"smtp-s3cret-pw", "smtp-s3cret-pw")
            return AuthResult(success=ok)

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port,
                                     authenticator=authenticate, auth_require_tls=False)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    def url(self, to: str = "desk@example.org", user: str = "bot", password: str = "smtp-s3cret-pw") -> str:
        return f"mailto://{user}:{password}@127.0.0.1:{self.port}?to={to}&from=monitor@example.org&secure=no&smtp=127.0.0.1"

    def subjects(self) -> list[str]:
        with self._lock:
            return [str(m["Subject"]) for m in self.messages]

    def bodies(self) -> list[str]:
        with self._lock:
            out = []
            for m in self.messages:
                part = m.get_body(preferencelist=("plain", "html"))
                out.append(part.get_content() if part else m.get_payload())
            return out


@pytest.fixture
def smtp_server():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


class HttpSink:
    """A local HTTP endpoint recording every POSTed JSON body (apprise json:// target)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.fail = 0  # answer 500 to this many requests first
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if sink.fail > 0:
                    sink.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                sink.requests.append({"path": self.path, "headers": dict(self.headers),
                                      "json": json.loads(body or b"null")})
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, path: str = "/hook", token: str = "hook-t0ken-secret") -> str:
        return f"json://127.0.0.1:{self.port}{path}?+X-Token={token}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def http_sink():
    sink = HttpSink()
    yield sink
    sink.close()


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database on each backend (PostgreSQL only when configured)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need MONITOR_TEST_POSTGRES_URL (set by .ci/run when PostgreSQL runs)")
    from sqlalchemy import create_engine

    from monitor.store.db import normalise_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(PG_URL))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def write_config(folder: Path, *, sources: list[dict], channels: dict | None = None, rules: list[dict] | None = None,
                 db_url: str | None = None, extra: dict | None = None) -> Path:
    """A config folder as a user would write it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rules").mkdir(exist_ok=True)
    settings = {"database": {"url": db_url or f"sqlite:///{folder / 'monitor.db'}"},
                "workers": {"clean_processes": 0}, "channels": channels or {}}
    settings.update(extra or {})
    (folder / "monitor.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (folder / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True), encoding="utf-8")
    if rules is not None:
        (folder / "rules" / "rules.yaml").write_text(
            yaml.safe_dump({"version": 1, "rules": rules}, allow_unicode=True), encoding="utf-8")
    return folder


# Every test's output and logs are scanned for the test secrets (tests/secretscan.py).
from secretscan import pytest_runtest_makereport, secret_scan  # noqa: E402,F401
