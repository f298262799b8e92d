"""Fan-out of one digest to N subscribers through the real bot against the local Bot API server.

``.venv/bin/python -m bench fanout [--quick | --full | --subscribers=N] [--rate=R]
[--scenarios=clean,faults,crash] [--engine=sqlite|postgres] [--workers=N]`` (the bench
runner only passes ``-``-options, so write ``--rate=300``, not ``--rate 300``).
``--transports`` (default ``aiohttp,httpx``) runs every scenario with the shipped transport
(``bot_api.py``) and, side by side, with PTB's default httpx one. ``--engine=postgres`` runs a throwaway PostgreSQL server (as the storage tests do) and
``--workers`` bots on it, sharing the outbox and the limit. The server applies Telegram's limits (1/s per chat,
20/min per group or channel) and an overall limit of R/s; the bot (``bot.py``,
with SEND_RATE_PER_SECOND=R) runs as a subprocess so its RSS and CPU are its own.

Scenarios: ``clean``; ``faults`` (5% of sends answered 502, 5 forced 429s); ``crash``
(kill -9 of one worker at 50%, then a restart; with several workers the others carry on,
and the dead one's claimed parts wait for their claims to expire, a minute). Columns: achieved rate over the whole fan-out (first to last
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
from collections.abc import Iterator
from contextlib import contextmanager
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
    engine: str = "sqlite"
    workers: int = 1
    transport: str = "aiohttp"  # or "httpx": PTB's default transport, the anchor


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


def populate(tg: FakeTelegramServer, database: Path | str, subscribers: int) -> list[int]:
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

    def __init__(self, tg: FakeTelegramServer, workdir: Path, run: Run, target: str) -> None:
        self.tg, self.workdir, self.run, self.target = tg, workdir, run, target
        self.peak_kb, self.cpu_seconds = 0, 0.0
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        script = ROOT / "bot.py"
        env = {**os.environ, "BOT_TOKEN": self.tg.token, "TELEGRAM_API_BASE_URL": self.tg.base_url,
               "DATABASE_PATH": str(self.workdir / "bot.db"), "PTB_TIMEDELTA": "1",
               "LOG_LEVEL": "WARNING", "SEND_RATE_PER_SECOND": str(self.run.rate)}
        if self.target.startswith("postgresql://"):
            env["DATABASE_URL"] = self.target
        if self.run.transport == "httpx":
            env["PYTHONPATH"] = _with_ptb_transport(self.workdir)
        log = (self.workdir / "bot.log").open("ab")
        self.processes.append(subprocess.Popen([sys.executable, str(script)], cwd=self.workdir,
                                               stdout=log, stderr=subprocess.STDOUT, env=env))

    def end(self, sig: int, index: int = 0) -> None:
        """Read one process' peak RSS and CPU, then stop it with ``sig``."""
        process = self.processes.pop(index)
        if process.poll() is not None:  # it died: its log says why
            log = (self.workdir / "bot.log").read_text(errors="replace")
            raise RuntimeError(f"a bot exited with {process.returncode}:\n{log[-3000:]}")
        pid = process.pid
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = next(line for line in status.splitlines() if line.startswith("VmHWM"))
        self.peak_kb = max(self.peak_kb, int(hwm.split()[1]))
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        self.cpu_seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        process.send_signal(sig)
        process.wait(timeout=30)

    def end_all(self, sig: int) -> None:
        while self.processes:
            self.end(sig)


# The anchor swaps the transport inside the bot process, before bot.py imports it, through
# a sitecustomize module (as scripts/gates_against_anchors.py swaps its anchors): the bot
# then sends through PTB's default HTTPXRequest with PTB's default pool.
SITECUSTOMIZE = """import bot_api
from telegram.request import HTTPXRequest
bot_api.AiohttpRequest = lambda options=None: HTTPXRequest(
    connection_pool_size=options.connections if options else 256)
"""


def _with_ptb_transport(workdir: Path) -> str:
    site = workdir / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    return os.pathsep.join([str(site), str(ROOT)])


def wait_until(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("fan-out did not finish in time")
        time.sleep(0.5)  # the bench process stays idle: the server shares its interpreter


def unfinished(database: Path | str) -> int:
    db = open_database(database)
    try:
        return int(db.execute("select count(*) from outbox where status != 'sent'").fetchone()[0])
    finally:
        db.close()


def run_scenario(run: Run) -> Result:
    limits = RateLimits(per_chat=Window(1, 1.0), per_group=Window(20, 60.0),
                        overall=Window(round(run.rate), 1.0))
    with (tempfile.TemporaryDirectory() as tmp, _database(run, Path(tmp)) as target,
          FakeTelegramServer(ServerOptions(limits=limits)) as tg):
        workdir = Path(tmp)
        chat_ids = populate(tg, target, run.subscribers)
        if run.scenario == "faults":
            tg.faults.set_error_rate("sendMessage", 0.05, status=502)
            for chat_id in chat_ids[1::97][:FORCED_429]:
                tg.faults.force_429(chat_id, retry_after=2)
        bot = Bot(tg, workdir, run, str(target))
        for _ in range(run.workers):
            bot.start()
        budget = 90 + 3 * run.subscribers / run.rate
        if run.scenario == "crash":
            wait_until(lambda: len(tg.sent()) >= run.subscribers // 2, budget)
            bot.end(signal.SIGKILL)
            bot.start()
        wait_until(lambda: unfinished(target) == 0, budget)
        bot.end_all(signal.SIGTERM)
        return measure(run, tg, chat_ids, bot)


@contextmanager
def _database(run: Run, workdir: Path) -> Iterator[Path | str]:
    """The run's database: an SQLite file, or a database on a throwaway PostgreSQL server."""
    if run.engine == "sqlite":
        yield workdir / "bot.db"
        return
    from tests.postgres import PostgresServer, find_binaries

    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("bench fanout --engine=postgres: no PostgreSQL server binaries found")
    server = PostgresServer.start(binaries)
    try:
        yield server.url("fanout", create=True)
    finally:
        server.stop()


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
    print("| engine | workers | transport | scenario | subscribers | limit/s | achieved/s | % of limit "
          "| seconds | 429s | lost | duplicates | peak RSS MB | CPU s/1000 msgs |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)


def print_row(r: Result) -> None:
    print(f"| {r.run.engine} | {r.run.workers} | {r.run.transport} | {r.run.scenario} | {r.run.subscribers} | {r.run.rate:g} | {r.achieved:.2f} "
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
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--transports", default="aiohttp,httpx",
                        help="aiohttp (shipped, bot_api.py) and/or httpx (PTB's default, the anchor)")
    args = parser.parse_args(argv)
    if args.engine == "sqlite" and args.workers != 1:
        parser.error("several workers need --engine=postgres (one bot per SQLite file)")
    runs = [Run(s, args.subscribers or 1000, args.rate, args.engine, args.workers, t)
            for s in args.scenarios.split(",") for t in args.transports.split(",")]
    print_header()
    for run in runs:
        print_row(run_scenario(run))
