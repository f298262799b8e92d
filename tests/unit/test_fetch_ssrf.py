"""The SSRF guard: schemes, ports, private addresses, redirects, DNS rebinding, pinning, TLS.

The resolver is the process boundary to DNS, so tests inject fake ones to play names that
resolve to private addresses or change their answer. httpx.MockTransport stands in for the
network only where a local server cannot express the case (public addresses).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from digest.errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    InvalidURL,
    TooManyRedirects,
)
from digest.reader.fetch import FetchOptions, fetch
from digest.reader.netguard import Resolver, is_forbidden_address, system_resolver
from tests.pageserver import PageServer

PUBLIC_IP = "93.184.216.34"


def fixed_resolver(*answers: str) -> Resolver:
    """A resolver that answers every name with ``answers``."""

    async def resolve(host: str, port: int) -> Sequence[str]:
        return answers

    return resolve


def mock_client(handler: Callable[[httpx.Request], Any]) -> httpx.AsyncClient:
    """A client whose transport is ``handler`` (a stand-in for the public internet)."""
    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


def html_response(body: bytes) -> httpx.Response:
    """A streamed answer, as a real transport gives (bytes content would arrive pre-read)."""

    async def stream() -> AsyncIterator[bytes]:
        yield body

    return httpx.Response(200, headers={"Content-Type": "text/html"}, content=stream())


# --- address classes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1",  # private/loopback
        "169.254.169.254", "169.254.1.1",  # link-local, cloud metadata
        "100.64.0.1", "100.127.255.254",  # CGNAT
        "224.0.0.1", "239.255.255.250",  # multicast
        "0.0.0.0", "255.255.255.255", "240.0.0.1", "192.0.2.5", "198.18.0.1",  # reserved etc.
        "::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "fe80::1%eth0", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",  # IPv4-mapped / compatible
        "2002:7f00:1::1", "2002:a9fe:a9fe::1",  # 6to4 around loopback / metadata
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo
        "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",  # NAT64 around loopback / metadata
    ],
)
def test_non_public_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(address)


@pytest.mark.parametrize(
    "address", [PUBLIC_IP, "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808", "100.128.0.1"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_forbidden_address(address)


# --- URLs refused before any connection --------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.com/",
        "http:///path-only",
        "/relative/path",
        "http://example.com:22/",
        "http://example.com:6379/",
        "https://example.com:99999/",
        "http://\u2100.com/",
        "http://" + "a" * 64 + ".com/",  # IDNA refuses labels over 63 characters
    ],
)
async def test_invalid_urls(url: str) -> None:
    async with mock_client(lambda request: httpx.Response(200)) as client:
        with pytest.raises(InvalidURL):
            await fetch(client, url, FetchOptions())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://2130706433/",  # decimal 127.0.0.1
        "http://0x7f.1/",  # hex
        "http://127.1/",  # short form
        "http://017700000001/",  # octal as one number
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1:8080/",
    ],
)
async def test_loopback_and_private_spellings_are_blocked(url: str) -> None:
    requests: list[httpx.Request] = []
    async with mock_client(requests.append) as client:
        with pytest.raises(BlockedAddress):
            await fetch(client, url, FetchOptions(resolver=system_resolver))
    assert requests == []


async def test_octal_dotted_spelling_is_refused() -> None:
    # httpx rejects leading zeros itself; either refusal is fine as long as nothing is sent.
    async with mock_client(lambda request: httpx.Response(200)) as client:
        with pytest.raises((InvalidURL, BlockedAddress)):
            await fetch(client, "http://0177.0.0.1/", FetchOptions())


async def test_name_resolving_to_a_private_address_is_blocked(page_server: PageServer) -> None:
    url = page_server.add("/secret", b"<p>internal</p>")
    options = FetchOptions(
        resolver=fixed_resolver("127.0.0.1"), allowed_ports=frozenset({page_server.port})
    )
    async with httpx.AsyncClient(trust_env=False) as client:
        with pytest.raises(BlockedAddress):
            await fetch(client, url.replace("127.0.0.1", "intranet.example"), options)
    assert page_server.hits("/secret") == 0


async def test_one_private_answer_among_public_ones_blocks() -> None:
    options = FetchOptions(resolver=fixed_resolver(PUBLIC_IP, "10.0.0.7"))
    async with mock_client(lambda request: httpx.Response(200)) as client:
        with pytest.raises(BlockedAddress, match="10.0.0.7"):
            await fetch(client, "https://mixed.example/", options)


# --- redirects re-checked on every hop ---------------------------------------------------


async def test_redirect_to_cloud_metadata_is_blocked(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    start = page_server.redirect("/go", "http://169.254.169.254/latest/meta-data/")
    options = FetchOptions(allow_private_hosts=frozenset({page_server.host_port}))
    with pytest.raises(BlockedAddress):
        await fetch(http_client, start, options)


async def test_redirect_to_a_local_port_not_allow_listed_is_blocked(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    start = page_server.redirect("/go", "http://127.0.0.1:8080/admin")
    options = FetchOptions(allow_private_hosts=frozenset({page_server.host_port}))
    with pytest.raises(BlockedAddress):
        await fetch(http_client, start, options)


async def test_https_redirect_to_a_private_name_is_blocked() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(302, headers={"Location": "http://router.internal/setup"})

    names = {"news.example": [PUBLIC_IP], "router.internal": ["192.168.0.1"]}

    async def resolve(host: str, port: int) -> Sequence[str]:
        return names[host]

    async with mock_client(handler) as client:
        with pytest.raises(BlockedAddress):
            await fetch(client, "https://news.example/story", FetchOptions(resolver=resolve))
    assert [request.url.host for request in sent] == [PUBLIC_IP]


@pytest.mark.parametrize("location", ["ftp://news.example/x", "file:///etc/passwd"])
async def test_redirect_to_another_scheme_is_refused(location: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": location})

    options = FetchOptions(resolver=fixed_resolver(PUBLIC_IP))
    async with mock_client(handler) as client:
        with pytest.raises(InvalidURL):
            await fetch(client, "http://news.example/", options)


# --- pinning: connect to the address that was checked ------------------------------------


async def test_rebinding_name_is_connected_at_the_checked_address() -> None:
    answers = iter([[PUBLIC_IP], ["127.0.0.1"], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> Sequence[str]:
        return next(answers)  # public while checked, loopback if asked again

    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return html_response(b"<p>ok</p>")

    async with mock_client(handler) as client:
        result = await fetch(client, "https://rebind.example/a", FetchOptions(resolver=rebinding))
    assert result.url == "https://rebind.example/a"
    (request,) = sent
    assert request.url.host == PUBLIC_IP
    assert request.headers["Host"] == "rebind.example"
    assert request.extensions["sni_hostname"] == "rebind.example"


async def test_rebinding_name_on_each_redirect_hop_is_checked_again() -> None:
    answers = iter([[PUBLIC_IP], ["127.0.0.1"]])

    async def rebinding(host: str, port: int) -> Sequence[str]:
        return next(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/next"})

    async with mock_client(handler) as client:
        with pytest.raises(BlockedAddress):
            await fetch(client, "http://rebind.example/", FetchOptions(resolver=rebinding))


async def test_idn_host_goes_out_as_punycode() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return html_response(b"<p>ok</p>")

    async with mock_client(handler) as client:
        await fetch(client, "https://новости.рф/", FetchOptions(resolver=fixed_resolver(PUBLIC_IP)))
    assert sent[0].headers["Host"] == "xn--b1amnebsh.xn--p1ai"


async def test_next_address_is_tried_when_the_first_refuses(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    # Nothing listens on 127.0.0.2 (the server is bound to 127.0.0.1 only).
    url = page_server.add("/a", b"<p>second address</p>").replace("127.0.0.1", "multi.test")
    options = FetchOptions(
        resolver=fixed_resolver("127.0.0.2", "127.0.0.1"),
        allow_private_hosts=frozenset({"multi.test"}),
    )
    result = await fetch(http_client, url, options)
    assert "second address" in result.text


async def test_allow_list_by_name_reaches_a_local_server(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.url("/a", host="localhost")
    page_server.add("/a", b"<p>local</p>")
    options = FetchOptions(allow_private_hosts=frozenset({"localhost"}))
    assert "local" in (await fetch(http_client, url, options)).text


async def test_allow_list_entry_with_another_port_does_not_match(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/a", b"<p>local</p>")
    options = FetchOptions(allow_private_hosts=frozenset({"127.0.0.1:1"}))
    with pytest.raises(FetchError):  # the port is not allowed, nor the address
        await fetch(http_client, url, options)
    assert page_server.hits("/a") == 0


# --- transport failures map to named errors ----------------------------------------------


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (httpx.ConnectTimeout("slow connect"), FetchTimeout),
        (httpx.ReadTimeout("slow read"), FetchTimeout),
        (httpx.ConnectError("refused"), ConnectionFailed),
        (httpx.ReadError("reset"), ConnectionFailed),
        (httpx.RemoteProtocolError("garbage status line"), ConnectionFailed),
        (httpx.TooManyRedirects("hooked"), TooManyRedirects),
        (httpx.InvalidURL("weird"), InvalidURL),
    ],
)
async def test_httpx_errors_become_named_errors(
    raised: Exception, expected: type[FetchError]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    url = "https://news.example/a"
    async with mock_client(handler) as client:
        with pytest.raises(expected) as caught:
            await fetch(client, url, FetchOptions(resolver=fixed_resolver(PUBLIC_IP)))
    assert caught.value.url == url


async def test_dns_failure_is_a_connection_failure() -> None:
    async def no_such_host(host: str, port: int) -> Sequence[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async with mock_client(lambda request: httpx.Response(200)) as client:
        with pytest.raises(ConnectionFailed):
            await fetch(client, "https://gone.example/", FetchOptions(resolver=no_such_host))


async def test_refused_connection_is_a_connection_failure(http_client: httpx.AsyncClient) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nothing listens there
    options = FetchOptions(allow_private_hosts=frozenset({"127.0.0.1"}))
    with pytest.raises(ConnectionFailed):
        await fetch(http_client, f"http://127.0.0.1:{port}/", options)


# --- TLS: the certificate is verified against the name, not the pinned IP ----------------


def _self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not available")
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[PageServer, Path]]:
    cert, key = _self_signed(tmp_path, "news.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with PageServer(ssl_context=context) as server:
        server.add("/story", b"<p>over TLS</p>")
        yield server, cert


def _tls_options() -> FetchOptions:
    return FetchOptions(
        resolver=fixed_resolver("127.0.0.1"), allow_private_hosts=frozenset({"news.test"})
    )


async def test_https_to_a_pinned_ip_verifies_the_real_name(
    tls_server: tuple[PageServer, Path],
) -> None:
    server, cert = tls_server
    verify = ssl.create_default_context(cafile=str(cert))
    async with httpx.AsyncClient(verify=verify, trust_env=False) as client:
        result = await fetch(client, server.url("/story", host="news.test"), _tls_options())
    assert "over TLS" in result.text
    assert result.url.startswith("https://news.test:")


async def test_https_certificate_for_another_name_is_refused(
    tls_server: tuple[PageServer, Path], tmp_path: Path
) -> None:
    server, cert = tls_server
    verify = ssl.create_default_context(cafile=str(cert))
    async with httpx.AsyncClient(verify=verify, trust_env=False) as client:
        url = server.url("/story", host="other.test")
        options = FetchOptions(
            resolver=fixed_resolver("127.0.0.1"), allow_private_hosts=frozenset({"other.test"})
        )
        with pytest.raises(ConnectionFailed):
            await fetch(client, url, options)
    assert server.hits("/story") == 0


async def test_a_tls_connection_verified_for_one_name_is_not_reused_for_another(
    tls_server: tuple[PageServer, Path],
) -> None:
    # httpcore pools by the URL's origin, which is the pinned IP for both names; without
    # "Connection: close" the second fetch would ride the session verified for news.test.
    server, cert = tls_server
    verify = ssl.create_default_context(cafile=str(cert))
    options = FetchOptions(
        resolver=fixed_resolver("127.0.0.1"),
        allow_private_hosts=frozenset({"news.test", "other.test"}),
    )
    async with httpx.AsyncClient(verify=verify, trust_env=False) as client:
        await fetch(client, server.url("/story", host="news.test"), options)
        with pytest.raises(ConnectionFailed):
            await fetch(client, server.url("/story", host="other.test"), options)
    assert server.hits("/story") == 1
