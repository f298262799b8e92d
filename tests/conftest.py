"""Shared fixtures: the local Telegram Bot API server and the local page server."""

from __future__ import annotations

import os

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
    pytest_collection_modifyitems,
    pytest_terminal_summary,
)
