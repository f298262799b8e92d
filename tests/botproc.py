"""Run the real ``bot.py`` as a subprocess against the local Bot API server.

The bot is started exactly as an operator would start it, configured only through its
environment; its log goes to a file the test can read (e.g. to prove the token never
appears there).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.fakebot import FakeTelegramServer
from tests.files import ROOT as REPO_ROOT


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    database: Path
    log_file: Path

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def rows(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        """What a query of the bot's SQLite database returns now (a connection of its own)."""
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, params).fetchall()

    def kill(self) -> None:
        """kill -9: no cleanup at all, as in a crash."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM, as a service manager would; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        return self.process.returncode


def bot_environment(server: FakeTelegramServer, database: Path, extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env.update({
        "BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_PATH": str(database),
        "LOG_LEVEL": "DEBUG",
        "PTB_TIMEDELTA": "1",
        "PYTHONWARNINGS": "error::DeprecationWarning",
        **extra,
    })
    return env


@contextmanager
def running_bot(server: FakeTelegramServer, workdir: Path, extra_env: Mapping[str, str] | None = None,
                *, database: Path | None = None, ready_method: str = "deleteWebhook") -> Iterator[BotProcess]:
    """Start ``bot.py``, wait until it is about to poll, yield it, then stop it (SIGTERM).

    The fake server logs a request when it is answered, and a long poll is answered only
    when updates arrive or it times out; so readiness is the last bootstrap call before
    polling (deleteWebhook; setWebhook in webhook mode). Updates sent from then on are
    queued for the first poll (or delivered to the webhook).
    """
    database = database or workdir / "bot.db"
    log_file = workdir / f"bot-{len(list(workdir.glob('bot-*.log')))}.log"
    requests_before = len(server.requests())
    with log_file.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "bot.py")], cwd=workdir, stdout=sink,
            stderr=subprocess.STDOUT, env=bot_environment(server, database, extra_env or {}),
        )
    bot = BotProcess(process, database, log_file)
    try:
        server.wait_for_request(ready_method, timeout=30, after=requests_before)
        yield bot
    finally:
        bot.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll ``condition`` every 50 ms; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def unsent_parts(database: Path) -> int:
    """Outbox parts not yet confirmed (pending or being sent) in a bot's SQLite database."""
    with sqlite3.connect(database) as db:
        return int(db.execute(
            "select count(*) from outbox where status in ('pending', 'sending')").fetchone()[0])
