"""/digest on demand, and the first-digest choice offered right after subscribing."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import refuse_non_admin, remember_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.locale import format_local
from i18n.texts import say
from services.digests import (
    DigestBuilder,
    DigestRequest,
    following_delivery,
    queue_chat_digest,
    queue_digest_now,
)
from storage import chats


async def digest_now(update: Update, context: BotContext) -> None:
    """The chat gets the war news since its last digest right away, through the outbox
    like a daily digest; those items then count as received, so the next daily digest
    does not repeat them."""
    svc, data = services(context), context.bot_data
    chat = remember_chat(update, context)
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING, message_thread_id=chat.topic_id)
    user = update.effective_user
    wants_debug = (context.args or [])[:1] == ["debug"]
    is_operator = user is not None and user.id in svc.settings.admin_ids
    request = DigestRequest(chat, chat_language(update, context), wants_debug and is_operator)
    await queue_digest_now(svc, DigestBuilder(svc, data.scheduler.digest), request)
    if data.sender is not None:
        data.sender.wake()


async def first_digest_choice(update: Update, context: BotContext) -> None:
    """"Send today's digest now" queues it at once; "Start tomorrow" skips today's."""
    query = update.callback_query
    assert query is not None
    if await refuse_non_admin(update, context):
        return
    await query.answer()
    svc, chat = services(context), remember_chat(update, context)
    now, language = svc.clock(), chat_language(update, context)
    if chats.get_subscription(svc.db, chat.id) is None:
        return
    if query.data == "first:now":
        builder = DigestBuilder(svc, context.bot_data.scheduler.digest)
        await queue_chat_digest(svc, builder, chat, now)
        text = say("first_digest_now", language)
    else:
        text = ""
    next_at = following_delivery(chat, now)
    chats.advance_subscription(svc.db, chat.id, next_digest_at=next_at)
    text = text or say("first_digest_tomorrow", language,
                       next=format_local(next_at, chat.timezone, language))
    await query.edit_message_reply_markup(reply_markup=None)
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, message_thread_id=chat.topic_id)


def register(app: App) -> None:
    app.add_handler(CommandHandler("digest", digest_now, filters=COMMAND_UPDATES, block=False))
    app.add_handler(CallbackQueryHandler(first_digest_choice, pattern=r"^first:(now|later)$"))
