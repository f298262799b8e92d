"""Issue 13, backup rows 23-27: a backup never destroys, and its messages name the right file.

Run as an operator runs it: ``python -m storage backup DEST`` in a folder of its own.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.storage_cli import chat_count, health, make_database, run_cli


def backup(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    return run_cli("backup", *args, "--db", str(tmp_path / "bot.db"), cwd=tmp_path)


def test_row_23_backup_refuses_existing_file(tmp_path: Path) -> None:
    make_database(tmp_path / "bot.db")
    notes = tmp_path / "n.txt"
    notes.write_text("notes\n")
    result = backup(tmp_path, "n.txt")
    assert result.returncode == 1 and "n.txt already exists" in result.stderr and "--force" in result.stderr
    assert notes.read_text() == "notes\n"
    forced = backup(tmp_path, "n.txt", "--force")
    assert forced.returncode == 1 and "not a SQLite database" in forced.stderr
    assert notes.read_text() == "notes\n", "--force never replaces a file that is not a backup"


def test_row_23_force_replaces_an_older_backup(tmp_path: Path) -> None:
    make_database(tmp_path / "bot.db", chats=2)
    old = make_database(tmp_path / "old.db", chats=7)
    assert backup(tmp_path, "old.db").returncode == 1
    assert chat_count(old) == 7
    result = backup(tmp_path, "old.db", "--force")
    assert result.returncode == 0, result.stderr
    assert chat_count(old) == 2


def test_row_24_backup_into_a_missing_folder_never_writes_a_file_named_after_it(tmp_path: Path) -> None:
    make_database(tmp_path / "bot.db")
    refused = backup(tmp_path, "newdir/")
    assert refused.returncode == 1 and "--parents" in refused.stderr
    assert not (tmp_path / "newdir").exists()
    made = backup(tmp_path, "newdir/", "--parents")
    assert made.returncode == 0, made.stderr
    [copy] = list((tmp_path / "newdir").iterdir())
    assert copy.name.startswith("bot-") and chat_count(copy) == 3
    assert json.loads(made.stdout)["backup"] == str(Path("newdir") / copy.name)


def test_row_25_a_missing_dest_folder_is_named_not_the_database(tmp_path: Path) -> None:
    make_database(tmp_path / "bot.db")
    result = backup(tmp_path, "missing/deeper/copy.db")
    assert result.returncode == 1
    assert "folder missing/deeper does not exist" in result.stderr
    assert "unable to open database" not in result.stderr
    assert not (tmp_path / "missing").exists()
    assert backup(tmp_path, "missing/deeper/copy.db", "--parents").returncode == 0
    assert chat_count(tmp_path / "missing" / "deeper" / "copy.db") == 3


def test_row_26_empty_database_reported_the_same_by_health_and_backup(tmp_path: Path) -> None:
    (tmp_path / "bot.db").write_bytes(b"")
    code, summary = health("--db", str(tmp_path / "bot.db"))
    [problem] = summary["problems"]
    assert code == 1 and "empty (0 bytes)" in problem and "pending" not in problem
    result = backup(tmp_path, "copy.db")
    assert result.returncode == 1 and problem in result.stderr
    assert "integrity" not in result.stdout and not (tmp_path / "copy.db").exists()


def test_row_27_backup_refuses_the_live_database_as_dest(tmp_path: Path) -> None:
    make_database(tmp_path / "bot.db", chats=4)
    for dest in ("bot.db", str(tmp_path / "bot.db"), "./bot.db"):
        result = backup(tmp_path, dest, "--force")
        assert result.returncode == 1 and "is the live database" in result.stderr, dest
    (tmp_path / "link.db").symlink_to(tmp_path / "bot.db")
    assert "is the live database" in backup(tmp_path, "link.db", "--force").stderr
    assert "is the live database" in backup(tmp_path, "bot.db-wal", "--force").stderr
    assert chat_count(tmp_path / "bot.db") == 4
    with closing(sqlite3.connect(tmp_path / "bot.db")) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
