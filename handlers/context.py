"""Typed PTB wiring: what ``bot.py`` puts in ``bot_data``, the context handlers get, the app type.

PTB creates ``bot_data`` itself, calling the class with no arguments, so :class:`BotData`
starts with its defaults and ``bot.py`` sets the rest before the application starts.
Attributes instead of string keys: a misspelt key is a type error, not a ``KeyError`` in
production.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from services.context import Services
from services.delivery import DeliveryOptions, OutboxSender
from services.gate import GateArgs
from services.leadership import Leadership, SoleWorker
from services.limits import IMPORT_BUDGET, LinkLimits
from services.operators import ErrorReports
from services.options import SchedulerOptions


class BotData:
    """The long-lived objects of one running bot."""

    services: Services  # set by bot.py (or a test) before the application starts

    def __init__(self) -> None:
        self.scheduler = SchedulerOptions()
        self.delivery: DeliveryOptions | None = None  # None: built from settings
        self.limits = LinkLimits()
        self.imports = LinkLimits(IMPORT_BUDGET)  # /importsources per user
        self.sender: OutboxSender | None = None  # set once the sender runs
        self.error_reports: ErrorReports | None = None  # created with the first error
        # Whether this process runs the scheduler and polls updates (several workers on
        # PostgreSQL: only one does); bot.py sets the database's own.
        self.leadership: Leadership = SoleWorker()


Bot: TypeAlias = ExtBot[GateArgs]
BotContext: TypeAlias = CallbackContext[Bot, dict[Any, Any], dict[Any, Any], BotData]
# PTB's builder types its default JobQueue for the default context; jobs get ours at run time.
App: TypeAlias = Application[
    Bot, BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]
]
CONTEXT_TYPES: ContextTypes[BotContext, dict[Any, Any], dict[Any, Any], BotData] = ContextTypes(
    bot_data=BotData
)


def services(context: BotContext) -> Services:
    """The services of the bot ``context`` belongs to."""
    return context.bot_data.services
