"""Subscribing, leaving, pausing, and asking where things stand."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import (
    answer_in_chat,
    next_digest_at,
    refuse_non_admin,
    remember_chat,
    schedule_values,
    topic_of,
)
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from handlers.keyboards import first_digest_keyboard
from i18n.locale import plural, topic_label
from i18n.texts import say
from storage import breaking, chats, follows
from storage.chats import SubscribeResult


async def subscribe(update: Update, context: BotContext) -> None:
    """The chat gets the daily digest; the user sees when the next one arrives.

    Subscribing again changes nothing and says so; in a forum the topic is remembered.
    """
    if update.callback_query is not None:
        await update.callback_query.answer()
    if await refuse_non_admin(update, context):
        return
    chat = remember_chat(update, context)
    db = services(context).db
    when = next_digest_at(chat, context)
    result = chats.subscribe(db, chat.id, next_digest_at=when)
    if result is not SubscribeResult.ALREADY:
        chats.set_topic(db, chat.id, topic_of(update))
    current = chats.get_subscription(db, chat.id)
    assert current is not None
    key = {"new": "subscribed", "already": "already_subscribed", "resumed": "resumed"}[result]
    language = chat_language(update, context)
    text = say(key, language, **schedule_values(chat, current.next_digest_at, language))
    if result is SubscribeResult.NEW:
        await answer_in_chat(update, context, text, reply_markup=first_digest_keyboard(language))
    else:
        await answer_in_chat(update, context, text)


async def unsubscribe(update: Update, context: BotContext) -> None:
    """The user is asked to confirm with two buttons before the digest stops."""
    if await refuse_non_admin(update, context):
        return
    chat = remember_chat(update, context)
    language = chat_language(update, context)
    if chats.get_subscription(services(context).db, chat.id) is None:
        await answer_in_chat(update, context, say("not_subscribed", language))
        return
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(say("button_unsubscribe_yes", language), callback_data="unsub:yes"),
        InlineKeyboardButton(say("button_unsubscribe_no", language), callback_data="unsub:no"),
    ]])
    await answer_in_chat(update, context, say("confirm_unsubscribe", language), reply_markup=keyboard)


async def confirm_unsubscribe(update: Update, context: BotContext) -> None:
    """Pressing Yes stops the digest (settings kept); No leaves everything as it was."""
    query = update.callback_query
    assert query is not None and update.effective_chat is not None
    if await refuse_non_admin(update, context):
        return
    await query.answer()
    language = chat_language(update, context)
    if query.data == "unsub:yes":
        stopped = chats.unsubscribe(services(context).db, update.effective_chat.id)
        text = say("unsubscribed" if stopped else "not_subscribed", language)
    else:
        text = say("unsubscribe_kept", language)
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def pause(update: Update, context: BotContext) -> None:
    """The digest stops arriving until /resume; nothing else changes."""
    if await refuse_non_admin(update, context):
        return
    chat = remember_chat(update, context)
    language = chat_language(update, context)
    current = chats.get_subscription(services(context).db, chat.id)
    if current is None:
        await answer_in_chat(update, context, say("not_subscribed", language))
    elif current.state == "paused":
        await answer_in_chat(update, context, say("already_paused", language))
    else:
        chats.set_paused(services(context).db, chat.id, True, next_digest_at=current.next_digest_at)
        await answer_in_chat(update, context, say("paused", language))


async def resume(update: Update, context: BotContext) -> None:
    """A paused digest starts again from the next delivery time (same as /subscribe)."""
    await subscribe(update, context)


async def status(update: Update, context: BotContext) -> None:
    """The user sees whether the chat is subscribed, its time and zone, and the next delivery."""
    chat = remember_chat(update, context)
    language = chat_language(update, context)
    current = chats.get_subscription(services(context).db, chat.id)
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
    db = services(context).db
    rows = follows.chat_follows(db, chat_id)
    lines = [say(f"status_{mode}", language,
                 topics=", ".join(topic_label(r.key, r.label, language) for r in rows if r.mode == mode))
             for mode in (follows.FOLLOW, follows.MUTE) if any(r.mode == mode for r in rows)]
    alerts = breaking.alert_settings(db, chat_id)
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
