"""The local page server other tests rely on: routes, hits, 304s, directories, streams."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx

from tests.pageserver import PageServer, Reply
from tests.shared_corpus import CORPUS, require_shared


async def test_static_reply_with_status_and_headers(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/gone", Reply(b"gone", status=410, headers={"X-Why": "removed"}))
    response = await http_client.get(url)
    assert (response.status_code, response.text) == (410, "gone")
    assert response.headers["X-Why"] == "removed"


async def test_hits_are_counted_per_path(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.add("/a", b"<p>a</p>")
    await http_client.get(url)
    await http_client.get(url + "?page=2")
    await http_client.get(page_server.url("/missing"))
    hits = [page_server.hits(path) for path in ("/a", "/missing", "/b")]
    assert hits == [2, 1, 0]


async def test_unknown_path_is_404(page_server: PageServer, http_client: httpx.AsyncClient) -> None:
    assert (await http_client.get(page_server.url("/nothing"))).status_code == 404


async def test_conditional_requests_get_304(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    stamp = "Mon, 03 Mar 2025 10:00:00 GMT"
    url = page_server.add("/f", Reply(b"<rss/>", etag='"1"', last_modified=stamp))
    fresh = await http_client.get(url)
    by_etag = await http_client.get(url, headers={"If-None-Match": '"1"'})
    by_date = await http_client.get(url, headers={"If-Modified-Since": stamp})
    stale = await http_client.get(url, headers={"If-None-Match": '"0"'})
    assert [r.status_code for r in (fresh, by_etag, by_date, stale)] == [200, 304, 304, 200]
    assert by_etag.content == b""


async def test_redirect(page_server: PageServer, http_client: httpx.AsyncClient) -> None:
    url = page_server.redirect("/old", "/new", status=301)
    response = await http_client.get(url)
    assert (response.status_code, response.headers["Location"]) == (301, "/new")


async def test_gzip_bomb_inflates_to_the_promised_size(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.gzip_bomb("/bomb", expanded_bytes=3 * 1024 * 1024 + 5)
    async with http_client.stream("GET", url) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert response.headers["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(raw)) == 3 * 1024 * 1024 + 5
    assert len(raw) < 64 * 1024


async def test_endless_stream_keeps_going(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    url = page_server.endless("/endless")
    received = 0
    async with http_client.stream("GET", url) as response:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > 1024 * 1024:
                break
    assert received > 1024 * 1024


async def test_serves_a_directory_without_escaping_it(
    page_server: PageServer, http_client: httpx.AsyncClient, tmp_path: Path
) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "feed.rss").write_bytes(b"<rss/>")
    (tmp_path / "secret.txt").write_text("outside")
    base = page_server.serve_directory("/files", tmp_path / "site")
    feed = await http_client.get(base + "feed.rss")
    escape = await http_client.get(base + "..%2Fsecret.txt")
    assert (feed.status_code, feed.headers["Content-Type"], feed.content) == (
        200,
        "application/rss+xml",
        b"<rss/>",
    )
    assert escape.status_code == 404


async def test_serves_the_shared_corpus(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    corpus = require_shared(CORPUS)
    page = sorted((corpus / "articles").glob("*.html"))[0]
    base = page_server.serve_directory("/corpus", corpus)
    response = await http_client.get(f"{base}articles/{page.name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html"
    assert response.content == page.read_bytes()
