"""Webhook mode end to end: Telegram (the local server) POSTs updates to the bot, which
answers only calls that carry its secret token."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from tests.botproc import running_bot
from tests.fakebot import FakeTelegramServer

pytestmark = pytest.mark.e2e
SECRET = "test_secret-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_webhook_mode_answers_commands_and_checks_the_secret(
    fake_telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram-hook"
    env = {"WEBHOOK_URL": url, "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(port),
           "WEBHOOK_SECRET": SECRET}
    with running_bot(fake_telegram, tmp_path, env, ready_method="setWebhook") as bot:
        registered = fake_telegram.requests("setWebhook")[-1].params
        assert registered["url"] == url and registered["secret_token"] == SECRET
        alice = fake_telegram.client.user("Alice")
        fake_telegram.client.send_command(alice, "start")
        [welcome] = fake_telegram.wait_for_messages(alice.id, count=1, timeout=15)
        assert welcome.button_data() == ["subscribe", "settings", "help"]
        forged = httpx.post(url, json={"update_id": 999}, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
        assert forged.status_code == 403
        assert bot.process.poll() is None
    assert fake_telegram.requests("getUpdates") == [], "no polling in webhook mode"
