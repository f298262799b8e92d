"""Subscribing, leaving, pausing, and asking where things stand."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import ChatContext, answer_in_chat, in_chat, schedule_values, topic_of
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.keyboards import first_digest_keyboard
from i18n.locale import plural, topic_label
from i18n.texts import say
from services import alert_settings, chats, follows
from storage.chats import SubscribeResult
from storage.follows import FOLLOW, MUTE


@in_chat(admins_only=True)
async def subscribe(update: Update, context: BotContext, here: ChatContext) -> None:
    """The chat gets the daily digest; the user sees when the next one arrives.

    Subscribing again changes nothing and says so; in a forum the topic is remembered.
    """
    if update.callback_query is not None:
        await update.callback_query.answer()
    result, current = chats.subscribe(services(context), here.chat, topic_of(update))
    key = {"new": "subscribed", "already": "already_subscribed", "resumed": "resumed"}[result]
    language = here.language
    text = say(key, language, **schedule_values(here.chat, current.next_digest_at, language))
    if result is SubscribeResult.NEW:
        await answer_in_chat(update, context, text, reply_markup=first_digest_keyboard(language))
    else:
        await answer_in_chat(update, context, text)


@in_chat(admins_only=True)
async def unsubscribe(update: Update, context: BotContext, here: ChatContext) -> None:
    """The user is asked to confirm with two buttons before the digest stops."""
    language = here.language
    if chats.subscription(services(context), here.chat.id) is None:
        await answer_in_chat(update, context, say("not_subscribed", language))
        return
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(say("button_unsubscribe_yes", language), callback_data="unsub:yes"),
        InlineKeyboardButton(say("button_unsubscribe_no", language), callback_data="unsub:no"),
    ]])
    await answer_in_chat(update, context, say("confirm_unsubscribe", language), reply_markup=keyboard)


@in_chat(admins_only=True)
async def confirm_unsubscribe(update: Update, context: BotContext, here: ChatContext) -> None:
    """Pressing Yes stops the digest (settings kept); No leaves everything as it was."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.data == "unsub:yes":
        stopped = chats.unsubscribe(services(context), here.chat.id)
        text = say("unsubscribed" if stopped else "not_subscribed", here.language)
    else:
        text = say("unsubscribe_kept", here.language)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


@in_chat(admins_only=True)
async def pause(update: Update, context: BotContext, here: ChatContext) -> None:
    """The digest stops arriving until /resume; nothing else changes."""
    outcome = chats.pause(services(context), here.chat.id)
    await answer_in_chat(update, context, say(outcome.value, here.language))


#: A paused digest starts again from the next delivery time (same as /subscribe).
resume = subscribe


@in_chat()
async def status(update: Update, context: BotContext, here: ChatContext) -> None:
    """The user sees whether the chat is subscribed, its time and zone, and the next delivery."""
    chat, language = here.chat, here.language
    current = chats.subscription(services(context), chat.id)
    if current is None:
        text = say("status_none", language, **schedule_values(chat))
    elif current.state == "paused":
        text = say("status_paused", language, **schedule_values(chat))
    else:
        text = say("status_active", language,
                   **schedule_values(chat, current.next_digest_at, language))
    await answer_in_chat(update, context, text + _follows_and_alerts(context, chat.id, language))


def _follows_and_alerts(context: BotContext, chat_id: int, language: str) -> str:
    """The lines /status adds: what the chat follows and mutes, and its alert settings."""
    svc = services(context)
    rows = follows.chat_follows(svc, chat_id)
    lines = [say(f"status_{mode}", language,
                 topics=", ".join(topic_label(r.key, r.label, language) for r in rows if r.mode == mode))
             for mode in (FOLLOW, MUTE) if any(r.mode == mode for r in rows)]
    alerts = alert_settings.current(svc, chat_id)
    if alerts.enabled:
        quiet = alerts.quiet if alerts.quiet_window() else say("quiet_any_time", language)
        outlets = plural("from_outlets", alerts.outlets, language)
        lines.append(say("status_alerts", language, outlets=outlets, cap=alerts.cap, quiet=quiet))
    return "".join(f"\n{line}" for line in lines)


def register(app: App) -> None:
    for name, callback in (
        ("subscribe", subscribe), ("unsubscribe", unsubscribe), ("pause", pause),
        ("resume", resume), ("status", status),
    ):
        app.add_handler(CommandHandler(name, callback, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(subscribe, pattern=r"^subscribe$"))
    app.add_handler(CallbackQueryHandler(confirm_unsubscribe, pattern=r"^unsub:(yes|no)$"))
