"""Small pieces every handler shares: who may change a chat, and how times are shown."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, ChatMember, InlineKeyboardMarkup, Update
from telegram import Chat as TelegramChat
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from digest.schedule import next_delivery
from handlers.context import BotContext, services
from handlers.i18n import chat_language, seen_language
from i18n.locale import DEFAULT_LANGUAGE, format_local
from i18n.texts import say
from storage.chats import Chat, NewChat, ensure_chat

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


def remember_chat(update: Update, context: BotContext) -> Chat:
    """Make sure the chat of ``update`` has a row (default settings on first sight); a
    private chat also gets its user's app language unless it already has one."""
    chat = update.effective_chat
    assert chat is not None
    title = chat.title or chat.full_name or chat.username
    seen = NewChat(type=chat.type, title=title, language=seen_language(update))
    return ensure_chat(services(context).db, chat.id, seen, services(context).chat_defaults)


async def may_manage_chat(update: Update, context: BotContext) -> bool:
    """True when the sender may change this chat's subscription and settings.

    Private chats belong to their user (and only to them: a press that claims to come from
    someone else is refused); in a channel only administrators can post at all;
    in a group the sender must be an administrator (an anonymous admin posts as the group
    itself). Telegram is asked each time, so a demoted admin loses the right at once.
    """
    chat, message = update.effective_chat, update.effective_message
    if chat is None:
        return False
    if chat.type == TelegramChat.PRIVATE:
        return update.effective_user is None or update.effective_user.id == chat.id
    if chat.type == TelegramChat.CHANNEL:
        return True
    if message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("getChatMember failed for chat %s: %s", chat.id, exc)
        return False
    return member.status in ADMIN_STATUSES


async def refuse_non_admin(update: Update, context: BotContext) -> bool:
    """Reply with a polite refusal and return True when the sender may not manage the chat."""
    if await may_manage_chat(update, context):
        return False
    refusal = say("admins_only", chat_language(update, context))
    if update.callback_query is not None:
        await update.callback_query.answer(refusal, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(refusal)
    return True


def next_digest_at(chat: Chat, context: BotContext) -> datetime:
    return next_delivery(chat.delivery_time, chat.timezone, services(context).clock())


def schedule_values(chat: Chat, when: datetime | None = None,
                    language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """The placeholders most messages about a subscription use (dates in ``language``)."""
    values: dict[str, Any] = {"at": chat.delivery_time.strftime("%H:%M"), "zone": chat.timezone}
    if when is not None:
        values["next"] = format_local(when, chat.timezone, language)
    return values


def topic_of(update: Update) -> int | None:
    """The forum topic a message came from, or None outside forum topics."""
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None


async def answer_in_chat(update: Update, context: BotContext, text: str,
                         **kwargs: Any) -> None:
    """Send HTML ``text`` to the chat of a command or of a pressed button, in its forum topic."""
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML,
                                   message_thread_id=topic_of(update), **kwargs)


def command_text(context: BotContext) -> str:
    """What follows the command, as one string (``/follow peace talks`` → ``peace talks``)."""
    return " ".join(context.args or []).strip()


async def redraw(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Show a menu's new state in the message its button sits on. Pressing the same button
    twice redraws an identical message, which Telegram refuses ("message is not modified"):
    that is not an error."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise
