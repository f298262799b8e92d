"""Fan-out of one digest to N subscribers through the real bot against the local Bot API server.

``.venv/bin/python -m bench fanout [--quick | --full | --subscribers=N] [--rate=R]
[--scenarios=clean,faults,crash]`` (the bench runner only passes ``-``-options, so write
``--rate=300``, not ``--rate 300``). The server applies Telegram's limits (1/s per chat,
20/min per group or channel) and an overall limit of R/s; the bot (``bot.py``,
with SEND_RATE_PER_SECOND=R) runs as a subprocess so its RSS and CPU are its own.

Scenarios: ``clean``; ``faults`` (5% of sends answered 502, 5 forced 429s); ``crash``
(kill -9 at 50%, then a restart). Columns: achieved rate over the whole fan-out (first to last
accepted send), 429s beyond the forced ones, lost and duplicated messages, peak RSS (VmHWM)
and CPU seconds per 1,000 messages of the bot process(es).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.outbox import Part, enqueue_digest
from tests.fakebot import FakeTelegramServer, RateLimits, ServerOptions, Window

ROOT = Path(__file__).resolve().parents[1]
FORCED_429 = 5


@dataclass(frozen=True)
class Run:
    scenario: str
    subscribers: int
    rate: float


@dataclass(frozen=True)
class Result:
    run: Run
    seconds: float
    achieved: float
    extra_429: int
    lost: int
    duplicates: int
    rss_mb: float
    cpu_per_1000: float


def populate(tg: FakeTelegramServer, database: Path, subscribers: int) -> list[int]:
    """80% private chats, 15% groups, 5% channels, each with one digest part due now."""
    db, chat_ids = open_database(database), []
    for n in range(subscribers):
        if n % 20 == 0:
            chat = tg.client.channel(f"Channel {n}", owner=tg.client.user(f"Owner {n}"))
            chat.bot_status, kind, chat_id = "administrator", "channel", chat.id
        elif n % 20 <= 3:
            chat = tg.client.group(f"Group {n}", owner=tg.client.user(f"Owner {n}"))
            chat.bot_status, kind, chat_id = "member", "group", chat.id
        else:
            user = tg.client.user(f"Reader {n}")
            user.started, kind, chat_id = True, "private", user.id
        ensure_chat(db, chat_id, NewChat(kind, f"chat {n}"), ChatDefaults())
        chat_ids.append(chat_id)
    now = datetime.now(UTC)
    with db.atomic():
        for chat_id in chat_ids:
            enqueue_digest(db, chat_id, date(2026, 1, 2), [Part(f"<b>Digest</b> for {chat_id}")],
                           thread_id=None, now=now)
    db.close()
    return chat_ids


class Bot:
    """The bot subprocess(es) of one run, with their summed peak RSS and CPU time."""

    def __init__(self, tg: FakeTelegramServer, workdir: Path, rate: float) -> None:
        self.tg, self.workdir, self.rate = tg, workdir, rate
        self.peak_kb, self.cpu_seconds = 0, 0.0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        script = ROOT / "bot.py"
        env = {**os.environ, "BOT_TOKEN": self.tg.token, "TELEGRAM_API_BASE_URL": self.tg.base_url,
               "DATABASE_PATH": str(self.workdir / "bot.db"), "PTB_TIMEDELTA": "1",
               "LOG_LEVEL": "WARNING", "SEND_RATE_PER_SECOND": str(self.rate)}
        log = (self.workdir / "bot.log").open("ab")
        self.process = subprocess.Popen([sys.executable, str(script)], cwd=self.workdir,
                                        stdout=log, stderr=subprocess.STDOUT, env=env)

    def end(self, sig: int) -> None:
        """Read the process' peak RSS and CPU, then stop it with ``sig``."""
        assert self.process is not None
        pid = self.process.pid
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        self.peak_kb = max(self.peak_kb, int(hwm.split()[1]))
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        self.cpu_seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        self.process.send_signal(sig)
        self.process.wait(timeout=30)


def wait_until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("fan-out did not finish in time")
        time.sleep(0.5)  # the bench process stays idle: the server shares its interpreter


def unfinished(database: Path) -> int:
    db = open_database(database)
    try:
        return int(db.execute("select count(*) from outbox where status != 'sent'").fetchone()[0])
    finally:
        db.close()


def run_scenario(run: Run) -> Result:
    limits = RateLimits(per_chat=Window(1, 1.0), per_group=Window(20, 60.0),
                        overall=Window(round(run.rate), 1.0))
    with tempfile.TemporaryDirectory() as tmp, FakeTelegramServer(ServerOptions(limits=limits)) as tg:
        workdir = Path(tmp)
        chat_ids = populate(tg, workdir / "bot.db", run.subscribers)
        if run.scenario == "faults":
            tg.faults.set_error_rate("sendMessage", 0.05, status=502)
            for chat_id in chat_ids[1::97][:FORCED_429]:
                tg.faults.force_429(chat_id, retry_after=2)
        bot = Bot(tg, workdir, run.rate)
        bot.start()
        budget = 60 + 3 * run.subscribers / run.rate
        if run.scenario == "crash":
            wait_until(lambda: len(tg.sent()) >= run.subscribers // 2, budget)
            bot.end(signal.SIGKILL)
            bot.start()
        wait_until(lambda: unfinished(workdir / "bot.db") == 0, budget)
        bot.end(signal.SIGTERM)
        return measure(run, tg, chat_ids, bot)


def measure(run: Run, tg: FakeTelegramServer, chat_ids: list[int], bot: Bot) -> Result:
    accepted = [r.at for r in tg.requests("sendMessage") if r.status == 200]
    seconds = accepted[-1] - accepted[0]
    received = Counter(m.chat_id for m in tg.sent())
    forced = min(FORCED_429, len(chat_ids[1::97])) if run.scenario == "faults" else 0
    return Result(
        run=run, seconds=seconds, achieved=(len(accepted) - 1) / seconds,
        extra_429=tg.count_429() - forced,
        lost=sum(1 for c in chat_ids if received[c] == 0),
        duplicates=sum(n - 1 for n in received.values() if n > 1),
        rss_mb=bot.peak_kb / 1024, cpu_per_1000=1000 * bot.cpu_seconds / len(accepted),
    )


def print_header() -> None:
    print("| scenario | subscribers | limit/s | achieved/s | % of limit | seconds | 429s | lost "
          "| duplicates | peak RSS MB | CPU s/1000 msgs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|", flush=True)


def print_row(r: Result) -> None:
    print(f"| {r.run.scenario} | {r.run.subscribers} | {r.run.rate:g} | {r.achieved:.2f} "
          f"| {100 * r.achieved / r.run.rate:.1f}% | {r.seconds:.1f} | {r.extra_429} | {r.lost} "
          f"| {r.duplicates} | {r.rss_mb:.0f} | {r.cpu_per_1000:.2f} |", flush=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench fanout")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const=1000, dest="subscribers")
    size.add_argument("--full", action="store_const", const=10_000, dest="subscribers")
    size.add_argument("--subscribers", type=int)
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--scenarios", default="clean,faults,crash")
    args = parser.parse_args(argv)
    runs = [Run(s, args.subscribers or 1000, args.rate) for s in args.scenarios.split(",")]
    print_header()
    for run in runs:
        print_row(run_scenario(run))
