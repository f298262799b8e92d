"""End to end on PostgreSQL: the real ``bot.py`` with ``DATABASE_URL``, as users see it.

The same flows the SQLite bot passes (start, subscribe, a setting, unsubscribe), stored in
the server's database; and a second worker on the same database, which takes over the
updates when the first is killed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
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


def test_a_second_worker_runs_beside_the_leader_and_takes_over_updates_after_a_kill_9(
        fake_telegram: FakeTelegramServer, bot: BotProcess, server_url: str, tmp_path: Path) -> None:
    """Two workers on one database: the second starts (no refusal) but does not poll while
    the first leads (one getUpdates consumer, no 409 Conflict); when the first is killed,
    the second polls and answers users within LEAD_CHECK_SECONDS."""
    env = bot_environment(fake_telegram, tmp_path / "other.db",
                          {"DATABASE_URL": server_url, "LEAD_CHECK_SECONDS": "0.2"})
    log_file = tmp_path / "second.log"
    with log_file.open("wb") as sink:
        second = subprocess.Popen([sys.executable, str(REPO_ROOT / "bot.py")], cwd=tmp_path,
                                  env=env, stdout=sink, stderr=subprocess.STDOUT)
    follower = BotProcess(second, tmp_path / "other.db", log_file)
    try:
        _wait_for(lambda: "outbox sender started" in follower.log(), "the second worker to run")
        polls = len(fake_telegram.requests("deleteWebhook"))
        time.sleep(0.5)  # a few of its looks at the lock
        assert second.poll() is None and "this worker leads" not in follower.log()
        assert len(fake_telegram.requests("deleteWebhook")) == polls
        assert not [r for r in fake_telegram.requests("getUpdates") if r.status == 409]
        bot.kill()  # its long poll, still open at the server, is the one a new poll ends
        _wait_for(lambda: "this worker leads" in follower.log(), "the second worker to lead")
        alice = fake_telegram.client.user("Alice")
        fake_telegram.client.send_command(alice, "start")
        assert fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    finally:
        follower.stop()


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
