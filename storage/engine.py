"""The one seam between the storage functions and the database engine.

Every storage function takes a :class:`Database` and speaks to it in portable SQL with ``?``
placeholders (``ON CONFLICT``, ``RETURNING``, row values: SQLite and PostgreSQL both have
them), so each function is written once. Two engines implement it:

* :class:`SqliteDatabase`, the default: one file (or ``:memory:``) through sqlite-utils;
* :class:`PostgresDatabase` (``DATABASE_URL=postgresql://…``): psycopg 3 with a pool.

Outside :meth:`Database.atomic` each statement commits on its own; inside, the block is one
transaction (a nested block is a savepoint). Migrations create their tables through
:meth:`Database.create_table` and friends, which emit each engine's own DDL (on SQLite,
exactly what sqlite-utils always made).

>>> db = SqliteDatabase.memory()
>>> db.create_table("t", {"id": int, "name": str}, pk="id", not_null={"name"})
>>> db.insert("t", {"name": "a"}, returning="id")
1
>>> db.update("t", {"id": 1}, {"name": "b"}), db.first("select name from t where id = ?", [1])
(1, {'name': 'b'})
"""

from __future__ import annotations

import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

import sqlite_utils

Clock = Callable[[], datetime]
Params = Sequence[Any]
SQLITE, POSTGRESQL = "sqlite", "postgresql"


def wall_clock() -> datetime:
    return datetime.now(UTC)


class NotFoundError(LookupError):
    """The row a storage function was asked to change does not exist."""


class Cursor(Protocol):
    """What :meth:`Database.execute` returns: DB-API rows as tuples (sqlite3's cursor is one)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int = ...) -> list[Any]: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


@dataclass(frozen=True, slots=True)
class Dialect:
    """The few words the engines spell differently, for migrations' hand-written DDL."""

    name: str
    integer: str  # a 64-bit integer column (Telegram chat ids need 64 bits)
    text: str  # compared byte by byte, whatever the database's locale
    blob: str
    without_rowid: str  # SQLite's table option for tables keyed by something else
    skip_locked: str  # a claim's row lock: PostgreSQL skips rows another worker holds;
    # SQLite has one writer at a time, so its plain UPDATE already claims atomically


SQLITE_DIALECT = Dialect(SQLITE, "integer", "text", "blob", " without rowid", "")
POSTGRESQL_DIALECT = Dialect(POSTGRESQL, "bigint", 'text collate "C"', "bytea", "",
                             " for update skip locked")


class Database(ABC):
    """An open database: portable SQL in, tuples or dicts out, and transactions."""

    dialect: Dialect
    clock: Clock
    errors: tuple[type[Exception], ...]
    """What this engine raises when the database itself fails (full disk, damaged file,
    server gone): callers that must carry on without the database catch these."""

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> Cursor:
        """Run one statement; outside :meth:`atomic` a write commits at once."""

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each parameter row, in one transaction."""

    @abstractmethod
    def query(self, sql: str, params: Params = ()) -> Iterator[dict[str, Any]]:
        """Rows of a statement that returns rows, as dicts by column name."""

    @abstractmethod
    def atomic(self) -> AbstractContextManager[Database]:
        """One transaction for the block (a savepoint inside another block); an exception
        rolls it back."""

    @abstractmethod
    def table_names(self) -> list[str]: ...

    @abstractmethod
    def create_table(self, name: str, columns: Mapping[str, type], *, pk: str | tuple[str, ...],
                     foreign_keys: Sequence[tuple[str, str, str]] = (),
                     not_null: Iterable[str] = (), defaults: Mapping[str, Any] | None = None) -> None:
        """A table from Python column types (int, str, bytes, float), as sqlite-utils' create."""

    @abstractmethod
    def create_index(self, table: str, columns: Sequence[str], *, unique: bool = False,
                     if_not_exists: bool = False) -> None:
        """An index named as sqlite-utils names it: ``idx_<table>_<columns>``."""

    @abstractmethod
    def add_column(self, table: str, column: str, col_type: type, *,
                   not_null_default: Any = None) -> None: ...

    @abstractmethod
    def reclaim(self, pages: int) -> int:
        """Hand up to ``pages`` free pages back to the file system; how many went (SQLite's
        incremental vacuum; PostgreSQL's autovacuum does this on its own: 0)."""

    @abstractmethod
    def close(self) -> None: ...

    # Written once for both engines, in terms of execute.

    def first(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """The first row of a query as a dict, or None."""
        return next(self.query(sql, params), None)

    def insert(self, table: str, row: Mapping[str, Any], *, returning: str | None = None) -> Any:
        """Insert one row; with ``returning``, that column's value of the new row."""
        sql = _insert_sql(table, tuple(row)) + (f" returning {returning}" if returning else "")
        cursor = self.execute(sql, list(row.values()))
        return cursor.fetchone()[0] if returning else None

    def insert_many(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert rows that all have the same columns."""
        if rows:
            self.executemany(_insert_sql(table, tuple(rows[0])), [list(r.values()) for r in rows])

    def upsert(self, table: str, row: Mapping[str, Any], *, pk: str | tuple[str, ...]) -> None:
        """Insert the row, or update the given columns of the row with the same key."""
        keys = (pk,) if isinstance(pk, str) else pk
        changes = [c for c in row if c not in keys]
        action = "do nothing"
        if changes:
            action = "do update set " + ", ".join(
                f"{identifier(c)} = excluded.{identifier(c)}" for c in changes)
        self.execute(f"{_insert_sql(table, tuple(row))} on conflict ({identifiers(keys)}) {action}",
                     list(row.values()))

    def update(self, table: str, key: Mapping[str, Any], changes: Mapping[str, Any]) -> int:
        """Change columns of the row with ``key`` (column: value); raises NotFoundError when
        there is no such row."""
        sets = identifiers(changes, " = ?, ")
        where = identifiers(key, " = ? and ")
        cursor = self.execute(f"update {identifier(table)} set {sets} = ? where {where} = ?",
                              [*changes.values(), *key.values()])
        if cursor.rowcount == 0:
            raise NotFoundError(f"no {table} row with {dict(key)}")
        return cursor.rowcount


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def identifier(name: str) -> str:
    """A table or column name, checked to be a bare name before it goes into SQL text (the
    names come from this code, never from outside; values always go as ``?`` parameters).

    >>> identifier("chat_id")
    'chat_id'
    >>> identifier("id; drop table chats")
    Traceback (most recent call last):
    ...
    ValueError: not a plain SQL name: 'id; drop table chats'
    """
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a plain SQL name: {name!r}")
    return name


def identifiers(names: Iterable[str], separator: str = ", ") -> str:
    return separator.join(identifier(name) for name in names)


@lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"insert into {identifier(table)} ({identifiers(columns)}) values ({marks})"


class SqliteDatabase(Database):
    """SQLite through sqlite-utils (``.sqlite``, for what only SQLite has: pragmas, backup)."""

    dialect = SQLITE_DIALECT
    errors = (sqlite3.DatabaseError,)

    def __init__(self, sqlite: sqlite_utils.Database, *, clock: Clock = wall_clock) -> None:
        self.sqlite = sqlite
        self.clock = clock

    @classmethod
    def memory(cls, *, clock: Clock = wall_clock) -> SqliteDatabase:
        return cls(sqlite_utils.Database(memory=True), clock=clock)

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        return self.sqlite.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with self.atomic():
            self.sqlite.conn.executemany(sql, rows)

    def query(self, sql: str, params: Params = ()) -> Iterator[dict[str, Any]]:
        return self.sqlite.query(sql, params)

    def atomic(self) -> AbstractContextManager[Database]:
        return self._atomic()

    @contextmanager
    def _atomic(self) -> Iterator[Database]:
        with self.sqlite.atomic():
            yield self

    def table_names(self) -> list[str]:
        return self.sqlite.table_names()

    def create_table(self, name: str, columns: Mapping[str, type], *, pk: str | tuple[str, ...],
                     foreign_keys: Sequence[tuple[str, str, str]] = (),
                     not_null: Iterable[str] = (), defaults: Mapping[str, Any] | None = None) -> None:
        self.sqlite.table(name).create(dict(columns), pk=pk, foreign_keys=list(foreign_keys),
                                       not_null=set(not_null), defaults=dict(defaults or {}))

    def create_index(self, table: str, columns: Sequence[str], *, unique: bool = False,
                     if_not_exists: bool = False) -> None:
        self.sqlite.table(table).create_index(list(columns), unique=unique,
                                              if_not_exists=if_not_exists)

    def add_column(self, table: str, column: str, col_type: type, *,
                   not_null_default: Any = None) -> None:
        self.sqlite.table(table).add_column(column, col_type, not_null_default=not_null_default)

    def reclaim(self, pages: int) -> int:
        # ``executescript`` steps the pragma to completion (a plain execute frees one page);
        # a pragma takes no parameters, hence the int() before it goes into the text.
        before = self._free_pages()
        self.sqlite.conn.executescript(f"PRAGMA incremental_vacuum({int(pages)});")
        return before - self._free_pages()

    def _free_pages(self) -> int:
        return int(self.sqlite.execute("PRAGMA freelist_count").fetchone()[0])

    def close(self) -> None:
        self.sqlite.close()


# PostgreSQL ---------------------------------------------------------------------------

# Text compares byte by byte, as in SQLite, whatever the database's locale: stored instants
# (ISO-8601) and local times (HH:MM) are compared and ordered as strings.
_PG_TYPES = {int: "bigint", str: POSTGRESQL_DIALECT.text, bytes: "bytea",
             float: "double precision"}
# A quoted string, a ``?`` placeholder, or a ``%`` (which psycopg would read as one).
_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\?|%")


@lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (quoted text left alone, ``%`` escaped).

    >>> to_pyformat("select '?', a from t where b like ? and c % 2 = ?")
    "select '?', a from t where b like %s and c %% 2 = %s"
    """
    return _PLACEHOLDER.sub(
        lambda m: {"?": "%s", "%": "%%"}.get(m.group(), m.group()), sql)


class Rows:
    """The fetched rows of a PostgreSQL statement, read like a cursor after the pooled
    connection went back to the pool."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = iter(rows)
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        return next(self._rows, None)

    def fetchmany(self, size: int = 1) -> list[Any]:
        return [row for _, row in zip(range(size), self._rows, strict=False)]

    def fetchall(self) -> list[Any]:
        return list(self._rows)

    def __iter__(self) -> Iterator[Any]:
        return self._rows


class PostgresDatabase(Database):
    """PostgreSQL through a psycopg 3 connection pool.

    Connections are in autocommit mode, so a statement outside :meth:`atomic` commits on
    its own; :meth:`atomic` pins one connection to the calling thread for the block.
    """

    dialect = POSTGRESQL_DIALECT

    def __init__(self, url: str, *, clock: Clock = wall_clock, max_size: int = 4,
                 connect_timeout: int = 10) -> None:
        import psycopg  # only a PostgreSQL deployment needs these
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.errors = (psycopg.Error, PoolTimeout)
        # One plain connection first: a server that is down, or a wrong password, fails
        # here with libpq's own reason instead of as a pool timeout later.
        psycopg.connect(url, connect_timeout=connect_timeout).close()
        self.url = url
        self.clock = clock
        self.pool = ConnectionPool(url, min_size=1, max_size=max_size, open=False,
                                   kwargs={"autocommit": True}, name="storage")
        self.pool.open(wait=True, timeout=connect_timeout)
        self._local = threading.local()

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        pinned = getattr(self._local, "conn", None)
        if pinned is not None:
            yield pinned
            return
        with self.pool.connection() as conn:
            yield conn

    def execute(self, sql: str, params: Params = ()) -> Cursor:
        with self._connection() as conn:
            cursor = conn.execute(to_pyformat(sql), list(params))
            rows = cursor.fetchall() if cursor.description is not None else []
            return Rows(rows, cursor.rowcount)

    def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        with self.atomic(), self._connection() as conn:
            conn.cursor().executemany(to_pyformat(sql), [list(r) for r in rows])

    def query(self, sql: str, params: Params = ()) -> Iterator[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self._connection() as conn:
            cursor = conn.cursor(row_factory=dict_row)
            return iter(cursor.execute(to_pyformat(sql), list(params)).fetchall())

    def atomic(self) -> AbstractContextManager[Database]:
        return self._atomic()

    @contextmanager
    def _atomic(self) -> Iterator[Database]:
        pinned = getattr(self._local, "conn", None)
        if pinned is not None:
            with pinned.transaction():  # a savepoint
                yield self
            return
        with self.pool.connection() as conn:
            self._local.conn = conn
            try:
                with conn.transaction():
                    yield self
            finally:
                self._local.conn = None

    def table_names(self) -> list[str]:
        rows = self.execute("select tablename from pg_tables where schemaname = current_schema() "
                            "order by tablename")
        return [row[0] for row in rows]

    def create_table(self, name: str, columns: Mapping[str, type], *, pk: str | tuple[str, ...],
                     foreign_keys: Sequence[tuple[str, str, str]] = (),
                     not_null: Iterable[str] = (), defaults: Mapping[str, Any] | None = None) -> None:
        required, given = set(not_null), dict(defaults or {})
        keys = (pk,) if isinstance(pk, str) else pk
        lines = []
        for column, col_type in columns.items():
            line = f"{identifier(column)} {_PG_TYPES[col_type]}"
            if keys == (column,) and col_type is int:
                # What SQLite's INTEGER PRIMARY KEY does: a number when none is given.
                line += " generated by default as identity"
            if column in required:
                line += " not null"
            if column in given:
                line += f" default {_literal(given[column])}"
            lines.append(line)
        lines.append(f"primary key ({identifiers(keys)})")
        lines += [f"foreign key ({identifier(column)}) references "
                  f"{identifier(other)}({identifier(other_column)})"
                  for column, other, other_column in foreign_keys]
        definition = ", ".join(lines)
        self.execute(f"create table {identifier(name)} ({definition})")

    def create_index(self, table: str, columns: Sequence[str], *, unique: bool = False,
                     if_not_exists: bool = False) -> None:
        kind = "unique index" if unique else "index"
        guard = "if not exists " if if_not_exists else ""
        name = identifier(f"idx_{table}_{'_'.join(columns)}")
        self.execute(f"create {kind} {guard}{name} on {identifier(table)} ({identifiers(columns)})")

    def add_column(self, table: str, column: str, col_type: type, *,
                   not_null_default: Any = None) -> None:
        default = ("" if not_null_default is None
                   else f" not null default {_literal(not_null_default)}")
        self.execute(f"alter table {identifier(table)} add column {identifier(column)} "
                     f"{_PG_TYPES[col_type]}{default}")

    def reclaim(self, pages: int) -> int:
        return 0

    def close(self) -> None:
        self.pool.close()


def _literal(value: Any) -> str:
    """A default value as SQL text (migrations' own constants only)."""
    if isinstance(value, bool | int | float):
        return str(int(value) if isinstance(value, bool) else value)
    return "'" + str(value).replace("'", "''") + "'"
