"""A bot's database read from outside the bot, read-only: checked as a file before it is
opened, opened without creating or migrating anything, and summarised as a health report.

Used by the operator commands (``python -m storage health``, :mod:`storage.backup`), which
may run while the bot works: nothing here writes.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from storage.engine import SqliteDatabase
from storage.health import check_health

SQLITE_HEADER = b"SQLite format 3\x00"


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; fails (instead of creating an empty file) if ``path`` is absent.

    Read-only matters twice: a probe must never change the bot's data, and opening a
    missing path must report it rather than make a fresh database that looks healthy.

    On a read-only file system (a snapshot, a read-only mount of the bot's volume) SQLite
    cannot create the WAL index it wants next to the file; nothing can be writing there, so
    the file is opened as immutable, which needs no index and no locks.
    """
    uri = path.resolve().as_uri()
    if on_read_only_file_system(path):
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=10)
    return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=10)


def on_read_only_file_system(path: Path) -> bool:
    """True when ``path`` (or its folder) is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(path if path.exists() else path.parent).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def file_problem(path: Path) -> str | None:
    """What makes ``path`` unusable as the bot's database before SQLite even looks at it:
    missing, a folder, empty (SQLite would take 0 bytes for a blank database and call it
    sound), or not SQLite at all. Health and backup say the same thing.

    >>> file_problem(Path("/nonexistent/bot.db"))
    'database unreadable: /nonexistent/bot.db does not exist'
    """
    try:
        if not path.exists():
            return f"database unreadable: {path} does not exist"
        if not path.is_file():
            return f"database unreadable: {path} is not a file"
        if path.stat().st_size == 0:
            return f"database unreadable: {path} is empty (0 bytes), not the bot's database"
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"database unreadable: {path}: {exc.strerror or exc}"
    if header != SQLITE_HEADER:
        return f"database unreadable: {path} is not a SQLite database"
    return None


def health_summary(path: Path, now: datetime) -> dict[str, Any]:
    """The health report of the database at ``path`` as a dict, unreadable included."""
    problem = file_problem(path)
    if problem:
        return {"database": str(path), "healthy": False, "problems": [problem],
                "checked_at": now.isoformat(timespec="seconds")}
    try:
        with closing(connect_read_only(path)) as conn:
            summary = check_health(SqliteDatabase(sqlite_utils.Database(conn)), now).to_dict()
    except sqlite3.Error as exc:
        summary = {"healthy": False, "problems": [f"database unreadable: {exc}"],
                   "checked_at": now.isoformat(timespec="seconds")}
    return {"database": str(path), **summary}


def server_health_summary(url: str, now: datetime) -> dict[str, Any]:
    """The health report of the PostgreSQL database at ``url`` (``DATABASE_URL``), without
    migrating it; an unreachable server is a report too. The URL is shown without its user
    and password."""
    import psycopg
    import psycopg_pool

    from storage.db import connect, describe_url, error_line

    try:
        db = connect(url)
        try:
            summary = check_health(db, now).to_dict()
        finally:
            db.close()
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        summary = {"healthy": False, "problems": [f"database unreadable: {error_line(exc)}"],
                   "checked_at": now.isoformat(timespec="seconds")}
    return {"database": describe_url(url), **summary}

