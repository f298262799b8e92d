"""/alerts on|off, /quiet, and the breaking-alerts keyboard of /settings (threshold, daily cap)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import ChatContext, answer_in_chat, command_text, in_chat, redraw
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import echo
from i18n.locale import plural
from i18n.texts import say
from services import alert_settings
from storage.breaking import AlertSettings

OUTLET_CHOICES = (3, 4, 6, 8)
CAP_CHOICES = (1, 3, 5, 10)


def alerts_text(settings: AlertSettings, hours: float, language: str) -> str:
    state = say("alerts_state_on" if settings.enabled else "alerts_state_off", language)
    quiet = settings.quiet if settings.quiet_window() else say("quiet_any_time", language)
    return say("alerts_menu", language, state=state, outlets=plural("outlets", settings.outlets, language),
               hours=f"{hours:g}", cap=settings.cap, quiet=quiet)


def alerts_keyboard(settings: AlertSettings, language: str) -> InlineKeyboardMarkup:
    def tick(value: int, current: int, label: str) -> str:
        return f"✓ {label}" if value == current else label

    switch = ("button_alerts_off", "alr:off") if settings.enabled else ("button_alerts_on", "alr:on")
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(say(switch[0], language), callback_data=switch[1])],
        [InlineKeyboardButton(tick(n, settings.outlets, plural("outlets", n, language)),
                              callback_data=f"alr:n:{n}") for n in OUTLET_CHOICES],
        [InlineKeyboardButton(tick(n, settings.cap, say("button_cap", language, count=n)),
                              callback_data=f"alr:cap:{n}") for n in CAP_CHOICES],
        [InlineKeyboardButton(say("button_back", language), callback_data="settings")],
    ])


def _hours(context: BotContext) -> float:
    return context.bot_data.scheduler.alerts.hours


@in_chat(admins_only=True)
async def alerts_command(update: Update, context: BotContext, here: ChatContext) -> None:
    """``/alerts on`` or ``/alerts off``; alone, the menu."""
    svc, arg, language = services(context), command_text(context).lower(), here.language
    if arg in ("on", "off"):
        settings = alert_settings.switch(svc, here.chat.id, arg == "on")
    elif arg:
        await answer_in_chat(update, context, say("alerts_usage", language))
        return
    else:
        settings = alert_settings.current(svc, here.chat.id)
    await answer_in_chat(update, context, alerts_text(settings, _hours(context), language),
                         reply_markup=alerts_keyboard(settings, language))


@in_chat(admins_only=True)
async def alerts_button(update: Update, context: BotContext, here: ChatContext) -> None:
    """A pressed switch, threshold or cap is saved and the menu redrawn (``alr:menu`` only
    draws it)."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc, chat_id = services(context), here.chat.id
    _, what, *value = query.data.split(":")
    number = int(value[0]) if value and value[0].isdigit() else None
    if what in ("on", "off"):
        settings = alert_settings.switch(svc, chat_id, what == "on")
    elif what == "n" and number in OUTLET_CHOICES:
        settings = alert_settings.set_outlets(svc, chat_id, number)
    elif what == "cap" and number in CAP_CHOICES:
        settings = alert_settings.set_cap(svc, chat_id, number)
    else:
        settings = alert_settings.current(svc, chat_id)
    await query.answer()
    await redraw(query, alerts_text(settings, _hours(context), here.language),
                 alerts_keyboard(settings, here.language))


@in_chat(admins_only=True)
async def quiet(update: Update, context: BotContext, here: ChatContext) -> None:
    """``/quiet 23:00-07:00`` (local time) or ``/quiet off``."""
    message = update.effective_message
    assert message is not None
    language, raw = here.language, command_text(context)
    try:
        window = alert_settings.set_quiet(services(context), here.chat.id, raw)
    except ValueError:
        await message.reply_html(say("bad_quiet", language, raw=echo(raw, language)))
        return
    zone = here.chat.timezone
    if window.off:
        await message.reply_html(say("quiet_off_set", language))
    elif window.all_day:
        await message.reply_html(say("quiet_all_day", language, zone=zone))
    else:
        await message.reply_html(say("quiet_set", language, quiet=window.text, zone=zone))


def register(app: App) -> None:
    app.add_handler(CommandHandler("alerts", alerts_command, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("quiet", quiet, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(alerts_button, pattern=r"^alr:"))
