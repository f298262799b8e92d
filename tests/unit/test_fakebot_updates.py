"""getUpdates long polling and webhook delivery of the fake Bot API."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.fakebot import FakeTelegramServer, FakeUser


@pytest.fixture
def tg() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer() as server:
        yield server


@pytest.fixture
def http(tg: FakeTelegramServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{tg.base_url}{tg.token}/", timeout=10) as client:
        yield client


@pytest.fixture
def alice(tg: FakeTelegramServer) -> FakeUser:
    return tg.client.user("Alice")


def poll(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    body = http.post("getUpdates", json=params).json()
    assert body["ok"], body
    return list(body["result"])


def texts(updates: list[dict[str, Any]]) -> list[str]:
    return [u["message"]["text"] for u in updates]


def test_no_updates_returns_empty_list(http: httpx.Client) -> None:
    assert poll(http, timeout=0) == []


def test_updates_have_increasing_ids(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    tg.client.send_message(alice, "one")
    tg.client.send_message(alice, "two")
    assert [u["update_id"] for u in poll(http)] == [1, 2]


def test_updates_stay_until_confirmed(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    tg.client.send_message(alice, "one")
    assert texts(poll(http)) == texts(poll(http)) == ["one"]


def test_offset_drops_smaller_update_ids(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    for text in ("one", "two", "three"):
        tg.client.send_message(alice, text)
    assert texts(poll(http, offset=3)) == ["three"]
    assert texts(poll(http, offset=1)) == ["three"]  # dropped updates never come back


def test_negative_offset_keeps_the_last_updates(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    for text in ("one", "two", "three"):
        tg.client.send_message(alice, text)
    assert texts(poll(http, offset=-1)) == ["three"]


def test_limit_caps_the_batch(http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser) -> None:
    for text in ("one", "two"):
        tg.client.send_message(alice, text)
    assert texts(poll(http, limit=1)) == ["one"]


def test_long_poll_waits_for_the_timeout(http: httpx.Client) -> None:
    started = time.monotonic()
    assert poll(http, timeout=1) == []
    assert time.monotonic() - started >= 0.9


def test_long_poll_returns_as_soon_as_an_update_arrives(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(poll, http, timeout=30)
        _wait_until_polling(tg)
        tg.client.send_message(alice, "now")
        assert texts(waiting.result(timeout=10)) == ["now"]


def test_newer_poll_ends_older_one_with_409(tg: FakeTelegramServer) -> None:
    url = f"{tg.base_url}{tg.token}/getUpdates"
    with ThreadPoolExecutor(1) as pool:
        older = pool.submit(httpx.post, url, json={"timeout": 30}, timeout=10)
        _wait_until_polling(tg)
        assert httpx.post(url, json={"timeout": 0}).status_code == 200
        response = older.result(timeout=10)
    assert response.status_code == 409
    assert "terminated by other getUpdates request" in response.json()["description"]


def test_allowed_updates_filters_later_updates(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    poll(http, allowed_updates=["callback_query"])
    tg.client.send_message(alice, "ignored")
    assert poll(http) == []


def test_chat_member_updates_are_opt_in(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    tg.client.block_bot(alice)
    assert [next(k for k in u if k != "update_id") for u in poll(http)] == ["my_chat_member"]


def test_get_updates_conflicts_with_a_webhook(http: httpx.Client) -> None:
    http.post("setWebhook", json={"url": "http://127.0.0.1:9/hook"})
    response = http.post("getUpdates")
    assert response.status_code == 409
    assert "webhook is active" in response.json()["description"]


def test_delete_webhook_can_drop_pending_updates(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser
) -> None:
    tg.client.send_message(alice, "old")
    assert http.post("deleteWebhook", json={"drop_pending_updates": True}).json()["result"] is True
    assert poll(http) == []


def test_secret_token_must_use_allowed_characters(http: httpx.Client) -> None:
    response = http.post(
        "setWebhook", json={"url": "http://127.0.0.1:9/", "secret_token": "bad token!"}
    )
    assert response.status_code == 400


class _Receiver(ThreadingHTTPServer):
    daemon_threads = True
    received: queue.Queue[tuple[str | None, dict[str, Any]]]
    answer_status: int = 200


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: _Receiver

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.put((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), body))
        self.send_response(self.server.answer_status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver(("127.0.0.1", 0), _ReceiverHandler)
    server.received = queue.Queue()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def _hook_url(receiver: _Receiver) -> str:
    return f"http://127.0.0.1:{receiver.server_address[1]}/hook"


def test_webhook_receives_updates_with_secret_token(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser, receiver: _Receiver
) -> None:
    http.post("setWebhook", json={"url": _hook_url(receiver), "secret_token": "s3cret_-"})
    tg.client.send_message(alice, "pushed")
    secret, update = receiver.received.get(timeout=5)
    assert (secret, update["message"]["text"]) == ("s3cret_-", "pushed")


def test_webhook_info_reports_url_and_errors(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser, receiver: _Receiver
) -> None:
    receiver.answer_status = 500
    http.post("setWebhook", json={"url": _hook_url(receiver)})
    tg.client.send_message(alice, "fails")
    receiver.received.get(timeout=5)
    info = _wait_for(lambda: http.post("getWebhookInfo").json()["result"], "last_error_message")
    assert info["url"] == _hook_url(receiver) and info["pending_update_count"] == 1
    assert "500" in info["last_error_message"]


def test_webhook_retries_until_accepted(
    http: httpx.Client, tg: FakeTelegramServer, alice: FakeUser, receiver: _Receiver
) -> None:
    receiver.answer_status = 503
    http.post("setWebhook", json={"url": _hook_url(receiver)})
    tg.client.send_message(alice, "again")
    receiver.received.get(timeout=5)
    receiver.answer_status = 200
    _secret, update = receiver.received.get(timeout=5)
    assert update["message"]["text"] == "again"


def _wait_until_polling(server: FakeTelegramServer, timeout: float = 5.0) -> None:
    """Wait until a getUpdates call is parked on the queue (no request log entry exists yet)."""
    deadline = time.monotonic() + timeout
    while server.backend.updates.waiting_polls() == 0:
        assert time.monotonic() < deadline, "getUpdates never started waiting"
        time.sleep(0.005)


def _wait_for(read: Any, key: str, timeout: float = 5.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while key not in (value := read()):
        assert time.monotonic() < deadline, f"{key} never appeared in {value}"
        time.sleep(0.01)
    return dict(value)
