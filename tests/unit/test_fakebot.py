"""The fake Bot API over plain HTTP (httpx): routing, JSON shapes and sendMessage's checks."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakebot import FakeTelegramServer, FakeUser, methods
from tests.fakebot import fixtures as fakebot_fixtures
from tests.fakebot.fixtures import ServerFactory

KEYBOARD_BUTTON = {"text": "More", "callback_data": "more:1"}


# The shared fixtures, imported the way a conftest.py would expose them.
fake_telegram_factory = fakebot_fixtures.fake_telegram_factory


@pytest.fixture
def tg(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    return fake_telegram_factory()


@pytest.fixture
def http(tg: FakeTelegramServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{tg.base_url}{tg.token}/") as client:
        yield client


@pytest.fixture
def alice(tg: FakeTelegramServer) -> FakeUser:
    user = tg.client.user("Alice", username="alice")
    tg.client.send_command(user, "start")
    return user


def send(http: httpx.Client, chat_id: int | str, text: str, **extra: Any) -> httpx.Response:
    return http.post("sendMessage", data={"chat_id": str(chat_id), "text": text, **extra})


def description(response: httpx.Response) -> str:
    return str(response.json()["description"])


def test_get_me_is_a_full_bot_user(http: httpx.Client) -> None:
    me = http.get("getMe").json()["result"]
    assert me["is_bot"] is True and me["username"] == "digest_test_bot"
    assert me["can_join_groups"] is True


def test_method_names_are_case_insensitive(http: httpx.Client) -> None:
    assert http.post("GETME").json()["ok"] is True


def test_unknown_method_is_404(http: httpx.Client) -> None:
    response = http.post("sendCarrierPigeon")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


def test_wrong_token_is_401(tg: FakeTelegramServer) -> None:
    response = httpx.post(f"{tg.base_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json()["description"] == "Unauthorized"


def test_path_outside_the_api_is_404(tg: FakeTelegramServer) -> None:
    assert httpx.get(f"{tg.url}/favicon.ico").status_code == 404


def test_query_string_parameters_work(http: httpx.Client, alice: FakeUser) -> None:
    assert http.get("sendMessage", params={"chat_id": alice.id, "text": "hi"}).json()["ok"]


def test_json_body_parameters_work(http: httpx.Client, alice: FakeUser) -> None:
    assert http.post("sendMessage", json={"chat_id": alice.id, "text": "hi"}).json()["ok"]


def test_multipart_parameters_work(http: httpx.Client, alice: FakeUser) -> None:
    response = http.post(
        "sendMessage",
        data={"chat_id": str(alice.id), "text": "hi"},
        files={"unused": ("a.txt", b"x")},
    )
    assert response.json()["result"]["text"] == "hi"


def test_sent_message_is_telegram_shaped(http: httpx.Client, alice: FakeUser) -> None:
    message = send(http, alice.id, "hello").json()["result"]
    assert message["chat"] == {
        "id": alice.id,
        "type": "private",
        "first_name": "Alice",
        "username": "alice",
    }
    assert message["from"]["is_bot"] is True
    assert abs(message["date"] - time.time()) < 5  # Unix seconds, not milliseconds


def test_reply_markup_arrives_as_json_string(http: httpx.Client, alice: FakeUser) -> None:
    markup = {"inline_keyboard": [[KEYBOARD_BUTTON]]}
    message = send(http, alice.id, "x", reply_markup=json.dumps(markup)).json()["result"]
    assert message["reply_markup"] == markup


def test_html_is_parsed_into_entities(http: httpx.Client, alice: FakeUser) -> None:
    message = send(http, alice.id, "<b>Kyiv</b> update", parse_mode="HTML").json()["result"]
    assert message["text"] == "Kyiv update"
    assert message["entities"] == [{"type": "bold", "offset": 0, "length": 4}]


def test_4096_visible_characters_fit(http: httpx.Client, alice: FakeUser) -> None:
    assert send(http, alice.id, f"<b>{'x' * 4096}</b>", parse_mode="HTML").status_code == 200


def test_4097_characters_are_too_long(http: httpx.Client, alice: FakeUser) -> None:
    response = send(http, alice.id, "x" * 4097)
    assert response.status_code == 400
    assert description(response) == "Bad Request: message is too long"


def test_length_counts_utf16_code_units(http: httpx.Client, alice: FakeUser) -> None:
    assert description(send(http, alice.id, "😀" * 2049)) == "Bad Request: message is too long"


def test_escaped_entities_count_as_one_character(http: httpx.Client, alice: FakeUser) -> None:
    assert send(http, alice.id, "&amp;" * 4096, parse_mode="HTML").status_code == 200


@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>"])
def test_empty_text_is_rejected(http: httpx.Client, alice: FakeUser, text: str) -> None:
    assert (
        description(send(http, alice.id, text, parse_mode="HTML"))
        == "Bad Request: message text is empty"
    )


def test_surrounding_whitespace_is_trimmed(http: httpx.Client, alice: FakeUser) -> None:
    message = send(http, alice.id, "\n <b>Kyiv</b> \n", parse_mode="HTML").json()["result"]
    assert (message["text"], message["entities"][0]["offset"]) == ("Kyiv", 0)


def test_bad_html_is_rejected(http: httpx.Client, alice: FakeUser) -> None:
    response = send(http, alice.id, "<b>unclosed", parse_mode="HTML")
    assert response.status_code == 400
    assert description(response).startswith("Bad Request: can't parse entities: ")


def test_markdown_v2_is_refused(http: httpx.Client, alice: FakeUser) -> None:
    assert "unsupported parse_mode" in description(
        send(http, alice.id, "*b*", parse_mode="MarkdownV2")
    )


def test_callback_data_over_64_bytes_is_rejected(http: httpx.Client, alice: FakeUser) -> None:
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "ї" * 33}]]}  # 66 bytes
    response = send(http, alice.id, "x", reply_markup=json.dumps(markup))
    assert description(response) == "Bad Request: BUTTON_DATA_INVALID"


def test_callback_data_of_64_bytes_is_fine(http: httpx.Client, alice: FakeUser) -> None:
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "d" * 64}]]}
    assert send(http, alice.id, "x", reply_markup=json.dumps(markup)).status_code == 200


@pytest.mark.parametrize(
    "button",
    [
        {"text": "no action"},
        {"text": "two", "callback_data": "a", "url": "https://a.example"},
        {"callback_data": "no text"},
        {"text": "", "callback_data": "a"},
    ],
)
def test_buttons_need_text_and_one_action(
    http: httpx.Client, alice: FakeUser, button: dict[str, str]
) -> None:
    response = send(http, alice.id, "x", reply_markup=json.dumps({"inline_keyboard": [[button]]}))
    assert "can't parse inline keyboard button" in description(response)


def test_unknown_chat_is_400(http: httpx.Client) -> None:
    response = send(http, 424242, "x")
    assert (response.status_code, description(response)) == (400, "Bad Request: chat not found")


def test_user_who_never_wrote_cannot_be_messaged(
    http: httpx.Client, tg: FakeTelegramServer
) -> None:
    bob = tg.client.user("Bob")
    assert (
        description(send(http, bob.id, "x"))
        == "Forbidden: bot can't initiate conversation with a user"
    )


def test_blocked_user_is_403(http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser) -> None:
    tg.client.block_bot(alice)
    response = send(http, alice.id, "x")
    assert (response.status_code, description(response)) == (
        403,
        "Forbidden: bot was blocked by the user",
    )


def test_deactivated_user_is_403(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    tg.client.deactivate(alice)
    assert description(send(http, alice.id, "x")) == "Forbidden: user is deactivated"


def test_migrated_group_points_to_supergroup(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    group = tg.client.group("Readers", owner=alice)
    tg.client.add_bot(group, by=alice)
    supergroup = tg.client.migrate_to_supergroup(group, by=alice)
    body = send(http, group.id, "x").json()
    assert body["description"] == "Bad Request: group chat was upgraded to a supergroup chat"
    assert body["parameters"] == {"migrate_to_chat_id": supergroup.id}
    assert send(http, supergroup.id, "x").status_code == 200


def test_channel_is_addressable_by_username(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    channel = tg.client.channel("War digest", owner=alice, username="wardigest")
    tg.client.add_bot(channel, by=alice, as_admin=True)
    message = send(http, "@wardigest", "post").json()["result"]
    assert message["sender_chat"]["id"] == channel.id and "from" not in message


def test_every_request_is_logged_with_status(http: httpx.Client, tg: FakeTelegramServer) -> None:
    send(http, 1, "x")
    [logged] = tg.requests("sendMessage")
    assert (logged.params["chat_id"], logged.status) == ("1", 400)


def test_sent_messages_are_kept_per_chat(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    send(http, alice.id, "<i>one</i>", parse_mode="HTML")
    send(http, alice.id, "two")
    sent = tg.sent(alice.id)
    assert [(m.text, m.raw_text, m.parse_mode) for m in sent] == [
        ("one", "<i>one</i>", "HTML"),
        ("two", "two", None),
    ]


def test_wait_for_messages_times_out_with_a_clear_error(
    tg: FakeTelegramServer, alice: FakeUser
) -> None:
    with pytest.raises(TimeoutError, match="0/1 messages"):
        tg.wait_for_messages(alice.id, 1, timeout=0.05)


def test_server_restarts_on_a_new_port(fake_telegram_factory: ServerFactory) -> None:
    first = fake_telegram_factory()
    second = fake_telegram_factory()
    assert first.port != second.port


def test_a_bug_in_the_fake_answers_500_instead_of_hanging(
    http: httpx.Client,
    tg: FakeTelegramServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(api: object, params: object) -> None:
        raise KeyError("simulated bug")

    monkeypatch.setitem(methods.METHODS, "getMe", broken)
    response = http.post("getMe")
    assert response.status_code == 500 and "fake server bug" in description(response)
    assert len(tg.internal_errors) == 1


def test_commands_must_be_objects(http: httpx.Client) -> None:
    response = http.post("setMyCommands", json={"commands": ["digest"]})
    assert description(response) == "Bad Request: can't parse commands JSON object"
