"""The Bot API transport: python-telegram-bot's request interface on an aiohttp client.

PTB sends every Bot API call through a :class:`telegram.request.BaseRequest`, and says
(in that class's docs) that it "can be implemented via different asyncio HTTP libraries".
Its default is httpx. This module plugs in aiohttp, because the broadcast path is CPU-bound
in the HTTP client. With 16 sends in flight against a local server, a ``send_message``
through PTB cost about 1.5 ms of CPU on httpx and 0.3 ms on aiohttp (the same Bot, the same
messages, on this 2-core machine); ``python -m bench fanout`` shows it on the whole bot.

Only the transport changes. PTB still builds the requests, checks the answers and raises
its errors, so the mapping below is the whole contract: a timeout is
:class:`telegram.error.TimedOut`, any other transport failure
:class:`telegram.error.NetworkError`, and PTB turns the status and body into everything
else. httpx stays the client for reading the outlets' pages and feeds
(``digest/reader/fetch.py``), where its redirect and size controls matter and speed does not.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB marks "not passed" with an instance of its (private) DefaultValue class.
_NOT_PASSED = type(BaseRequest.DEFAULT_NONE)


@dataclass(frozen=True, slots=True)
class TransportOptions:
    """Connections and timeouts (seconds), PTB's own defaults for its httpx transport.

    ``connections`` bounds the open connections; more sends wait for one, at most
    ``pool_timeout``. aiohttp has no timeout for writing a request body, so uploads are
    bounded by the connect and read timeouts only.
    """

    connections: int = 256
    connect_timeout: float = 5.0
    read_timeout: float = 5.0
    pool_timeout: float = 1.0


class AiohttpRequest(BaseRequest):
    """A :class:`BaseRequest` on one :class:`aiohttp.ClientSession`, opened by
    :meth:`initialize` and closed by :meth:`shutdown` (PTB calls both)."""

    def __init__(self, options: TransportOptions | None = None) -> None:
        self._options = options or TransportOptions()
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._options.read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._options.connections)
            # trust_env: HTTP(S)_PROXY and NO_PROXY apply, as they did on PTB's httpx
            # transport (httpx reads them by default; aiohttp only when told to).
            self._session = aiohttp.ClientSession(connector=connector, trust_env=True)

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        timeout = self._timeout(read_timeout, connect_timeout, pool_timeout)
        try:
            async with self._session.request(method, url, data=_body(request_data),
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut(f"Bot API request timed out: {exc!r}") from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp: {exc!r}") from exc

    def _timeout(self, read: object, connect: object, pool: object) -> aiohttp.ClientTimeout:
        """Per-call timeouts where PTB passes them (getUpdates waits longer than a send),
        else the defaults; aiohttp's ``connect`` covers waiting for a pooled connection."""
        read_s = _given(read, self._options.read_timeout)
        connect_s = _given(connect, self._options.connect_timeout)
        pool_s = _given(pool, self._options.pool_timeout)
        waited = None if connect_s is None or pool_s is None else connect_s + pool_s
        return aiohttp.ClientTimeout(total=None, connect=waited, sock_connect=connect_s,
                                     sock_read=read_s)


@dataclass(frozen=True, slots=True)
class Transports:
    """The two transports PTB gets: one for Bot API calls, one for long polling (PTB keeps
    them apart, so a long poll never holds a connection a send is waiting for)."""

    calls: AiohttpRequest
    updates: AiohttpRequest

    @classmethod
    def build(cls) -> Transports:
        return cls(AiohttpRequest(), AiohttpRequest(TransportOptions(connections=1)))

    async def close(self) -> None:
        """Close both sessions. PTB closes them when it shuts the bot down, but a start
        that failed after they opened (a token Telegram rejects at getMe) leaves them open,
        and aiohttp reports an unclosed session on stderr. Closing twice does nothing."""
        await self.calls.shutdown()
        await self.updates.shutdown()


def _given(value: object, default: float) -> float | None:
    """A per-call value (None means no limit), or the default where PTB passed none."""
    if isinstance(value, _NOT_PASSED):
        return default
    if value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    raise TypeError(f"a timeout is seconds or None, not {value!r}")


def _body(request_data: RequestData | None) -> dict[str, str] | aiohttp.FormData | None:
    """Form fields as PTB encodes them; a multipart form when the call uploads a file."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData(fields)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
