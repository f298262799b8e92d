"""Dependencies point one way: bot → handlers → digest, storage.

``digest/`` and ``storage/`` know nothing of Telegram; the network is reached only from
``digest/fetch.py`` (through an injected client) and ``bot.py`` (which builds that client).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTTP_ALLOWED = {"digest/fetch.py", "bot.py"}


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


@pytest.mark.parametrize("folder", ["digest", "storage"])
def test_pipeline_and_storage_do_not_import_telegram_or_handlers(folder: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): m
        for p in _sources(folder)
        for m in _imports(p)
        if _top(m) in {"telegram", "handlers", "bot"}
    }
    assert offenders == {}


def test_digest_and_storage_are_independent() -> None:
    assert not [p for p in _sources("storage") if any(_top(m) == "digest" for m in _imports(p))]
    assert not [p for p in _sources("digest") if any(_top(m) == "storage" for m in _imports(p))]


def test_handlers_do_not_import_bot() -> None:
    assert not [p for p in _sources("handlers") if any(_top(m) == "bot" for m in _imports(p))]


def test_http_clients_only_in_fetch_module_and_bot() -> None:
    code = _sources("digest", "storage", "handlers") + [ROOT / "bot.py", ROOT / "settings.py"]
    users = {
        str(p.relative_to(ROOT))
        for p in code
        if any(_top(m) in {"httpx", "httpcore", "requests", "urllib3", "aiohttp"} for m in _imports(p))
    }
    assert users <= HTTP_ALLOWED


def test_the_guard_sees_imports() -> None:
    # The guard would pass vacuously if it could not read imports at all.
    assert "telegram.ext" in set(_imports(ROOT / "bot.py"))
