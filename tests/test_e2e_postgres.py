"""End to end on PostgreSQL: the real ``bot.py`` with ``DATABASE_URL``, as users see it.

The same flows the SQLite bot passes (start, subscribe, a setting, unsubscribe), stored in
the server's database; and a second bot on the same database refuses to start in one line.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.botproc import REPO_ROOT, BotProcess, bot_environment, running_bot
from tests.fakebot import FakeTelegramServer
from tests.postgres import PostgresServer, drop

pytestmark = pytest.mark.e2e


@pytest.fixture
def server_url(postgres_server: PostgresServer) -> Iterator[str]:
    url = postgres_server.empty_database()  # the bot migrates it at start
    yield url
    drop(postgres_server, [url])


@pytest.fixture
def bot(fake_telegram: FakeTelegramServer, tmp_path: Path, server_url: str) -> Iterator[BotProcess]:
    with running_bot(fake_telegram, tmp_path, {"DATABASE_URL": server_url}) as process:
        yield process


def rows(url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_subscribe_settings_and_unsubscribe_are_stored_on_the_server(
        fake_telegram: FakeTelegramServer, bot: BotProcess, server_url: str) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "subscribe")
    client.send_command(alice, "time", "07:30")
    replies = fake_telegram.wait_for_messages(alice.id, count=2, timeout=10)
    assert "Subscribed" in replies[0].text and "07:30" in replies[1].text
    assert rows(server_url, "select state from subscriptions where chat_id = %s", alice.id) == [("active",)]
    assert rows(server_url, "select delivery_time from chats where id = %s", alice.id) == [("07:30",)]
    client.send_command(alice, "unsubscribe")
    confirm = fake_telegram.wait_for_messages(alice.id, count=3, timeout=10)[2]
    client.press_button(alice, confirm, "unsub:yes")
    fake_telegram.wait_for_request("editMessageText", timeout=10)
    assert rows(server_url, "select count(*) from subscriptions where chat_id = %s", alice.id) == [(0,)]
    assert not (bot.log_file.parent / "bot.db").exists(), "no SQLite file beside it"


def test_a_second_bot_on_the_same_database_refuses_in_one_line(
        fake_telegram: FakeTelegramServer, bot: BotProcess, server_url: str, tmp_path: Path) -> None:
    env = bot_environment(fake_telegram, tmp_path / "other.db", {"DATABASE_URL": server_url})
    second = subprocess.run([sys.executable, str(REPO_ROOT / "bot.py")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert second.returncode == 2
    [line] = second.stderr.strip().splitlines()
    assert line.startswith("Cannot start: another process is using the database 'postgresql://")
    assert f"pid {bot.process.pid}" in line and "DATABASE_URL" in line
