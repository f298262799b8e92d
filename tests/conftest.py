"""Shared fixtures: the local Telegram Bot API server and the local page server."""

from __future__ import annotations

import os

import pytest

# PTB 22 warns (an error here) on every 429 unless it may hand out retry_after as a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")
# The e5 encoder's OpenMP threads otherwise spin while they wait for work; with the test
# workers (and other jobs) on every core, the spinning starves the thread that computes:
# three short texts took 5.1 s instead of 0.27 s on the 2-core test machine under load.
# Set before the engine's library loads; inherited by the bots and tools tests start.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from tests.e2e_world import world  # noqa: E402, F401
from tests.fakebot.fixtures import fake_telegram, fake_telegram_factory  # noqa: E402, F401
from tests.pageserver import http_client, page_server  # noqa: E402, F401
from tests.postgres import (  # noqa: E402, F401
    db,
    db_target,
    engine,
    new_db_target,
    postgres_server,
    pytest_terminal_summary,
)
from tests.postgres import pytest_collection_modifyitems as _postgres_collection  # noqa: E402

# Under `--dist loadfile` a worker takes the next test file in collection order. The files
# that take longest (the quality gates, the end-to-end bot runs, the tests that start a
# process) go first, and the many short unit files fill in around them at the end, instead
# of one worker running a long file alone while the other has nothing left.
_LONGEST_FIRST = ("gate", "e2e", "slow", "unit")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _postgres_collection(config, items)
    items.sort(key=_folder_rank)  # stable: a file's tests keep their order


def _folder_rank(item: pytest.Item) -> int:
    folder = item.path.parent.name
    return _LONGEST_FIRST.index(folder) if folder in _LONGEST_FIRST else len(_LONGEST_FIRST)
