"""Small pieces every handler shares: the chat an update came from, who may change it, and
how times are shown.

A handler that acts on a chat is written as ``async def name(update, context, here)`` and
wrapped in :func:`in_chat`: the chat's row, its language and (with ``admins_only``) the
sender's right to change it are resolved once, here, before the handler runs.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, ChatMember, InlineKeyboardMarkup, Update
from telegram import Chat as TelegramChat
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from handlers.context import BotContext, services
from handlers.i18n import chat_language, seen_language
from i18n.locale import DEFAULT_LANGUAGE, choose_language, format_local
from i18n.texts import say
from services import chats
from storage.chats import Chat, NewChat

log = logging.getLogger(__name__)

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


def remember_chat(update: Update, context: BotContext) -> Chat:
    """Make sure the chat of ``update`` has a row (default settings on first sight); a
    private chat also gets its user's app language unless it already has one."""
    chat = update.effective_chat
    assert chat is not None
    title = chat.title or chat.full_name or chat.username
    seen = NewChat(type=chat.type, title=title, language=seen_language(update))
    return chats.remember(services(context), chat.id, seen)


@dataclass(frozen=True, slots=True)
class ChatContext:
    """The chat an update came from, as every handler acting on it needs it."""

    chat: Chat  # its stored row (created with the default settings on first sight)
    language: str  # the language to answer in


ChatHandler = Callable[[Update, BotContext, ChatContext], Awaitable[None]]
UpdateHandler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def in_chat(*, admins_only: bool = False) -> Callable[[ChatHandler], UpdateHandler]:
    """Wrap a handler so it gets its :class:`ChatContext`.

    With ``admins_only`` a sender who may not manage the chat is refused politely (see
    :func:`refuse_non_admin`) and the handler does not run; the chat is then not remembered,
    so a refused stranger leaves no trace.
    """

    def wrap(handler: ChatHandler) -> UpdateHandler:
        @functools.wraps(handler)
        async def run(update: Update, context: BotContext) -> None:
            if admins_only and await refuse_non_admin(update, context):
                return
            await handler(update, context, chat_context(update, context))

        return run

    return wrap


def chat_context(update: Update, context: BotContext) -> ChatContext:
    """Remember the chat of ``update`` and find the language to answer it in (one read)."""
    chat = remember_chat(update, context)
    user = update.effective_user
    code = user.language_code if user is not None else None
    return ChatContext(chat, choose_language(chat.language, chat.type, code))


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
