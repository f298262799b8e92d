"""The pipeline's only network code: a bounded, SSRF-safe GET over an injected httpx client.

:func:`fetch` follows redirects itself so that every hop is re-checked: only http(s), only
allowed ports, and the host must resolve to public addresses only. It then connects to the
address it checked (the URL carries the IP, ``Host`` and TLS SNI carry the name), so a name
that changes its DNS answer between check and connect (DNS rebinding) gains nothing.
The body is streamed under a byte cap on the wire and after decompression, the whole fetch
runs under one deadline, and every failure surfaces as a named :mod:`digest.errors` exception.

Usage::

    async with httpx.AsyncClient() as client:
        result = await fetch(client, "https://example.com/news/1", FetchOptions())
        print(result.status_code, result.encoding, result.text[:80])
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import email.utils
import zlib
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import httpx

from digest.errors import (
    BlockedAddress,
    BlockedByBotWall,
    BlockedPort,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ResponseTooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from digest.instants import aware
from digest.reader.decode import (
    ACCEPT_ENCODING,
    BINARY_DATA,
    SNIFF_BYTES,
    BoundedInflater,
    decode_body,
    looks_binary,
    sniff_binary_type,
)
from digest.reader.netguard import (
    IPAddress,
    Resolver,
    is_forbidden_address,
    parse_address,
    system_resolver,
)

Kind = Literal["page", "feed"]
# The client type callers inject; other layers name it through this alias so that only
# this module imports httpx.
HttpClient = httpx.AsyncClient

USER_AGENT = "WarDigestBot/0.1 (+https://github.com/war-digest-bot; Telegram news digest bot)"
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/xml",
        "text/xml",
        "text/html",  # feeds served with the wrong type are common; feedparser copes
    }
)
_ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
    "feed": "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,"
    "*/*;q=0.1",
}
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Anti-bot challenges (Cloudflare, DDoS-Guard, Qrator, Variti, Imperva, DataDome, PerimeterX,
# Sucuri) answer 403/429/503; these headers, servers and body snippets give them away.
_WALL_STATUSES = frozenset({403, 429, 503})
_WALL_HEADERS = ("cf-mitigated", "cf-chl-bypass")
_WALL_SERVERS = ("ddos-guard", "qrator", "variti")
_WALL_MARKERS = (
    "just a moment...",
    "attention required! | cloudflare",
    "cf-chl",
    "/cdn-cgi/challenge-platform",
    "ddos-guard",
    "checking your browser",
    "_incapsula_resource",
    "captcha-delivery.com",
    "px-captcha",
    "sucuri website firewall",
    "verify you are human",
    "enable javascript and cookies to continue",
)
_PEEK_BYTES = 64 * 1024


def parse_allow_list(value: str) -> frozenset[str]:
    """Parse the FETCH_ALLOW_PRIVATE_HOSTS setting: comma-separated ``host`` or ``host:port``.

    >>> sorted(parse_allow_list(" 127.0.0.1:8081, LocalHost ,,"))
    ['127.0.0.1:8081', 'localhost']
    """
    return frozenset(item.strip().lower() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class FetchOptions:
    """Limits and policy for :func:`fetch`; defaults suit fetching news pages and feeds.

    ``allow_private_hosts`` entries (``host`` or ``host:port``) skip the port and
    private-address checks: that is how tests and a local corpus server are reached.
    ``resolver`` turns a host name into addresses (tests inject a fake one).
    """

    connect_timeout: float = 5.0
    total_timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_decompressed_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    allowed_ports: frozenset[int] = frozenset({80, 443, 8080, 8443})
    allow_private_hosts: frozenset[str] = frozenset()
    user_agent: str = USER_AGENT
    page_types: frozenset[str] = PAGE_TYPES
    feed_types: frozenset[str] = FEED_TYPES
    resolver: Resolver = field(default=system_resolver, compare=False)


@dataclass(frozen=True)
class FetchResult:
    """A fetched document. For a 304 ``not_modified`` is True and the body is empty.

    ``url`` is the final URL after redirects; ``content`` the body after gzip/deflate (what
    feedparser wants); ``text`` the same decoded with the detected ``encoding``;
    ``content_type`` the bare media type (``text/html``), empty if the server sent none.
    """

    url: str
    status_code: int
    content_type: str
    encoding: str | None
    text: str
    content: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    retry_after: float | None = None


@dataclass(frozen=True)
class _Job:
    """What stays the same across the hops of one fetch."""

    client: httpx.AsyncClient
    options: FetchOptions
    kind: Kind
    conditional: Mapping[str, str]


@dataclass(frozen=True)
class _Target:
    """A URL whose host passed the checks, with the addresses that were checked."""

    url: httpx.URL
    host: str
    addresses: tuple[IPAddress, ...]


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    options: FetchOptions,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    kind: Kind = "page",
) -> FetchResult:
    """GET ``url`` safely; raise a :class:`~digest.errors.FetchError` subclass on any failure.

    ``etag`` / ``last_modified`` (from an earlier result) make the request conditional; an
    unchanged resource then comes back as ``FetchResult(not_modified=True, content=b"")``.
    ``kind`` selects the accepted content types (``options.page_types`` or ``feed_types``).
    """
    conditional = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    job = _Job(client, options, kind, {k: v for k, v in conditional.items() if v})
    try:
        async with asyncio.timeout(options.total_timeout):
            with _named_errors(url):
                return await _follow_redirects(job, url)
    except TimeoutError as error:
        message = f"no complete answer within {options.total_timeout:g} s"
        raise FetchTimeout(message, url=url) from error


@contextlib.contextmanager
def _named_errors(url: str) -> Iterator[None]:
    """Translate httpx, socket and zlib failures into the named exceptions, tagged with url."""
    try:
        yield
    except FetchError as error:
        error.url = error.url or url
        raise
    except httpx.TimeoutException as error:
        raise FetchTimeout(f"timed out: {error}", url=url) from error
    except httpx.TooManyRedirects as error:
        raise TooManyRedirects(str(error), url=url) from error
    except httpx.HTTPStatusError as error:  # only if the client has a raising event hook
        code = error.response.status_code
        raise HTTPStatusError(f"HTTP {code}", url=url, status_code=code) from error
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError) as error:
        raise InvalidURL(f"invalid URL: {error}", url=url) from error
    except (httpx.HTTPError, httpx.StreamError, OSError) as error:  # also DNS failures
        raise ConnectionFailed(f"{type(error).__name__}: {error}", url=url) from error
    except zlib.error as error:
        raise ConnectionFailed(f"corrupt compressed body: {error}", url=url) from error


async def _follow_redirects(job: _Job, url: str) -> FetchResult:
    """Fetch hop by hop, re-checking each target; refuse loops and overlong chains."""
    current = httpx.URL(url)
    seen = {current.copy_with(fragment=None)}
    for _ in range(job.options.max_redirects + 1):
        target = await _checked_target(current, job.options)
        async with _response(job, target) as response:
            location = _redirect_location(response, current)
            if location is None:
                return await _read_result(job, response, current)
        if location.copy_with(fragment=None) in seen:
            raise TooManyRedirects(f"redirect loop back to {location}")
        seen.add(location.copy_with(fragment=None))
        current = location
    raise TooManyRedirects(f"more than {job.options.max_redirects} redirects")


async def _checked_target(url: httpx.URL, options: FetchOptions) -> _Target:
    """Validate scheme, port and every resolved address of ``url`` (the SSRF guard)."""
    if url.scheme not in _DEFAULT_PORTS or not url.raw_host:
        raise InvalidURL(f"only absolute http(s) URLs are fetched, not {str(url)[:200]!r}")
    host = url.raw_host.decode("ascii").lower().rstrip(".")
    port = url.port or _DEFAULT_PORTS[url.scheme]
    allowed = _is_allow_listed(host, port, options.allow_private_hosts)
    if not allowed and port not in options.allowed_ports:
        raise BlockedPort(f"port {port} is not one we fetch from", port=port)
    addresses = await _resolve(host, port, options.resolver)
    if not allowed:
        forbidden = [str(address) for address in addresses if is_forbidden_address(address)]
        if forbidden:
            raise BlockedAddress(f"{host} resolves to non-public address {', '.join(forbidden)}")
    return _Target(url, host, addresses)


def _is_allow_listed(host: str, port: int, allow: frozenset[str]) -> bool:
    bracketed = f"[{host}]" if ":" in host else host  # IPv6 literals are written [::1]:8080
    return bool({host, bracketed, f"{host}:{port}", f"{bracketed}:{port}"} & allow)


async def _resolve(host: str, port: int, resolver: Resolver) -> tuple[IPAddress, ...]:
    with contextlib.suppress(ValueError):
        return (parse_address(host),)  # an IP literal needs no lookup
    answers = await resolver(host, port)
    if not answers:
        raise ConnectionFailed(f"{host} has no addresses")
    try:
        return tuple(parse_address(answer) for answer in answers)
    except ValueError as error:
        raise ConnectionFailed(f"resolver returned a non-address for {host}: {error}") from error


@contextlib.asynccontextmanager
async def _response(job: _Job, target: _Target) -> AsyncIterator[httpx.Response]:
    """Send to the checked addresses in turn (next one only if connecting fails); close after."""
    response = None
    for address in target.addresses[:-1]:
        with contextlib.suppress(httpx.ConnectError):
            response = await _send(job, target, address)
            break
    if response is None:
        response = await _send(job, target, target.addresses[-1])
    try:
        yield response
    finally:
        await response.aclose()


async def _send(job: _Job, target: _Target, address: IPAddress) -> httpx.Response:
    """GET the pinned address with the real name in ``Host`` and (for https) in TLS SNI."""
    headers = {
        "Host": target.url.netloc.decode("ascii"),
        "User-Agent": job.options.user_agent,
        "Accept": _ACCEPT[job.kind],
        "Accept-Encoding": ACCEPT_ENCODING,
        **job.conditional,
    }
    extensions = {}
    if target.url.scheme == "https":
        # The certificate is verified against sni_hostname. httpcore pools connections by
        # the URL's origin, here the IP; closing after each answer stops another name on the
        # same IP from reusing a TLS session that was verified for this one.
        extensions["sni_hostname"] = target.host
        headers["Connection"] = "close"
    request = job.client.build_request(
        "GET",
        target.url.copy_with(host=str(address)),
        headers=headers,
        timeout=httpx.Timeout(job.options.total_timeout, connect=job.options.connect_timeout),
        extensions=extensions,
    )
    return await job.client.send(request, stream=True, follow_redirects=False)


def _redirect_location(response: httpx.Response, current: httpx.URL) -> httpx.URL | None:
    location = response.headers.get("Location")
    if response.status_code not in _REDIRECT_STATUSES or not location:
        return None
    return current.join(location)


async def _read_result(job: _Job, response: httpx.Response, url: httpx.URL) -> FetchResult:
    """Turn the final response into a result, or raise for status, type or size."""
    if response.status_code == 304:
        return _not_modified(response, url, job.conditional)
    await _raise_for_status(response, job.options)
    media_type = _media_type(response)
    accepted = job.options.page_types if job.kind == "page" else job.options.feed_types
    if media_type and media_type not in accepted:
        raise UnsupportedContentType(f"not a {job.kind}: {media_type}", content_type=media_type)
    _check_declared_length(response, job.options.max_bytes)
    content = await _read_body(response, job.options)
    decoded = decode_body(content, response.charset_encoding)
    if looks_binary(decoded.text):
        raise UnsupportedContentType(f"not a {job.kind}: binary data", content_type=BINARY_DATA)
    return FetchResult(
        url=str(url),
        status_code=response.status_code,
        content_type=media_type,
        encoding=decoded.encoding,
        text=decoded.text,
        content=content,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
    )


def _not_modified(
    response: httpx.Response, url: httpx.URL, conditional: Mapping[str, str]
) -> FetchResult:
    """A 304 keeps the validators we sent unless the server sent fresh ones."""
    return FetchResult(
        url=str(url),
        status_code=304,
        content_type="",
        encoding=None,
        text="",
        content=b"",
        etag=response.headers.get("ETag") or conditional.get("If-None-Match"),
        last_modified=response.headers.get("Last-Modified")
        or conditional.get("If-Modified-Since"),
        not_modified=True,
        retry_after=retry_after_seconds(response.headers.get("Retry-After")),
    )


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


def _check_declared_length(response: httpx.Response, max_bytes: int) -> None:
    """Refuse before reading when Content-Length already says the body is too big."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ResponseTooLarge(f"Content-Length {declared} exceeds {max_bytes} bytes")


async def _read_body(response: httpx.Response, options: FetchOptions) -> bytes:
    """Read the whole body under both caps, refusing binary formats from their first bytes."""
    body = bytearray()
    sniffed = False
    async with contextlib.aclosing(_body_chunks(response, options)) as chunks:
        async for chunk in chunks:
            body += chunk
            if not sniffed and len(body) >= SNIFF_BYTES:
                _refuse_binary(bytes(body[:SNIFF_BYTES]))
                sniffed = True
    if not sniffed:
        _refuse_binary(bytes(body))
    return bytes(body)


def _refuse_binary(head: bytes) -> None:
    """Servers label PDFs and images text/html surprisingly often; the bytes do not lie."""
    binary_type = sniff_binary_type(head)
    if binary_type:
        raise UnsupportedContentType(f"body is {binary_type}", content_type=binary_type)


async def _body_chunks(response: httpx.Response, options: FetchOptions) -> AsyncGenerator[bytes]:
    """The body, inflated, chunk by chunk; ResponseTooLarge past either byte cap."""
    inflater = BoundedInflater(
        response.headers.get("Content-Encoding", ""), options.max_decompressed_bytes
    )
    received = 0
    async for raw in response.aiter_raw():
        received += len(raw)
        if received > options.max_bytes:
            raise ResponseTooLarge(f"body exceeds {options.max_bytes} bytes on the wire")
        yield inflater.feed(raw)
    yield inflater.flush()


async def _raise_for_status(response: httpx.Response, options: FetchOptions) -> None:
    """Raise HTTPStatusError for a non-2xx answer, BlockedByBotWall for a challenge or any 403.

    The exception carries ``retry_after`` (seconds or None) from the Retry-After header.
    """
    status = response.status_code
    if 200 <= status < 300:
        return
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if status == 403 or (status in _WALL_STATUSES and await _is_bot_wall(response, options)):
        raise BlockedByBotWall(f"HTTP {status} from an anti-bot wall", status_code=status,
                               retry_after=retry_after)
    raise HTTPStatusError(f"HTTP {status}", status_code=status, retry_after=retry_after)


async def _is_bot_wall(response: httpx.Response, options: FetchOptions) -> bool:
    headers = response.headers
    if any(name in headers for name in _WALL_HEADERS):
        return True
    if any(name in headers.get("Server", "").lower() for name in _WALL_SERVERS):
        return True
    head = await _peek(response, options)
    return any(marker in head for marker in _WALL_MARKERS)


async def _peek(response: httpx.Response, options: FetchOptions) -> str:
    """The start of an error page, lower-cased; whatever arrived if reading it fails."""
    limits = dataclasses.replace(options, max_bytes=_PEEK_BYTES, max_decompressed_bytes=_PEEK_BYTES)
    peeked = bytearray()
    with contextlib.suppress(FetchError, httpx.HTTPError, zlib.error):
        async with contextlib.aclosing(_body_chunks(response, limits)) as chunks:
            async for chunk in chunks:
                peeked += chunk
    return peeked.decode("utf-8", "replace").lower()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), else None.

    >>> retry_after_seconds("120")
    120.0
    >>> moment = datetime(2015, 10, 21, 7, 27, tzinfo=UTC)
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=moment)
    60.0
    >>> retry_after_seconds("soon") is None
    True
    """
    value = (value or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    # "-0000" dates parse as naive; HTTP dates are always GMT.
    return max(0.0, (aware(when) - (now or datetime.now(UTC))).total_seconds())
