"""The chat language of an incoming update (the rules themselves are in :mod:`i18n.locale`)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from digest.render.telegram_html import truncate
from handlers.context import BotContext, services
from i18n.locale import choose_language, detect_language
from i18n.texts import say
from services.chats import stored_language


def seen_language(update: Update) -> str | None:
    """What a private chat's user's app reports, to remember for a chat without a language
    (so the daily digest, sent with no update at hand, knows it); None elsewhere."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type != ChatType.PRIVATE or user is None:
        return None
    return detect_language(user.language_code)


def chat_language(update: Update, context: BotContext) -> str:
    """The language to answer ``update`` in, for handlers that do not remember the chat
    (those that do get it in their :class:`handlers.common.ChatContext`); a failing
    database falls back to the user's app language, so even the apology for an error is in
    the right language."""
    chat, user = update.effective_chat, update.effective_user
    code = user.language_code if user is not None else None
    if chat is None:
        return detect_language(code)
    return choose_language(stored_language(services(context), chat.id), chat.type, code)


#: Characters of a user's input a reply may quote back: enough to recognise it, and a reply
#: quoting a 5,000-character argument would exceed Telegram's 4,096 and never arrive.
ECHO_LIMIT = 60


def echo(raw: str, language: str) -> str:
    """The user's input as a reply quotes it: cut short, or "nothing" when empty.

    >>> echo("x" * 5000, "en") == "x" * 59 + "…"
    True
    >>> echo("", "en")
    '(nothing)'
    """
    return truncate(raw, ECHO_LIMIT) or say("nothing", language)
