"""The tick job stops with the bot (a stop signal never waits on a slow feed host), and
runs only in the worker that leads."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from handlers import jobs
from handlers.context import BotData
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


@dataclass
class Lead:
    leading: bool
    asked: int = 0
    shared: bool = True

    def held(self) -> bool:
        self.asked += 1
        return self.leading

    def release(self) -> None:
        pass


async def test_a_worker_that_does_not_lead_skips_the_tick_and_the_alerts() -> None:
    """With several workers, only the scheduler's holder ticks: the others ask for the lock
    (so one takes over when the holder dies) and do nothing else; bot_data has no services
    here, so a tick that ran would fail."""
    data = BotData()
    lead = Lead(leading=False)
    data.leadership = lead
    context: Any = SimpleNamespace(bot_data=data, application=FakeApp())
    await jobs._tick(context)
    await jobs._alerts(context)
    assert lead.asked == 2
    lead.leading = True
    with pytest.raises(AttributeError, match="services"):
        await jobs._tick(context)
