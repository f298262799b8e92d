"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.botproc import BotProcess, running_bot
from tests.fakebot import FakeTelegramServer


@pytest.fixture
def bot(fake_telegram: FakeTelegramServer, tmp_path: Path) -> Iterator[BotProcess]:
    """The real bot.py against the local Bot API server, with defaults (a test module that
    needs another set-up defines its own ``bot``)."""
    with running_bot(fake_telegram, tmp_path) as process:
        yield process
