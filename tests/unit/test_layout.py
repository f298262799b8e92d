"""Each test folder holds one kind of test, so that `make test-fast` (tests/unit) runs no
end-to-end bot and no corpus test: a test marked e2e lives in tests/e2e, one marked corpus
in tests/gate, only tests/e2e runs the bot against the fake Bot API server, and no test
module sits outside the four folders."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.files import TESTS

FOLDERS = {"unit", "gate", "e2e", "slow"}
# Where a test with this mark belongs.
HOME = {"e2e": "e2e", "corpus": "gate"}


def _test_modules() -> list[Path]:
    return sorted(TESTS.rglob("test_*.py"))


def _marks(path: Path) -> set[str]:
    """The ``pytest.mark.<name>`` names a module uses (as decorator or ``pytestmark``)."""
    return {
        node.attr
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
        and node.value.attr == "mark"
    }


def _imported_names(path: Path) -> set[str]:
    """``module.name`` for each ``from module import name`` of the module at ``path``."""
    return {
        f"{node.module}.{alias.name}"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def test_every_test_module_is_in_one_of_the_kind_folders() -> None:
    assert {str(p.relative_to(TESTS)) for p in _test_modules()
            if p.relative_to(TESTS).parts[0] not in FOLDERS} == set()


def test_e2e_and_corpus_tests_are_in_their_folders() -> None:
    misplaced = {
        f"{path.relative_to(TESTS)}: {mark}"
        for path in _test_modules()
        for mark in _marks(path) & HOME.keys()
        if path.relative_to(TESTS).parts[0] != HOME[mark]
    }
    assert misplaced == set()


def test_only_end_to_end_tests_run_the_bot_against_the_fake_server() -> None:
    runners = {str(p.relative_to(TESTS)) for p in _test_modules()
               if "tests.botproc.running_bot" in _imported_names(p) and p.parent.name != "e2e"}
    assert runners == set()


def _test_modules_imported(source: str) -> set[str]:
    """The test modules (``test_*``) that ``source`` imports from or imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        else:
            continue
        found |= {m for m in modules if m.startswith("tests.") and m.split(".")[-1].startswith("test_")}
    return found


def test_no_test_module_imports_another() -> None:
    # Shared code lives in the helpers of tests/ (a test module is collected, not imported).
    importers = {f"{p.relative_to(TESTS)} → {m}" for p in _test_modules()
                 for m in _test_modules_imported(p.read_text())}
    assert importers == set()


def test_the_guards_see_marks_and_imports() -> None:
    # They would pass vacuously if they could not read a module's marks or imports.
    e2e = TESTS / "e2e" / "test_e2e_opml_import.py"
    assert "e2e" in _marks(e2e) and "tests.botproc.running_bot" in _imported_names(e2e)
    assert "corpus" in _marks(TESTS / "gate" / "test_digest_gate.py")
    assert _test_modules_imported("from tests.test_storage_cli import run_cli\n"
                                  "from tests.unit import test_scheduler\n"
                                  "from tests.storage_cli import run_cli") == {
        "tests.test_storage_cli", "tests.unit.test_scheduler"}
