"""The HTTP client against a hostile local server: hangs, trickles, compression bombs,
redirect loops, oversize bodies, private addresses. A real aiohttp.web server runs in
a thread; nothing of ours is patched."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
import zlib
from datetime import timedelta

import pytest
from aiohttp import web

from monitor.config import HttpSettings
from monitor.http import BlockedAddress, BodyTooLarge, FetchError, HttpClient, PublicOnlyResolver, check_public

TEN_GB = 10 * 1024 ** 3
MB = 1024 * 1024


class HostileServer:
    """aiohttp.web in its own thread and loop; `stats` records what the handlers did."""

    def __init__(self):
        self.stats = {"bomb_raw_bytes": 0, "bomb_done": threading.Event(), "hits": []}
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def hang(self, request):
        await asyncio.sleep(3600)
        return web.Response(text="never")

    async def trickle(self, request):
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        for _ in range(3600):
            await resp.write(b" ")
            await asyncio.sleep(0.1)
        return resp

    async def bomb(self, request):
        """10 GB of zeros, gzip-compressed on the fly: nothing is stored, ~10 MB on the wire in full."""
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"})
        await resp.prepare(request)
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = bytes(MB)
        try:
            while self.stats["bomb_raw_bytes"] < TEN_GB:
                await resp.write(comp.compress(zeros))
                self.stats["bomb_raw_bytes"] += len(zeros)
            await resp.write(comp.flush())
        except (ConnectionResetError, ConnectionError, RuntimeError):
            pass  # the client hung up: exactly what we want
        finally:
            self.stats["bomb_done"].set()
        return resp

    async def endless(self, request):
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        try:
            for _ in range(100_000):
                await resp.write(b"x" * 65536)
        except (ConnectionResetError, ConnectionError, RuntimeError):
            pass
        return resp

    async def liar(self, request):  # declares a huge body
        return web.Response(body=b"x" * 20, headers={"Content-Length": str(50 * MB)})

    async def small_gzip(self, request):
        body = gzip.compress(b"<rss version='2.0'><channel><title>ok</title></channel></rss>")
        return web.Response(body=body, headers={"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"})

    async def raw_deflate(self, request):
        comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        body = comp.compress(b"hello deflate") + comp.flush()
        return web.Response(body=body, headers={"Content-Encoding": "deflate"})

    async def loop_redirect(self, request):
        n = int(request.match_info["n"])
        raise web.HTTPFound(f"/loop/{n + 1}")

    async def to_private(self, request):
        raise web.HTTPFound(self.url("/ok"))

    async def ok(self, request):
        self.stats["hits"].append(request.path)
        return web.Response(text="fine", headers={"Content-Type": "text/html"})

    def _run(self):
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        for path, handler in [("/hang", self.hang), ("/trickle", self.trickle), ("/bomb", self.bomb),
                              ("/endless", self.endless), ("/liar", self.liar), ("/gzip", self.small_gzip),
                              ("/deflate", self.raw_deflate), ("/loop/{n}", self.loop_redirect),
                              ("/to-private", self.to_private), ("/ok", self.ok)]:
            app.router.add_get(path, handler)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = self.runner.addresses[0][1]
        self.ready.set()
        self.loop.run_forever()

    def start(self):
        self.thread.start()
        self.ready.wait(10)
        return self

    def stop(self):
        async def _stop():
            await self.runner.cleanup()
        asyncio.run_coroutine_threadsafe(_stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()


def settings(**kw) -> HttpSettings:
    base = dict(connect_timeout="2s", read_timeout="1s", total_timeout="3s", max_body_bytes=1_000_000,
                max_redirects=3, per_host_delay="0s")
    base.update(kw)
    return HttpSettings(**base)


async def fetch(url: str, *, guard: bool = False, **kw):
    async with HttpClient(settings(**kw)) as client:
        return await client.get(url, guard=guard)


def timed(coro):
    t0 = time.monotonic()
    try:
        return asyncio.run(coro), time.monotonic() - t0
    except Exception as exc:  # noqa: BLE001 - returned for the assertions
        return exc, time.monotonic() - t0


def test_hanging_server_hits_the_read_timeout(hostile):
    err, took = timed(fetch(hostile.url("/hang")))
    assert isinstance(err, FetchError) and "timed out" in str(err)
    assert 0.9 <= took < 2.5


def test_trickling_server_hits_the_total_timeout(hostile):
    # one byte every 0.1 s never trips the 1 s read timeout; the 3 s total does
    err, took = timed(fetch(hostile.url("/trickle")))
    assert isinstance(err, FetchError) and "timed out" in str(err)
    assert 2.9 <= took < 5


def test_connect_timeout_or_refusal_is_an_error_not_a_hang():
    err, took = timed(fetch("http://127.0.0.1:9/feed.xml"))
    assert isinstance(err, FetchError) and "cannot fetch" in str(err)
    assert took < 3


def test_ten_gigabytes_of_gzip_zeros_stop_early_and_fast(hostile):
    err, took = timed(fetch(hostile.url("/bomb")))
    assert isinstance(err, BodyTooLarge), err
    assert "decoded" in str(err)
    assert took < 3, f"client took {took:.1f} s"
    assert hostile.stats["bomb_done"].wait(10), "server kept streaming after the client stopped"
    # the server compressed far less than 10 GB before the client hung up
    assert hostile.stats["bomb_raw_bytes"] < 200 * MB, hostile.stats["bomb_raw_bytes"]


def test_body_cap_while_streaming_and_declared_length(hostile):
    err, took = timed(fetch(hostile.url("/endless")))
    assert isinstance(err, BodyTooLarge) and took < 3
    err, _ = timed(fetch(hostile.url("/liar")))
    assert isinstance(err, BodyTooLarge) and "52428800 bytes" in str(err)


def test_small_compressed_bodies_are_decoded(hostile):
    resp, _ = timed(fetch(hostile.url("/gzip")))
    assert resp.status == 200 and resp.body.startswith(b"<rss")
    resp, _ = timed(fetch(hostile.url("/deflate")))
    assert resp.body == b"hello deflate"


def test_redirect_loop_stops_at_the_cap(hostile):
    err, took = timed(fetch(hostile.url("/loop/0")))
    assert isinstance(err, FetchError) and "too many redirects (> 3)" in str(err)
    assert took < 2


def test_guard_refuses_loopback_private_link_local_and_metadata(hostile):
    for url in (hostile.url("/ok"), "http://localhost:1/", "http://10.0.0.1/", "http://192.168.1.1/x",
                "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
                "http://2130706433/", "http://0x7f.1/", "http://0.0.0.0/", "file:///etc/passwd"):
        err, _ = timed(check_public(url))
        assert isinstance(err, BlockedAddress), url
    hits = len(hostile.stats["hits"])
    err, _ = timed(fetch(hostile.url("/ok"), guard=True))
    assert isinstance(err, BlockedAddress) and "non-public address 127.0.0.1" in str(err)
    assert len(hostile.stats["hits"]) == hits, "a refused URL must not be requested at all"


def test_guard_checks_every_redirect_hop(hostile):
    # Unguarded (allow_private), the chain /to-private -> /ok is followed; guarded, it is refused
    # and the private target is never requested. The guarded connector's resolver refuses too,
    # so a name that re-resolves to a private address at connect time (DNS rebinding) is caught.
    resp, _ = timed(fetch(hostile.url("/to-private")))
    assert resp.status == 200 and resp.url.endswith("/ok")
    hits = len(hostile.stats["hits"])
    err, _ = timed(fetch(hostile.url("/to-private"), guard=True))
    assert isinstance(err, BlockedAddress)
    assert len(hostile.stats["hits"]) == hits

    async def resolve():
        return await PublicOnlyResolver().resolve("localhost", 80)

    err, _ = timed(resolve())
    assert isinstance(err, BlockedAddress)


def test_per_host_gap_and_concurrency_limit(hostile):
    async def run():
        async with HttpClient(settings(per_host_delay="200ms", per_host=2)) as client:
            t0 = time.monotonic()
            await asyncio.gather(*(client.get(hostile.url("/ok")) for _ in range(5)))
            return time.monotonic() - t0

    took = asyncio.run(run())
    assert took >= 0.8  # 5 starts at least 0.2 s apart


def test_user_agent_carries_the_contact():
    s = HttpSettings(user_agent="war-monitor/0.1", contact="ops@example.org", per_host_delay=timedelta(0))
    assert s.full_user_agent() == "war-monitor/0.1 ops@example.org"
