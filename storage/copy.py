"""Moving a bot's SQLite database to PostgreSQL (``python -m storage copy --to URL``).

Both databases are brought to the same schema by the same migrations first, so the copy is
table by table, column by column: parents before the tables that refer to them, every row
in one transaction (a failed copy leaves the server database as empty as it was), and each
identity column's sequence moved past the copied ids so new rows do not collide with them.
The target must be empty: a copy never merges into a database a bot already uses.
"""

from __future__ import annotations

from graphlib import TopologicalSorter

from storage.engine import Database, SqliteDatabase, identifier, identifiers
from storage.migrations import RECORD

BATCH = 2000


class CopyError(Exception):
    """The copy cannot be made (the message is the one line an operator needs)."""


def copy_database(source: SqliteDatabase, target: Database) -> dict[str, int]:
    """Copy every row of ``source`` into the empty ``target``; rows copied by table."""
    tables = _in_dependency_order(source)
    missing = sorted(set(tables) - set(target.table_names()))
    if missing:
        raise CopyError(f"the target has no table {', '.join(missing)}: is it another "
                        "application's database?")
    used = [t for t in tables if target.execute(f"select 1 from {identifier(t)} limit 1").fetchone()]
    if used:
        raise CopyError(f"the target is not empty ({', '.join(used)} have rows); copy into a "
                        "new database")
    copied: dict[str, int] = {}
    with target.atomic():
        for table in tables:
            copied[table] = _copy_table(source, target, table)
            _advance_identity(target, table)
    return copied


def _in_dependency_order(source: SqliteDatabase) -> list[str]:
    names = [t for t in source.table_names() if t != RECORD and not t.startswith("sqlite_")]
    graph = {t: {fk.other_table for fk in source.sqlite.table(t).foreign_keys} for t in names}
    return list(TopologicalSorter(graph).static_order())


def _copy_table(source: SqliteDatabase, target: Database, table: str) -> int:
    columns = list(source.sqlite.table(table).columns_dict)
    marks = ", ".join("?" * len(columns))
    insert = f"insert into {identifier(table)} ({identifiers(columns)}) values ({marks})"
    rows = source.execute(f"select {identifiers(columns)} from {identifier(table)}")
    count = 0
    while batch := rows.fetchmany(BATCH):
        target.executemany(insert, batch)
        count += len(batch)
    return count


def _advance_identity(target: Database, table: str) -> None:
    """PostgreSQL numbers new rows from a sequence, which the copied ids did not move."""
    for (column,) in target.execute(
            "select column_name from information_schema.columns where table_schema = "
            "current_schema() and table_name = ? and is_identity = 'YES'", [table]).fetchall():
        target.execute(
            f"select setval(pg_get_serial_sequence(?, ?), "
            f"coalesce((select max({identifier(column)}) from {identifier(table)}), 0) + 1, false)",
            [table, column])
