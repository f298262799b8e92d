"""Dependencies point one way: bot → handlers → services → digest, storage (and i18n), and
cli (the command-line tools) → services, digest, storage, settings.

``digest/`` and ``storage/`` know nothing of Telegram or of the app's settings; ``services/``
knows Telegram's error and value types but none of PTB's update machinery; the network is
reached only from ``digest/reader/fetch.py`` (through an injected client) and ``bot.py``
(which builds that client). No module imports itself through others.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.files import ROOT

HTTP_ALLOWED = {"digest/reader/fetch.py", "bot.py", "bot_api.py"}


@functools.cache
def _nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of the module at ``path``: parsed once per run, though most guards below
    read every module (parsing them over and over was most of this file's time)."""
    return tuple(ast.walk(ast.parse(path.read_text(), filename=str(path))))


def _imports(path: Path) -> Iterator[str]:
    for node in _nodes(path):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _sources(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _top(module: str) -> str:
    return module.split(".")[0]


def _first_party_folders() -> list[str]:
    """The project's packages, tests aside: every top-level folder with an ``__init__.py``,
    and scripts/ (run as files, but importing the packages as any module does)."""
    return sorted({p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"} | {"scripts"})


def _first_party_files() -> list[Path]:
    return sorted(ROOT.glob("*.py"))


def _first_party() -> set[str]:
    return set(_first_party_folders()) | {"tests"} | {p.stem for p in _first_party_files()}


# ``python -m digest`` and ``python -m storage`` are documented commands (README, deploy docs,
# the image's HEALTHCHECK), so each package keeps a ``__main__`` that only starts the command
# in cli/. No module imports a launcher, so its one upward arrow cannot make a cycle.
LAUNCHERS = {"digest/__main__.py": "cli.digest", "storage/__main__.py": "cli.storage"}
# What the lower layers never import: Telegram, the layers above them (the app's settings
# and entry points included), and the benchmarks, scripts and tests built on top of them.
ABOVE_THE_LOWER_LAYERS = {"telegram", "bot", "bot_api", "lifecycle", "settings", "handlers", "services", "cli",
                          "bench", "scripts", "tests"}


def _upward_imports(folder: str) -> set[str]:
    return {
        f"{p.relative_to(ROOT)} → {m}"
        for p in _sources(folder)
        for m in _imports(p)
        if _top(m) in ABOVE_THE_LOWER_LAYERS and LAUNCHERS.get(str(p.relative_to(ROOT))) != m
    }


@pytest.mark.parametrize("folder", ["digest", "storage", "i18n"])
def test_pipeline_storage_and_texts_do_not_import_telegram_or_upper_layers(folder: str) -> None:
    assert _upward_imports(folder) == set()


def test_launchers_only_start_their_command() -> None:
    for launcher, command in LAUNCHERS.items():
        first_party = {m for m in _imports(ROOT / launcher) if _top(m) in _first_party()}
        assert first_party == {command}, launcher
        assert (ROOT / f"{command.replace('.', '/')}.py").is_file()
    importers = {
        f"{p.relative_to(ROOT)} → {module}.{name}"
        for p in _sources(*_first_party_folders(), "tests") + _first_party_files()
        for module, name in _imported_names(p)
        if module.endswith(".__main__") or name == "__main__"
    }
    assert importers == set()


# The command-line tools sit beside bot.py: they read the settings and use the layers below,
# never Telegram or the bot's handlers.
CLI_MAY_IMPORT = {"cli", "digest", "storage", "settings", "services"}


def test_cli_imports_only_settings_and_the_layers_below() -> None:
    assert _sources("cli"), "no cli/ to check"
    offenders = {
        f"{p.relative_to(ROOT)} → {m}"
        for p in _sources("cli")
        for m in _imports(p)
        if (_top(m) in _first_party() and _top(m) not in CLI_MAY_IMPORT) or _top(m) == "telegram"
    }
    assert offenders == set()


def test_only_the_launchers_and_tests_import_cli() -> None:
    importers = {
        f"{p.relative_to(ROOT)} → {m}"
        for p in _sources(*_first_party_folders()) + _first_party_files()
        for m in _imports(p)
        if _top(m) == "cli" and p.relative_to(ROOT).parts[0] != "cli"
        and LAUNCHERS.get(str(p.relative_to(ROOT))) != m
    }
    assert importers == set()


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
    for node in _nodes(path):
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
    code = _sources("digest", "storage", "handlers", "services", "i18n") + [
        ROOT / "bot.py", ROOT / "bot_api.py", ROOT / "settings.py"]
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


# Import cycles in the project's code, function-level imports included (a cycle broken only
# by importing inside a function is still one). Each known one says why it is still there.
KNOWN_CYCLES = {
    # A migration builds item keys with storage.items' one definition of a key (imported in
    # the migration); storage.items takes utc_iso from storage.db, which runs the migrations.
    frozenset({"storage.db", "storage.items", "storage.migrations"}),
}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _import_graph() -> dict[str, set[str]]:
    """Module → the project's modules it imports (``from a import b`` names a.b when b is a
    module, else a)."""
    paths = {_module_name(p): p for p in _sources(*_first_party_folders()) + _first_party_files()}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        targets = {f"{m}.{n}" if f"{m}.{n}" in paths else m for m, n in _imported_names(path)}
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        if (module := todo.pop()) not in seen:
            seen.add(module)
            todo.extend(graph[module])
    return seen


def _cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Each set of modules that import one another, directly or through others."""
    reach = {module: _reachable(graph, module) for module in graph}
    return {frozenset({m} | {n for n in reach[m] if m in reach[n]}) for m in graph if m in reach[m]}


def test_no_import_cycles() -> None:
    assert _cycles(_import_graph()) - KNOWN_CYCLES == set()


def test_every_known_cycle_is_still_there() -> None:
    # One that was removed must leave the list, so that it cannot come back unnoticed.
    assert KNOWN_CYCLES - _cycles(_import_graph()) == set()


def test_a_cycle_holds_its_members_only() -> None:
    # d reaches the cycle but is not on it; e imports itself through f.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": {"e", "d"}}
    assert _cycles(graph) == {frozenset("abc"), frozenset("ef")}

