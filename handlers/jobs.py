"""Job registration: the recurring tick and the outbox sender, on PTB's JobQueue.

The work itself is in the service layer (:mod:`services.tick`, :mod:`services.delivery`);
this module only schedules it and hands it the bot's services.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Protocol

from handlers.context import App, BotContext, services
from handlers.operators import check_alerts
from services.delivery import OutboxSender, options_from_settings
from services.tick import tick

#: Seconds between looks for operator alerts.
ALERT_SECONDS = 300.0
#: The first look, soon after start: trouble from before a restart is news to operators too.
ALERT_FIRST_SECONDS = 5.0
#: How often a running tick looks whether the bot is stopping.
STOP_CHECK_SECONDS = 0.2

log = logging.getLogger(__name__)


def register(app: App) -> None:
    """Run the tick every ``tick_seconds`` and start the sender once the application runs."""
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    interval = app.bot_data.scheduler.tick_seconds
    app.job_queue.run_repeating(_tick, interval=interval, first=1.0, name="tick")
    app.job_queue.run_once(_start_sender, when=0, name="outbox-sender")
    # Operator alerts look at state that changes slowly (a feed down for a day, a disk
    # filling): every few minutes is plenty, and each alert is sent once anyway.
    app.job_queue.run_repeating(_alerts, interval=ALERT_SECONDS, first=ALERT_FIRST_SECONDS,
                                name="operator-alerts")


async def leading(context: BotContext) -> bool:
    """Whether this process runs the scheduler's jobs now: always, alone on its database;
    with several workers on PostgreSQL, only the holder of the scheduler lock (asking may
    take it, so another worker takes over at its next tick when the holder dies)."""
    return await asyncio.to_thread(context.bot_data.leadership.held)


async def _tick(context: BotContext) -> None:
    """Errors reach the application's error handler; the next tick starts afresh."""
    if await leading(context):
        await run_until_stopped(context.application,
                                tick(services(context), context.bot_data.scheduler))


async def _alerts(context: BotContext) -> None:
    if await leading(context):  # one worker tells operators, not each of them
        await check_alerts(context)


class _Running(Protocol):
    @property
    def running(self) -> bool: ...


async def run_until_stopped(app: _Running, work: Awaitable[None]) -> None:
    """Await ``work``, cancelling it as soon as the application stops running.

    PTB's stop waits for running jobs, and a tick can be waiting on feed fetches to hosts
    that time out only after seconds; a stop signal should not wait for them. Cancelling is
    safe: every database write is synchronous between awaits (a fetched feed is stored, or
    not at all), the CPU pool only computes, and the next start polls again."""
    task = asyncio.ensure_future(work)
    while not task.done():
        await asyncio.wait({task}, timeout=STOP_CHECK_SECONDS)
        if not task.done() and not app.running:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            log.info("tick cut short: the bot is stopping")
            return
    task.result()  # its error, if any, goes to the application's error handler


async def _start_sender(context: BotContext) -> None:
    app, data = context.application, context.bot_data
    found = services(context)
    options = data.delivery or options_from_settings(found.settings)
    data.sender = OutboxSender(app.bot, found.db, options, clock=found.clock)
    # create_task: PTB awaits it in Application.stop(), after ``running`` turns False.
    app.create_task(data.sender.run(lambda: app.running), name="outbox-sender")
