"""The user-side client: chats, membership changes, topics, buttons, and the methods they feed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakebot import FakeChat, FakeTelegramServer, FakeUser


@pytest.fixture
def tg() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def http(tg: FakeTelegramServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{tg.base_url}{tg.token}/") as client:
        yield client


@pytest.fixture
def alice(tg: FakeTelegramServer) -> FakeUser:
    return tg.client.user("Alice")


@pytest.fixture
def group(tg: FakeTelegramServer, alice: FakeUser) -> FakeChat:
    chat = tg.client.group("Readers", owner=alice)
    tg.client.add_bot(chat, by=alice)
    return chat


def call(http: httpx.Client, method: str, **params: Any) -> dict[str, Any]:
    return dict(http.post(method, json=params).json())


def pending(tg: FakeTelegramServer) -> list[dict[str, Any]]:
    return tg.backend.updates.poll(None, 100, 0, None)


def test_command_carries_bot_command_entity(tg: FakeTelegramServer, alice: FakeUser) -> None:
    message = tg.client.send_command(alice, "time", "07:30")
    assert message["text"] == "/time 07:30"
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 5}]


def test_urls_and_text_links_carry_entities(tg: FakeTelegramServer, alice: FakeUser) -> None:
    message = tg.client.send_message(
        alice, "read https://news.example/a and this", text_links={"this": "https://b.example"}
    )
    assert [e["type"] for e in message["entities"]] == ["url", "text_link"]


def test_adding_bot_to_group_sends_my_chat_member_and_service_message(
    tg: FakeTelegramServer, group: FakeChat
) -> None:
    kinds = [next(k for k in u if k != "update_id") for u in pending(tg)]
    assert kinds == ["my_chat_member", "message"]
    assert pending(tg)[0]["my_chat_member"]["new_chat_member"]["status"] == "member"


def test_group_message_reaches_bot_only_when_it_is_member(
    tg: FakeTelegramServer, alice: FakeUser
) -> None:
    chat = tg.client.group("No bot here", owner=alice)
    tg.client.send_message(alice, "hello", chat=chat)
    assert pending(tg) == []


def test_removed_bot_gets_403_kicked(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser, group: FakeChat
) -> None:
    tg.client.remove_bot(group, by=alice)
    body = call(http, "sendMessage", chat_id=group.id, text="x")
    assert (body["error_code"], body["description"]) == (
        403,
        "Forbidden: bot was kicked from the group chat",
    )


def test_bot_never_added_gets_403_not_member(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    chat = tg.client.group("Elsewhere", owner=alice, supergroup=True)
    assert call(http, "sendMessage", chat_id=chat.id, text="x")["description"] == (
        "Forbidden: bot is not a member of the supergroup chat"
    )


def test_channel_needs_admin_rights(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    channel = tg.client.channel("Digest", owner=alice)
    tg.client.add_bot(channel, by=alice)
    assert call(http, "sendMessage", chat_id=channel.id, text="x")["error_code"] == 400
    tg.client.promote_bot(channel, by=alice)
    assert call(http, "sendMessage", chat_id=channel.id, text="x")["ok"] is True


def test_block_and_unblock_change_private_status(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    tg.client.send_command(alice, "start")
    tg.client.block_bot(alice)
    assert (
        call(http, "getChatMember", chat_id=alice.id, user_id=tg.backend.world.bot.id)["result"][
            "status"
        ]
        == "kicked"
    )
    tg.client.unblock_bot(alice)
    assert call(http, "sendMessage", chat_id=alice.id, text="welcome back")["ok"] is True


def test_migration_emits_both_service_messages(
    tg: FakeTelegramServer, alice: FakeUser, group: FakeChat
) -> None:
    pending(tg)  # the add-bot updates
    new = tg.client.migrate_to_supergroup(group, by=alice)
    messages = [u["message"] for u in tg.backend.updates.poll(3, 100, 0, None)]
    assert messages[0]["migrate_to_chat_id"] == new.id
    assert messages[1]["migrate_from_chat_id"] == group.id and new.type == "supergroup"


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", "creator"), ("admin", "administrator"), ("member", "member"), ("stranger", "left")],
)
def test_get_chat_member_statuses(
    tg: FakeTelegramServer, http: httpx.Client, who: str, status: str
) -> None:
    people = {name: tg.client.user(name) for name in ("owner", "admin", "member", "stranger")}
    chat = tg.client.group(
        "Staff", owner=people["owner"], admins=[people["admin"]], members=[people["member"]]
    )
    assert (
        call(http, "getChatMember", chat_id=chat.id, user_id=people[who].id)["result"]["status"]
        == status
    )


def test_get_chat_administrators_lists_owner_and_admin_bot(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    chat = tg.client.group("Staff", owner=alice, supergroup=True)
    tg.client.add_bot(chat, by=alice, as_admin=True)
    statuses = [m["status"] for m in call(http, "getChatAdministrators", chat_id=chat.id)["result"]]
    assert statuses == ["creator", "administrator"]


def test_get_chat_returns_full_info(
    tg: FakeTelegramServer, http: httpx.Client, group: FakeChat
) -> None:
    info = call(http, "getChat", chat_id=group.id)["result"]
    assert (info["type"], info["title"], info["accent_color_id"]) == ("group", "Readers", 0)


def test_forum_topic_threads_messages(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    forum = tg.client.group("Forum", owner=alice, forum=True)
    tg.client.add_bot(forum, by=alice)
    thread = tg.client.create_topic(forum, "Kharkiv", by=alice)
    message = call(http, "sendMessage", chat_id=forum.id, text="x", message_thread_id=thread)[
        "result"
    ]
    assert (message["message_thread_id"], message["is_topic_message"]) == (thread, True)
    assert tg.sent(forum.id)[0].message_thread_id == thread


def test_unknown_and_closed_topics_are_rejected(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    forum = tg.client.group("Forum", owner=alice, forum=True)
    tg.client.add_bot(forum, by=alice)
    thread = tg.client.create_topic(forum, "Closed soon", by=alice)
    assert call(http, "sendMessage", chat_id=forum.id, text="x", message_thread_id=999)[
        "description"
    ] == ("Bad Request: message thread not found")
    tg.client.close_topic(forum, thread)
    assert call(http, "sendMessage", chat_id=forum.id, text="x", message_thread_id=thread)[
        "description"
    ] == ("Bad Request: TOPIC_CLOSED")


def _bot_message_with_button(
    tg: FakeTelegramServer, http: httpx.Client, user: FakeUser
) -> dict[str, Any]:
    tg.client.send_command(user, "start")
    markup = {"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]}
    return dict(
        call(http, "sendMessage", chat_id=user.id, text="Digest", reply_markup=json.dumps(markup))[
            "result"
        ]
    )


def test_pressing_a_button_queues_a_callback_query(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    sent = _bot_message_with_button(tg, http, alice)
    query_id = tg.client.press_button(alice, tg.sent(alice.id)[0], "more:1")
    query = pending(tg)[-1]["callback_query"]
    assert (query["id"], query["data"], query["message"]["message_id"]) == (
        query_id,
        "more:1",
        sent["message_id"],
    )
    assert query["chat_instance"] and query["from"]["id"] == alice.id


def test_callback_query_can_be_answered_once(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    _bot_message_with_button(tg, http, alice)
    query_id = tg.client.press_button(alice, tg.sent(alice.id)[0], "more:1")
    assert call(http, "answerCallbackQuery", callback_query_id=query_id)["ok"] is True
    assert call(http, "answerCallbackQuery", callback_query_id=query_id)["error_code"] == 400


def test_pressing_a_missing_button_is_a_test_error(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    _bot_message_with_button(tg, http, alice)
    with pytest.raises(ValueError, match="no button"):
        tg.client.press_button(alice, tg.sent(alice.id)[0], "less:1")


def test_edit_message_text_and_not_modified(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    sent = _bot_message_with_button(tg, http, alice)
    edited = call(
        http,
        "editMessageText",
        chat_id=alice.id,
        message_id=sent["message_id"],
        text="<b>New</b>",
        parse_mode="HTML",
    )["result"]
    assert (edited["text"], "reply_markup" in edited, "edit_date" in edited) == ("New", False, True)
    again = call(
        http,
        "editMessageText",
        chat_id=alice.id,
        message_id=sent["message_id"],
        text="<b>New</b>",
        parse_mode="HTML",
    )
    assert again["description"].startswith("Bad Request: message is not modified")


def test_edit_reply_markup_removes_keyboard(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    sent = _bot_message_with_button(tg, http, alice)
    assert call(http, "editMessageReplyMarkup", chat_id=alice.id, message_id=sent["message_id"])[
        "ok"
    ]
    assert "reply_markup" not in (tg.message(alice.id, sent["message_id"]) or {})


def test_edit_unknown_message_is_rejected(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    tg.client.send_command(alice, "start")
    assert call(http, "editMessageText", chat_id=alice.id, message_id=99, text="x")[
        "description"
    ] == ("Bad Request: message to edit not found")


def test_delete_message_then_again(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    sent = _bot_message_with_button(tg, http, alice)
    assert (
        call(http, "deleteMessage", chat_id=alice.id, message_id=sent["message_id"])["result"]
        is True
    )
    assert call(http, "deleteMessage", chat_id=alice.id, message_id=sent["message_id"])[
        "description"
    ] == ("Bad Request: message to delete not found")


def test_user_edit_produces_edited_message(tg: FakeTelegramServer, alice: FakeUser) -> None:
    original = tg.client.send_message(alice, "typo")
    tg.client.edit_message(alice, original, "fixed")
    edited = pending(tg)[-1]["edited_message"]
    assert (edited["message_id"], edited["text"]) == (original["message_id"], "fixed")


def test_sticker_message_has_no_text(tg: FakeTelegramServer, alice: FakeUser) -> None:
    message = tg.client.send_sticker(alice)
    assert "text" not in message and message["sticker"]["type"] == "regular"


def test_channel_post_update(tg: FakeTelegramServer, alice: FakeUser) -> None:
    channel = tg.client.channel("Digest", owner=alice)
    tg.client.add_bot(channel, by=alice, as_admin=True)
    tg.client.post_to_channel(channel, "Morning post")
    assert pending(tg)[-1]["channel_post"]["sender_chat"]["id"] == channel.id


def test_chat_action_validation(
    tg: FakeTelegramServer, http: httpx.Client, alice: FakeUser
) -> None:
    tg.client.send_command(alice, "start")
    assert call(http, "sendChatAction", chat_id=alice.id, action="typing")["result"] is True
    assert call(http, "sendChatAction", chat_id=alice.id, action="dancing")["error_code"] == 400


def test_my_commands_round_trip(http: httpx.Client) -> None:
    commands = [{"command": "digest", "description": "Today's digest"}]
    assert call(http, "setMyCommands", commands=commands)["result"] is True
    assert call(http, "getMyCommands")["result"] == commands
    call(http, "deleteMyCommands")
    assert call(http, "getMyCommands")["result"] == []


def test_invalid_command_name_is_rejected(http: httpx.Client) -> None:
    body = call(http, "setMyCommands", commands=[{"command": "Digest!", "description": "x"}])
    assert body["description"] == "Bad Request: BOT_COMMAND_INVALID"
