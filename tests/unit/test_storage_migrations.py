"""Schema migrations: applied at open, idempotent, and able to upgrade an old database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from storage import Database, open_database
from storage.chats import get_chat
from storage.db import connect
from storage.migrations import MIGRATIONS
from tests.postgres import PostgresServer, drop


def test_open_applies_every_migration(new_db_target: str) -> None:
    db = open_database(new_db_target)
    assert MIGRATIONS.pending(db) == []
    assert {"chats", "subscriptions"} <= set(db.table_names())
    db.close()


def test_apply_twice_is_a_no_op(new_db_target: str) -> None:
    path = new_db_target
    first = open_database(path)
    applied = [m.name for m in MIGRATIONS.applied(first)]
    first.close()
    second = open_database(path)
    assert [m.name for m in MIGRATIONS.applied(second)] == applied
    second.close()


def test_file_database_uses_wal(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nested" / "bot.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_upgrades_a_database_made_by_the_first_schema(new_db_target: str) -> None:
    path = new_db_target
    old = connect(path)
    names = [m.name for m in MIGRATIONS.pending(old)]
    assert len(names) >= 2, "this test needs at least one migration after the first"
    MIGRATIONS.apply(old, stop_before=names[1])
    old.insert("chats", {"id": 1, "type": "private", "title": "kept", "status": "active",
                         "timezone": "UTC", "delivery_time": "08:00", "topic_id": None,
                         "created_at": "2026-01-01T00:00:00+00:00",
                         "updated_at": "2026-01-01T00:00:00+00:00"})
    old.close()
    upgraded = open_database(path)
    assert [m.name for m in MIGRATIONS.applied(upgraded)] == names
    assert MIGRATIONS.pending(upgraded) == []
    kept = get_chat(upgraded, 1)
    upgraded.close()
    assert kept is not None and kept.title == "kept"


def test_foreign_keys_are_enforced(db: Database) -> None:
    try:
        db.insert("subscriptions", {"chat_id": 99, "state": "active", "next_digest_at": "x",
                                    "created_at": "x", "updated_at": "x"})
    except (sqlite3.IntegrityError, psycopg.errors.ForeignKeyViolation):
        return
    raise AssertionError("a subscription for an unknown chat was accepted")


def test_text_compares_byte_by_byte_on_postgresql_whatever_the_locale(
        postgres_server: PostgresServer) -> None:
    """Instants (ISO-8601) and local times are compared as strings: on a server whose
    default collation is a language's, every text column still has the "C" one."""
    url = postgres_server.empty_database()
    db = open_database(url)
    try:
        loose = db.execute("""select table_name, column_name from information_schema.columns
                              where table_schema = current_schema() and data_type = 'text'
                                and collation_name is distinct from 'C'""").fetchall()
        texts = db.execute("""select count(*) from information_schema.columns
                              where table_schema = current_schema() and data_type = 'text'""")
        assert loose == [] and texts.fetchone()[0] > 20
    finally:
        db.close()
        drop(postgres_server, [url])
