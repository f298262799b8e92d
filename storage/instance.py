"""One bot per SQLite database: an OS-level lock held on the database file while the bot
runs; on PostgreSQL, several bots and one scheduler among them (:class:`SchedulerLock`).

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
...     print(str(busy).split(" (")[0][:36])
another process is using the databas
>>> lock.release()
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


class DatabaseInUse(Exception):
    """Another process holds the database; ``pid`` is that process (None if not visible)."""

    def __init__(self, path: Path | str, pid: int | None, setting: str = "DATABASE_PATH") -> None:
        self.path, self.pid = path, pid
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(f"another process is using the database {str(path)!r} ({who}); "
                         f"stop it first, or give this one its own {setting}")


class DatabaseLock:
    """The held lock; :meth:`release` (or the process ending) lets the next bot start."""

    shared = False  # no other bot runs on this database

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def held(self) -> bool:
        """The only bot on its database runs the scheduler too (see :class:`SchedulerLock`)."""
        return True

    def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release()


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
    return DatabaseLock(lambda: _unlock(handle))


def _unlock(handle: BinaryIO) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


#: The advisory lock of "one scheduler per PostgreSQL database": a two-number key, so it
#: never meets the one-number keys the outbox claim locks chats with.
SCHEDULER_LOCK = (0x77617264, 1)  # "ward", 1
_APPLICATION = "war-digest-bot pid "


class SchedulerLock:
    """Several bot processes (workers) on one PostgreSQL database: all of them send the
    outbox and answer users, and the one holding this lock also runs the scheduler (the
    tick: polling, queuing digests, alerts, retention) and polls Telegram's updates.

    The lock is a session advisory lock held by a connection of its own. The server drops
    it when that connection ends, however the holder ends (kill -9 included: the server
    sees the socket close at once; a machine gone silent is noticed by TCP keepalives),
    and :meth:`held` in another worker then takes it. A holder that loses its connection
    (server restart, network) stops leading at its next :meth:`held`.
    """

    shared = True  # other workers may run on the same database

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        self.url, self.connect_timeout = url, connect_timeout
        self._conn: Any = None
        self._held = False
        self._guard = threading.Lock()  # the tick and the update poller both ask
        self._connection()  # an unreachable server fails here, at start, with its reason

    def held(self) -> bool:
        """Whether this worker leads now; takes the lock if it is free. One round trip."""
        import psycopg

        with self._guard:
            try:
                conn = self._connection()
                if self._held:  # the session lives, so does its lock
                    conn.execute("select 1")
                else:
                    row = conn.execute("select pg_try_advisory_lock(%s, %s)",
                                       list(SCHEDULER_LOCK)).fetchone()
                    self._held = bool(row and row[0])
            except psycopg.Error:
                self._close()  # the lock went with the session
            return self._held

    def release(self) -> None:
        with self._guard:
            self._close()

    def _connection(self) -> Any:
        import psycopg  # only a PostgreSQL deployment needs it

        if self._conn is None or self._conn.closed:
            self._held = False
            self._conn = psycopg.connect(
                self.url, autocommit=True, connect_timeout=self.connect_timeout,
                application_name=f"{_APPLICATION}{os.getpid()}",
                # A holder cut off from the server stops leading within about 30 s.
                keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
                tcp_user_timeout=30_000)
        return self._conn

    def _close(self) -> None:
        self._held = False
        if self._conn is not None:
            self._conn.close()
            self._conn = None


#: The advisory lock a worker holds while it migrates the database and syncs the sources.
START_LOCK = (0x77617264, 2)


@contextmanager
def one_start_at_a_time(url: str) -> Iterator[None]:
    """Workers started together (``replicas: 2``) take turns at their start-up writes: two
    would both run a migration, or both insert the same configured source. A session lock,
    waited for, on a connection of its own (it goes with the connection, however the
    process ends)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_advisory_lock(%s, %s)", list(START_LOCK))
        yield


def hold_server_database(url: str) -> SchedulerLock:
    """This worker's place on a PostgreSQL database (``DATABASE_URL``): several may run;
    the first to call :meth:`SchedulerLock.held` leads. Raises ``psycopg.Error`` when the
    server cannot be reached."""
    return SchedulerLock(url)


def holder_pid(inode: int, locks: Path = Path("/proc/locks")) -> int | None:
    """Another process holding a lock (``flock``, or SQLite's own POSIX locks) on the file
    with ``inode``, from the kernel's lock table.

    >>> table = Path(__import__("tempfile").mkdtemp()) / "locks"
    >>> _ = table.write_text("1: FLOCK  ADVISORY  WRITE 4242 08:01:77 0 EOF\\n")
    >>> holder_pid(77, table), holder_pid(78, table)
    (4242, None)
    """
    try:
        lines = locks.read_text().splitlines()
    except OSError:  # not Linux, or /proc not mounted: the refusal still stands, without a pid
        return None
    for fields in (line.split() for line in lines):
        if (len(fields) >= 6 and fields[1] in ("FLOCK", "POSIX")
                and fields[5].rsplit(":", 1)[-1] == str(inode)
                and fields[4].isdigit() and int(fields[4]) not in (0, os.getpid())):
            return int(fields[4])
    return None


def explain_open_failure(path: Path, error: sqlite3.Error | OSError) -> str:
    """Why the database at ``path`` cannot be used, as the one line an operator needs.

    Only a file that is not (or no longer) an SQLite database gets the advice to restore a
    backup or move it away: a busy, full or read-only one is healthy and must be kept.
    """
    text = str(error).lower()
    code = error.errno if isinstance(error, OSError) else None
    if "locked" in text or "busy" in text:
        return str(DatabaseInUse(path, _holder_of(path)))
    if "disk is full" in text or code == errno.ENOSPC:
        return f"the disk is full ({_free_space(path)} free); free some space, then start again"
    if "readonly" in text or "read-only" in text or code == errno.EROFS:
        return ("is on a read-only file system (or a read-only file); the bot must write to it: "
                "mount it read-write, or copy it to a writable place")
    if isinstance(error, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return (f"is not a usable SQLite database ({error}); restore a backup (see "
                "docs/deploy.md) or move the file away to start afresh")
    return f"cannot be used ({error.strerror if isinstance(error, OSError) else error})"


def _holder_of(path: Path) -> int | None:
    try:
        return holder_pid(path.stat().st_ino)
    except OSError:
        return None


def _free_space(path: Path) -> str:
    """Free space on the database's disk, in words (``12 MB``), as the disk alert says it."""
    try:
        free = shutil.disk_usage(path if path.is_dir() else path.parent).free
    except OSError:
        return "unknown space"
    return f"{free / 1e6:,.0f} MB"
