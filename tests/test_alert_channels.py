"""Every channel kind tested against a real local server: SMTP, JSON webhook, MQTT, ntfy; `monitor notify`."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import free_port, write_config
from monitor.alert import Message, Notifier
from monitor.cli import main
from monitor.config import Settings
from monitor.events import Counts, StrikeEvent
from monitor.render import AlertContent, Renderer, Report, render_text

MQTT_SECRET = "mqtt-pa55-secret"
NTFY_SECRET = "ntfy-pa55-secret"


def _content(update: bool = False) -> AlertContent:
    ev = StrikeEvent(attacker="RU", target="UA", drones=Counts(launched=539, destroyed=268), places=["Kyiv"],
                     injured=19, evidence=["Russia launched 539 drones at Kyiv overnight, 268 were shot down."])
    reports = [Report("wire", "https://wire.example/kyiv-539", "Kyiv hit by 539 drones", "en"),
               Report("quotidien", "https://quotidien.example/kiev", "Kiev frappée par 539 drones", "fr")]
    return AlertContent("kyiv-hit", ev, reports, update=update, changes=["drones launched 400 -> 539"] if update else [])


def _message(update: bool = False) -> Message:
    r = Renderer().render(_content(update))
    return Message(r.title, r.text, r.chat, r.markdown, r.html, ident="test-1")


def test_render_text_contract_and_formats():
    title, body = render_text(_content())
    assert title.startswith("kyiv-hit: ") and "539" in title
    for url in ("https://wire.example/kyiv-539", "https://quotidien.example/kiev"):
        assert url in body
    assert "shot down" in body and "Drones: launched 539, destroyed 268" in body
    r = Renderer().render(_content(update=True))
    assert r.title.startswith("kyiv-hit: UPDATE: ")
    assert "drones launched 400 -> 539" in r.chat and "drones launched 400 -> 539" in r.markdown
    assert "What changed" in r.html and "<table" in r.html and "https://quotidien.example/kiev</a>" in r.html
    assert r.chat.count("\n") <= 5 and "https://wire.example/kyiv-539 (+1 more)" in r.chat
    assert "[Kyiv hit by 539 drones](https://wire.example/kyiv-539)" in r.markdown


def test_user_templates_override_and_a_broken_one_falls_back(tmp_path, caplog):
    (tmp_path / "chat.txt").write_text("CUSTOM {{ rule }} {{ figures | length }}")
    (tmp_path / "alert.md").write_text("{{ no_such_name }}")
    r = Renderer(tmp_path).render(_content())
    assert r.chat == "CUSTOM kyiv-hit 6"
    assert r.markdown.startswith("**kyiv-hit")  # the built-in one
    assert "alert.md" in caplog.text
    assert any("alert.md" in p for p in Renderer(tmp_path).check())


def test_email_gets_html_with_figures_and_every_source(smtp_server):
    notifier = Notifier(Settings(channels={"desk": smtp_server.url()}))
    result = notifier.send("desk", "", _message())
    assert result.ok, result.error
    (msg,) = smtp_server.messages
    assert str(msg["Subject"]).startswith("kyiv-hit: ")
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "<table" in html and "539" in html and "https://quotidien.example/kiev" in html
    assert "shot down" in html
    assert result.targets[0].target == f"mailto://***@127.0.0.1:{smtp_server.port}/***"


def test_json_webhook_gets_full_text_and_dedup_header(http_sink):
    notifier = Notifier(Settings(channels={"hook": http_sink.url()}))
    assert notifier.send("hook", "", _message()).ok
    (req,) = http_sink.requests
    assert req["json"]["title"].startswith("kyiv-hit: ")
    assert "https://quotidien.example/kiev" in req["json"]["message"]
    assert req["headers"]["X-Monitor-Alert-Id"] == "test-1"
    assert notifier.describe("hook") == [f"json://127.0.0.1:{http_sink.port}/***"]


class NtfyServer:
    """Speaks enough of ntfy's publish API (JSON POST to /) to be an apprise `ntfy://` target."""

    def __init__(self):
        self.messages: list[dict] = []
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                auth = self.headers.get("Authorization", "")
                ok = auth == "Basic " + base64.b64encode(f"desk:{NTFY_SECRET}".encode()).decode()
                if ok:
                    srv.messages.append(data)
                self.send_response(200 if ok else 401)
                payload = json.dumps({"id": "x1", "event": "message"} if ok else {"error": "unauthorized"}).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, password: str = NTFY_SECRET) -> str:
        return f"ntfy://desk:{password}@127.0.0.1:{self.httpd.server_address[1]}/war-desk"


@pytest.fixture
def ntfy_server():
    srv = NtfyServer()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def test_ntfy_gets_the_short_chat_text(ntfy_server):
    notifier = Notifier(Settings(channels={"phone": ntfy_server.url()}))
    assert notifier.send("phone", "", _message()).ok
    (msg,) = ntfy_server.messages
    assert msg["topic"] == "war-desk" and msg["title"].startswith("kyiv-hit: ")
    assert msg["message"].splitlines()[-1] == "https://wire.example/kyiv-539 (+1 more)"
    assert "Evidence" not in msg["message"]


def test_ntfy_refusal_is_reported_masked(ntfy_server):
    notifier = Notifier(Settings(channels={"phone": ntfy_server.url(password="wrong-" + NTFY_SECRET)}))
    result = notifier.send("phone", "", _message())
    assert not result.ok and NTFY_SECRET not in (result.error or "")
    assert result.targets[0].target.startswith("ntfy://***@127.0.0.1:")


def _mqtt_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 1883), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _mqtt_up(), reason="no MQTT broker on 127.0.0.1:1883 (.ci/run starts mosquitto)")
def test_mqtt_publishes_the_text_to_a_subscriber():
    import paho.mqtt.client as mqtt

    topic = f"monitor/test/{free_port()}"
    got, ready = [], threading.Event()
    sub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    sub.on_connect = lambda c, u, f, rc, p: c.subscribe(topic, qos=1)
    sub.on_subscribe = lambda *a: ready.set()
    sub.on_message = lambda c, u, m: got.append(m.payload.decode())
    sub.connect("127.0.0.1", 1883)
    sub.loop_start()
    try:
        assert ready.wait(5), "could not subscribe"
        notifier = Notifier(Settings(channels={"bus": f"mqtt://monitor:{MQTT_SECRET}@127.0.0.1:1883/{topic}?qos=1"}))
        result = notifier.send("bus", "", _message())
        assert result.ok, result.error
        deadline = time.time() + 5
        while not got and time.time() < deadline:
            time.sleep(0.05)
        assert len(got) == 1 and "https://quotidien.example/kiev" in got[0]
        assert MQTT_SECRET not in result.targets[0].target
    finally:
        sub.loop_stop()
        sub.disconnect()


def test_notify_reports_each_target_and_masks_failures(tmp_path, smtp_server, http_sink, capsys):
    dead_port = free_port()
    cfg = write_config(tmp_path / "config", sources=[], rules=[], channels={
        "desk": [smtp_server.url(), f"json://127.0.0.1:{dead_port}/hook?+X-Token=hook-t0ken-secret"],
        "hook": http_sink.url()})
    assert main(["notify", "hook", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    assert f"ok     json://127.0.0.1:{http_sink.port}/***" in out and "1 of 1" in out
    assert main(["notify", "desk", "--config", str(cfg)]) == 1
    cap = capsys.readouterr()
    assert f"ok     mailto://***@127.0.0.1:{smtp_server.port}/***" in cap.out
    assert f"FAILED json://127.0.0.1:{dead_port}/***: " in cap.out
    assert "1 of 2 target(s)" in cap.err
    assert "hook-t0ken-secret" not in cap.out + cap.err and "smtp-s3cret-pw" not in cap.out + cap.err
    assert len(smtp_server.messages) == 1 and len(http_sink.requests) == 1
    assert main(["notify", "nope", "--config", str(cfg)]) == 1
    assert "unknown channel 'nope'" in capsys.readouterr().err


def test_check_masks_every_channel(tmp_path, smtp_server, http_sink, capsys):
    cfg = write_config(tmp_path / "config", sources=[], rules=[], channels={
        "desk": smtp_server.url(), "hook": http_sink.url(),
        "bus": f"mqtt://monitor:{MQTT_SECRET}@127.0.0.1:1883/war", "phone": f"ntfys://desk:{NTFY_SECRET}@ntfy.example/t"})
    assert main(["check", "--config", str(cfg)]) == 0
    out = capsys.readouterr().out
    for secret in ("smtp-s3cret-pw", "hook-t0ken-secret", MQTT_SECRET, NTFY_SECRET):
        assert secret not in out
    assert "mqtt://***@127.0.0.1:1883/***" in out
