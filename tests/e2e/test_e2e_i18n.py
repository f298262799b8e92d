"""End to end: the real ``bot.py`` speaks English or Ukrainian, as each chat's users see it."""

from __future__ import annotations

import json
import time

import pytest

from tests.botproc import BotProcess
from tests.fakebot import FakeTelegramServer, SentMessage

pytestmark = pytest.mark.e2e

DEFAULT_SCOPE = json.dumps({"type": "default"}, sort_keys=True)


def labels(telegram: FakeTelegramServer, message: SentMessage) -> list[str]:
    current = telegram.message(message.chat_id, message.message_id)
    assert current is not None
    return [b["text"] for row in current["reply_markup"]["inline_keyboard"] for b in row]


def current_text(telegram: FakeTelegramServer, message: SentMessage) -> str:
    current = telegram.message(message.chat_id, message.message_id)
    assert current is not None
    return str(current["text"])


def test_ukrainian_user_gets_the_ukrainian_welcome_and_menu(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    olha = fake_telegram.client.user("Оля", language_code="uk")
    fake_telegram.client.send_command(olha, "start")
    [welcome] = fake_telegram.wait_for_messages(olha.id, count=1, timeout=10)
    assert welcome.text.startswith("👋 Дайджест новин про війну")
    assert labels(fake_telegram, welcome) == ["✅ Підписатися", "⚙️ Налаштування", "❓ Довідка"]
    assert welcome.button_data() == ["subscribe", "settings", "help"]
    assert bot.rows("select language from chats where id = ?", olha.id) == [("uk",)]
    commands = fake_telegram.backend.world.commands
    first = {"command": "start", "description": "Що вміє цей бот"}
    assert commands[(DEFAULT_SCOPE, "uk")][0] == first
    assert commands[(DEFAULT_SCOPE, "")][0]["description"] == "What this bot does"


def test_russian_app_language_gets_english(fake_telegram: FakeTelegramServer,
                                           bot: BotProcess) -> None:
    ivan = fake_telegram.client.user("Иван", language_code="ru")
    fake_telegram.client.send_command(ivan, "help")
    [reply] = fake_telegram.wait_for_messages(ivan.id, count=1, timeout=10)
    assert reply.text.startswith("Commands")


def test_language_switches_an_english_user_to_ukrainian(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "language")
    [menu] = fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    assert menu.text == "Choose the language I use in this chat:"
    assert labels(fake_telegram, menu) == ["English", "Українська"]
    client.press_button(alice, menu, "lang:uk")
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    done, offer = current_text(fake_telegram, menu).split("\n\n")
    assert done == "Готово: у цьому чаті я писатиму українською."
    assert "україномовні видання та канали" in offer, "the sources may follow the interface"
    assert labels(fake_telegram, menu) == ["Перемкнути джерела на українські"]
    client.press_button(alice, menu, "srclang:uk")
    for _ in range(100):  # the second edit of the same message
        if current_text(fake_telegram, menu).startswith("Готово: ваш дайджест"):
            break
        time.sleep(0.05)
    assert current_text(fake_telegram, menu).startswith(
        "Готово: ваш дайджест тепер читає україномовні видання й канали.")
    client.send_command(alice, "help")
    help_text = fake_telegram.wait_for_messages(alice.id, count=2, timeout=10)[1]
    assert help_text.text.startswith("Команди\n/subscribe — отримувати щоденний дайджест")
    client.send_command(alice, "subscribe")
    confirmation = fake_telegram.wait_for_messages(alice.id, count=3, timeout=10)[2]
    assert "Підписку оформлено" in confirmation.text
    assert labels(fake_telegram, confirmation) == ["📰 Надіслати сьогоднішній дайджест",
                                                   "⏭ Почати із завтра"]


def test_group_language_is_for_admins_and_then_used_for_everyone(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    client = fake_telegram.client
    owner, member = client.user("Owner"), client.user("Member", language_code="uk")
    group = client.group("Readers", owner=owner, members=[member], supergroup=True)
    client.add_bot(group, by=owner)
    client.send_command(member, "status", chat=group)
    [status] = fake_telegram.wait_for_messages(group.id, count=1, timeout=10)
    assert status.text.startswith("Not subscribed"), "a group without a choice is English"
    client.send_command(owner, "language", chat=group)
    menu = fake_telegram.wait_for_messages(group.id, count=2, timeout=10)[1]
    client.press_button(member, menu, "lang:uk")
    refusal = fake_telegram.wait_for_request("answerCallbackQuery", timeout=10)
    assert "administrators" in refusal.params["text"]
    assert bot.rows("select language from chats where id = ?", group.id) == [(None,)]
    client.press_button(owner, menu, "lang:uk")
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    client.send_command(member, "status", chat=group)
    again = fake_telegram.wait_for_messages(group.id, count=3, timeout=10)[2]
    assert again.text.startswith("Підписки немає")
