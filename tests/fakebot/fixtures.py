"""Pytest fixtures: a started :class:`FakeTelegramServer` per test, stopped afterwards.

Expose them from ``tests/conftest.py`` with
``from tests.fakebot.fixtures import fake_telegram, fake_telegram_factory  # noqa: F401``.
For custom options, use the factory:
``server = fake_telegram_factory(ServerOptions(limits=RateLimits.telegram()))``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.fakebot.server import FakeTelegramServer, ServerOptions

ServerFactory = Callable[..., FakeTelegramServer]


@pytest.fixture
def fake_telegram_factory() -> Iterator[ServerFactory]:
    """Start servers with any :class:`ServerOptions`; all are stopped at teardown."""
    started: list[FakeTelegramServer] = []

    def start(options: ServerOptions | None = None) -> FakeTelegramServer:
        server = FakeTelegramServer(options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def fake_telegram(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    """A started server with default options (no rate limits, token ``123456:TEST-TOKEN``)."""
    return fake_telegram_factory()
