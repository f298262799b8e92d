"""The online backup of a bot's SQLite file, safe while the bot runs
(``python -m storage backup``): copied with SQLite's backup API, checked with
``PRAGMA integrity_check``, and only then put in place. :func:`checked_target` holds the
refusals that keep a backup from destroying anything."""

from __future__ import annotations

import itertools
import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.probe import connect_read_only, file_problem


class BackupError(Exception):
    """The copy could not be made, or it failed its integrity check."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size_bytes: int


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

    >>> from datetime import UTC
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

