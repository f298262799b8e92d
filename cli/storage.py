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
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, bot_settings
from storage.backup import BackupError, BackupRequest, backup_database, checked_target
from storage.engine import SqliteDatabase
from storage.probe import health_summary, server_health_summary


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



def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = bot_settings()  # the database the bot uses; a bad value stops here too
    if settings is None:
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

