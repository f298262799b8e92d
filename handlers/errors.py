"""The last line of defence: log every unhandled error, then tell the user briefly."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from handlers.context import BotContext
from handlers.i18n import chat_language
from handlers.operators import Where, report_error
from i18n.texts import say

log = logging.getLogger(__name__)


def _where(update: object) -> Where:
    """Where it happened, for operators: ids, never the update's text (privacy)."""
    if not isinstance(update, Update):
        return Where()
    chat = update.effective_chat
    return Where(update.update_id, chat.id if chat is not None else None)


async def on_error(update: object, context: BotContext) -> None:
    """Log the exception with its update first; then report it to the operators (rate
    limited, secrets blanked, see handlers.operators); then, if a person is waiting, say
    sorry (users never see the traceback).

    The apology is best-effort: if Telegram refuses it too (the chat is gone), that is
    logged and dropped rather than raised again.
    """
    log.error("unhandled error while handling an update", exc_info=context.error)
    await report_error(context, _where(update))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        apology = say("internal_error", chat_language(update, context))
        await context.bot.send_message(update.effective_chat.id, apology)
    except TelegramError as exc:
        log.warning("could not tell chat %s about the error: %s", update.effective_chat.id, exc)
