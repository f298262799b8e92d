"""End to end: the real ``bot.py`` against the local Bot API server, as users see it."""

from __future__ import annotations

import pytest

from tests.botproc import BotProcess
from tests.fakebot import FakeTelegramServer, parse_telegram_html

pytestmark = pytest.mark.e2e


def test_start_shows_welcome_with_buttons_and_commands_are_set(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice = fake_telegram.client.user("Alice")
    fake_telegram.client.send_command(alice, "start")
    [welcome] = fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    assert "daily digest" in welcome.raw_text.lower() or "digest" in welcome.text.lower()
    assert welcome.button_data() == ["subscribe", "settings", "help"]
    commands = fake_telegram.requests("setMyCommands")[0].params["commands"]
    assert "subscribe" in str(commands) and "timezone" in str(commands)


def test_subscribe_button_confirms_and_stores_a_row(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    alice = fake_telegram.client.user("Alice")
    fake_telegram.client.send_command(alice, "start")
    [welcome] = fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    fake_telegram.client.press_button(alice, welcome, "subscribe")
    confirmation = fake_telegram.wait_for_messages(alice.id, count=2, timeout=10)[1]
    assert "Subscribed" in confirmation.text and "08:00" in confirmation.text
    assert bot.rows("select state from subscriptions where chat_id = ?", alice.id) == [("active",)]
    fake_telegram.client.send_command(alice, "subscribe")
    again = fake_telegram.wait_for_messages(alice.id, count=3, timeout=10)[2]
    assert "already subscribed" in again.text


def test_time_then_status_then_unsubscribe(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "subscribe")
    client.send_command(alice, "time", "07:30")
    client.send_command(alice, "status")
    replies = fake_telegram.wait_for_messages(alice.id, count=3, timeout=10)
    assert "07:30" in replies[1].text
    assert "07:30" in replies[2].text and "Europe/Kyiv" in replies[2].text
    assert "Next digest" in replies[2].text
    client.send_command(alice, "unsubscribe")
    confirm = fake_telegram.wait_for_messages(alice.id, count=4, timeout=10)[3]
    assert confirm.button_data() == ["unsub:yes", "unsub:no"]
    client.press_button(alice, confirm, "unsub:yes")
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    assert bot.rows("select count(*) from subscriptions") == [(0,)]
    assert bot.rows("select delivery_time from chats where id = ?", alice.id) == [("07:30",)]


def test_bad_time_and_timezone_change_nothing(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "time", "25:99")
    client.send_command(alice, "timezone", "Mars/Base")
    bad_time, bad_zone = fake_telegram.wait_for_messages(alice.id, count=2, timeout=10)
    assert "HH:MM" in bad_time.text and "Europe/Kyiv" in bad_zone.text
    assert bot.rows("select timezone, delivery_time from chats") == [("Europe/Kyiv", "08:00")]


def test_settings_buttons_change_time_and_zone(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "settings")
    [menu] = fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    assert "set:time:07:00" in menu.button_data() and "set:tz:UTC" in menu.button_data()
    client.press_button(alice, menu, "set:tz:UTC")
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    assert bot.rows("select timezone from chats") == [("UTC",)]


def test_group_non_admin_is_refused_and_admin_may_subscribe(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    client = fake_telegram.client
    owner, member = client.user("Owner"), client.user("Member")
    group = client.group("Readers", owner=owner, members=[member], supergroup=True)
    client.add_bot(group, by=owner)
    client.send_command(member, "subscribe", chat=group)
    [refusal] = fake_telegram.wait_for_messages(group.id, count=1, timeout=10)
    assert "administrators" in refusal.text
    assert bot.rows("select count(*) from subscriptions") == [(0,)]
    client.send_command(owner, "subscribe", chat=group)
    fake_telegram.wait_for_messages(group.id, count=2, timeout=10)
    assert bot.rows("select chat_id from subscriptions") == [(group.id,)]


def test_forum_topic_is_remembered(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    client = fake_telegram.client
    owner = client.user("Owner")
    forum = client.group("Forum", owner=owner, supergroup=True, forum=True)
    client.add_bot(forum, by=owner)
    topic = client.create_topic(forum, "War news", by=owner)
    client.send_command(owner, "subscribe", chat=forum, thread_id=topic)
    [reply] = fake_telegram.wait_for_messages(forum.id, count=1, timeout=10)
    assert reply.message_thread_id == topic
    assert bot.rows("select topic_id from chats where id = ?", forum.id) == [(topic,)]


def test_blocked_bot_marks_chat_and_unblock_brings_it_back(
    fake_telegram: FakeTelegramServer, bot: BotProcess
) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "subscribe")
    fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    client.block_bot(alice)
    _wait_for_status(bot, alice.id, "blocked")
    assert bot.rows("select count(*) from subscriptions") == [(1,)], "data is kept"
    client.unblock_bot(alice)
    _wait_for_status(bot, alice.id, "active")


def test_group_migration_keeps_the_subscription(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    client = fake_telegram.client
    owner = client.user("Owner")
    group = client.group("Small group", owner=owner)
    client.add_bot(group, by=owner)
    client.send_command(owner, "subscribe", chat=group)
    fake_telegram.wait_for_messages(group.id, count=1, timeout=10)
    supergroup = client.migrate_to_supergroup(group, by=owner)
    _wait_for(lambda: bot.rows("select chat_id from subscriptions") == [(supergroup.id,)])


def test_unknown_command_sticker_and_edit_never_crash(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "frobnicate")
    client.send_sticker(alice)
    sent = client.send_message(alice, "hello there")
    client.edit_message(alice, sent, "hello again")
    client.send_command(alice, "help")
    replies = fake_telegram.wait_for_messages(alice.id, count=4, timeout=10)
    assert "/help" in replies[0].text
    assert "/subscribe" in replies[3].text and "/timezone" in replies[3].text
    for reply in replies:
        parse_telegram_html(reply.raw_text) if reply.parse_mode == "HTML" else None
    assert "Traceback" not in bot.log()
    assert fake_telegram.internal_errors == []


def test_token_never_appears_in_logs(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    alice = fake_telegram.client.user("Alice")
    fake_telegram.client.send_command(alice, "start")
    fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    bot.stop()
    log = bot.log()
    assert "getUpdates" in log or "bot @" in log, "the log should not be empty"
    assert fake_telegram.token not in log
    assert fake_telegram.token.split(":")[1] not in log


def _wait_for(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _wait_for_status(bot: BotProcess, chat_id: int, status: str) -> None:
    _wait_for(lambda: bot.rows("select status from chats where id = ?", chat_id) == [(status,)])


def test_channel_where_the_bot_is_admin_can_subscribe(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    client = fake_telegram.client
    owner = client.user("Owner")
    channel = client.channel("War news daily", owner=owner)
    client.add_bot(channel, by=owner, as_admin=True)
    client.post_to_channel(channel, "/subscribe")
    [reply] = fake_telegram.wait_for_messages(channel.id, count=1, timeout=10)
    assert "Subscribed" in reply.text
    assert bot.rows("select c.type from subscriptions s join chats c on c.id = s.chat_id") == [("channel",)]


def test_links_in_groups_only_when_the_bot_is_addressed(fake_telegram: FakeTelegramServer, bot: BotProcess) -> None:
    client = fake_telegram.client
    owner = client.user("Owner")
    group = client.group("Readers", owner=owner, supergroup=True)
    client.add_bot(group, by=owner)
    client.send_message(owner, "look at http://10.0.0.1/private", chat=group)
    client.send_message(owner, "@digest_test_bot what is http://10.0.0.2/x", chat=group)
    [reply] = fake_telegram.wait_for_messages(group.id, count=1, timeout=10)
    assert "private or local" in reply.text
    assert len(fake_telegram.sent(group.id)) == 1, "the unaddressed link got no answer"
