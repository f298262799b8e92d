"""Opening the database: WAL mode, sane pragmas, and every pending migration applied.

>>> db = open_database(":memory:")
>>> "chats" in db.table_names() and "subscriptions" in db.table_names()
True
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from storage.engine import Clock, Database, PostgresDatabase, SqliteDatabase, wall_clock
from storage.migrations import MIGRATIONS

__all__ = ["Clock", "Database", "connect", "open_database", "wall_clock"]
log = logging.getLogger(__name__)
# PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental.
INCREMENTAL = 2
POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(target: str | Path) -> bool:
    """Whether ``target`` names a PostgreSQL server (``DATABASE_URL``) rather than a file.

    >>> is_database_url("postgresql://bot@db/bot"), is_database_url("data/bot.db")
    (True, False)
    """
    return str(target).startswith(POSTGRESQL_SCHEMES)


def describe_url(url: str) -> str:
    """A server URL as messages may show it: host, port and database, never the user or
    password.

    >>> describe_url("postgresql://bot:secret@db.internal:5433/news")
    'postgresql://db.internal:5433/news'
    """
    from psycopg.conninfo import conninfo_to_dict

    parts = conninfo_to_dict(url)
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def error_line(error: BaseException) -> str:
    """The first line of an engine's error message (a server's can run to several), or its
    type when it has none.

    >>> error_line(OSError("connection refused\\nIs the server running?"))
    'connection refused'
    """
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def open_database(path: str | Path, *, clock: Clock = wall_clock) -> Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    ``path`` is a SQLite file, ``":memory:"`` (a private in-memory database, which is what
    the unit tests use), or a ``postgresql://`` URL. ``clock`` is what :func:`now_iso`
    reads for this database (tests pass a fixed one).

    On SQLite, WAL lets the sender write while the scheduler reads and survives a kill -9
    mid-write; ``synchronous=NORMAL`` is the durability level SQLite recommends with WAL.
    """
    db = connect(path, clock=clock)
    MIGRATIONS.apply(db)
    return db


def connect(path: str | Path, *, clock: Clock = wall_clock) -> Database:
    """:func:`open_database` without the migrations: the schema stays as it is."""
    if is_database_url(path):
        return PostgresDatabase(str(path), clock=clock)
    return SqliteDatabase(_open_sqlite(path), clock=clock)


def _open_sqlite(path: str | Path) -> sqlite_utils.Database:
    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        file = Path(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(file)
        use_incremental_vacuum(db)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    return db


def use_incremental_vacuum(db: sqlite_utils.Database) -> None:
    """``auto_vacuum=INCREMENTAL``, so pages freed by pruning can be handed back to the disk
    (:func:`storage.retention.reclaim`).

    A new file takes the setting before its first table. An older file needs one full
    ``VACUUM`` to switch: it rewrites the database once (a minute for a few GB, and as much
    free disk as the file's size), logged, and never again.
    """
    if db.execute("PRAGMA auto_vacuum").fetchone()[0] == INCREMENTAL:
        return
    db.execute("PRAGMA auto_vacuum=INCREMENTAL")
    if db.execute("select count(*) from sqlite_master").fetchone()[0]:
        log.warning("switching the database to incremental vacuum: one VACUUM, done once")
        db.conn.execute("VACUUM")


def utc_iso(moment: datetime) -> str:
    """``moment`` as an ISO-8601 string in UTC, the one form instants are stored in, so that
    SQL string comparison orders them correctly whatever timezone the caller used.

    >>> from datetime import timedelta, timezone
    >>> utc_iso(datetime(2026, 1, 1, 8, tzinfo=timezone(timedelta(hours=2))))
    '2026-01-01T06:00:00+00:00'
    """
    return moment.astimezone(UTC).isoformat()


def now_iso(db: Database) -> str:
    """The current instant by ``db``'s clock, in stored form (to the second).

    >>> fixed = open_database(":memory:", clock=lambda: datetime(2026, 1, 1, 8, tzinfo=UTC))
    >>> now_iso(fixed)
    '2026-01-01T08:00:00+00:00'
    """
    return db.clock().astimezone(UTC).isoformat(timespec="seconds")
