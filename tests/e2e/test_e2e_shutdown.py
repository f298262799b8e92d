"""Graceful shutdown: SIGTERM (what systemd and Docker send) ends the bot cleanly and fast."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.botproc import running_bot
from tests.fakebot import FakeTelegramServer

pytestmark = pytest.mark.e2e

# Well inside the stop budgets we ship (TimeoutStopSec / stop_grace_period of 30 s).
STOP_WITHIN_SECONDS = 10


def test_sigterm_exits_zero_quickly_and_closes_the_database(
    fake_telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    alice = fake_telegram.client.user("Alice")
    with running_bot(fake_telegram, tmp_path) as bot:
        # Work in flight first: the bot is polling and has written to the database.
        fake_telegram.client.send_command(alice, "subscribe")
        fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
        started = time.monotonic()
        bot.process.send_signal(signal.SIGTERM)
        code = bot.process.wait(timeout=STOP_WITHIN_SECONDS)
        elapsed = time.monotonic() - started
    assert code == 0
    assert elapsed < STOP_WITHIN_SECONDS
    assert "database closed" in bot.log()
    with sqlite3.connect(bot.database) as db:
        assert db.execute("select state from subscriptions").fetchall() == [("active",)]
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
