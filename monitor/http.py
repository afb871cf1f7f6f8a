"""The one HTTP client (aiohttp), with the limits hostile servers require.

aiohttp was chosen by measurement: 2,000 concurrent conditional GETs answered
304 took 0.5 s with aiohttp against 7.6 s with httpx's pool (see README).
Redirects are followed by hand so that every hop is checked (SSRF guard, count).
Bodies are read in chunks with a cap on the *decoded* size, which also defeats
compression bombs.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import aiohttp
from multidict import CIMultiDict

from monitor.config import HttpSettings


class FetchError(Exception):
    """A request that failed for a reason worth showing to the user."""


class BlockedAddress(FetchError):
    pass


@dataclass
class Response:
    url: str  # final URL after redirects
    status: int
    headers: CIMultiDict = field(default_factory=CIMultiDict)
    body: bytes = b""

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


def _is_public(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    return not (addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved
                or addr.is_multicast or addr.is_unspecified)


async def check_public(url: str) -> None:
    """Refuse URLs whose host resolves to loopback, private, link-local or metadata addresses."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"refused URL {url!r}: not an http(s) URL")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or 80, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}") from None
    for info in infos:
        if not _is_public(info[4][0]):
            raise BlockedAddress(f"refused {host}: resolves to non-public address {info[4][0]}")


class HttpClient:
    """One aiohttp session shared by all requests of a process."""

    def __init__(self, settings: HttpSettings):
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> "HttpClient":
        s = self.settings
        connector = aiohttp.TCPConnector(limit=s.concurrency, limit_per_host=s.per_host,
                                         ttl_dns_cache=300, enable_cleanup_closed=True)
        timeout = aiohttp.ClientTimeout(total=s.total_timeout.total_seconds(),
                                        sock_connect=s.connect_timeout.total_seconds(),
                                        sock_read=s.read_timeout.total_seconds())
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=True,
            headers={"User-Agent": s.full_user_agent(), "Accept-Encoding": "gzip, deflate"})
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(self, url: str, *, headers: dict[str, str] | None = None,
                  guard: bool = False) -> Response:
        """GET with manual redirects; `guard` applies the SSRF check to every hop."""
        assert self._session is not None, "use `async with HttpClient(...)`"
        for _hop in range(self.settings.max_redirects + 1):
            if guard:
                await check_public(url)
            try:
                async with self._session.get(url, headers=headers, allow_redirects=False) as resp:
                    if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                        url = urljoin(url, resp.headers["Location"])
                        continue
                    body = await self._read_capped(resp) if resp.status == 200 else b""
                    return Response(url=str(resp.url), status=resp.status,
                                    headers=CIMultiDict(resp.headers), body=body)
            except asyncio.TimeoutError:
                raise FetchError(f"timed out fetching {url}") from None
            except aiohttp.ClientResponseError as exc:
                raise FetchError(f"bad response from {url}: {exc.message}") from None
            except aiohttp.ClientError as exc:
                raise FetchError(f"cannot fetch {url}: {exc.__class__.__name__}: {exc}") from None
        raise FetchError(f"too many redirects (> {self.settings.max_redirects}) from {url}")

    async def _read_capped(self, resp: aiohttp.ClientResponse) -> bytes:
        limit = self.settings.max_body_bytes
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit and not resp.headers.get("Content-Encoding"):
            raise FetchError(f"body too large: {declared} bytes > {limit}")
        chunks, size = [], 0
        async for chunk in resp.content.iter_chunked(65536):
            size += len(chunk)
            if size > limit:
                raise FetchError(f"body too large: more than {limit} bytes (decoded)")
            chunks.append(chunk)
        return b"".join(chunks)
