"""Job registration: the recurring tick and the outbox sender, on PTB's JobQueue.

The work itself is in the service layer (:mod:`services.tick`, :mod:`services.delivery`);
this module only schedules it and hands it the bot's services.
"""

from __future__ import annotations

from handlers.context import App, BotContext, services
from handlers.operators import check_alerts
from services.delivery import OutboxSender, options_from_settings
from services.tick import tick

#: Seconds between looks for operator alerts.
ALERT_SECONDS = 300.0
#: The first look, soon after start: trouble from before a restart is news to operators too.
ALERT_FIRST_SECONDS = 5.0


def register(app: App) -> None:
    """Run the tick every ``tick_seconds`` and start the sender once the application runs."""
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    interval = app.bot_data.scheduler.tick_seconds
    app.job_queue.run_repeating(_tick, interval=interval, first=1.0, name="tick")
    app.job_queue.run_once(_start_sender, when=0, name="outbox-sender")
    # Operator alerts look at state that changes slowly (a feed down for a day, a disk
    # filling): every few minutes is plenty, and each alert is sent once anyway.
    app.job_queue.run_repeating(check_alerts, interval=ALERT_SECONDS, first=ALERT_FIRST_SECONDS,
                                name="operator-alerts")


async def _tick(context: BotContext) -> None:
    """Errors reach the application's error handler; the next tick starts afresh."""
    await tick(services(context), context.bot_data.scheduler)


async def _start_sender(context: BotContext) -> None:
    app, data = context.application, context.bot_data
    found = services(context)
    options = data.delivery or options_from_settings(found.settings)
    data.sender = OutboxSender(app.bot, found.db, options, clock=found.clock)
    # create_task: PTB awaits it in Application.stop(), after ``running`` turns False.
    app.create_task(data.sender.run(lambda: app.running), name="outbox-sender")
