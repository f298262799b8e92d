"""Operator commands on the bot's database, safe to run while the bot is running.

``python -m storage health [--db PATH]`` prints a JSON health summary (see
:mod:`storage.health`) and exits 1 when something is wrong, so it serves as a container
HEALTHCHECK or a cron/monitoring probe. ``python -m storage backup DEST [--db PATH]``
copies the database with SQLite's online backup API, checks the copy with
``PRAGMA integrity_check`` and only then puts it at DEST (a directory gets a timestamped
file). Both open the live database read-only and never create or migrate it.

The database is ``--db``, else ``DATABASE_PATH`` from the environment or ``.env`` (the
environment wins, as for the bot), else ``data/bot.db``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from sqlite_utils import Database

from storage.health import check_health

EXIT_OK, EXIT_FAILED = 0, 1
DEFAULT_DATABASE = Path("data/bot.db")


class BackupError(Exception):
    """The copy could not be made, or it failed its integrity check."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size_bytes: int


def default_database_path(environ: Mapping[str, str], env_file: Path = Path(".env")) -> Path:
    """Where the bot keeps its database, found the way ``settings.py`` finds it.

    >>> default_database_path({"DATABASE_PATH": "/data/bot.db"}, Path("/nonexistent/.env"))
    PosixPath('/data/bot.db')
    >>> default_database_path({}, Path("/nonexistent/.env"))
    PosixPath('data/bot.db')
    """
    raw = environ.get("DATABASE_PATH") or dotenv_values(env_file).get("DATABASE_PATH") or ""
    return Path(raw.strip()) if raw.strip() else DEFAULT_DATABASE


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; fails (instead of creating an empty file) if ``path`` is absent.

    Read-only matters twice: a probe must never change the bot's data, and opening a
    missing path must report it rather than make a fresh database that looks healthy.
    """
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def health_summary(path: Path, now: datetime) -> dict[str, Any]:
    """The health report of the database at ``path`` as a dict, unreadable included."""
    try:
        with closing(connect_read_only(path)) as conn:
            summary = check_health(Database(conn), now).to_dict()
    except sqlite3.Error as exc:
        summary = {"healthy": False, "problems": [f"database unreadable: {exc}"],
                   "checked_at": now.isoformat(timespec="seconds")}
    return {"database": str(path), **summary}


def backup_target(dest: Path, now: datetime) -> Path:
    """DEST itself, or a timestamped file inside it when DEST is a directory.

    >>> backup_target(Path("/"), datetime(2026, 3, 1, 4, 5, 6, tzinfo=UTC))
    PosixPath('/bot-20260301T040506Z.db')
    """
    return dest / f"bot-{now:%Y%m%dT%H%M%SZ}.db" if dest.is_dir() else dest


def backup_database(source: Path, dest: Path) -> BackupResult:
    """Copy ``source`` to ``dest`` online, verify the copy, then move it into place.

    The copy is built next to ``dest`` and renamed only once it passed the integrity
    check, so an existing backup at ``dest`` is never replaced by a broken one.
    """
    partial = dest.with_name(f"{dest.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _copy_and_check(source, partial)
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        raise BackupError(str(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(dest, dest.stat().st_size)


def _copy_and_check(source: Path, target: Path) -> None:
    with closing(connect_read_only(source)) as live, closing(sqlite3.connect(target)) as copy:
        # One step (pages=-1): the read snapshot is taken once, so a bot writing meanwhile
        # (WAL) neither blocks nor forces the copy to restart.
        live.backup(copy, pages=-1)
        # The copy inherits WAL mode; a backup should be one self-contained file.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    if verdict != ["ok"]:
        raise BackupError(f"integrity check failed: {'; '.join(verdict[:5])}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m storage",
                                     description="Operator commands on the bot's database.")
    commands = parser.add_subparsers(dest="command", required=True)
    health = commands.add_parser("health", help="print a JSON health summary; exit 1 if unhealthy")
    backup = commands.add_parser("backup", help="online backup to DEST (a file or a directory)")
    backup.add_argument("dest", type=Path, metavar="DEST")
    for sub in (health, backup):
        sub.add_argument("--db", type=Path,
                         help="database file (default: DATABASE_PATH, else data/bot.db)")
    return parser


def _run_health(database: Path, now: datetime) -> int:
    summary = health_summary(database, now)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return EXIT_OK if summary["healthy"] else EXIT_FAILED


def _run_backup(database: Path, dest: Path, now: datetime) -> int:
    try:
        result = backup_database(database, backup_target(dest, now))
    except (BackupError, OSError) as exc:
        print(f"backup of {database} failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"database": str(database), "backup": str(result.path),
                      "bytes": result.size_bytes, "integrity": "ok"}))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    database = args.db or default_database_path(os.environ)
    now = datetime.now(UTC)
    if args.command == "health":
        return _run_health(database, now)
    return _run_backup(database, args.dest, now)


if __name__ == "__main__":
    sys.exit(main())
