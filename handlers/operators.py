"""Telling the operators (``ADMIN_IDS``) in Telegram: error reports and alerts.

The decisions (what, and how often) are in :mod:`services.operators`; this module only
finds each operator's language and sends. A failed send is logged and dropped: reporting
trouble must never become trouble of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from telegram.constants import ParseMode
from telegram.error import TelegramError

from handlers.context import BotContext, services
from i18n.texts import say
from services.operators import (
    ErrorReport,
    ErrorReports,
    describe_error,
    operator_alerts,
    operator_language,
)

log = logging.getLogger(__name__)


async def tell_operators(context: BotContext, text_for: Callable[[str], str]) -> int:
    """Send each operator ``text_for(their language)``; returns how many got it."""
    svc = services(context)
    told = 0
    for admin_id in sorted(svc.settings.admin_ids):
        try:
            await context.bot.send_message(admin_id, text_for(operator_language(svc, admin_id)),
                                           parse_mode=ParseMode.HTML)
            told += 1
        except TelegramError as exc:
            log.warning("could not tell operator %s: %s", admin_id, exc)
    return told


async def report_error(context: BotContext, where: Where) -> None:
    """Report ``context.error`` to the operators, if the rate limits admit it."""
    error = context.error
    svc = services(context)
    if error is None or not svc.settings.admin_ids:
        return
    settings = svc.settings
    report = describe_error(error, settings.bot_token, settings.webhook_secret or "")
    held = error_reports(context).admit(report.signature, svc.clock())
    if held is None:
        return
    await tell_operators(context, lambda language: _error_text(report, where, held, language))


@dataclass(frozen=True, slots=True)
class Where:
    """Where an error happened, for operators: ids only, never an update's text (privacy)."""

    update_id: int | None = None  # None: a background job
    chat_id: int | None = None

    def text(self, language: str) -> str:
        if self.update_id is None:
            return say("operator_where_job", language)
        if self.chat_id is None:
            return say("operator_where_update", language, update=self.update_id)
        return say("operator_where_chat", language, update=self.update_id, chat=self.chat_id)


def _error_text(report: ErrorReport, where: Where, held: int, language: str) -> str:
    """The report in the operator's language alone: the message, if kept, is the
    system's own (SQLite, the OS, Telegram), else a note in that language."""
    repeats = say("operator_error_repeats", language, count=held) if held else ""
    message = report.message if report.message is not None else say("operator_error_withheld", language)
    return say("operator_error", language, where=where.text(language), kind=report.kind,
               message=message, trace=report.trace) + repeats


def error_reports(context: BotContext) -> ErrorReports:
    data = context.bot_data
    if data.error_reports is None:
        data.error_reports = ErrorReports()
    return data.error_reports


async def check_alerts(context: BotContext) -> None:
    """A job: new trouble (a feed down for a day, parked digests, a full disk) to operators."""
    svc = services(context)
    if not svc.settings.admin_ids:
        return
    for alert in operator_alerts(svc):
        await tell_operators(context, _alert_text(alert.kind, alert.values))


def _alert_text(kind: str, values: Mapping[str, object]) -> Callable[[str], str]:
    def text(language: str) -> str:
        return say(f"alert_{kind}", language, **values)
    return text
