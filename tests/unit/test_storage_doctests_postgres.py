"""The storage modules' docstring examples, run again on PostgreSQL.

The examples open ``open_database(":memory:")``; here that opens a fresh database on the
session's throwaway server instead, so every example is a contract test of the other engine
too (test_doctests.py runs them on SQLite).
"""

from __future__ import annotations

import doctest
import importlib
import inspect
from collections.abc import Iterator
from typing import Any

import pytest

import storage
import storage.db
from storage import Database
from tests.files import ROOT
from tests.postgres import PostgresServer, drop

MODULES = sorted(f"storage.{path.stem}" for path in (ROOT / "storage").glob("*.py")
                 if path.stem not in ("__init__", "__main__"))


@pytest.fixture
def on_postgres(postgres_server: PostgresServer,
                monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Database]]]:
    opened: list[tuple[str, Database]] = []
    real_open = storage.db.open_database

    def open_on_server(path: Any, **options: Any) -> Database:
        assert str(path) == ":memory:", "the examples open private in-memory databases"
        url = postgres_server.fresh_database()
        opened.append((url, real_open(url, **options)))
        return opened[-1][1]

    monkeypatch.setattr(storage, "open_database", open_on_server)
    monkeypatch.setattr(storage.db, "open_database", open_on_server)
    yield opened
    for _, db in opened:
        db.close()
    drop(postgres_server, [url for url, _ in opened])


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_on_postgresql(
        name: str, on_postgres: list[tuple[str, Database]]) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    if 'open_database(":memory:")' in inspect.getsource(module):
        assert on_postgres, "the examples ran, but not on the server"
