"""The examples in the fake server's docstrings run and stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "html_check",
    "errors",
    "params",
    "limits",
    "faults",
    "markup",
    "http_body",
    "entities",
    "client",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"tests.fakebot.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
