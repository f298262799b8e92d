"""Storage under attack: no SQL built from text, and a full disk (a kill -9 mid-write:
tests/slow/test_storage_kill_9.py)."""

from __future__ import annotations

import ast
import contextlib
import itertools
import logging
import re
import sqlite3
from collections.abc import AsyncIterator

import httpx
import pytest

from digest.reader.fetch import FetchOptions
from services.articles import reply_for
from services.context import Services
from settings import load_settings
from storage import Database, open_database
from tests.files import ARTICLE_PAGE, ROOT
from tests.pageserver import PageServer

# --- every SQL statement is parameterised --------------------------------------------------

_SQL = re.compile(
    r"select\s.+\sfrom|insert\s+(or\s+\w+\s+)?into|update\s+\w+\s+set|delete\s+from|pragma\s"
    r"|create\s+(table|index|trigger)|where\s+[\w.]+\s*(=|in\b|is\b|<|>|like\b)",
    re.IGNORECASE | re.DOTALL,
)


def _is_placeholder_list(node: ast.AST) -> bool:
    """``",".join("?" * n)`` or ``", ".join("?" for _ in xs)``: only question marks."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join" and isinstance(node.func.value, ast.Constant)
            and len(node.args) == 1):
        return False
    arg = node.args[0]
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mult):
        return any(isinstance(side, ast.Constant) and side.value == "?" for side in (arg.left, arg.right))
    return isinstance(arg, ast.GeneratorExp) and isinstance(arg.elt, ast.Constant) and arg.elt.value == "?"


def _is_checked_name(node: ast.AST) -> bool:
    """``identifier(name)`` or ``identifiers(names)`` (storage.engine: raises unless every
    name is a bare SQL name) or ``db.dialect.word`` (a constant of the engine's DDL
    vocabulary)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in {"identifier", "identifiers"}
    return (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
            and node.value.attr == "dialect")


def _placeholder_names(tree: ast.AST) -> set[str]:
    return {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and _is_placeholder_list(node.value)
            for target in node.targets if isinstance(target, ast.Name)} | _fragment_names(tree)


def _fragment_names(tree: ast.AST) -> set[str]:
    """Module constants that are SQL fragments: a string literal, or an f-string made only
    of earlier such fragments. Composing SQL from them builds nothing from values."""
    fragments: set[str] = set()
    for node in getattr(tree, "body", []):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        literal = isinstance(value, ast.Constant) and isinstance(value.value, str)
        composed = isinstance(value, ast.JoinedStr) and all(
            isinstance(part, ast.Constant) or (isinstance(part, ast.FormattedValue)
            and isinstance(part.value, ast.Name) and part.value.id in fragments)
            for part in value.values)
        if literal or composed:
            fragments.add(node.targets[0].id)
    return fragments


def _is_sql(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(_SQL.search(node.value))


def sql_built_from_values(source: str) -> list[int]:
    """Lines where SQL text is built with an f-string, ``%``, ``.format`` or ``+`` from
    anything but a placeholder list, a checked name or an engine's DDL word.

    >>> sql_built_from_values('db.execute(f"select * from t where id = {x}")')
    [1]
    >>> sql_built_from_values('m = ",".join("?" * 3)\\ndb.query(f"select a from t where id in ({m})")')
    []
    >>> sql_built_from_values('db.execute(f"update {identifier(t)} set a = ? where id = ?")')
    []
    >>> sql_built_from_values('W = "where a = ?"\\nQ = f"select a from t {W}"\\ndb.query(f"{Q} limit ?")')
    []
    >>> sql_built_from_values('W = f"where a = {x}"\\ndb.query(f"select a from t {W}")')
    [1, 2]
    """
    tree = ast.parse(source)
    allowed = _placeholder_names(tree)
    bad: list[int] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and any(_is_sql(part) for part in node.values):
            holes = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            if not all(_is_placeholder_list(h) or _is_checked_name(h)
                       or (isinstance(h, ast.Name) and h.id in allowed) for h in holes):
                bad.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            sides = (node.left, node.right)
            if any(_is_sql(s) for s in sides) and not all(isinstance(s, ast.Constant) for s in sides):
                bad.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "format" and _is_sql(node.func.value)):
            bad.append(node.lineno)
    return sorted(set(bad))


@pytest.mark.parametrize("snippet", [
    'db.execute(f"delete from chats where id = {chat_id}")',
    'db.execute("select * from chats where title = \'%s\'" % title)',
    'db.query("select * from chats where id = {}".format(chat_id))',
    'db.execute("update chats set title = \'" + title + "\' where id = 1")',
    'sql = f"""select *\n from items where url = \'{url}\'"""',
])
def test_the_checker_catches_sql_built_from_values(snippet: str) -> None:
    assert sql_built_from_values(snippet) == [1]


def test_no_sql_is_built_from_values_in_storage_or_handlers() -> None:
    # storage/engine.py is the one place SQL text is put together from table and column
    # names (insert, update, upsert, DDL); every name there goes through identifier().
    files = sorted(set((ROOT / "storage").glob("*.py")) - {ROOT / "storage" / "engine.py"})
    files += sorted((ROOT / "handlers").glob("*.py"))
    found = {f"{path.relative_to(ROOT)}:{line}" for path in files
             for line in sql_built_from_values(path.read_text())}
    assert not found, f"SQL built from values (use ? parameters): {sorted(found)}"


# --- a full disk ----------------------------------------------------------------------------

def fill_the_disk(db: Database) -> None:
    """Cap the file at its current size, then fill every free byte of the cache table (an
    SQLite page with room left still takes small rows, as a real full disk would too)."""
    pages = db.execute("pragma page_count").fetchone()[0]
    db.execute(f"pragma max_page_count = {int(pages)}")  # pragmas take no parameters
    fillers = itertools.count()
    for size in (2000, 500, 100, 10, 0):  # big rows first, then ever smaller ones
        with contextlib.suppress(sqlite3.OperationalError):
            while True:
                with db.atomic():
                    db.execute("insert into article_cache values (?, ?, '')",
                                    [f"filler-{next(fillers)}", "x" * size])


@pytest.fixture
async def full_disk_services(page_server: PageServer) -> AsyncIterator[Services]:  # noqa: F811
    db = open_database(":memory:")
    fill_the_disk(db)
    async with httpx.AsyncClient(trust_env=False) as client:
        yield Services(settings=load_settings({"BOT_TOKEN": "1:x"}), db=db, http=client,
                       fetch_options=FetchOptions(allow_private_hosts=frozenset({page_server.host_port})))


async def test_full_disk_still_answers_links_and_logs_an_error(
    full_disk_services: Services, page_server: PageServer, caplog: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    url = page_server.add("/news/kharkiv", ARTICLE_PAGE.read_bytes())
    with caplog.at_level(logging.ERROR, logger="handlers.links"):
        first = await reply_for(full_disk_services, url, "Europe/Kyiv")
        second = await reply_for(full_disk_services, url, "Europe/Kyiv")
    assert first == second and "Repair crews restore power" in first
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and "database or disk is full" in errors[0].getMessage()
    assert page_server.hits("/news/kharkiv") == 2, "nothing was cached, both were fetched"
