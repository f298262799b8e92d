"""End to end: links sent to the real bot come back as gists, or as a clear reason why not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import files
from tests.botproc import BotProcess, running_bot
from tests.fakebot import FakeTelegramServer, parse_telegram_html, utf16_len
from tests.pageserver import PageServer, Reply
from tests.seed_page import seed_page_html
from tests.shared_corpus import SEED, require_shared

pytestmark = pytest.mark.e2e
FIXTURES = files.FIXTURES / "pages"


@pytest.fixture
def bot(fake_telegram: FakeTelegramServer, page_server: PageServer, tmp_path: Path) -> Iterator[BotProcess]:
    allow = f"127.0.0.1:{page_server.url('/').split(':')[2].split('/')[0]}"
    with running_bot(fake_telegram, tmp_path, {"FETCH_ALLOW_PRIVATE_HOSTS": allow}) as process:
        yield process


def ask(tg: FakeTelegramServer, text: str, replies: int = 1) -> list[str]:
    user = tg.client.user("Reader")
    tg.client.send_message(user, text)
    sent = tg.wait_for_messages(user.id, count=replies, timeout=20)
    for message in sent:
        parsed = parse_telegram_html(message.raw_text)
        assert 1 <= utf16_len(parsed.text) <= 4096
    return [m.text for m in sent]


def test_article_link_gets_headline_outlet_points_and_quote(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess
) -> None:
    url = page_server.add("/news/kharkiv", (FIXTURES / "jsonld_graph.html").read_bytes())
    [reply] = ask(fake_telegram, f"what happened here? {url}")
    assert reply.startswith("Repair crews restore power in Kharkiv district")
    assert "Example Daily" in reply and "Jane Doe" in reply
    assert reply.count("•") >= 3
    assert "min read" in reply
    assert any(r.method == "sendChatAction" for r in fake_telegram.requests())


def test_second_request_is_served_from_the_cache(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess
) -> None:
    url = page_server.add("/news/kharkiv", (FIXTURES / "jsonld_graph.html").read_bytes())
    ask(fake_telegram, url)
    ask(fake_telegram, f"{url}?utm_source=telegram#comments")
    assert page_server.hits("/news/kharkiv") == 1


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(b"gone", status=404), "HTTP 404"),
        (Reply(b"<html>Just a moment...</html>", status=403), "blocks bots"),
        (Reply(b"%PDF-1.7 ...", content_type="application/pdf"), "a PDF"),
        (Reply(b"", status=200), "couldn't find an article"),
    ],
)
def test_bad_pages_get_a_clear_reason(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess, reply: Reply, expected: str
) -> None:
    url = page_server.add("/bad", reply)
    [text] = ask(fake_telegram, url)
    assert expected in text


def test_home_page_is_not_an_article(fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess) -> None:
    url = page_server.add("/", (FIXTURES / "home.html").read_bytes())
    [text] = ask(fake_telegram, url)
    assert "couldn't find an article" in text


def test_private_addresses_and_other_schemes_are_refused(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    texts = ask(fake_telegram, "http://169.254.169.254/latest/meta-data http://10.0.0.1/x", replies=2)
    assert all("private or local" in t for t in texts)


def test_more_than_three_links_get_a_note(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess
) -> None:
    urls = [page_server.add(f"/n{i}", b"x") for i in range(4)]
    texts = ask(fake_telegram, " ".join(urls), replies=4)
    assert "first 3 links" in texts[-1]


def test_seed_article_reply_has_author_points_and_putin_quotes(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess
) -> None:
    seed = require_shared(SEED)
    url = page_server.add("/news/putin-talks", seed_page_html(seed).encode())
    [reply] = ask(fake_telegram, url)
    assert reply.startswith("Putin expresses his desire for peace talks")
    assert "Bylim Olena" in reply
    assert reply.count("•") >= 3
    assert "Vladimir Putin: “We want a comprehensive, stable and fair settlement" in reply
    assert reply.count("Vladimir Putin:") >= 2
