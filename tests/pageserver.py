"""A small local HTTP server for tests and benchmarks: routes you register, on 127.0.0.1.

It runs ``http.server.ThreadingHTTPServer`` in a background thread and speaks HTTP/1.1, so it
can answer keep-alive, chunked and streamed responses. Routes cover what the fetcher must
survive: static bodies with any status/headers, redirects, slow drips, endless chunked
streams, gzip bombs, conditional GET (ETag / Last-Modified → 304) and a whole directory
(e.g. ``/work/shared/corpus``). Every request is counted per path.

Every test can ask for the ``page_server`` fixture (and ``http_client``, a plain local httpx
client); ``tests/conftest.py`` provides both::

    async def test_something(page_server):
        url = page_server.add("/a", b"<html>…</html>")
        ...
        assert page_server.hits("/a") == 1
"""

from __future__ import annotations

import mimetypes
import ssl
import sys
import threading
import time
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest

Handler = Callable[["RequestHandler"], None]

# Extensions ``mimetypes`` does not know but the corpus uses (feeds).
_EXTRA_TYPES = {".rss": "application/rss+xml", ".atom": "application/atom+xml"}


@dataclass(frozen=True)
class Reply:
    """A canned answer: status, body and headers, optionally conditional or dripped.

    With ``etag`` or ``last_modified`` set, a request carrying a matching ``If-None-Match`` or
    ``If-Modified-Since`` gets ``304 Not Modified`` and no body. ``drip_delay`` > 0 sends the
    body one byte at a time with that pause between bytes.
    """

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    drip_delay: float = 0.0


class PageServer:
    """The server; a context manager that starts on enter and stops (joining) on exit."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self._routes: dict[str, Handler] = {}
        self._prefixes: dict[str, Path] = {}
        self._hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), RequestHandler)
        self._httpd.page_server = self
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        self._scheme = "https" if ssl_context else "http"
        # A short poll interval keeps shutdown (and so every test using the server) quick.
        serve = lambda: self._httpd.serve_forever(poll_interval=0.02)  # noqa: E731
        self._thread = threading.Thread(target=serve, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def host_port(self) -> str:
        """``127.0.0.1:<port>``, the entry to put in the fetcher's private-host allow list."""
        return f"127.0.0.1:{self.port}"

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        """Absolute URL of ``path`` on this server (``host`` may be a name you resolve here)."""
        return f"{self._scheme}://{host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        """How many requests arrived for ``path`` (query string ignored)."""
        with self._lock:
            return self._hits[path]

    def route(self, path: str, handler: Handler) -> str:
        """Register a custom handler for ``path``; returns the URL."""
        self._routes[path] = handler
        return self.url(path)

    def add(self, path: str, reply: Reply | bytes = b"") -> str:
        """Serve a :class:`Reply` (or plain HTML bytes) at ``path``; returns the URL.

        >>> with PageServer() as server:
        ...     server.add("/gone", Reply(b"gone", status=410)).endswith(":%d/gone" % server.port)
        True
        """
        return self.route(path, static_handler(reply if isinstance(reply, Reply) else Reply(reply)))

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``location`` (absolute or relative)."""
        reply = Reply(status=status, content_type=None, headers={"Location": location})
        return self.add(path, reply)

    def endless(self, path: str, chunk: bytes = b"<p>" + b"x" * 8192 + b"</p>") -> str:
        """A chunked ``text/html`` response that never ends (until the client hangs up)."""
        return self.route(path, _endless(chunk))

    def gzip_bomb(self, path: str, expanded_bytes: int = 64 * 1024 * 1024) -> str:
        """A small ``Content-Encoding: gzip`` HTML body that inflates to ``expanded_bytes``."""
        body = _gzip_zeros(expanded_bytes)
        return self.add(path, Reply(body, headers={"Content-Encoding": "gzip"}))

    def serve_directory(self, prefix: str, directory: Path) -> str:
        """Serve files under ``directory`` at ``prefix`` (e.g. ``/corpus/``); returns its URL."""
        self._prefixes[prefix.rstrip("/") + "/"] = directory.resolve()
        return self.url(prefix.rstrip("/") + "/")

    def handler_for(self, path: str) -> Handler:
        """The handler that answers ``path``; counts the hit."""
        with self._lock:
            self._hits[path] += 1
        if path in self._routes:
            return self._routes[path]
        for prefix, directory in self._prefixes.items():
            if path.startswith(prefix):
                return _file_handler(directory, path[len(prefix) :])
        return static_handler(Reply(b"not found", status=404, content_type="text/plain"))

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stopping.set()  # ends drips and endless streams still writing
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


@pytest.fixture
def page_server() -> Iterator[PageServer]:
    """A fresh :class:`PageServer` per test, stopped afterwards."""
    with PageServer() as server:
        yield server


class _Server(ThreadingHTTPServer):
    page_server: PageServer
    # Request threads still streaming to a client must not keep the test process alive.
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-stream is what the fetcher is supposed to do; stay quiet."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)  # a bug in a route: show it


class RequestHandler(BaseHTTPRequestHandler):
    """Dispatches each GET to the route the page server holds for its path."""

    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = unquote(urlsplit(self.path).path)
        try:
            self.server.page_server.handler_for(path)(self)
        except (ConnectionError, ssl.SSLError):  # the client hung up, as fetch() should
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silence the per-request log on stderr."""

    def send_reply_head(self, status: int, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()


def static_handler(reply: Reply) -> Handler:
    """A handler answering with ``reply`` (for custom routes that inspect, then answer)."""

    def handle(request: RequestHandler) -> None:
        if _not_modified(request, reply):
            request.send_reply_head(304, _validators(reply) | {"Content-Length": "0"})
            return
        headers = dict(reply.headers) | _validators(reply)
        if reply.content_type:
            headers["Content-Type"] = reply.content_type
        headers["Content-Length"] = str(len(reply.body))
        request.send_reply_head(reply.status, headers)
        _write(request, reply.body, reply.drip_delay)

    return handle


def _not_modified(request: RequestHandler, reply: Reply) -> bool:
    etag_matches = reply.etag is not None and request.headers.get("If-None-Match") == reply.etag
    since = request.headers.get("If-Modified-Since")
    return etag_matches or (reply.last_modified is not None and since == reply.last_modified)


def _validators(reply: Reply) -> dict[str, str]:
    headers = {"ETag": reply.etag, "Last-Modified": reply.last_modified}
    return {name: value for name, value in headers.items() if value is not None}


def _write(request: RequestHandler, body: bytes, drip_delay: float) -> None:
    if drip_delay <= 0:
        request.wfile.write(body)
        return
    stopping = request.server.page_server.stopping
    for index in range(len(body)):
        if stopping.wait(drip_delay):
            return
        request.wfile.write(body[index : index + 1])
        request.wfile.flush()


def _endless(chunk: bytes) -> Handler:
    def handle(request: RequestHandler) -> None:
        headers = {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"}
        request.send_reply_head(200, headers)
        stopping = request.server.page_server.stopping
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while not stopping.is_set():
            request.wfile.write(frame)
            time.sleep(0)  # let other threads (and the client) run
        request.close_connection = True

    return handle


def _gzip_zeros(size: int) -> bytes:
    """Gzip-compress ``size`` zero bytes without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [
        compressor.compress(block[: min(len(block), size - done)])
        for done in range(0, size, len(block))
    ]
    return b"".join(parts) + compressor.flush()


def _file_handler(directory: Path, relative: str) -> Handler:
    target = (directory / relative).resolve()
    if not target.is_file() or not target.is_relative_to(directory):
        return static_handler(Reply(b"not found", status=404, content_type="text/plain"))
    guessed_type, compression = mimetypes.guess_type(target.name)
    content_type = _EXTRA_TYPES.get(target.suffix) or guessed_type or "application/octet-stream"
    # Like Apache and nginx: feed.xml.gz is an XML document sent gzip-encoded.
    headers = {"Content-Encoding": "gzip"} if compression == "gzip" else {}
    return static_handler(Reply(target.read_bytes(), content_type=content_type, headers=headers))


@pytest.fixture
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    """A real httpx client that ignores proxy settings from the environment (tests are local)."""
    async with httpx.AsyncClient(trust_env=False) as client:
        yield client
