"""Issue 13, start-up rows 1, 2 and 4, and the SIGTERM-at-start race: the real ``bot.py``
against the local Bot API server. A failure is one line saying what is wrong and what to
do, with no traceback and never the token; a stop signal at any moment of start-up ends the
bot in order with exit code 0."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.botproc import REPO_ROOT, bot_environment
from tests.fakebot import FakeTelegramServer

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_bot(server: FakeTelegramServer, workdir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = bot_environment(server, workdir / "bot.db", {"LOG_LEVEL": "INFO", **env})
    return subprocess.run([sys.executable, str(REPO_ROOT / "bot.py")], cwd=workdir, env=environ,
                          capture_output=True, text=True, timeout=60)


def refusal(result: subprocess.CompletedProcess[str], code: int, *secrets: str) -> str:
    """The one ``Cannot start`` line, after checking there is no traceback and no secret."""
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert "Traceback" not in output, output
    for secret in secrets:
        assert secret not in output, f"{secret!r} leaked"
    [line] = [line for line in output.splitlines() if "Cannot start" in line]
    return line


def test_row_01_token_telegram_rejects_is_one_line_without_the_token(
    fake_telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    result = run_bot(fake_telegram, tmp_path, BOT_TOKEN="999:WRONG")
    line = refusal(result, 2, "999:WRONG", "WRONG")
    assert "BOT_TOKEN" in line and "@BotFather" in line
    assert len((result.stdout + result.stderr).splitlines()) < 10


def test_row_02_no_network_at_start_is_one_line(fake_telegram: FakeTelegramServer, tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there
    result = run_bot(fake_telegram, tmp_path, TELEGRAM_API_BASE_URL=closed)
    line = refusal(result, 1, fake_telegram.token)
    assert "cannot reach Telegram" in line and "network" in line


def test_row_04_webhook_telegram_refuses_is_one_line(fake_telegram: FakeTelegramServer, tmp_path: Path) -> None:
    port = free_port()
    fake_telegram.faults.fail_next("setWebhook", status=400,
                                   description="Bad Request: bad webhook: HTTPS url must be provided for webhook")
    result = run_bot(fake_telegram, tmp_path, WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
                     WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port))
    line = refusal(result, 2, fake_telegram.token)
    assert "WEBHOOK_URL" in line and "bad webhook" in line.lower()


def test_row_04_webhook_port_in_use_is_one_line(fake_telegram: FakeTelegramServer, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_bot(fake_telegram, tmp_path, WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
                         WEBHOOK_LISTEN="127.0.0.1", WEBHOOK_PORT=str(port))
    assert "WEBHOOK_PORT" in refusal(result, 2, fake_telegram.token)


@pytest.mark.parametrize("moment", ["getMe", "setMyCommands", "deleteWebhook"])
def test_sigterm_at_any_moment_of_start_up_stops_cleanly(
    fake_telegram: FakeTelegramServer, tmp_path: Path, moment: str
) -> None:
    # Before the fix, a stop arriving during getMe or setMyCommands ended in a traceback
    # and exit code 1 (python-telegram-bot raised SystemExit inside the HTTP request).
    fake_telegram.faults.set_delay(1.0, method=moment)  # a wide window inside that call
    log = tmp_path / "bot.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, str(REPO_ROOT / "bot.py")], cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT,
            env=bot_environment(fake_telegram, tmp_path / "bot.db", {"LOG_LEVEL": "INFO"}))
    try:
        _wait_until_inside(fake_telegram, log, moment)
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    assert code == 0 and "Traceback" not in text, text
    assert "database closed; bye" in text


def _wait_until_inside(server: FakeTelegramServer, log: Path, method: str) -> None:
    """Until the (delayed) ``method`` call is under way: the server logs a call only once it
    is answered, so wait for what comes just before it, then a little."""
    deadline = time.monotonic() + 30
    previous = {"getMe": None, "setMyCommands": "getMe", "deleteWebhook": "setMyCommands"}[method]
    while time.monotonic() < deadline:
        if previous is None and "news sources configured" in log.read_text(errors="replace"):
            break  # the last step before the application's first call, getMe
        if previous is not None and server.requests(previous):
            break
        time.sleep(0.01)
    time.sleep(0.3)
