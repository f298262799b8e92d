"""The repository holds source only: no virtualenv, database, cache or bytecode is tracked.

A tracked `.venv/` once made `.git` 65 MB and carried stamp files that told `make` the
dependencies were installed on machines where they were not.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.files import ROOT

# Each pattern names a kind of generated file and why it must not be tracked.
_FORBIDDEN = {
    "virtualenv": re.compile(r"(^|/)(\.?venv|env|virtualenv)/|(^|/)pyvenv\.cfg$"),
    "database": re.compile(r"\.(db|sqlite3?|db-wal|db-shm)$"),
    "cache": re.compile(
        r"(^|/)(__pycache__|\.pytest_cache|\.hypothesis|\.mypy_cache|\.ruff_cache)/|\.py[co]$"
    ),
    "environment file": re.compile(r"(^|/)\.env$"),
}


def tracked_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [p for p in out.split("\0") if p]


def offending(paths: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        for kind, pattern in _FORBIDDEN.items():
            if pattern.search(path):
                found.setdefault(kind, []).append(path)
    return found


def test_patterns_catch_each_kind() -> None:
    sample = [".venv/bin/python", "data/bot.db", "x/__pycache__/a.pyc", ".env", "bot.py"]
    assert set(offending(sample)) == {"virtualenv", "database", "cache", "environment file"}
    assert offending([".env.example", "digest/env_tools.py", "README.md"]) == {}


def test_git_tracks_no_generated_files() -> None:
    found = offending(tracked_files())
    summary = {kind: paths[:5] for kind, paths in found.items()}
    assert not found, f"generated files are tracked: {summary}"
