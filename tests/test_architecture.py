"""Dependencies point one way: bot → handlers → services → digest, storage (and i18n).

``digest/`` and ``storage/`` know nothing of Telegram; ``services/`` knows Telegram's error
and value types but none of PTB's update machinery; the network is reached only from
``digest/reader/fetch.py`` (through an injected client) and ``bot.py`` (which builds that client).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTTP_ALLOWED = {"digest/reader/fetch.py", "bot.py"}


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


@pytest.mark.parametrize("folder", ["digest", "storage", "i18n"])
def test_pipeline_storage_and_texts_do_not_import_telegram_or_upper_layers(folder: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): m
        for p in _sources(folder)
        for m in _imports(p)
        if _top(m) in {"telegram", "handlers", "services", "bot"}
    }
    assert offenders == {}


def test_services_do_not_import_handlers_or_bot() -> None:
    offenders = {
        str(p.relative_to(ROOT)): m
        for p in _sources("services")
        for m in _imports(p)
        if _top(m) in {"handlers", "bot"}
    }
    assert offenders == {}


# What services may take from python-telegram-bot: error and value types, constants, and the
# rate-limiter base class the send gate implements. Not Update, Application, handlers, jobs.
SERVICES_TELEGRAM = {
    "telegram": {"LinkPreviewOptions"},
    "telegram.error": None,  # any error type
    "telegram.constants": None,
    "telegram.ext": {"BaseRateLimiter"},
}


def _imported_names(path: Path) -> Iterator[tuple[str, str | None]]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield from ((node.module, alias.name) for alias in node.names)


def test_services_are_free_of_ptbs_update_machinery() -> None:
    offenders = set()
    for path in _sources("services"):
        for module, name in _imported_names(path):
            if _top(module) != "telegram":
                continue
            allowed = SERVICES_TELEGRAM.get(module, set())
            if name is None or (allowed is not None and name not in allowed):
                offenders.add(f"{path.relative_to(ROOT)}: {module}.{name}")
    assert offenders == set()


# Modules of handlers/ that several handlers share; every other module is an update handler
# (or job registration) and imports none of its siblings.
HANDLER_HELPERS = {"context", "common", "filters", "i18n", "keyboards", "operators"}


def test_handlers_do_not_import_each_other() -> None:
    offenders = set()
    for path in _sources("handlers"):
        if path.stem in HANDLER_HELPERS or path.name == "__init__.py":
            continue
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "handlers" and (len(parts) == 1 or parts[1] not in HANDLER_HELPERS):
                offenders.add(f"{path.relative_to(ROOT)} → {module}")
    assert offenders == set()


# What handlers may take from storage/ and digest/ directly: values they render or parse
# with, never a function that reads or writes the database or builds a digest. Everything
# else goes through services/ (a handler parses, calls one service, renders, replies).
HANDLER_VALUES: dict[str, set[str]] = {
    # Row and value types services hand back (and NewChat, what an update tells of a chat):
    # handlers read their fields to render; re-exporting them from services would only hide
    # where they live.
    "storage.chats": {"Chat", "NewChat", "SubscribeResult"},
    "storage.sources": {"SourceRow"},
    "storage.breaking": {"AlertSettings"},
    "storage.follows": {"FollowRow", "FOLLOW", "MUTE", "MAX_PER_CHAT"},
    # Telegram-HTML text helpers: escaping and cutting a reply is rendering.
    "digest.render.telegram_html": {"truncate", "esc", "line_chunks", "MAX_MESSAGE"},
    # Parsing the update: the links a message holds, whether an argument names a channel.
    "digest.urls": {"find_urls"},
    "digest.feeds.telegram": {"names_a_channel"},
    # Constants drawn as buttons and headings: the preset topics, the kinds of outlet.
    "digest.stories.follow": {"PRESETS"},
    "digest.feeds.sources": {"SourceKind"},
}


def _handler_imports_of_lower_layers() -> set[tuple[str, str | None, str]]:
    return {
        (module, name, str(path.relative_to(ROOT)))
        for path in _sources("handlers")
        for module, name in _imported_names(path)
        if _top(module) in {"storage", "digest"}
    }


def test_handlers_reach_storage_and_digest_only_through_services() -> None:
    offenders = {
        f"{path}: {module}.{name}"
        for module, name, path in _handler_imports_of_lower_layers()
        if name is None or name not in HANDLER_VALUES.get(module, set())
    }
    assert offenders == set()


def test_every_value_handlers_may_import_is_still_used() -> None:
    # A stale entry would let the next change import it again without anyone deciding to.
    used = {(module, name) for module, name, _ in _handler_imports_of_lower_layers()}
    listed = {(module, name) for module, names in HANDLER_VALUES.items() for name in names}
    assert listed - used == set()


def test_handlers_hold_only_telegram_glue() -> None:
    # Application logic (polling, digests, sending, pacing, caches) lives in services/.
    for path in _sources("handlers"):
        if path.stem in HANDLER_HELPERS | {"__init__", "jobs", "errors"}:
            continue
        tree = ast.parse(path.read_text())
        registers = any(isinstance(n, ast.FunctionDef) and n.name == "register" for n in tree.body)
        assert registers, f"{path.relative_to(ROOT)} is not an update handler module"


def test_digest_does_not_import_storage() -> None:
    assert not [p for p in _sources("digest") if any(_top(m) == "storage" for m in _imports(p))]


# What storage may take from digest/: the one news item (a stored item is one, with its ids),
# so stored items go through the stages as they are and come back with their ids. Nothing
# that parses, reads or judges: storage must not grow a dependency on the pipeline.
STORAGE_FROM_DIGEST: dict[str, set[str]] = {"digest.models": {"NewsItem"}}


def test_storage_takes_only_the_news_item_from_digest() -> None:
    offenders = {
        f"{path.relative_to(ROOT)}: {module}.{name}"
        for path in _sources("storage")
        for module, name in _imported_names(path)
        if _top(module) == "digest" and name not in STORAGE_FROM_DIGEST.get(module, set())
    }
    assert offenders == set()


def test_handlers_do_not_import_bot() -> None:
    assert not [p for p in _sources("handlers") if any(_top(m) == "bot" for m in _imports(p))]


def test_http_clients_only_in_fetch_module_and_bot() -> None:
    code = _sources("digest", "storage", "handlers", "services", "i18n") + [ROOT / "bot.py", ROOT / "settings.py"]
    users = {
        str(p.relative_to(ROOT))
        for p in code
        if any(_top(m) in {"httpx", "httpcore", "requests", "urllib3", "aiohttp"} for m in _imports(p))
    }
    assert users <= HTTP_ALLOWED


def test_the_guard_sees_imports() -> None:
    # The guard would pass vacuously if it could not read imports at all.
    assert "telegram.ext" in set(_imports(ROOT / "bot.py"))


# What each part of digest/ may use inside digest/. Shared leaves (errors, models, urls,
# workers, schedule) are open to all; the sub-packages form a one-way chain so that, say,
# the reader never grows a dependency on digest building.
DIGEST_LEAVES = {"errors", "models", "urls", "workers", "schedule", "backoff", "instants"}
DIGEST_ALLOWED = {
    "language": set(),
    "quotes": {"language"},
    "reader": {"language", "quotes"},
    "feeds": {"language"},
    "render": {"language"},  # headline cutting reuses the sentence splitter
    "stories": {"language", "quotes", "reader", "render"},
}


def _digest_part(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "digest" else None


@pytest.mark.parametrize("package", sorted(DIGEST_ALLOWED))
def test_digest_subpackages_point_one_way(package: str) -> None:
    allowed = DIGEST_ALLOWED[package] | DIGEST_LEAVES | {package}
    offenders = {
        f"{p.relative_to(ROOT)} → {m}"
        for p in _sources(f"digest/{package}")
        for m in _imports(p)
        if (part := _digest_part(m)) is not None and part not in allowed
    }
    assert offenders == set()


def test_digest_leaves_import_no_subpackage() -> None:
    offenders = {
        f"{leaf} → {m}"
        for leaf in DIGEST_LEAVES
        for m in _imports(ROOT / "digest" / f"{leaf}.py")
        if (part := _digest_part(m)) is not None and part not in DIGEST_LEAVES
    }
    assert offenders == set()
