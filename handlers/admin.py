"""``/stats`` for the bot's operators (ADMIN_IDS): subscribers and today's fan-out.

Anyone else gets a polite refusal and learns nothing about the bot's audience.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import CommandHandler

from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.texts import say
from storage.chats import count_chats
from storage.outbox import DROPPED, FAILED, PENDING, SENT, counts_by_status


def start_of_day(now: datetime, timezone: str) -> datetime:
    """Midnight of ``now``'s day in ``timezone`` (the operators' day, not UTC's).

    >>> from datetime import UTC
    >>> start_of_day(datetime(2026, 1, 2, 23, 30, tzinfo=UTC), "Europe/Kyiv").isoformat()
    '2026-01-03T00:00:00+02:00'
    """
    local = now.astimezone(ZoneInfo(timezone))
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def stats_values(subscribers: dict[str, int], parts: dict[str, int]) -> dict[str, int]:
    """The placeholders of the ``stats`` text, zero where nothing is counted."""
    values = {f"chats_{k}": subscribers.get(k, 0) for k in ("active", "paused", "gone")}
    values.update({f"parts_{s}": parts.get(s, 0) for s in (SENT, PENDING, FAILED, DROPPED)})
    return values


async def stats(update: Update, context: BotContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    found, language = services(context), chat_language(update, context)
    if user is None or user.id not in found.settings.admin_ids:
        await message.reply_text(say("stats_admins_only", language))
        return
    zone = found.settings.default_timezone
    since = start_of_day(found.clock(), zone)
    values = stats_values(count_chats(found.db), counts_by_status(found.db, since=since))
    await message.reply_text(say("stats", language, zone=zone, **values))


def register(app: App) -> None:
    app.add_handler(CommandHandler("stats", stats, filters=COMMAND_UPDATES))
