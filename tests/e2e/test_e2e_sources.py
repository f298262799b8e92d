"""End to end: /sources and the operators' source commands, real ``bot.py`` on the local server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.botproc import BotProcess, running_bot
from tests.fakebot import FakeTelegramServer, FakeUser, SentMessage, parse_telegram_html

pytestmark = pytest.mark.e2e


def source_id(bot: BotProcess, name: str) -> int:
    [(found,)] = bot.rows("select id from sources where name = ?", name)
    assert isinstance(found, int)
    return found


def labels(telegram: FakeTelegramServer, message: SentMessage) -> list[str]:
    """Button labels of ``message`` as it is now, after any edits."""
    current = telegram.message(message.chat_id, message.message_id)
    assert current is not None
    return [b["text"] for row in current["reply_markup"]["inline_keyboard"] for b in row]


def private_menu(telegram: FakeTelegramServer, user: FakeUser) -> SentMessage:
    telegram.client.send_command(user, "sources")
    [menu] = telegram.wait_for_messages(user.id, count=1, timeout=10)
    return menu


def test_sources_shows_kind_groups_with_toggles(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice = fake_telegram.client.user("Alice")
    menu = private_menu(fake_telegram, alice)
    parse_telegram_html(menu.raw_text)
    assert "Ukrainian media" in menu.text and "page 1/" in menu.text
    assert "✅ Kyiv Independent" in labels(fake_telegram, menu)
    assert f"src:t:{source_id(bot, 'Kyiv Independent')}:0" in menu.button_data()
    assert "src:p:1" in menu.button_data()


def test_pressing_a_toggle_stores_the_choice_and_redraws(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice = fake_telegram.client.user("Alice")
    menu = private_menu(fake_telegram, alice)
    kyiv = source_id(bot, "Kyiv Independent")
    fake_telegram.client.press_button(alice, menu, f"src:t:{kyiv}:0")
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    choice = bot.rows("select chat_id, enabled from chat_sources where source_id = ?", kyiv)
    assert choice == [(alice.id, 0)]
    assert "▫️ Kyiv Independent" in labels(fake_telegram, menu)
    before = len(fake_telegram.requests())
    fake_telegram.client.press_button(alice, menu, f"src:t:{kyiv}:0")
    fake_telegram.wait_for_request("editMessageText", timeout=10, after=before)
    assert bot.rows("select enabled from chat_sources where source_id = ?", kyiv) == [(1,)]
    assert "✅ Kyiv Independent" in labels(fake_telegram, menu)


def test_page_arrows_redraw_the_next_page(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice = fake_telegram.client.user("Alice")
    menu = private_menu(fake_telegram, alice)
    fake_telegram.client.press_button(alice, menu, "src:p:1")
    edit = fake_telegram.wait_for_request("editMessageText", timeout=10)
    assert "page 2/" in edit.params["text"]
    before = len(fake_telegram.requests())
    fake_telegram.client.press_button(alice, menu, "src:p:1")  # the page counter: same page
    fake_telegram.wait_for_request("answerCallbackQuery", timeout=10, after=before)
    assert "Traceback" not in bot.log()


def test_in_a_group_anyone_sees_the_menu_but_only_admins_toggle(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    client = fake_telegram.client
    owner, member = client.user("Owner"), client.user("Member")
    group = client.group("Readers", owner=owner, members=[member], supergroup=True)
    client.add_bot(group, by=owner)
    client.send_command(member, "sources", chat=group)
    [menu] = fake_telegram.wait_for_messages(group.id, count=1, timeout=10)
    assert "Ukrainian media" in menu.text
    toggle = next(d for d in menu.button_data() if d.startswith("src:t:"))
    client.press_button(member, menu, toggle)
    refusal = fake_telegram.wait_for_request("answerCallbackQuery", timeout=10)
    assert "administrators" in refusal.params["text"]
    assert bot.rows("select count(*) from chat_sources") == [(0,)]
    client.press_button(owner, menu, toggle)
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    changed = int(toggle.split(":")[2])
    assert bot.rows("select chat_id, source_id from chat_sources") == [(group.id, changed)]


def test_source_commands_are_refused_to_non_operators(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "addsource", "https://feeds.example.org/war.xml Example")
    client.send_command(alice, "disablesource", "1")
    client.send_command(alice, "exportsources")
    replies = fake_telegram.wait_for_messages(alice.id, count=3, timeout=10)
    assert all("only the bot's operators" in reply.text for reply in replies)
    assert bot.rows("select count(*) from sources where origin = 'admin'") == [(0,)]
    assert bot.rows("select count(*) from sources where disabled = 1") == [(0,)]


def test_operator_adds_disables_and_exports_sources(
    fake_telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    client = fake_telegram.client
    admin = client.user("Operator")
    with running_bot(fake_telegram, tmp_path, {"ADMIN_IDS": str(admin.id)}) as bot:
        client.send_command(admin, "addsource", "ftp://feeds.example.org/war.xml")
        client.send_command(admin, "addsource", "https://feeds.example.org/war.xml Example <News>")
        bad, added = fake_telegram.wait_for_messages(admin.id, count=2, timeout=10)
        assert "not an http(s) address" in bad.text
        [(new_id, kind, default, origin)] = bot.rows(
            "select id, kind, enabled_by_default, origin from sources where name = ?",
            "Example <News>")
        assert (kind, default, origin) == ("international", 0, "admin")
        assert f"#{new_id}" in added.text and "Example <News>" in added.text
        tass = source_id(bot, "TASS")
        client.send_command(admin, "disablesource", str(tass))
        client.send_command(admin, "exportsources")
        replies = fake_telegram.wait_for_messages(admin.id, count=4, timeout=10)
        assert "off for everyone" in replies[2].text
        assert bot.rows("select disabled from sources where id = ?", tass) == [(1,)]
        assert "<opml" in replies[3].text and "kyivindependent.com/feed/" in replies[3].text
        assert "feeds.example.org" not in replies[3].text, "a new source is off by default"
        client.send_command(admin, "addsource", "https://feeds.example.org/war.xml Again")
        client.send_command(admin, "enablesource", f"#{tass}")
        again, enabled = fake_telegram.wait_for_messages(admin.id, count=6, timeout=10)[4:]
        assert f"already source #{new_id}" in again.text
        assert "on again" in enabled.text
        assert bot.rows("select count(*) from sources where feed_url like '%example.org%'") == [(1,)]
        assert bot.rows("select disabled from sources where id = ?", tass) == [(0,)]
