"""A throwaway PostgreSQL server for the storage contract tests.

One server per test session, in a temporary folder, listening only on a Unix socket there
(no TCP port), with durability off (a test database is never worth an fsync). Each test gets
a fresh database copied from a template that already has the schema, so the migrations run
once per session and a test starts in a few milliseconds. Where the server binaries are not
installed, the PostgreSQL half of the tests is skipped with one line saying so.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import pytest

from storage import Database, open_database

SKIP_REASON = ("PostgreSQL server binaries (initdb, pg_ctl) not found: "
               "the storage tests ran on SQLite only")
TEMPLATE = "storage_template"
# The server refuses to run as root; as root, it runs as the account the package made.
SERVER_ACCOUNTS = ("postgres", "nobody")


def find_binaries() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: on PATH, else the newest Debian install."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).parent
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                       key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return installed[-1].parent if installed else None


def _memory_folder() -> str | None:
    """/dev/shm where there is one: on a RAM file system a test database is created in
    ~25 ms, where the disk's writeback made it ~400 ms (None: the usual temp folder)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in SERVER_ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and no account to run PostgreSQL as")


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    user: str | None
    _names: itertools.count[int]

    @classmethod
    def start(cls, bin_folder: Path) -> PostgresServer:
        folder = Path(tempfile.mkdtemp(prefix="storage-pg-", dir=_memory_folder()))
        user = _server_user()
        if user is not None:
            shutil.chown(folder, user)
        server = cls(bin_folder, folder, user, itertools.count(1))
        server._run("initdb", "-D", str(folder / "data"), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--locale=C", "--no-sync")
        options = (f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        server._run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-l",
                    str(folder / "server.log"), "-w", "start")
        open_database(server.url(TEMPLATE, create=True)).close()  # the schema, once
        return server

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([str(self.bin / program), *args], check=True, user=self.user,
                       capture_output=True, cwd=self.folder)

    def url(self, database: str = "postgres", *, create: bool = False) -> str:
        if create:
            self._admin(f"create database {database}")
        return f"postgresql://postgres@/{database}?host={self.folder}"

    def fresh_database(self) -> str:
        """The URL of a new database holding the schema and no rows."""
        name = f"test_{next(self._names)}"
        # FILE_COPY copies the template's files (a few MB) instead of logging every page.
        self._admin(f"create database {name} template {TEMPLATE} strategy file_copy")
        return self.url(name)

    def empty_database(self) -> str:
        """The URL of a new database without even the schema (for migration tests)."""
        name = f"empty_{next(self._names)}"
        return self.url(name, create=True)

    def _admin(self, *statements: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def drop(server: PostgresServer, urls: Sequence[str]) -> None:
    """Drop the databases behind ``urls`` (their pools are closed)."""
    names = [urlsplit(url).path.lstrip("/") for url in urls]
    server._admin(*(f"drop database if exists {name} with (force)" for name in names))


ENGINES = ("sqlite", "postgresql")
_DESELECTED: list[pytest.Item] = []


def _needs_server(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    on_server = callspec is not None and callspec.params.get("engine") == "postgresql"
    return on_server or "postgres_server" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without server binaries, the PostgreSQL tests are set aside at collection (one line
    in the summary says so) rather than skipped one by one."""
    if find_binaries() is not None:
        return
    _DESELECTED[:] = [item for item in items if _needs_server(item)]
    if _DESELECTED:
        items[:] = [item for item in items if not _needs_server(item)]
        config.hook.pytest_deselected(items=_DESELECTED)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _DESELECTED:
        terminalreporter.write_line(f"{SKIP_REASON} ({len(_DESELECTED)} PostgreSQL tests "
                                    "not run)")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    found = find_binaries()
    if found is None:
        pytest.skip(SKIP_REASON)
    server = PostgresServer.start(found)
    yield server
    server.stop()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine under test: every test that uses the fixtures below runs on both."""
    return str(request.param)


@pytest.fixture
def db_target(engine: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """What :func:`storage.open_database` opens for this test: a private in-memory SQLite
    database, or a fresh database on the session's PostgreSQL server."""
    if engine == "sqlite":
        yield ":memory:"
        return
    yield from _server_database(request, PostgresServer.fresh_database)


@pytest.fixture
def new_db_target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with nothing in it yet, not even the schema: a new SQLite file, or an
    empty database on the server (for the migrations' own tests)."""
    if engine == "sqlite":
        yield str(tmp_path / "bot.db")
        return
    yield from _server_database(request, PostgresServer.empty_database)


def _server_database(request: pytest.FixtureRequest,
                     make: Callable[[PostgresServer], str]) -> Iterator[str]:
    """A database made on the session's server for one test, dropped after it."""
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = make(server)
    yield url
    drop(server, [url])


@pytest.fixture
def db(db_target: str) -> Iterator[Database]:
    """The storage contract fixture: every test that takes ``db`` runs on both engines."""
    database = open_database(db_target)
    yield database
    database.close()
