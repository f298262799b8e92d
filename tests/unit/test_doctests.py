"""The examples in docstrings are tests too: every module's doctests must pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

from tests.files import ROOT

MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for folder in ("cli", "digest", "storage", "handlers", "services", "i18n")
    for path in (ROOT / folder).rglob("*.py")
    if path.name != "__main__.py"
) + ["settings"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
