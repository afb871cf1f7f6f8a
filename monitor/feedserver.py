"""A small local HTTP server for feeds and article pages (demo, tests, benchmarks).

Serves in-memory resources from a background thread, answers conditional GETs
with 304 (ETag and Last-Modified), and records every request so tests can assert
what the poller sent. It binds 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Resource:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class FeedServer:
    """`with FeedServer() as srv: srv.publish('/feed.xml', xml, 'application/rss+xml'); srv.url('/feed.xml')`"""

    def __init__(self, port: int = 0):
        self.resources: dict[str, Resource] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._serve(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="feedserver", daemon=True)

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def publish(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", **kw) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        res = Resource(body=data, content_type=content_type, **kw)
        if res.etag is None and res.status == 200:
            res.etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        if res.last_modified is None and res.status == 200:
            res.last_modified = formatdate(time.time(), usegmt=True)
        with self._lock:
            self.resources[path] = res
        return self.url(path)

    def remove(self, path: str) -> None:
        with self._lock:
            self.resources.pop(path, None)

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]

    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        path = req.path
        with self._lock:
            res = self.resources.get(path) or self.resources.get(path.split("?", 1)[0])
        headers = {k: v for k, v in req.headers.items()}
        if res is None:
            self._send(req, 404, b"not found", {"Content-Type": "text/plain"})
            status = 404
        else:
            if res.delay:
                time.sleep(res.delay)
            inm, ims = req.headers.get("If-None-Match"), req.headers.get("If-Modified-Since")
            fresh = res.status == 200 and ((inm is not None and inm == res.etag) or
                                           (inm is None and ims is not None and ims == res.last_modified))
            out = dict(res.headers)
            if res.etag:
                out["ETag"] = res.etag
            if res.last_modified:
                out["Last-Modified"] = res.last_modified
            if fresh:
                status = 304
                self._send(req, 304, b"", out)
            else:
                status = res.status
                out.setdefault("Content-Type", res.content_type)
                self._send(req, res.status, res.body, out)
        with self._lock:
            self.hits.append(Hit(path, headers, status))

    @staticmethod
    def _send(req: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            req.send_response(status)
            for k, v in headers.items():
                req.send_header(k, v)
            if status != 304:
                req.send_header("Content-Length", str(len(body)))
            req.end_headers()
            if status != 304 and body:
                req.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def rss(title: str, link: str, items: list[dict], *, lang: str = "fr", ttl: int | None = None) -> str:
    """An RSS 2.0 document; items have title, link, guid, description, pubDate (RFC 822)."""
    from xml.sax.saxutils import escape

    parts = [f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
             f"<title>{escape(title)}</title><link>{escape(link)}</link><language>{lang}</language>"
             f"<description>{escape(title)}</description>"]
    if ttl:
        parts.append(f"<ttl>{ttl}</ttl>")
    for it in items:
        parts.append("<item>" + "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in it.items() if v is not None)
                     + "</item>")
    parts.append("</channel></rss>")
    return "".join(parts)


def atom(title: str, link: str, entries: list[dict]) -> str:
    """An Atom 1.0 document; entries have title, link, id, summary, updated (RFC 3339)."""
    from xml.sax.saxutils import escape, quoteattr

    out = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
           f"<title>{escape(title)}</title><link href={quoteattr(link)}/><id>{escape(link)}</id>"
           f"<updated>2025-07-04T08:00:00Z</updated>"]
    for e in entries:
        out.append(f"<entry><title>{escape(e['title'])}</title><link href={quoteattr(e['link'])}/>"
                   f"<id>{escape(e['id'])}</id><updated>{e['updated']}</updated>"
                   f"<summary>{escape(e.get('summary', ''))}</summary></entry>")
    out.append("</feed>")
    return "".join(out)
