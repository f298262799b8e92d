"""python-telegram-bot 22 against the fake server: its Bot, its errors, a whole Application."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from tests.fakebot import FakeTelegramServer, FakeUser, RateLimits, ServerOptions, Window
from tests.fakebot import fixtures as fakebot_fixtures
from tests.fakebot.fixtures import ServerFactory

# The shared fixtures, imported the way a conftest.py would expose them.
fake_telegram_factory = fakebot_fixtures.fake_telegram_factory


@pytest.fixture
def tg(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    return fake_telegram_factory()


@pytest.fixture
async def bot(tg: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with Bot(tg.token, base_url=tg.base_url) as ptb_bot:
        yield ptb_bot


@pytest.fixture
def alice(tg: FakeTelegramServer) -> FakeUser:
    user = tg.client.user("Alice")
    tg.client.send_command(user, "start")
    return user


async def test_get_me_de_jsons(bot: Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "digest_test_bot" and me.can_join_groups


async def test_send_message_returns_a_message(bot: Bot, alice: FakeUser) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    message = await bot.send_message(
        alice.id, "<b>Kyiv</b> quiet", parse_mode=ParseMode.HTML, reply_markup=keyboard
    )
    assert (message.text, message.entities[0].type, message.chat.id) == (
        "Kyiv quiet",
        "bold",
        alice.id,
    )
    assert message.reply_markup == keyboard and message.from_user is not None


async def test_get_updates_with_offset_drops_confirmed(
    bot: Bot, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    tg.client.send_message(alice, "second")
    first, second = await bot.get_updates(timeout=0)
    assert first.message is not None and first.message.text == "/start"
    remaining = await bot.get_updates(offset=second.update_id, timeout=0)
    assert [u.update_id for u in remaining] == [second.update_id]


async def test_too_long_is_bad_request(bot: Bot, alice: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice.id, "x" * 4097)


async def test_bad_html_is_bad_request(bot: Bot, alice: FakeUser) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(alice.id, "1 < 2", parse_mode=ParseMode.HTML)


async def test_bad_callback_data_is_bad_request(bot: Bot, alice: FakeUser) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(alice.id, "x", reply_markup=keyboard)


async def test_unknown_chat_is_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(31337, "x")


async def test_blocked_user_is_forbidden(bot: Bot, tg: FakeTelegramServer, alice: FakeUser) -> None:
    tg.client.block_bot(alice)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice.id, "x")


async def test_migrated_group_raises_chat_migrated(
    bot: Bot, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    group = tg.client.group("Readers", owner=alice)
    tg.client.add_bot(group, by=alice)
    supergroup = tg.client.migrate_to_supergroup(group, by=alice)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "x")
    assert caught.value.new_chat_id == supergroup.id


async def test_rate_limit_raises_retry_after(
    fake_telegram_factory: ServerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without PTB_TIMEDELTA, PTB 22 warns (an error here) whenever it builds a RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    server = fake_telegram_factory(ServerOptions(limits=RateLimits(per_chat=Window(1, 30.0))))
    user = server.client.user("Bob")
    server.client.send_command(user, "start")
    async with Bot(server.token, base_url=server.base_url) as limited_bot:
        await limited_bot.send_message(user.id, "first")
        with pytest.raises(RetryAfter) as caught:
            await limited_bot.send_message(user.id, "second")
    assert caught.value.retry_after == dt.timedelta(seconds=30)


async def test_chat_member_classes(bot: Bot, tg: FakeTelegramServer, alice: FakeUser) -> None:
    bob, carol, dave = (tg.client.user(n) for n in ("Bob", "Carol", "Dave"))
    chat = tg.client.group("Staff", owner=alice, admins=[bob], members=[carol])
    members = [await bot.get_chat_member(chat.id, u.id) for u in (alice, bob, carol, dave)]
    assert [type(m) for m in members] == [
        ChatMemberOwner,
        ChatMemberAdministrator,
        ChatMemberMember,
        ChatMemberLeft,
    ]


async def test_get_chat_de_jsons(bot: Bot, alice: FakeUser) -> None:
    chat = await bot.get_chat(alice.id)
    assert (chat.type, chat.first_name) == ("private", "Alice")


async def test_wrong_token_raises_invalid_token(tg: FakeTelegramServer) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=tg.base_url):
            pass


async def test_unknown_method_via_do_api_request(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound, match="sendCarrierPigeon"):
        await bot.do_api_request("sendCarrierPigeon")


async def test_callback_answer_round_trip(
    bot: Bot, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more:1")]])
    await bot.send_message(alice.id, "Digest", reply_markup=keyboard)
    tg.client.press_button(alice, tg.sent(alice.id)[0], "more:1")
    update = (await bot.get_updates(timeout=0))[-1]
    assert update.callback_query is not None and update.callback_query.data == "more:1"
    assert await update.callback_query.answer("Loading…")


async def echo_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        f"<b>Hello</b>, {update.effective_user.first_name}", parse_mode=ParseMode.HTML
    )


async def test_application_polls_and_replies_end_to_end(tg: FakeTelegramServer) -> None:
    app = (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", echo_start))
    olena = tg.client.user("Olena")
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(timeout=1)
        tg.client.send_command(olena, "start")
        [reply] = await asyncio.to_thread(tg.wait_for_messages, olena.id, 1, 10.0)
        await app.updater.stop()
        await app.stop()
    assert (reply.text, reply.parse_mode, reply.entities[0]["type"]) == (
        "Hello, Olena",
        "HTML",
        "bold",
    )
    assert [r.method for r in tg.requests()[:2]] == ["getMe", "deleteWebhook"]


SUBPROCESS_BOT = """
import asyncio, os, sys
from telegram import Bot

async def main() -> None:
    async with Bot(sys.argv[1], base_url=os.environ["TELEGRAM_API_BASE_URL"]) as bot:
        await bot.send_message(int(sys.argv[2]), "from another process")

asyncio.run(main())
"""


def test_bot_in_a_subprocess_reaches_the_server(tg: FakeTelegramServer, alice: FakeUser) -> None:
    env = {**os.environ, "TELEGRAM_API_BASE_URL": tg.base_url}
    command = [sys.executable, "-c", SUBPROCESS_BOT, tg.token, str(alice.id)]
    completed = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert [m.text for m in tg.sent(alice.id)] == ["from another process"]
