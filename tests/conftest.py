"""Shared fixtures: the local Telegram Bot API server and the local page server."""

from __future__ import annotations

import os

# PTB 22 warns (an error here) on every 429 unless it may hand out retry_after as a timedelta.
os.environ.setdefault("PTB_TIMEDELTA", "1")

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
