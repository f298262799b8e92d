"""fetch(): happy paths, caps, content types, statuses, redirects, charsets, conditional GET.

Everything goes over real sockets to the local page server (127.0.0.1 is allow-listed).
The SSRF guard and the httpx-error mapping are in test_fetch_ssrf.py.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from digest.errors import (
    BlockedByBotWall,
    ConnectionFailed,
    FetchTimeout,
    HTTPStatusError,
    ResponseTooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from digest.reader.fetch import FetchOptions, fetch, parse_allow_list, retry_after_seconds
from tests.pageserver import (
    PageServer,
    Reply,
    RequestHandler,
    static_handler,
)

ARTICLE = """<!doctype html><html><head><title>Обстрел Харькова</title></head>
<body><article><p>Ночью город снова атаковали дроны, сообщила областная администрация.</p>
</article></body></html>"""

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Front news</title>
<item><title>Talks resume in Geneva</title><link>https://news.example/1</link></item>
</channel></rss>"""


def options_for(server: PageServer, **changes: Any) -> FetchOptions:
    base = FetchOptions(allow_private_hosts=frozenset({server.host_port}), total_timeout=5.0)
    return dataclasses.replace(base, **changes)


# --- happy paths -------------------------------------------------------------------------


async def test_fetches_an_utf8_page(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/article", ARTICLE.encode())
    result = await fetch(http_client, url, options_for(page_server))
    assert result.status_code == 200
    assert result.url == url
    assert result.content_type == "text/html"
    assert result.encoding == "utf-8"
    assert result.text == ARTICLE
    assert result.content == ARTICLE.encode()
    assert not result.not_modified


async def test_sends_an_honest_user_agent_and_the_host_name(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    seen: dict[str, str] = {}
    answer = static_handler(Reply(b"<p>ok</p>"))

    def record_then_answer(request: RequestHandler) -> None:
        seen.update(request.headers)
        answer(request)

    url = page_server.route("/echo", record_then_answer)
    await fetch(http_client, url, options_for(page_server))
    assert seen["User-Agent"].startswith("WarDigestBot/")
    assert seen["Host"] == page_server.host_port
    assert seen["Accept-Encoding"] == "gzip, deflate"


async def test_gzip_body_is_inflated(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = gzip.compress(ARTICLE.encode())
    url = page_server.add("/gz", Reply(body, headers={"Content-Encoding": "gzip"}))
    result = await fetch(http_client, url, options_for(page_server))
    assert result.text == ARTICLE


async def test_deflate_body_is_inflated(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/z", Reply(zlib.compress(RSS), headers={"Content-Encoding": "deflate"}))
    result = await fetch(http_client, url, options_for(page_server))
    assert result.content == RSS


async def test_missing_content_type_is_sniffed_as_text(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/bare", Reply(b"<html><p>plain</p></html>", content_type=None))
    result = await fetch(http_client, url, options_for(page_server))
    assert result.content_type == ""
    assert "plain" in result.text


# --- feeds and content types -------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "text/html"],
)
async def test_feed_types_are_accepted_for_feeds(
    page_server: PageServer, http_client: httpx.AsyncClient, content_type: str
) -> None:
    url = page_server.add("/feed", Reply(RSS, content_type=content_type))
    result = await fetch(http_client, url, options_for(page_server), kind="feed")
    assert result.content == RSS
    assert result.content_type == content_type


async def test_a_feed_type_is_not_a_page(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/feed", Reply(RSS, content_type="application/rss+xml"))
    with pytest.raises(UnsupportedContentType) as caught:
        await fetch(http_client, url, options_for(page_server))
    assert caught.value.content_type == "application/rss+xml"


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "image/jpeg", "video/mp4", "audio/mpeg", "application/zip",
     "application/octet-stream"],
)
async def test_binary_types_are_refused_from_the_header(
    page_server: PageServer, http_client: httpx.AsyncClient, content_type: str
) -> None:
    # One byte per second: reading the body would hit the deadline, so a quick
    # UnsupportedContentType shows the decision came from the header alone.
    url = page_server.add("/bin", Reply(b"x" * 100, content_type=content_type, drip_delay=1.0))
    with pytest.raises(UnsupportedContentType) as caught:
        await fetch(http_client, url, options_for(page_server, total_timeout=3.0))
    assert caught.value.content_type == content_type
    assert caught.value.url == url


@pytest.mark.parametrize(
    ("body", "sniffed"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "video/mp4"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00", "application/zip"),
    ],
)
async def test_binary_bodies_behind_a_lying_header_are_refused(
    page_server: PageServer, http_client: httpx.AsyncClient, body: bytes, sniffed: str
) -> None:
    url = page_server.add("/lie", Reply(body + bytes(64)))
    with pytest.raises(UnsupportedContentType) as caught:
        await fetch(http_client, url, options_for(page_server))
    assert caught.value.content_type == sniffed


async def test_unknown_content_encoding_is_refused(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    reply = Reply(b"\x0b\x02\x80hello\x03", headers={"Content-Encoding": "br"})
    url = page_server.add("/br", reply)
    with pytest.raises(UnsupportedContentType):
        await fetch(http_client, url, options_for(page_server))


async def test_corrupt_gzip_is_a_connection_failure(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    reply = Reply(b"\x1f\x8b\x08garbage!", headers={"Content-Encoding": "gzip"})
    url = page_server.add("/bad", reply)
    with pytest.raises(ConnectionFailed):
        await fetch(http_client, url, options_for(page_server))


# --- size caps and deadlines -------------------------------------------------------------


async def test_declared_length_over_the_cap_is_refused(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/big", b"<p>" + b"x" * 5000 + b"</p>")
    with pytest.raises(ResponseTooLarge):
        await fetch(http_client, url, options_for(page_server, max_bytes=4096))


async def test_endless_chunked_body_hits_the_wire_cap(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.endless("/endless")
    with pytest.raises(ResponseTooLarge, match="on the wire"):
        await fetch(http_client, url, options_for(page_server, max_bytes=256 * 1024))


async def test_gzip_bomb_hits_the_decompressed_cap(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.gzip_bomb("/bomb", expanded_bytes=64 * 1024 * 1024)
    options = options_for(page_server, max_decompressed_bytes=1024 * 1024)
    with pytest.raises(ResponseTooLarge, match="inflates"):
        await fetch(http_client, url, options)


async def test_gzip_bomb_is_small_on_the_wire(page_server: PageServer) -> None:
    # The bomb must pass the wire cap, or the test above would not test inflation.
    url = page_server.gzip_bomb("/bomb", expanded_bytes=64 * 1024 * 1024)
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.get(url)
    assert response.num_bytes_downloaded < FetchOptions().max_bytes


async def test_slow_drip_ends_with_a_timeout(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/drip", Reply(b"<p>" + b"x" * 200 + b"</p>", drip_delay=0.05))
    with pytest.raises(FetchTimeout) as caught:
        await fetch(http_client, url, options_for(page_server, total_timeout=0.5))
    assert caught.value.url == url


# --- HTTP statuses -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500, 502])
async def test_error_statuses_raise_http_status_error(
    page_server: PageServer, http_client: httpx.AsyncClient, status: int
) -> None:
    url = page_server.add("/err", Reply(b"<p>error page</p>", status=status))
    with pytest.raises(HTTPStatusError) as caught:
        await fetch(http_client, url, options_for(page_server))
    assert caught.value.status_code == status
    assert not isinstance(caught.value, BlockedByBotWall)


async def test_plain_403_is_a_bot_wall(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/forbidden", Reply(b"<p>Forbidden</p>", status=403))
    with pytest.raises(BlockedByBotWall) as caught:
        await fetch(http_client, url, options_for(page_server))
    assert caught.value.status_code == 403


@pytest.mark.parametrize(
    "reply",
    [
        Reply(b"<title>Just a moment...</title><p>Checking</p>", status=503),
        Reply(b"<p>wait</p>", status=429, headers={"cf-mitigated": "challenge"}),
        Reply(b"<p>wait</p>", status=503, headers={"Server": "ddos-guard"}),
        Reply(b'<script src="/cdn-cgi/challenge-platform/h/b/orchestrate"></script>', status=503),
        Reply(gzip.compress(b"<title>DDoS-Guard</title>"), status=503,
              headers={"Content-Encoding": "gzip"}),
    ],
)
async def test_challenge_pages_are_bot_walls(
    page_server: PageServer, http_client: httpx.AsyncClient, reply: Reply
) -> None:
    url = page_server.add("/wall", reply)
    with pytest.raises(BlockedByBotWall) as caught:
        await fetch(http_client, url, options_for(page_server))
    assert caught.value.status_code == reply.status


async def test_plain_503_is_not_a_wall_and_carries_retry_after(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    reply = Reply(b"<p>Maintenance, back soon</p>", status=503, headers={"Retry-After": "120"})
    url = page_server.add("/down", reply)
    with pytest.raises(HTTPStatusError) as caught:
        await fetch(http_client, url, options_for(page_server))
    assert type(caught.value) is HTTPStatusError
    assert caught.value.retry_after == 120.0  # type: ignore[attr-defined]


async def test_429_retry_after_as_http_date(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(minutes=10), usegmt=True)
    url = page_server.add("/slow-down", Reply(b"", status=429, headers={"Retry-After": later}))
    with pytest.raises(HTTPStatusError) as caught:
        await fetch(http_client, url, options_for(page_server), kind="feed")
    assert 500 < caught.value.retry_after <= 600  # type: ignore[attr-defined]


def test_retry_after_in_the_past_is_zero() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_retry_after_garbage_is_none(value: str | None) -> None:
    assert retry_after_seconds(value) is None


# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_are_followed(
    page_server: PageServer, http_client: httpx.AsyncClient, status: int
) -> None:
    final = page_server.add("/final", ARTICLE.encode())
    start = page_server.redirect("/start", "/final", status=status)
    result = await fetch(http_client, start, options_for(page_server))
    assert result.url == final
    assert result.text == ARTICLE


async def test_redirect_chain_up_to_the_limit(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    page_server.add("/hop5", b"<p>end</p>")
    for hop in range(5):
        page_server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    result = await fetch(http_client, page_server.url("/hop0"), options_for(page_server))
    assert result.url.endswith("/hop5")


async def test_too_many_redirects(page_server: PageServer, http_client: httpx.AsyncClient) -> None:
    for hop in range(7):
        page_server.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    with pytest.raises(TooManyRedirects):
        await fetch(http_client, page_server.url("/hop0"), options_for(page_server))
    assert page_server.hits("/hop6") == 0


async def test_redirect_loop_is_detected_at_once(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    page_server.redirect("/a", "/b")
    page_server.redirect("/b", "/a#again")
    with pytest.raises(TooManyRedirects, match="loop"):
        await fetch(http_client, page_server.url("/a"), options_for(page_server))
    assert page_server.hits("/a") == 1


# --- conditional GET ---------------------------------------------------------------------


async def test_matching_etag_gives_not_modified(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/feed", Reply(RSS, content_type="application/rss+xml", etag='"v7"'))
    first = await fetch(http_client, url, options_for(page_server), kind="feed")
    second = await fetch(http_client, url, options_for(page_server), kind="feed", etag=first.etag)
    assert first.etag == '"v7"' and not first.not_modified
    assert second.not_modified and second.status_code == 304
    assert second.content == b"" and second.text == ""
    assert second.etag == '"v7"'


async def test_matching_last_modified_gives_not_modified(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    stamp = "Mon, 03 Mar 2025 10:00:00 GMT"
    url = page_server.add("/feed", Reply(RSS, content_type="text/xml", last_modified=stamp))
    first = await fetch(http_client, url, options_for(page_server), kind="feed")
    second = await fetch(
        http_client, url, options_for(page_server), kind="feed", last_modified=first.last_modified
    )
    assert first.last_modified == stamp
    assert second.not_modified and second.last_modified == stamp


async def test_stale_etag_gets_the_new_body(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/feed", Reply(RSS, content_type="text/xml", etag='"v8"'))
    result = await fetch(http_client, url, options_for(page_server), kind="feed", etag='"v7"')
    assert not result.not_modified and result.etag == '"v8"' and result.content == RSS


# --- charsets (own fixtures) -------------------------------------------------------------

RUSSIAN = "Украинские военные сообщили об отражении атаки под Покровском; обстрелы продолжаются."


async def _text_of(server: PageServer, client: httpx.AsyncClient, reply: Reply) -> tuple[str, str]:
    url = server.add("/charset", reply)
    result = await fetch(client, url, options_for(server), kind="feed")
    return result.text, result.encoding or ""


async def test_windows_1251_from_the_header(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = f"<html><p>{RUSSIAN}</p></html>".encode("cp1251")
    reply = Reply(body, content_type="text/html; charset=windows-1251")
    text, encoding = await _text_of(page_server, http_client, reply)
    assert RUSSIAN in text and encoding == "cp1251"


async def test_koi8_r_from_meta_charset(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = f'<html><head><meta charset="koi8-r"></head><p>{RUSSIAN}</p></html>'.encode("koi8-r")
    text, encoding = await _text_of(page_server, http_client, Reply(body, content_type="text/html"))
    assert RUSSIAN in text and encoding == "koi8-r"


async def test_meta_http_equiv_charset(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    body = f"<html><head>{head}</head><p>{RUSSIAN}</p></html>".encode("cp1251")
    text, _ = await _text_of(page_server, http_client, Reply(body, content_type="text/html"))
    assert RUSSIAN in text


async def test_xml_declaration_of_a_feed(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    xml = f'<?xml version="1.0" encoding="windows-1251"?><rss><title>{RUSSIAN}</title></rss>'
    reply = Reply(xml.encode("cp1251"), content_type="application/rss+xml")
    text, _ = await _text_of(page_server, http_client, reply)
    assert RUSSIAN in text


async def test_iso_8859_1_header_decodes_like_a_browser(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    words = "Sécurité: l’armée ukrainienne « résiste » près de Kherson"
    reply = Reply(words.encode("cp1252"), content_type="text/html; charset=ISO-8859-1")
    text, encoding = await _text_of(page_server, http_client, reply)
    assert text == words and encoding == "cp1252"


async def test_bom_beats_a_wrong_header(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = codecs.BOM_UTF8 + f"<p>{RUSSIAN}</p>".encode()
    reply = Reply(body, content_type="text/html; charset=windows-1251")
    text, encoding = await _text_of(page_server, http_client, reply)
    assert RUSSIAN in text and encoding == "utf-8"


async def test_wrong_utf8_header_falls_back_to_the_meta(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    html = f'<meta charset="windows-1251"><p>{RUSSIAN}</p>'
    reply = Reply(html.encode("cp1251"), content_type="text/html; charset=utf-8")
    text, _ = await _text_of(page_server, http_client, reply)
    assert RUSSIAN in text


async def test_undeclared_windows_1251_is_detected(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = f"<html><body><p>{RUSSIAN} {RUSSIAN}</p></body></html>".encode("cp1251")
    text, _ = await _text_of(page_server, http_client, Reply(body, content_type="text/html"))
    assert RUSSIAN in text


async def test_utf8_with_one_stray_byte_stays_utf8(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = f"<html><p>{RUSSIAN}</p><p>{RUSSIAN}</p>".encode() + b"\xff</html>"
    text, encoding = await _text_of(page_server, http_client, Reply(body, content_type="text/xml"))
    assert RUSSIAN in text and encoding == "utf-8"


async def test_undeclared_latin_text_prefers_windows_1252(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    words = "Governo português anuncia nova ajuda à Ucrânia; missão em Kyiv começa amanhã. " * 3
    reply = Reply(f"<rss><title>{words}</title></rss>".encode("cp1252"), content_type="text/xml")
    text, encoding = await _text_of(page_server, http_client, reply)
    assert words in text and encoding == "cp1252"


async def test_undeclared_koi8_r_is_detected(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    body = f"<rss><title>{RUSSIAN}</title></rss>".encode("koi8-r")
    text, encoding = await _text_of(page_server, http_client, Reply(body, content_type=None))
    assert RUSSIAN in text and encoding == "koi8-r"


# --- settings ----------------------------------------------------------------------------


def test_parse_allow_list() -> None:
    assert parse_allow_list("127.0.0.1:8081,localhost") == {"127.0.0.1:8081", "localhost"}
    assert parse_allow_list("") == frozenset()
