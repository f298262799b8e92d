"""Resource bombs: each hostile page or feed ends within its bounds with a clear answer.

The link replies go through the bot's own code path (:func:`handlers.links.reply_for`)
against real pages on the local page server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from digest.errors import NoArticleFound, ResponseTooLarge
from digest.feeds.parse import MAX_ITEMS, parse_feed
from digest.reader.extract import MAX_HTML_CHARS, _extract_fields, extract_article
from digest.reader.fetch import FetchOptions, fetch
from i18n.texts import say
from services.articles import reply_for
from services.context import Services
from settings import load_settings
from storage import open_database
from tests.fakebot import MAX_MESSAGE_UTF16, parse_telegram_html, utf16_len
from tests.pageserver import PageServer, Reply

ZONE = "Europe/Kyiv"
NESTED = 100_000


@pytest.fixture
async def svc(page_server: PageServer) -> AsyncIterator[Services]:  # noqa: F811
    async with httpx.AsyncClient(trust_env=False) as client:
        yield Services(
            settings=load_settings({"BOT_TOKEN": "1:x"}), db=open_database(":memory:"),
            http=client, fetch_options=FetchOptions(
                allow_private_hosts=frozenset({page_server.host_port}), total_timeout=20.0),
        )


def assert_sendable(reply: str) -> None:
    assert 1 <= utf16_len(parse_telegram_html(reply).text) <= MAX_MESSAGE_UTF16


def nested_page(depth: int) -> bytes:
    story = "<p>" + "Repair crews restored power to the district on Tuesday. " * 20 + "</p>"
    return ("<html><body>" + "<div>" * depth + story + "</div>" * depth + "</body></html>").encode()


async def test_page_of_100000_nested_tags_gets_a_clear_reply(
    svc: Services, page_server: PageServer  # noqa: F811
) -> None:
    url = page_server.add("/nested", nested_page(NESTED))
    reply = await reply_for(svc, url, ZONE)
    assert_sendable(reply)
    # libxml2 refuses to nest that deep, so nothing article-like survives: the user is told.
    assert reply == say("link_no_article")


async def test_50_mb_single_line_is_refused_as_too_large(
    svc: Services, page_server: PageServer  # noqa: F811
) -> None:
    url = page_server.add("/line", b"<html><body><p>" + b"war " * (50 * 1024 * 1024 // 4))
    assert await reply_for(svc, url, ZONE) == say("link_too_large")


async def test_endless_chunked_page_is_cut_at_the_byte_cap(
    svc: Services, page_server: PageServer  # noqa: F811
) -> None:
    url = page_server.endless("/endless")
    assert await reply_for(svc, url, ZONE) == say("link_too_large")


def test_50_mb_single_line_given_to_the_extractor_is_cut_first() -> None:
    html = "<html><body><p>" + "Kyiv said the talks resume. " * (50 * 1024 * 1024 // 28)
    article = extract_article(html, "https://n.example/line")
    assert len(article.text) <= MAX_HTML_CHARS


def test_fifty_megabyte_line_ends_in_article_or_no_article() -> None:
    html = "<p>" + "word " * 10_000_000
    try:
        _extract_fields(html, "https://x.example/big")
    except NoArticleFound:
        pass


def feed_with_items(count: int) -> bytes:
    # Short items, so 100,000 of them stay under the fetcher's 5 MB cap (about 4.3 MB).
    items = "".join(f"<item><title>U{i}</title><guid>{i}</guid></item>" for i in range(count))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


async def test_feed_of_100000_items_is_fetched_and_cut_to_the_newest(
    page_server: PageServer,  # noqa: F811
) -> None:
    url = page_server.add("/rss", Reply(feed_with_items(100_000), content_type="application/rss+xml"))
    options = FetchOptions(allow_private_hosts=frozenset({page_server.host_port}), total_timeout=20.0)
    async with httpx.AsyncClient(trust_env=False) as client:
        result = await fetch(client, url, options, kind="feed")
    feed = parse_feed(result.content, url=result.url)
    assert len(feed.items) == MAX_ITEMS
    assert feed.items[0].title == "U0", "the feed's first (newest) entries are kept"


async def test_feed_over_the_byte_cap_is_refused(page_server: PageServer) -> None:  # noqa: F811
    url = page_server.add("/huge-rss", Reply(feed_with_items(200_000), content_type="application/rss+xml"))
    options = FetchOptions(allow_private_hosts=frozenset({page_server.host_port}))
    async with httpx.AsyncClient(trust_env=False) as client:
        with pytest.raises(ResponseTooLarge):
            await fetch(client, url, options, kind="feed")
