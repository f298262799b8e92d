"""Issue 13, start-up rows: a bad setting or an unusable database stops ``bot.py`` with one
clear line naming the setting, exit code 2, no traceback and never the token.

These run the real ``bot.py`` as an operator would; every refusal here happens before the bot
talks to Telegram, so no Bot API server is needed.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from settings import ConfigError, check_database_path, load_settings
from storage import open_database
from tests.files import ROOT

TOKEN = "123456:SECRET-token_value"


def run_bot(workdir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "SOURCES_", "WEBHOOK_"))}
    base.update({"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
                 "DATABASE_PATH": str(workdir / "bot.db"), **env})
    return subprocess.run([sys.executable, str(ROOT / "bot.py")], cwd=workdir, env=base,
                          capture_output=True, text=True, timeout=60)


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], setting: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output and TOKEN not in output and "SECRET" not in output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("Cannot start:") and setting in lines[0]


def refuses(key: str, value: str) -> str:
    with pytest.raises(ConfigError) as error:
        load_settings({"BOT_TOKEN": TOKEN, key: value})
    message = str(error.value)
    assert key in message and TOKEN not in message
    return message


def test_row_03_database_path_under_a_file_names_the_setting(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    result = run_bot(tmp_path, DATABASE_PATH=str(a_file / "bot.db"))
    assert_one_line_refusal(result, "DATABASE_PATH")
    assert "is a file, not a folder" in result.stderr


def test_row_03_database_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    result = run_bot(tmp_path, DATABASE_PATH=str(tmp_path))
    assert_one_line_refusal(result, "DATABASE_PATH")
    assert "is a folder" in result.stderr


def test_row_03_nothing_is_created_when_the_path_is_refused(tmp_path: Path) -> None:
    a_file = tmp_path / "f"
    a_file.write_text("x")
    with pytest.raises(ConfigError, match="DATABASE_PATH"):
        check_database_path(a_file / "deeper" / "bot.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


def test_row_03_a_missing_folder_that_can_be_created_is_fine(tmp_path: Path) -> None:
    check_database_path(tmp_path / "new" / "deeper" / "bot.db")
    assert not (tmp_path / "new").exists()  # checking creates nothing


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_row_03_read_only_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o555)
    with pytest.raises(ConfigError, match="not writable"):
        check_database_path(folder / "bot.db")


def test_row_05_webhook_port_out_of_range_is_refused(tmp_path: Path) -> None:
    assert "1 to 65535" in refuses("WEBHOOK_PORT", "99999")
    refuses("WEBHOOK_PORT", "0")
    refuses("WEBHOOK_PORT", "8443.5")
    assert_one_line_refusal(run_bot(tmp_path, WEBHOOK_PORT="99999"), "WEBHOOK_PORT")
    assert not (tmp_path / "bot.db").exists()


@pytest.mark.parametrize(("key", "value"), [
    ("SEND_MAX_ATTEMPTS", "inf"), ("SEND_MAX_ATTEMPTS", "0"), ("SEND_MAX_ATTEMPTS", "1e9"),
    ("WEBHOOK_PORT", "nan"), ("SEND_RATE_PER_SECOND", "nan"), ("SEND_RATE_PER_SECOND", "-inf"),
])
def test_row_06_infinite_or_nan_numbers_are_refused(key: str, value: str) -> None:
    assert "expected" in refuses(key, value)


def test_row_06_bot_refuses_infinite_attempts_in_one_line(tmp_path: Path) -> None:
    assert_one_line_refusal(run_bot(tmp_path, SEND_MAX_ATTEMPTS="inf"), "SEND_MAX_ATTEMPTS")
    assert_one_line_refusal(run_bot(tmp_path, WEBHOOK_PORT="nan"), "WEBHOOK_PORT")


@pytest.mark.parametrize(("key", "value"), [
    ("POLL_INTERVAL_MINUTES", "nan"), ("POLL_INTERVAL_MINUTES", "inf"), ("POLL_INTERVAL_MINUTES", "0"),
    ("POLL_INTERVAL_MINUTES", "100000"), ("ARTICLE_CACHE_HOURS", "inf"), ("ARTICLE_CACHE_HOURS", "nan"),
    ("ARTICLE_CACHE_HOURS", "1e6"), ("RETENTION_DAYS", "1"), ("RETENTION_DAYS", "nan"),
])
def test_row_07_values_that_would_fail_every_tick_are_refused_at_start(key: str, value: str) -> None:
    refuses(key, value)


def test_row_07_bot_refuses_nan_poll_interval_before_starting(tmp_path: Path) -> None:
    assert_one_line_refusal(run_bot(tmp_path, POLL_INTERVAL_MINUTES="nan"), "POLL_INTERVAL_MINUTES")
    assert_one_line_refusal(run_bot(tmp_path, ARTICLE_CACHE_HOURS="inf"), "ARTICLE_CACHE_HOURS")


def test_row_08_truncated_database_gives_one_line(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    db = open_database(database)
    db.execute("create table filler (n integer, text text)")
    db.insert_many("filler", [{"n": n, "text": "x" * 200} for n in range(2000)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    size = database.stat().st_size
    with database.open("r+b") as handle:
        handle.truncate(size // 3)
    result = run_bot(tmp_path)
    assert_one_line_refusal(result, "DATABASE_PATH")
    assert "not a usable SQLite database" in result.stderr


def test_row_08_a_foreign_file_as_database_gives_one_line(tmp_path: Path) -> None:
    (tmp_path / "bot.db").write_bytes(b"these are my notes, not a database\n" * 200)
    result = run_bot(tmp_path)
    assert_one_line_refusal(result, "DATABASE_PATH")


def test_row_09_malformed_sources_file_refused_before_database_exists(tmp_path: Path) -> None:
    opml = tmp_path / "sources.opml"
    opml.write_text("<opml><body><outline xmlUrl=")
    result = run_bot(tmp_path, SOURCES_FILE=str(opml))
    assert_one_line_refusal(result, "SOURCES_FILE")
    assert not (tmp_path / "bot.db").exists()


def test_row_10_empty_opml_with_replace_is_refused(tmp_path: Path) -> None:
    opml = tmp_path / "empty.opml"
    opml.write_text('<opml version="2.0"><head/><body></body></opml>')
    result = run_bot(tmp_path, SOURCES_FILE=str(opml), SOURCES_MODE="replace")
    assert_one_line_refusal(result, "SOURCES_FILE")
    assert "no sources" in result.stderr
    assert not (tmp_path / "bot.db").exists()
    # Extending the built-in list with an empty file changes nothing and is allowed.
    extended = load_settings({"BOT_TOKEN": TOKEN, "SOURCES_FILE": str(opml)})
    assert extended.sources and extended.sources_mode == "extend"


@pytest.mark.parametrize("token", ["999", "abc:def", "123:has space", "123:"])
def test_malformed_token_is_refused_without_echoing_it(tmp_path: Path, token: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings({"BOT_TOKEN": token})
    assert "BOT_TOKEN" in str(error.value) and token not in str(error.value)


def test_malformed_token_refused_by_the_bot_in_one_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path, BOT_TOKEN="123456:SECRET token")
    assert_one_line_refusal(result, "BOT_TOKEN")


def test_row_04_plain_http_webhook_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="WEBHOOK_URL"):
        load_settings({"BOT_TOKEN": TOKEN, "WEBHOOK_URL": "http://example.org/hook"})
    # A local Bot API server (TELEGRAM_API_BASE_URL) accepts plain http webhooks.
    local = load_settings({"BOT_TOKEN": TOKEN, "WEBHOOK_URL": "http://127.0.0.1:8/hook",
                           "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"})
    assert local.webhook_url == "http://127.0.0.1:8/hook"


def test_a_setting_from_dotenv_is_checked_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("WEBHOOK_PORT=70000\n")
    assert_one_line_refusal(run_bot(tmp_path), "WEBHOOK_PORT")


def test_sqlite_error_class_is_what_a_truncated_file_raises(tmp_path: Path) -> None:
    # Guards the except clause in bot.open_or_explain: SQLite reports a foreign file this way.
    (tmp_path / "x.db").write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(sqlite3.DatabaseError):
        open_database(tmp_path / "x.db")


def test_p2_row_10_an_api_base_url_without_bot_is_refused_at_validation(tmp_path: Path) -> None:
    result = run_bot(tmp_path, TELEGRAM_API_BASE_URL="http://127.0.0.1:18081/")
    assert_one_line_refusal(result, "TELEGRAM_API_BASE_URL")
    assert "http://host:port/bot" in result.stderr and "BOT_TOKEN" not in result.stderr
    assert load_settings({"BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": "http://h:1/bot/"})


def test_p2_row_14_replace_mode_without_a_sources_file_is_refused(tmp_path: Path) -> None:
    result = run_bot(tmp_path, SOURCES_FILE="", SOURCES_MODE="replace")
    assert_one_line_refusal(result, "SOURCES_MODE")
    assert "SOURCES_FILE" in result.stderr
    assert not (tmp_path / "bot.db").exists()


def test_p2_row_21_a_folder_as_sources_file_is_called_a_folder(tmp_path: Path) -> None:
    assert "is a folder" in refuses("SOURCES_FILE", str(tmp_path))
    assert "no such file" in refuses("SOURCES_FILE", str(tmp_path / "absent.opml"))


@pytest.mark.parametrize(("key", "value", "accepted"), [
    ("DATABASE_PATH", ":memory:", "a file path"),
    ("DATABASE_PATH", "file::memory:?cache=shared", "a file path"),
    ("SEND_RATE_PER_SECOND", "1e-9", "from 0.1 to 1000"),
])
def test_p2_row_22_settings_that_lose_data_or_never_send_are_refused(
    tmp_path: Path, key: str, value: str, accepted: str
) -> None:
    assert accepted in refuses(key, value)
    assert_one_line_refusal(run_bot(tmp_path, **{key: value}), key)
