"""``python -m storage health`` and ``backup``: run as an operator would, on real files."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import open_database
from storage.backup import BackupError, backup_database, backup_target
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.db import connect
from storage.migrations import MIGRATIONS
from tests.storage_cli import chat_count, health, make_database, run_cli


def test_health_of_a_good_database_exits_zero_with_json(tmp_path: Path) -> None:
    path = make_database(tmp_path / "bot.db")
    code, summary = health("--db", str(path))
    assert code == 0 and summary["healthy"] is True
    assert summary["database"] == str(path)
    assert summary["schema"]["pending"] == [] and summary["subscribers"]["gone"] == 0


def test_health_of_a_missing_database_fails_and_creates_nothing(tmp_path: Path) -> None:
    code, summary = health("--db", str(tmp_path / "absent.db"))
    assert code == 1 and summary["healthy"] is False
    assert summary["problems"][0].startswith("database unreadable")
    assert list(tmp_path.iterdir()) == []


def test_health_of_a_file_that_is_not_a_database_fails(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    path.write_text("not sqlite at all " * 100)
    code, summary = health("--db", str(path))
    assert code == 1 and "unreadable" in summary["problems"][0]


def test_health_reports_pending_migrations_and_does_not_apply_them(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = connect(path)
    MIGRATIONS.apply(old, stop_before=[m.name for m in MIGRATIONS.pending(old)][-1])
    old.close()
    code, summary = health("--db", str(path))
    assert code == 1 and len(summary["schema"]["pending"]) == 1
    with closing(connect(path)) as again:
        assert len(MIGRATIONS.pending(again)) == 1  # the probe only reads


def test_database_path_comes_from_the_environment_then_dotenv(tmp_path: Path) -> None:
    from_env, from_file = make_database(tmp_path / "env.db"), tmp_path / "file.db"
    (tmp_path / ".env").write_text(f"BOT_TOKEN=x\nDATABASE_PATH={from_file}\n")
    code, summary = health(cwd=tmp_path, env={"DATABASE_PATH": str(from_env)})
    assert (code, summary["database"]) == (0, str(from_env))
    code, summary = health(cwd=tmp_path)
    assert (code, summary["database"]) == (1, str(from_file))  # absent: unreadable


def test_backup_copies_rows_verifies_and_is_one_self_contained_file(tmp_path: Path) -> None:
    source = make_database(tmp_path / "bot.db", chats=5)
    result = run_cli("backup", str(tmp_path / "copy.db"), "--db", str(source))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["integrity"] == "ok" and report["backup"] == str(tmp_path / "copy.db")
    assert chat_count(tmp_path / "copy.db") == 5
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]


def test_backup_into_a_directory_gets_a_timestamped_name(tmp_path: Path) -> None:
    source = make_database(tmp_path / "bot.db")
    (tmp_path / "backups").mkdir()
    result = run_cli("backup", str(tmp_path / "backups"), "--db", str(source))
    [made] = list((tmp_path / "backups").iterdir())
    assert result.returncode == 0 and made.name.startswith("bot-") and made.suffix == ".db"
    assert chat_count(made) == 3


def test_a_restored_backup_is_healthy(tmp_path: Path) -> None:
    source = make_database(tmp_path / "bot.db")
    backup_database(source, tmp_path / "copy.db")
    assert health("--db", str(tmp_path / "copy.db"))[0] == 0


def test_backup_includes_commits_still_in_the_write_ahead_log(tmp_path: Path) -> None:
    live = open_database(tmp_path / "bot.db")
    live.execute("PRAGMA wal_autocheckpoint=0")  # keep every commit in the -wal file
    ensure_chat(live, 99, NewChat(type="group", title="only in the WAL"), ChatDefaults())
    assert (tmp_path / "bot.db-wal").stat().st_size > 0
    backup_database(tmp_path / "bot.db", tmp_path / "copy.db")
    live.close()
    assert chat_count(tmp_path / "copy.db") == 1


@pytest.fixture
def busy_writer(tmp_path: Path) -> Iterator[threading.Event]:
    """A thread committing new chats until told to stop, like the bot at work."""
    make_database(tmp_path / "bot.db", chats=0)
    stop, wrote = threading.Event(), threading.Event()

    def write() -> None:
        with closing(open_database(tmp_path / "bot.db")) as db:
            chat_id = 0
            while not stop.is_set():
                chat_id += 1
                ensure_chat(db, chat_id, NewChat(type="private"), ChatDefaults())
                wrote.set()

    thread = threading.Thread(target=write)
    thread.start()
    wrote.wait(timeout=10)
    yield stop
    stop.set()
    thread.join(timeout=10)


def test_backup_while_the_database_is_being_written(tmp_path: Path, busy_writer: threading.Event
                                                     ) -> None:
    for attempt in range(3):
        backup_database(tmp_path / "bot.db", tmp_path / f"copy{attempt}.db")
    busy_writer.set()
    counts = [chat_count(tmp_path / f"copy{attempt}.db") for attempt in range(3)]
    assert counts[0] >= 1 and counts == sorted(counts)
    assert chat_count(tmp_path / "bot.db") >= counts[-1]


def test_failed_backup_keeps_the_previous_one_and_leaves_no_partial(tmp_path: Path) -> None:
    previous = tmp_path / "copy.db"
    previous.write_bytes(b"yesterday's backup")
    garbage = tmp_path / "bot.db"
    garbage.write_text("not sqlite " * 100)
    with pytest.raises(BackupError):
        backup_database(garbage, previous)
    assert previous.read_bytes() == b"yesterday's backup"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.db", "copy.db"]


def test_backup_of_a_missing_database_exits_one_with_a_message(tmp_path: Path) -> None:
    result = run_cli("backup", str(tmp_path / "copy.db"), "--db", str(tmp_path / "absent.db"))
    assert result.returncode == 1 and "failed" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_two() -> None:
    assert run_cli().returncode == 2
    assert run_cli("backup").returncode == 2


def test_a_bad_setting_in_dotenv_stops_every_command_in_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DEFAULT_TIMEZONE=Nowhere/Nope\n")
    for command in (["health"], ["backup", "copy.db"], ["copy", "--to", "postgresql://h/db"]):
        result = run_cli(*command, cwd=tmp_path)
        assert (result.returncode, result.stdout) == (2, ""), command
        assert result.stderr.startswith("cannot start: DEFAULT_TIMEZONE=")
        assert len(result.stderr.splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == [".env"]  # nothing read, nothing made


def test_backup_target_keeps_a_file_name(tmp_path: Path) -> None:
    now = datetime(2026, 3, 1, tzinfo=UTC)
    assert backup_target(tmp_path / "nightly.db", now) == tmp_path / "nightly.db"
