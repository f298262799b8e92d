"""One bot per database: an OS-level lock held on the database file while the bot runs.

Two bots on one database would both poll Telegram (a getUpdates conflict every few seconds)
and both drain the outbox. The lock is ``flock`` on the database file itself, so there is no
lock file to go stale: the kernel releases it when the process exits, however it exits
(kill -9 included). ``flock`` locks are separate from the POSIX record locks SQLite takes, so
holding one never blocks SQLite's own readers and writers (the backup and health commands
still work while the bot runs).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "bot.db"
>>> lock = hold_database(path)
>>> try:
...     hold_database(path)
... except DatabaseInUse as busy:
...     busy.pid == os.getpid()
True
>>> lock.release()
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import BinaryIO


class DatabaseInUse(Exception):
    """Another process holds the database; ``pid`` is that process (None if not visible)."""

    def __init__(self, path: Path, pid: int | None) -> None:
        self.path, self.pid = path, pid
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another process is using the database {str(path)!r} ({who}); "
                         "stop it first, or give this one its own DATABASE_PATH")


class DatabaseLock:
    """The held lock; :meth:`release` (or the process ending) lets the next bot start."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle

    def release(self) -> None:
        if not self._handle.closed:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()


def hold_database(path: Path) -> DatabaseLock:
    """Lock ``path`` (created empty if missing, which SQLite takes as a new database) for
    this process, or raise :class:`DatabaseInUse` naming the holder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("ab")  # append mode: never truncates or writes a byte
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        inode = os.fstat(handle.fileno()).st_ino
        handle.close()
        raise DatabaseInUse(path, holder_pid(inode)) from None
    return DatabaseLock(handle)


def holder_pid(inode: int, locks: Path = Path("/proc/locks")) -> int | None:
    """The pid holding a ``flock`` on the file with ``inode``, from the kernel's lock table.

    >>> table = Path(__import__("tempfile").mkdtemp()) / "locks"
    >>> _ = table.write_text("1: FLOCK  ADVISORY  WRITE 4242 08:01:77 0 EOF\\n")
    >>> holder_pid(77, table), holder_pid(78, table)
    (4242, None)
    """
    try:
        lines = locks.read_text().splitlines()
    except OSError:  # not Linux, or /proc not mounted: the refusal still stands, without a pid
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 6 and fields[1] == "FLOCK" and fields[5].rsplit(":", 1)[-1] == str(inode):
            return int(fields[4]) if fields[4].isdigit() and fields[4] != "0" else None
    return None
