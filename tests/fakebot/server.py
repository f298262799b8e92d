"""The HTTP front of the fake Bot API: ``/bot<token>/<method>`` on 127.0.0.1 in a thread."""

from __future__ import annotations

import copy
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote

from tests.fakebot import methods
from tests.fakebot.backend import Backend
from tests.fakebot.client import UserClient
from tests.fakebot.errors import ApiError
from tests.fakebot.faults import FaultInjector
from tests.fakebot.http_body import decode_body, decode_query
from tests.fakebot.limits import Clock, RateLimiter, RateLimits
from tests.fakebot.params import Params
from tests.fakebot.recording import RecordedRequest, Recorder, RequestFilter, SentMessage
from tests.fakebot.state import FakeUser, World
from tests.fakebot.updates import UpdateQueue

_PATH_RE = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?")
_FILE_RE = re.compile(r"/file/bot(?P<token>[^/]+)/(?P<path>[A-Za-z0-9_./-]+)")
# serve_forever checks for shutdown this often; the stdlib default (0.5 s) slows every test.
_SHUTDOWN_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class ServerOptions:
    """How a :class:`FakeTelegramServer` is set up; every field has a test-friendly default."""

    token: str = "123456:TEST-TOKEN"
    bot_id: int = 123456
    bot_username: str = "digest_test_bot"
    bot_first_name: str = "Digest Test Bot"
    host: str = "127.0.0.1"
    port: int = 0  # 0: let the OS pick a free port
    limits: RateLimits = field(default_factory=RateLimits)
    clock: Clock = time.monotonic
    fault_seed: int = 0
    long_poll_cap: float = 50.0  # seconds; getUpdates never waits longer than this


class FakeTelegramServer:
    """A local Bot API server. Use as ``with FakeTelegramServer() as tg:`` or start()/stop()."""

    def __init__(self, options: ServerOptions | None = None) -> None:
        self.options = options or ServerOptions()
        bot = FakeUser(
            self.options.bot_id,
            self.options.bot_first_name,
            self.options.bot_username,
            language_code=None,
            is_bot=True,
        )
        self.backend = Backend(
            world=World(bot),
            updates=UpdateQueue(self.options.long_poll_cap),
            limiter=RateLimiter(self.options.limits, self.options.clock),
            faults=FaultInjector(self.options.fault_seed),
            recorder=Recorder(),
        )
        self.client = UserClient(self.backend)
        self.internal_errors: list[Exception] = []  # bugs of the fake itself; should stay empty
        self._http: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeTelegramServer:
        """Bind and serve in a daemon thread; returns self for chaining."""
        self._http = _HttpServer((self.options.host, self.options.port), _Handler)
        self._http.app = self
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            args=(_SHUTDOWN_POLL_SECONDS,),
            name="fakebot-http",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake long polls, stop serving and join the server thread."""
        self.backend.updates.close()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._http = self._thread = None

    def __enter__(self) -> FakeTelegramServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._http is None:
            raise RuntimeError("server is not started")
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self.options.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` and ``TELEGRAM_API_BASE_URL``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        return self.options.token

    # -- what the bot did ----------------------------------------------------------------------
    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent (all chats, or one), in order."""
        return self.backend.recorder.sent(chat_id)

    def requests(self, method: str | None = None) -> list[RecordedRequest]:
        return self.backend.recorder.requests(method)

    def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Block until ``count`` messages reached ``chat_id``; TimeoutError otherwise."""
        return self.backend.recorder.wait_for_messages(chat_id, count, timeout)

    def wait_for_request(
        self, method: str, where: RequestFilter | None = None, timeout: float = 5.0, after: int = 0
    ) -> RecordedRequest:
        """Block until a matching request is logged (see :meth:`Recorder.wait_for_request`)."""
        return self.backend.recorder.wait_for_request(method, where, timeout, after)

    def count_429(self) -> int:
        """How many requests were answered 429 (flood limits and forced ones)."""
        return sum(1 for r in self.requests() if r.status == 429)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The message as it is now (after edits), or None if deleted or unknown."""
        with self.backend.world.lock:
            chat = self.backend.world.chats.get(chat_id)
            found = chat.messages.get(message_id) if chat else None
            return copy.deepcopy(found)

    @property
    def faults(self) -> FaultInjector:
        return self.backend.faults

    # -- request handling ----------------------------------------------------------------------
    def handle(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, Telegram JSON body). Every call is logged."""
        name = methods.canonical_name(method)
        try:
            result = self._run(token, name, params)
            status, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, body = error.status, error.body()
        except Exception as error:  # noqa: BLE001 - a bug here must surface as an answer, not a hang
            self.internal_errors.append(error)
            status, body = (
                500,
                {
                    "ok": False,
                    "error_code": 500,
                    "description": f"Internal Server Error: fake server bug: {error!r}",
                },
            )
        self.backend.recorder.add_request(
            RecordedRequest(name or method, dict(params), time.time(), status, body)
        )
        return status, body

    def download(self, token: str, file_path: str) -> tuple[int, bytes]:
        """Serve a file by the path getFile gave (logged as ``downloadFile``)."""
        stored = self.backend.world.file_at(file_path)
        status = 401 if token != self.options.token else 404 if stored is None else 200
        self.backend.recorder.add_request(
            RecordedRequest("downloadFile", {"file_path": file_path}, time.time(), status, {}))
        return status, stored.content if status == 200 and stored is not None else b""

    def _run(self, token: str, name: str | None, params: dict[str, Any]) -> Any:
        if token != self.options.token:
            raise ApiError(401, "Unauthorized")
        if name is None:
            raise methods.method_not_found()
        injected = self.backend.faults.before_call(name)
        if injected is not None:
            raise injected
        return methods.call(self.backend, name, Params(params))


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True  # a bot that disconnects mid long-poll must not block shutdown
    app: FakeTelegramServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that hang up (PTB cancels long polls on shutdown)."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"  # keep-alive, as httpx expects from api.telegram.org
    # Headers and body go out as two writes; with Nagle on, delayed ACKs add ~40 ms per call.
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        path, _, query = self.path.partition("?")
        download = _FILE_RE.fullmatch(unquote(path))  # PTB escapes the token's colon here
        if download is not None:
            self._send_file(*self.server.app.download(download["token"], download["path"]))
            return
        match = _PATH_RE.fullmatch(path)
        if match is None:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        params = decode_query(query)
        try:
            params.update(self._body_params())
        except (ValueError, UnicodeDecodeError):
            self._reply(400, ApiError(400, "Bad Request: can't parse request body").body())
            return
        self._reply(*self.server.app.handle(match["token"], match["method"], params))

    do_GET = do_POST

    def _body_params(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        return decode_body(body, self.headers.get("Content-Type", ""))

    def _send_file(self, status: int, content: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Requests are in the recorder; stderr noise would only clutter test output."""
