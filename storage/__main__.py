"""Operator commands on the bot's database, safe to run while the bot is running.

``python -m storage health [--db PATH]`` prints a JSON health summary (see
:mod:`storage.health`) and exits 1 when something is wrong, so it serves as a container
HEALTHCHECK or a cron/monitoring probe. ``python -m storage backup DEST [--db PATH]
[--force] [--parents]`` copies the database with SQLite's online backup API, checks the
copy with ``PRAGMA integrity_check`` and only then puts it at DEST (an existing folder, or a
DEST ending in ``/``, gets a timestamped file). Both open the live database read-only and
never create or migrate it.

A backup never destroys: an existing DEST is refused unless ``--force`` is given *and* it is
a SQLite database (an old backup); the live database itself is never a DEST; a missing
folder is created only with ``--parents``. Every message names the file it is about.

The database is ``--db``, else ``DATABASE_URL`` (a PostgreSQL server: ``health`` reads it
the same way; back it up with ``pg_dump``), else ``DATABASE_PATH`` from the bot's settings
(the environment over ``.env``, as for the bot), else ``data/bot.db``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from settings import ConfigError, load_from_environment
from storage.engine import SqliteDatabase
from storage.health import check_health

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """The copy could not be made, or it failed its integrity check."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size_bytes: int


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


@dataclass(frozen=True, slots=True)
class BackupRequest:
    """What the operator asked for: DEST as typed, and the two permissions."""

    dest: str
    force: bool = False
    parents: bool = False


def backup_target(dest: Path | str, now: datetime) -> Path:
    """DEST itself, or a timestamped file inside it when DEST is a folder (an existing one,
    or one written with a trailing ``/``): a name no file has yet, so two backups in the
    same second get ``bot-…Z.db`` and ``bot-…Z-2.db``.

    >>> backup_target(Path("/"), datetime(2026, 3, 1, 4, 5, 6, tzinfo=UTC))
    PosixPath('/bot-20260301T040506Z.db')
    >>> backup_target("newdir/", datetime(2026, 3, 1, 4, 5, 6, tzinfo=UTC))
    PosixPath('newdir/bot-20260301T040506Z.db')
    """
    if not (str(dest).endswith(("/", os.sep)) or Path(dest).is_dir()):
        return Path(dest)
    stem = Path(dest) / f"bot-{now:%Y%m%dT%H%M%SZ}"
    return next(path for n in itertools.count(1)
                if not (path := Path(f"{stem}.db" if n == 1 else f"{stem}-{n}.db")).exists())


def checked_target(source: Path, request: BackupRequest, now: datetime) -> Path:
    """Where the backup goes, after every refusal that protects data (raises BackupError).

    Refused: the live database (or its -wal/-shm) as DEST; an existing DEST without
    ``--force``, or one that is not a SQLite database even with it; a missing folder
    without ``--parents`` (the message names that folder, not the database).
    """
    target = backup_target(request.dest, now)
    sidecar = target.name in (f"{source.name}-wal", f"{source.name}-shm")
    if _same_file(target, source) or (sidecar and _same_file(target.parent, source.parent)):
        raise BackupError(f"{target} is the live database; back it up to another file")
    if target.exists():
        _may_replace(target, request.force)
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise BackupError(f"{folder} is a file, not a folder for the backup")
        if not request.parents:
            raise BackupError(f"folder {folder} does not exist (add --parents to create it)")
        folder.mkdir(parents=True)
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _may_replace(target: Path, force: bool) -> None:
    if target.is_dir():
        raise BackupError(f"{target} is a folder")
    if not force:
        raise BackupError(f"{target} already exists; add --force to replace an older backup")
    if file_problem(target) is not None:
        raise BackupError(f"{target} exists and is not a SQLite database; refusing to replace "
                          "it even with --force")


def backup_database(source: Path, dest: Path) -> BackupResult:
    """Copy ``source`` to ``dest`` online, verify the copy, then move it into place.

    The copy is built next to ``dest`` and renamed only once it passed the integrity
    check, so an existing backup at ``dest`` is never replaced by a broken one. The
    source is checked first (missing, empty or not SQLite: refused with that reason), and
    ``dest`` must not be the source itself.
    """
    problem = file_problem(source)
    if problem:
        raise BackupError(problem)
    if _same_file(dest, source):
        raise BackupError(f"{dest} is the live database; back it up to another file")
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
    backup.add_argument("dest", metavar="DEST", help="backup file, or a folder for a timestamped one")
    backup.add_argument("--force", action="store_true",
                        help="replace DEST if it is an older backup (a SQLite database)")
    backup.add_argument("--parents", action="store_true", help="create DEST's missing folders")
    copy = commands.add_parser("copy", help="copy the SQLite database into an empty PostgreSQL "
                                            "one (moving to several workers)")
    copy.add_argument("--to", required=True, metavar="URL",
                      help="postgresql://user:password@host:port/database (empty)")
    for sub in (health, backup, copy):
        sub.add_argument("--db", type=Path,
                         help="database file (default: DATABASE_PATH, else data/bot.db)")
    return parser


def _run_health(database: Path, now: datetime) -> int:
    summary = health_summary(database, now)
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return EXIT_OK if summary["healthy"] else EXIT_FAILED


def _run_backup(database: Path, request: BackupRequest, now: datetime) -> int:
    try:
        result = backup_database(database, checked_target(database, request, now))
    except BackupError as exc:
        print(f"backup of {database} failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:  # the message names the file the OS complained about
        print(f"backup of {database} failed: {exc.filename or request.dest}: "
              f"{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"database": str(database), "backup": str(result.path),
                      "bytes": result.size_bytes, "integrity": "ok"}))
    return EXIT_OK


def _run_copy(database: Path, url: str) -> int:
    """The SQLite file ``database`` into the PostgreSQL database at ``url``; one line either
    way, the URL never with its password. Stop the bot first: rows it writes meanwhile
    would not be copied."""
    import psycopg
    import psycopg_pool

    from storage.copy import CopyError, copy_database
    from storage.db import describe_url, error_line, is_database_url, open_database

    if not is_database_url(url):
        print("copy: --to must be a postgresql:// URL", file=sys.stderr)
        return EXIT_USAGE
    if not database.is_file():
        print(f"copy: no SQLite database at {database}", file=sys.stderr)
        return EXIT_USAGE
    try:
        source = open_database(database)
        target = open_database(url)
        try:
            assert isinstance(source, SqliteDatabase)  # a path, not a URL: always SQLite
            copied = copy_database(source, target)
        finally:
            source.close()
            target.close()
    except CopyError as exc:
        print(f"copy to {describe_url(url)} refused: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        print(f"copy to {describe_url(url)} failed: {error_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    print(json.dumps({"from": str(database), "to": describe_url(url), "rows": copied}))
    return EXIT_OK


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        # The bot's own settings (environment over .env): a bad value stops here too.
        settings = load_from_environment(require_token=False)
    except ConfigError as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return EXIT_USAGE
    now = datetime.now(UTC)
    if args.command == "copy":
        return _run_copy(args.db or settings.database_path, args.to)
    if settings.database_url is not None and args.db is None:
        if args.command == "backup":
            print("backup: DATABASE_URL is a PostgreSQL server; back it up with pg_dump "
                  "(see docs/deploy.md)", file=sys.stderr)
            return EXIT_USAGE
        summary = server_health_summary(settings.database_url, now)
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return EXIT_OK if summary["healthy"] else EXIT_FAILED
    database = args.db or settings.database_path
    if args.command == "health":
        return _run_health(database, now)
    return _run_backup(database, BackupRequest(args.dest, args.force, args.parents), now)


if __name__ == "__main__":
    sys.exit(main())
