"""End to end, the real ``bot.py`` under attack: floods, slow sites, forged button presses,
an internal error with the token in the link, and /mydata + /forget."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from digest.urls import normalize_url
from i18n.texts import say
from storage import open_database
from tests import files
from tests.botproc import BotProcess, running_bot
from tests.fakebot import FakeTelegramServer, SentMessage, parse_telegram_html
from tests.pageserver import PageServer, Reply

pytestmark = pytest.mark.e2e
ARTICLE = files.ARTICLE_PAGE.read_bytes()
FLOOD = 100


def start_bot(tg: FakeTelegramServer, page_server: PageServer, workdir: Path,
              database: Path | None = None):  # type: ignore[no-untyped-def]
    return running_bot(tg, workdir, {"FETCH_ALLOW_PRIVATE_HOSTS": page_server.host_port}, database=database)


@pytest.fixture
def bot(fake_telegram: FakeTelegramServer, page_server: PageServer, tmp_path: Path) -> Iterator[BotProcess]:
    with start_bot(fake_telegram, page_server, tmp_path) as process:
        yield process


def test_a_flooding_user_is_limited_while_another_user_is_answered(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess
) -> None:
    tg = fake_telegram
    mallory, alice = tg.client.user("Mallory"), tg.client.user("Alice")
    started = time.monotonic()
    for n in range(FLOOD):
        tg.client.send_message(mallory, page_server.add(f"/flood/{n}", ARTICLE))
    tg.client.send_message(alice, page_server.add("/alice", ARTICLE))
    [answer] = tg.wait_for_messages(alice.id, count=1, timeout=20)
    assert answer.text.startswith("Repair crews restore power")
    elapsed = time.monotonic() - started

    def fetched() -> int:
        return sum(page_server.hits(f"/flood/{n}") for n in range(FLOOD))

    # Mallory's replies keep Telegram's pace of one a second per chat: wait for all of them
    # (one per page fetched, plus the one warning), then a little longer for any extra one.
    deadline = time.monotonic() + 30
    while len(tg.sent(mallory.id)) < fetched() + 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)
    to_mallory = [m.text for m in tg.sent(mallory.id)]
    limited = [t for t in to_mallory if "faster than I can read" in t]
    pages = fetched()
    assert len(limited) == 1, "told once, not a hundred times"
    allowed = 5 + int(elapsed / 6) + 1  # the burst, plus one per 6 s of refill
    assert 5 <= pages <= allowed and len(to_mallory) == pages + 1


def test_a_slow_site_does_not_hold_up_other_users(
    fake_telegram: FakeTelegramServer, page_server: PageServer, bot: BotProcess
) -> None:
    tg = fake_telegram
    bob, alice = tg.client.user("Bob"), tg.client.user("Alice")
    slow = page_server.add("/slow", Reply(ARTICLE, drip_delay=0.002))  # about 5 s for 2 KB
    tg.client.send_message(bob, slow)
    tg.wait_for_request("sendChatAction", timeout=10)  # Bob's fetch is under way
    tg.client.send_message(alice, page_server.add("/fast", ARTICLE))
    [answer] = tg.wait_for_messages(alice.id, count=1, timeout=20)
    assert answer.text.startswith("Repair crews restore power")
    assert tg.sent(bob.id) == [], "Alice was answered while Bob's page was still dripping"
    [late] = tg.wait_for_messages(bob.id, count=1, timeout=30)
    assert late.text.startswith("Repair crews restore power")


def _menu(tg: FakeTelegramServer, user, chat=None) -> SentMessage:  # type: ignore[no-untyped-def]
    target = chat.id if chat is not None else user.id
    before = len(tg.sent(target))
    tg.client.send_command(user, "settings", chat=chat)
    return tg.wait_for_messages(target, count=before + 1, timeout=10)[-1]


def test_a_button_of_alices_menu_pressed_by_bob_changes_nothing(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    tg = fake_telegram
    alice, bob = tg.client.user("Alice"), tg.client.user("Bob")
    alice_menu, bob_menu = _menu(tg, alice), _menu(tg, bob)
    # A forged press: Bob's callback on Alice's private menu (Telegram would never send it).
    query = tg.client.press_button(bob, alice_menu, "set:tz:UTC")
    tg.wait_for_request("answerCallbackQuery", where=lambda r: r.params.get("callback_query_id") == query,
                        timeout=10)
    # Bob's own press acts on Bob's chat only: the data names no chat.
    tg.client.press_button(bob, bob_menu, "set:tz:America/New_York")
    tg.wait_for_request("editMessageText", timeout=10)
    assert bot.rows("select id, timezone from chats order by id") == sorted(
        [(alice.id, "Europe/Kyiv"), (bob.id, "America/New_York")])


def test_a_settings_button_pressed_by_a_group_member_changes_nothing(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    client = fake_telegram.client
    owner, member = client.user("Owner"), client.user("Member")
    group = client.group("Readers", owner=owner, members=[member], supergroup=True)
    client.add_bot(group, by=owner)
    menu = _menu(fake_telegram, owner, group)
    query = client.press_button(member, menu, "set:time:06:00")
    answer = fake_telegram.wait_for_request(
        "answerCallbackQuery", where=lambda r: r.params.get("callback_query_id") == query, timeout=10)
    assert "administrators" in str(answer.params.get("text"))
    assert bot.rows("select delivery_time from chats where id = ?", group.id) == [("08:00",)]


def test_an_internal_error_leaks_neither_token_nor_traceback(
    fake_telegram: FakeTelegramServer, page_server: PageServer, tmp_path: Path
) -> None:
    tg, token = fake_telegram, fake_telegram.token
    url = page_server.add("/news/poisoned", ARTICLE) + f"?leak={token}"
    database = tmp_path / "bot.db"
    db = open_database(database)
    # A damaged cache entry for this very link: reading it back raises inside the handler.
    db.insert("article_cache", {"url_key": normalize_url(url), "payload": json.dumps({"title": 1}),
                                "fetched_at": datetime.now(UTC).isoformat()})
    db.close()
    alice = tg.client.user("Alice")
    with start_bot(tg, page_server, tmp_path, database) as bot:
        tg.client.send_message(alice, f"read this {url}")
        [reply] = tg.wait_for_messages(alice.id, count=1, timeout=20)
        bot.stop()
    assert reply.text == say("internal_error")
    assert "unhandled error" in bot.log(), "the error really happened and was logged"
    for secret in (token, token.split(":")[1]):
        assert secret not in bot.log() and secret not in reply.raw_text
    assert "Traceback" not in reply.raw_text and ".py" not in reply.raw_text


def test_mydata_shows_the_rows_and_forget_erases_them(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    tg, alice = fake_telegram, fake_telegram.client.user("Alice")
    tg.client.send_command(alice, "subscribe")
    tg.client.send_command(alice, "mydata")
    _, intro, export = tg.wait_for_messages(alice.id, count=3, timeout=10)
    assert "Everything I store" in intro.text
    parse_telegram_html(export.raw_text)
    data = json.loads(export.text)
    assert data["chat"]["id"] == alice.id and data["subscription"]["state"] == "active"
    tg.client.send_command(alice, "forget")
    confirm = tg.wait_for_messages(alice.id, count=4, timeout=10)[3]
    assert confirm.button_data() == ["forget:yes", "forget:no"]
    tg.client.press_button(alice, confirm, "forget:yes")
    tg.wait_for_request("editMessageText", timeout=10)
    assert bot.rows("select count(*) from chats") == [(0,)]
    assert bot.rows("select count(*) from subscriptions") == [(0,)]


def test_forget_in_a_group_is_for_admins_only(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    client = fake_telegram.client
    owner, member = client.user("Owner"), client.user("Member")
    group = client.group("Readers", owner=owner, members=[member], supergroup=True)
    client.add_bot(group, by=owner)
    client.send_command(owner, "subscribe", chat=group)
    client.send_command(owner, "forget", chat=group)
    _, confirm = fake_telegram.wait_for_messages(group.id, count=2, timeout=10)
    query = client.press_button(member, confirm, "forget:yes")
    fake_telegram.wait_for_request(
        "answerCallbackQuery", where=lambda r: r.params.get("callback_query_id") == query, timeout=10)
    client.send_command(member, "mydata", chat=group)
    refusal = fake_telegram.wait_for_messages(group.id, count=3, timeout=10)[2]
    assert "administrators" in refusal.text
    assert bot.rows("select chat_id from subscriptions") == [(group.id,)]
