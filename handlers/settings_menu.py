"""/settings, /time and /timezone: when the digest arrives, in the chat's own timezone."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import (
    ChatContext,
    answer_in_chat,
    command_text,
    in_chat,
    redraw,
    schedule_values,
)
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import echo
from i18n.locale import DEFAULT_LANGUAGE
from i18n.texts import say
from services import chats

COMMON_TIMES = ("06:00", "07:00", "08:00", "09:00", "12:00", "18:00", "21:00")
COMMON_ZONES = (
    "Europe/Kyiv", "Europe/London", "Europe/Berlin", "Europe/Warsaw", "America/New_York", "UTC",
)


def settings_keyboard(current_time: str, current_zone: str,
                      language: str = DEFAULT_LANGUAGE) -> InlineKeyboardMarkup:
    """Buttons for common times and zones; the current choice is ticked."""

    def mark(value: str, current: str) -> str:
        return f"✓ {value}" if value == current else value

    times = [InlineKeyboardButton(mark(t, current_time), callback_data=f"set:time:{t}") for t in COMMON_TIMES]
    zones = [InlineKeyboardButton(mark(z, current_zone), callback_data=f"set:tz:{z}") for z in COMMON_ZONES]
    return InlineKeyboardMarkup(
        [
            times[:4],
            times[4:] + [InlineKeyboardButton(say("button_other_time", language),
                                              callback_data="set:other-time")],
            zones[:2], zones[2:4], zones[4:],
            [InlineKeyboardButton(say("button_other_timezone", language),
                                  callback_data="set:other-tz")],
            [InlineKeyboardButton(say("button_presets", language), callback_data="fol:menu"),
             InlineKeyboardButton(say("button_alerts", language), callback_data="alr:menu")],
        ]
    )


@in_chat(admins_only=True)
async def show_settings(update: Update, context: BotContext, here: ChatContext) -> None:
    """The user sees the current time and zone with buttons to change them."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    values = schedule_values(here.chat)
    keyboard = settings_keyboard(values["at"], values["zone"], here.language)
    await answer_in_chat(update, context, say("settings", here.language, **values), reply_markup=keyboard)


@in_chat(admins_only=True)
async def settings_button(update: Update, context: BotContext, here: ChatContext) -> None:
    """A pressed time or zone is saved and the menu redrawn; "Other…" explains the command.

    Button data never names a chat: the press acts on the chat the menu is shown in, so a
    forged press cannot reach another chat.
    """
    query = update.callback_query
    assert query is not None and query.data is not None
    _, what, *rest = query.data.split(":", 2)
    language = here.language
    if what in ("other-time", "other-tz"):
        await query.answer()
        key = "other_time" if what == "other-time" else "other_timezone"
        await answer_in_chat(update, context, say(key, language))
        return
    change = chats.set_time if what == "time" else chats.set_timezone
    try:
        chat = change(services(context), here.chat, rest[0])
    except (ValueError, IndexError):
        await query.answer()
        return
    await query.answer()  # the redrawn menu, with the new choice ticked, is the feedback
    values = schedule_values(chat)
    # Through the tolerant redraw: pressing the choice already ticked changes nothing, and
    # Telegram's "message is not modified" is no error.
    await redraw(query, say("settings", language, **values),
                 settings_keyboard(values["at"], values["zone"], language))


@in_chat(admins_only=True)
async def set_time(update: Update, context: BotContext, here: ChatContext) -> None:
    """``/time 07:30`` moves the delivery; anything else gets the accepted form, no change."""
    await _set_from_command(update, context, here, "time")


@in_chat(admins_only=True)
async def set_timezone(update: Update, context: BotContext, here: ChatContext) -> None:
    """``/timezone Europe/Kyiv`` changes the zone; an unknown name gets examples, no change."""
    await _set_from_command(update, context, here, "timezone")


async def _set_from_command(update: Update, context: BotContext, here: ChatContext, what: str) -> None:
    message = update.effective_message
    assert message is not None
    language, raw = here.language, command_text(context)
    change = chats.set_time if what == "time" else chats.set_timezone
    try:
        chat = change(services(context), here.chat, raw)
    except ValueError:
        bad_key = "bad_time" if what == "time" else "bad_timezone"
        await message.reply_html(say(bad_key, language, raw=echo(raw, language)))
        return
    ok_key = "time_set" if what == "time" else "timezone_set"
    await message.reply_html(say(ok_key, language, **schedule_values(chat)))


def register(app: App) -> None:
    app.add_handler(CommandHandler("settings", show_settings, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("time", set_time, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("timezone", set_timezone, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(show_settings, pattern=r"^settings$"))
    app.add_handler(CallbackQueryHandler(settings_button, pattern=r"^set:"))
