"""The tick job stops with the bot: a stop signal never waits on a slow feed host."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from handlers.jobs import run_until_stopped


@dataclass
class FakeApp:
    running: bool = True


async def test_a_tick_in_flight_is_cut_short_when_the_bot_stops() -> None:
    app, finished = FakeApp(), []

    async def slow_tick() -> None:
        await asyncio.sleep(30)  # a fetch to a host that answers only after a timeout
        finished.append(True)

    job = asyncio.create_task(run_until_stopped(app, slow_tick()))
    await asyncio.sleep(0.05)
    app.running = False
    await asyncio.wait_for(job, timeout=5)  # not the tick's 30 s
    assert not finished


async def test_a_tick_that_ends_on_its_own_is_awaited_and_its_error_kept() -> None:
    async def failing_tick() -> None:
        await asyncio.sleep(0.01)
        raise RuntimeError("feed store failed")

    with pytest.raises(RuntimeError, match="feed store failed"):
        await run_until_stopped(FakeApp(), failing_tick())
