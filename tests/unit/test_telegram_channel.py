"""The channel reader: a public preview page (our own fixtures in Telegram's page structure)
becomes items; names, invite links and pages that are no preview are told apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.errors import FeedParseError, NotAChannelPage
from digest.feeds.telegram import (
    ChannelNameError,
    channel_name,
    parse_channel_page,
    preview_url,
    read_channel_page,
    split_post,
)
from tests import files

FIXTURES = files.FIXTURES / "telegram"
PAGE_URL = "https://t.me/s/oblast_demo"


def page_html() -> str:
    return (FIXTURES / "channel_page.html").read_text(encoding="utf-8")


def test_posts_come_in_page_order_with_links_dates_and_texts() -> None:
    posts = parse_channel_page(page_html(), url=PAGE_URL)
    assert [p.url for p in posts] == [
        "https://t.me/oblast_demo/1202", "https://t.me/oblast_demo/1203",
        "https://t.me/oblast_demo/1204", "https://t.me/oblast_demo/1206",
        "https://t.me/oblast_demo/1210", "https://t.me/oblast_demo/1211",
    ]
    first = posts[0]
    assert first.published == datetime(2026, 11, 25, 3, 12, 45, tzinfo=UTC)
    assert first.title == "⚡ Overnight the enemy attacked the district with drones"
    assert first.summary == ("Air defence shot down 14 of 17 drones. A warehouse caught fire in "
                             "Northtown; firefighters put it out by 05:00. No one was injured.")
    assert first.text.splitlines()[1] == "Air defence shot down 14 of 17 drones."
    assert {p.outlet for p in posts} == {"Oblast Admin 🇺🇦 Demo"}


def test_service_messages_polls_and_captionless_media_are_skipped() -> None:
    ids = [p.post_id for p in parse_channel_page(page_html(), url=PAGE_URL)]
    assert 1201 not in ids and 1205 not in ids and 1209 not in ids


def test_an_album_is_one_item_with_its_caption() -> None:
    posts = parse_channel_page(page_html(), url=PAGE_URL)
    album = [p for p in posts if p.post_id in (1206, 1207, 1208)]
    assert len(album) == 1
    assert album[0].title.startswith("Consequences of the shelling of Northtown")


def test_an_edited_post_keeps_its_id_and_a_forward_credits_the_original() -> None:
    posts = {p.post_id: p for p in parse_channel_page(page_html(), url=PAGE_URL)}
    assert posts[1203].edited and posts[1203].url.endswith("/1203")
    assert not posts[1202].edited
    forward = posts[1204]
    assert forward.author == "Air Force Demo"
    assert forward.forwarded_from == "https://t.me/air_force_demo/5512"
    assert forward.feed_item().author == "Air Force Demo"
    assert posts[1202].author is None


def test_a_reply_reads_its_own_text_and_a_link_preview_adds_its_title() -> None:
    reply = {p.post_id: p for p in parse_channel_page(page_html(), url=PAGE_URL)}[1210]
    assert reply.title.startswith("Update on schools: classes resume on Monday.")
    assert "remote learning" not in reply.text
    assert reply.summary.endswith("Order No. 123 on the education process")
    assert reply.links == ("https://oblast.example.gov.ua/news/123",)
    assert reply.mainly_a_link  # a line of its own and the order it points to


def test_markup_in_a_post_stays_text() -> None:
    post = {p.post_id: p for p in parse_channel_page(page_html(), url=PAGE_URL)}[1211]
    assert post.title == "Унаслідок обстрілу Північного району поранено двох людей <b>"
    assert post.feed_item().language == "uk"


def test_the_page_knows_its_channel_and_the_id_for_an_older_page() -> None:
    page = read_channel_page(page_html().encode(), url=PAGE_URL)
    assert (page.channel, page.oldest_id, page.newest_id) == ("oblast_demo", 1201, 1211)
    feed = page.as_feed("uk")
    assert feed.items[0].url == "https://t.me/oblast_demo/1211"  # newest first, like feeds
    assert {i.language for i in feed.items} == {"uk"}


@pytest.mark.parametrize("html", [
    (FIXTURES / "not_a_preview.html").read_text(encoding="utf-8"),
    "<html><body><h1>Download the app</h1></body></html>",
    "",
    "\x00\xff garbage",
])
def test_a_page_that_is_no_preview_is_a_parse_error(html: str) -> None:
    with pytest.raises(NotAChannelPage):
        read_channel_page(html, url=PAGE_URL)
    assert issubclass(NotAChannelPage, FeedParseError)


def test_a_long_first_line_is_cut_at_a_sentence_and_the_rest_opens_the_summary() -> None:
    first = "Air raid alert in the region. " * 10
    title, summary = split_post(f"{first}\nStay in shelters.")
    assert len(title) <= 200 and title.endswith(".")
    assert summary.endswith("Stay in shelters.") and summary.startswith("Air raid alert")


@pytest.mark.parametrize(("raw", "name"), [
    ("@oblast_demo", "oblast_demo"), ("oblast_demo", "oblast_demo"),
    ("t.me/oblast_demo", "oblast_demo"), ("https://t.me/s/oblast_demo", "oblast_demo"),
    ("https://t.me/oblast_demo/1202", "oblast_demo"), ("telegram.me/oblast_demo", "oblast_demo"),
])
def test_channel_names_in_every_usual_form(raw: str, name: str) -> None:
    assert channel_name(raw) == name


@pytest.mark.parametrize(("raw", "reason"), [
    ("https://t.me/+AbCdEfGh123", "private"), ("t.me/joinchat/AbCdEf", "private"),
    ("+AbCdEf", "private"), ("@a", "invalid"), ("@1abcde", "invalid"), ("@bad name", "invalid"),
    ("https://example.org/oblast_demo", "invalid"), ("https://t.me/", "invalid"),
    ("@abc__def", "invalid"), ("t.me/s/", "invalid"), ("@" + "a" * 40, "invalid"),
])
def test_invite_links_and_non_names_are_refused(raw: str, reason: str) -> None:
    with pytest.raises(ChannelNameError) as caught:
        channel_name(raw)
    assert caught.value.reason == reason


def test_preview_url_for_a_local_server_and_an_older_page() -> None:
    assert preview_url("x_demo", base="http://127.0.0.1:9/", before=5) == "http://127.0.0.1:9/s/x_demo?before=5"


def test_the_seam_keeps_the_whole_text_and_storage_cuts_the_summary() -> None:
    body = " ".join(f"Sentence number {i} about the night attack." for i in range(40))
    page = page_html().replace("Schools in the city switch to remote learning until Friday.",
                               f"Schools closed<br/>{body}")
    post = {p.post_id: p for p in parse_channel_page(page, url=PAGE_URL)}[1203]
    assert post.title == "Schools closed" and post.summary == body
    assert len(post.feed_item().summary) <= 600 and body.startswith(post.feed_item().summary)
