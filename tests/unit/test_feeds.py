"""Tests for digest.feeds.parse: tolerant parsing of RSS/Atom bytes into plain items."""

from __future__ import annotations

import doctest
import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import digest.feeds.parse
from digest.errors import FeedParseError
from digest.feeds.parse import MAX_ITEMS, SUMMARY_CHARS, FeedItem, ParsedFeed, parse_feed
from tests import files

FIXTURES = files.FIXTURES / "feeds"

UK_ITEM_TITLE = "Рятувальники ліквідували пожежу на складі в Харкові"
UK_ITEM_TEXT = "Після нічної атаки дронів вогонь охопив два поверхи; постраждалих немає."


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def cyrillic_rss(encoding: str, declaration: str | None) -> bytes:
    """A small Ukrainian RSS document in ``encoding``, declaring ``declaration`` (or nothing)."""
    prolog = f'<?xml version="1.0" encoding="{declaration}"?>\n' if declaration else ""
    body = (
        '<rss version="2.0"><channel><title>Стрічка новин</title>'
        f"<item><title>{UK_ITEM_TITLE}</title><link>https://news.example/1</link>"
        f"<description>{UK_ITEM_TEXT}</description></item></channel></rss>"
    )
    return (prolog + body).encode(encoding)


def big_rss(count: int) -> bytes:
    """An RSS feed with ``count`` items, oldest first, one minute apart."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    items = "".join(
        f"<item><title>Item {n}</title><link>https://big.example/{n}</link>"
        f"<pubDate>{(start + timedelta(minutes=n)).strftime('%a, %d %b %Y %H:%M:%S +0000')}"
        "</pubDate></item>"
        for n in range(count)
    )
    return f'<rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'.encode()


# --- ordinary feeds ---------------------------------------------------------------------


def test_atom_links_are_resolved_against_the_feed_url() -> None:
    feed = parse_feed(fixture("atom_relative_links.xml"), url="https://frontline.example/feed/atom")
    assert [item.url for item in feed.items] == [
        "https://frontline.example/news/odesa-air-defence",
        "https://frontline.example/feed/news/kyiv-shelters",
    ]


def test_atom_titles_and_summaries_are_plain_text() -> None:
    feed = parse_feed(fixture("atom_relative_links.xml"), url="https://frontline.example/feed")
    first = feed.items[0]
    assert first.title == "Air defence repels overnight attack on Odesa"
    assert first.summary == (
        "Regional officials said 14 drones were shot down. No casualties were reported.")


def test_atom_item_fields() -> None:
    feed = parse_feed(fixture("atom_relative_links.xml"), url="https://frontline.example/feed")
    first, second = feed.items
    assert first.guid == "urn:frontline:2"
    assert first.author == "Olena Kravets"
    assert first.published == datetime(2025, 3, 4, 4, 15, tzinfo=UTC)
    assert first.source == "Frontline Desk"
    assert first.language == "en"
    assert second.summary == "The city will build 40 new shelters before September."
    assert second.published == datetime(2025, 3, 3, 17, 40, tzinfo=UTC)


def test_published_is_utc() -> None:
    feed = parse_feed(fixture("atom_relative_links.xml"), url="https://frontline.example/feed")
    assert all(item.published is not None and item.published.utcoffset() == timedelta(0)
               for item in feed.items)


def test_channel_fields() -> None:
    feed = parse_feed(fixture("rss_userland_ns_uk.xml"), url="https://region.example/rss")
    assert isinstance(feed, ParsedFeed)
    assert (feed.title, feed.link, feed.language, feed.ttl_minutes) == (
        "Новини регіону", "https://region.example/", "uk", 20)


def test_userland_default_namespace_items_are_found() -> None:
    feed = parse_feed(fixture("rss_userland_ns_uk.xml"), url="https://region.example/rss")
    assert [item.guid for item in feed.items] == ["region-101", "region-100"]
    assert feed.items[0].title == "Сили оборони відбили штурм біля Покровська"


def test_configured_source_and_language_win_over_the_feed() -> None:
    feed = parse_feed(fixture("rss_userland_ns_uk.xml"), url="https://region.example/rss",
                      source="Region Daily", language="ru-RU")
    assert feed.language == "ru"
    assert {item.source for item in feed.items} == {"Region Daily"}
    assert {item.language for item in feed.items} == {"ru"}


def test_sy_update_period_gives_ttl() -> None:
    feed = parse_feed(fixture("rss_sy_update_no_guid.xml"), url="https://wire.example/rss")
    assert feed.ttl_minutes == 15


def test_title_whitespace_collapsed_and_double_escaping_undone() -> None:
    feed = parse_feed(fixture("rss_sy_update_no_guid.xml"), url="https://wire.example/rss")
    first = feed.items[0]
    assert first.title == "Grain ship leaves Chornomorsk despite threats"
    assert first.summary == "The bulk carrier & its crew sailed at dawn."


def test_item_without_link_or_id_gets_a_stable_hash_guid() -> None:
    data = fixture("rss_sy_update_no_guid.xml")
    first = parse_feed(data, url="https://wire.example/rss").items[0]
    again = parse_feed(data, url="https://wire.example/rss").items[0]
    assert first.guid.startswith("sha256:") and first.guid == again.guid
    assert first.url == ""


def test_untitled_item_borrows_its_summary_and_bare_item_is_dropped() -> None:
    feed = parse_feed(fixture("rss_sy_update_no_guid.xml"), url="https://wire.example/rss")
    assert len(feed.items) == 2
    assert feed.items[1].title.startswith("An item with text but no title")
    assert feed.items[1].guid == "https://wire.example/untitled"


def test_long_summary_is_truncated_at_a_boundary() -> None:
    sentence = "Officials said the repairs to the substation would take several more weeks. "
    data = (
        '<rss version="2.0"><channel><item><title>Repairs</title><link>https://x.example/1</link>'
        f"<description>{sentence * 20}</description></item></channel></rss>"
    ).encode()
    summary = parse_feed(data, url="https://x.example/rss").items[0].summary
    assert SUMMARY_CHARS // 2 <= len(summary) <= SUMMARY_CHARS
    assert summary.endswith("weeks.")


def test_localised_date_is_rescued() -> None:
    data = (
        b'<rss version="2.0"><channel><item><title>Data</title><link>https://x.example/1</link>'
        b"<pubDate>Seg, 24 Set 2018 19:42:40 -0300</pubDate></item></channel></rss>"
    )
    assert parse_feed(data, url="https://x.example/").items[0].published == datetime(
        2018, 9, 24, 22, 42, 40, tzinfo=UTC)


def test_items_are_frozen() -> None:
    item = parse_feed(fixture("rss_userland_ns_uk.xml"), url="https://region.example/").items[0]
    assert isinstance(item, FeedItem)
    with pytest.raises(AttributeError):
        item.title = "changed"  # type: ignore[misc]


# --- encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "declaration"),
    [
        ("utf-8", None),
        ("utf-8-sig", None),
        ("windows-1251", "windows-1251"),
        ("windows-1251", None),
        ("koi8-u", None),
        ("utf-8", "windows-1251"),  # a lying declaration: the bytes are UTF-8
        ("windows-1251", "utf-8"),  # the other lie
        ("utf-16", "utf-16"),
    ],
)
def test_cyrillic_feed_decodes_whatever_the_declaration(
    encoding: str, declaration: str | None
) -> None:
    item = parse_feed(cyrillic_rss(encoding, declaration), url="https://news.example/rss").items[0]
    assert (item.title, item.summary) == (UK_ITEM_TITLE, UK_ITEM_TEXT)


def test_gzip_bytes_are_unpacked_by_magic_number() -> None:
    data = gzip.compress(fixture("rss_userland_ns_uk.xml"))
    assert len(parse_feed(data, url="https://region.example/rss").items) == 2


def test_corrupt_gzip_raises_feed_parse_error() -> None:
    data = gzip.compress(fixture("rss_userland_ns_uk.xml"))[:-30] + b"\x00" * 30
    with pytest.raises(FeedParseError, match="gzip"):
        parse_feed(data, url="https://region.example/rss")


# --- broken input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"<html><body><h1>Welcome</h1></body></html>", b"\x00\x01\x02garbage", b'{"items": []}',
     b'<rss version="2.0"><channel><item><description></description></item></channel></rss>'],
)
def test_unusable_bytes_raise_feed_parse_error(data: bytes) -> None:
    with pytest.raises(FeedParseError):
        parse_feed(data, url="https://x.example/rss")


def test_bytes_that_look_like_a_path_are_not_opened_as_a_file(tmp_path: Path) -> None:
    # feedparser.parse(bytes) would read this file; parse_feed must treat it as content.
    path = tmp_path / "feed.xml"
    path.write_bytes(fixture("rss_userland_ns_uk.xml"))
    with pytest.raises(FeedParseError):
        parse_feed(str(path).encode(), url="https://x.example/rss")


def test_truncated_feed_keeps_the_complete_items() -> None:
    data = fixture("rss_userland_ns_uk.xml")
    cut = data[: data.index(b"<title>\xd0\xa3")]  # inside the second item
    items = parse_feed(cut, url="https://r.example/").items
    assert items[0].guid == "region-101"


def test_huge_feed_is_capped_to_the_newest_items() -> None:
    feed = parse_feed(big_rss(100_000), url="https://big.example/rss")
    assert len(feed.items) == MAX_ITEMS
    published = [item.published for item in feed.items]
    assert published == sorted(published, reverse=True)  # type: ignore[type-var]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    try:
        parse_feed(data, url="https://x.example/rss")
    except FeedParseError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_feeds_never_raise_anything_else(data: st.DataObject) -> None:
    names = sorted(path.name for path in FIXTURES.glob("*.xml"))
    original = bytearray(fixture(data.draw(st.sampled_from(names))))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            original[position] = data.draw(st.integers(0, 255))
        elif action == "cut":
            del original[position : position + data.draw(st.integers(1, 200))]
        else:
            original[position:position] = data.draw(st.binary(min_size=1, max_size=40))
        if not original:
            break
    try:
        parse_feed(bytes(original), url="https://x.example/rss")
    except FeedParseError:
        pass


@pytest.mark.parametrize("module", [digest.feeds.parse], ids=lambda module: module.__name__)
def test_docstring_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [b"", b"   ", b'<rss version="2.0"><channel><title>Empty</title></channel></rss>',
                                  b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet</title></feed>'])
def test_p2_row_20_an_empty_reply_or_feed_parses_to_no_items(data: bytes) -> None:
    assert parse_feed(data, url="https://x.example/rss").items == []
