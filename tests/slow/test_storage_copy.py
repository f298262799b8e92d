"""``python -m storage copy --to URL``: an SQLite bot's database moved to PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat, subscribe
from storage.items import NewItem, add_items
from storage.outbox import Part, enqueue_digest, mark_sent
from storage.sources import SourceSpec, sync_sources
from tests.postgres import PostgresServer
from tests.storage_cli import run_cli

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)
SECRET = "s3cret-pw"


def _sqlite_bot(path: Path) -> None:
    db = open_database(path)
    for chat_id in (1, 2, -100):
        ensure_chat(db, chat_id, NewChat("private" if chat_id > 0 else "supergroup"), ChatDefaults())
        subscribe(db, chat_id, next_digest_at=NOW)
    [source] = sync_sources(db, [SourceSpec("Outlet", "https://outlet.example/rss", "en", "rss",
                                            True)], origin="builtin")
    item = NewItem("g1", "https://outlet.example/a", "outlet.example/a", "Shelling overnight",
                   "Summary.", None, "en", NOW)
    assert add_items(db, source.id, [item], offered=True, now=NOW) == 1
    [(item_id,)] = db.execute("select id from items").fetchall()
    enqueue_digest(db, 1, date(2026, 12, 7), [Part("one", (item_id,)), Part("two")],
                   thread_id=None, now=NOW)
    first = db.first("select id from outbox order by id")
    assert first is not None
    mark_sent(db, first["id"], telegram_message_id=7, now=NOW)
    db.close()


def test_copy_moves_every_row_and_new_rows_follow_the_copied_ids(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    path, url = tmp_path / "bot.db", postgres_server.empty_database()
    _sqlite_bot(path)
    result = run_cli("copy", "--db", str(path), "--to", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    source, target = open_database(path), open_database(url)
    try:
        for table, rows in report["rows"].items():
            assert target.execute(f"select count(*) from {table}").fetchone()[0] == rows
            assert source.execute(f"select count(*) from {table}").fetchone()[0] == rows
        assert report["rows"]["chats"] == 3 and report["rows"]["outbox"] == 2
        assert report["rows"]["deliveries"] == 1 and report["rows"]["seen_keys"] == 2
        assert target.first("select status, message_id from outbox order by id") == {
            "status": "sent", "message_id": 7}
        # A new digest on the server gets ids after the copied ones, not a collision.
        assert enqueue_digest(target, 2, date(2026, 12, 7), [Part("three")], thread_id=None, now=NOW)
        assert target.execute("select count(distinct id) from outbox").fetchone()[0] == 3
    finally:
        source.close()
        target.close()


def test_copy_refuses_a_database_in_use_and_a_bad_url_in_one_line(
        tmp_path: Path, postgres_server: PostgresServer) -> None:
    path, url = tmp_path / "bot.db", postgres_server.empty_database()
    _sqlite_bot(path)
    assert run_cli("copy", "--db", str(path), "--to", url, cwd=tmp_path).returncode == 0
    again = run_cli("copy", "--db", str(path), "--to", url, cwd=tmp_path)
    assert again.returncode == 1 and "not empty" in again.stderr
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr
    unreachable = f"postgresql://bot:{SECRET}@/bot?host={tmp_path}"
    failed = run_cli("copy", "--db", str(path), "--to", unreachable, cwd=tmp_path)
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1 and SECRET not in failed.stderr
    wrong = run_cli("copy", "--db", str(path), "--to", str(tmp_path / "other.db"), cwd=tmp_path)
    assert wrong.returncode == 2 and "postgresql://" in wrong.stderr
