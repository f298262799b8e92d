"""``/stats`` for the bot's operators (ADMIN_IDS): subscribers and today's fan-out.

Anyone else gets a polite refusal and learns nothing about the bot's audience.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.texts import say
from services.operators import stats_values


async def stats(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    found, language = services(context), chat_language(update, context)
    if user is None or user.id not in found.settings.admin_ids:
        await message.reply_text(say("stats_admins_only", language))
        return
    zone = found.settings.default_timezone
    await message.reply_text(say("stats", language, zone=zone, **stats_values(found)))


def register(app: App) -> None:
    app.add_handler(CommandHandler("stats", stats, filters=COMMAND_UPDATES))
