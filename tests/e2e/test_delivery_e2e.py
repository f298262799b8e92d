"""The real ``bot.py`` as a subprocess draining an outbox: faults, /stats, and kill -9.

Digests are written straight into the bot's SQLite file before it starts, as the daily
scheduler would; the local Bot API server runs with Telegram's own flood limits.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services.delivery import DeliveryOptions
from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.outbox import Part, enqueue_digest
from tests.botproc import (
    REPO_ROOT,
    BotProcess,
    bot_environment,
    running_bot,
    unsent_parts,
    wait_until,
)
from tests.fakebot import FakeChat, FakeTelegramServer, RateLimits, ServerOptions
from tests.fakebot.fixtures import ServerFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def telegram(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    return fake_telegram_factory(ServerOptions(limits=RateLimits.telegram()))


def start_bot(tg: FakeTelegramServer, workdir: Path, database: Path) -> BotProcess:
    """``bot.py`` without waiting for it to poll: the fan-out starts before the first poll."""
    log_file = workdir / f"crash-{len(list(workdir.glob('crash-*.log')))}.log"
    with log_file.open("wb") as sink:
        process = subprocess.Popen([sys.executable, str(REPO_ROOT / "bot.py")], cwd=workdir,
                                   stdout=sink, stderr=subprocess.STDOUT,
                                   env=bot_environment(tg, database, {"LOG_LEVEL": "INFO"}))
    return BotProcess(process, database, log_file)


class World:
    """Chats in the fake server and in the bot's database, and digests queued for them."""

    def __init__(self, tg: FakeTelegramServer, database: Path) -> None:
        self.tg, self.db = tg, open_database(database)

    def user(self, name: str) -> int:
        user = self.tg.client.user(name)
        user.started = True  # as if they had sent /start earlier
        ensure_chat(self.db, user.id, NewChat("private", name), ChatDefaults())
        return user.id

    def group(self, title: str) -> FakeChat:
        owner = self.tg.client.user(f"{title} owner")
        chat = self.tg.client.group(title, owner=owner)
        chat.bot_status = "member"  # added earlier; no join update to answer now
        ensure_chat(self.db, chat.id, NewChat("group", title), ChatDefaults())
        return chat

    def queue(self, chat_id: int, parts: int = 1, text: str = "digest") -> list[str]:
        texts = [f"<b>{text}</b> for {chat_id}, part {n}" for n in range(parts)]
        enqueue_digest(self.db, chat_id, date(2026, 1, 2), [Part(t) for t in texts],
                       thread_id=None, now=datetime.now(UTC))
        return [t.replace("<b>", "").replace("</b>", "") for t in texts]


def test_kill_9_mid_fan_out_then_restart_delivers_everything_once(
    telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    world = World(telegram, tmp_path / "bot.db")
    expected = [t for n in range(80) for t in world.queue(world.user(f"User {n}"))]
    expected += [t for n in range(4) for t in world.queue(world.group(f"Group {n}").id, parts=3)]
    world.db.close()
    first = start_bot(telegram, tmp_path, tmp_path / "bot.db")
    wait_until(lambda: len(telegram.sent()) >= len(expected) // 2)
    first.kill()
    sent_before_crash = len(telegram.sent())
    second = start_bot(telegram, tmp_path, tmp_path / "bot.db")
    try:
        wait_until(lambda: unsent_parts(tmp_path / "bot.db") == 0, timeout=60)
    finally:
        assert second.stop() == 0  # SIGTERM: the sender stops cleanly with the app
    received = Counter(m.text for m in telegram.sent())
    assert set(received) == set(expected)  # nothing lost
    duplicates = sum(received.values()) - len(expected)
    assert duplicates <= DeliveryOptions().max_in_flight  # only what was in flight at the kill
    assert sent_before_crash < len(expected) and telegram.count_429() == 0


def test_faults_through_the_running_bot(telegram: FakeTelegramServer, tmp_path: Path) -> None:
    world = World(telegram, tmp_path / "bot.db")
    healthy = [t for n in range(5) for t in world.queue(world.user(f"User {n}"), parts=2)]
    blocked = world.user("Blocker")
    world.queue(blocked)
    telegram.client.block_bot(telegram.backend.world.users[blocked])
    group = world.group("Old group")
    supergroup = telegram.client.migrate_to_supergroup(
        group, by=telegram.backend.world.users[next(iter(group.members))])
    moved = world.queue(group.id, parts=2, text="moved")
    broken = world.user("Broken")
    enqueue_digest(world.db, broken, date(2026, 1, 2), [Part("<b>unclosed & bold")],
                   thread_id=None, now=datetime.now(UTC))
    flooded = world.user("Flooded")
    world.queue(flooded)
    world.db.close()
    telegram.faults.force_429(flooded, retry_after=1)
    telegram.faults.fail_next("sendMessage", status=502, count=2)
    with running_bot(telegram, tmp_path, database=tmp_path / "bot.db") as bot:
        wait_until(lambda: unsent_parts(bot.database) == 0, timeout=60)
        log = bot.log()
    texts = [m.text for m in telegram.sent()]
    assert set(healthy) <= set(texts) and len(texts) == len(set(texts))
    assert [m.text for m in telegram.sent(supergroup.id)] == moved
    assert [m.text for m in telegram.sent(broken)] == ["unclosed & bold"]
    assert len(telegram.sent(flooded)) == 1 and telegram.sent(blocked) == []
    assert "ERROR services.delivery" in log and "plain text" in log
    with sqlite3.connect(tmp_path / "bot.db") as db:
        assert db.execute("select status from chats where id = ?", [blocked]).fetchone() == ("blocked",)


def test_stats_answers_admins_and_refuses_others(telegram: FakeTelegramServer, tmp_path: Path) -> None:
    world = World(telegram, tmp_path / "bot.db")
    admin, stranger = telegram.client.user("Admin"), telegram.client.user("Stranger")
    world.queue(world.user("Reader"))
    world.db.close()
    with running_bot(telegram, tmp_path, {"ADMIN_IDS": str(admin.id)}, database=tmp_path / "bot.db"):
        wait_until(lambda: unsent_parts(tmp_path / "bot.db") == 0)
        telegram.client.send_command(admin, "stats")
        [report] = telegram.wait_for_messages(admin.id, count=1, timeout=10)
        telegram.client.send_command(stranger, "stats")
        [refusal] = telegram.wait_for_messages(stranger.id, count=1, timeout=10)
    assert "Subscribers" in report.text and "1 parts sent" in report.text
    assert "only for the bot's operators" in refusal.text
