"""/digest on demand, and the first-digest choice offered right after subscribing."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import ChatContext, in_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from i18n.locale import format_local
from i18n.texts import say
from services.digests import DigestBuilder, DigestRequest, first_digest, queue_digest_now


@in_chat()
async def digest_now(update: Update, context: BotContext, here: ChatContext) -> None:
    """The chat gets the war news since its last digest right away, through the outbox
    like a daily digest; those items then count as received, so the next daily digest
    does not repeat them."""
    svc, data, chat = services(context), context.bot_data, here.chat
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING, message_thread_id=chat.topic_id)
    user = update.effective_user
    wants_debug = (context.args or [])[:1] == ["debug"]
    is_operator = user is not None and user.id in svc.settings.admin_ids
    request = DigestRequest(chat, here.language, wants_debug and is_operator)
    await queue_digest_now(svc, DigestBuilder(svc, data.scheduler.digest), request)
    if data.sender is not None:
        data.sender.wake()


@in_chat(admins_only=True)
async def first_digest_choice(update: Update, context: BotContext, here: ChatContext) -> None:
    """"Send today's digest now" queues it at once; "Start tomorrow" skips today's."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    svc, chat, language = services(context), here.chat, here.language
    today = query.data == "first:now"
    next_at = await first_digest(svc, DigestBuilder(svc, context.bot_data.scheduler.digest), chat, today=today)
    if next_at is None:
        return
    text = (say("first_digest_now", language) if today else
            say("first_digest_tomorrow", language, next=format_local(next_at, chat.timezone, language)))
    await query.edit_message_reply_markup(reply_markup=None)
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, message_thread_id=chat.topic_id)


def register(app: App) -> None:
    app.add_handler(CommandHandler("digest", digest_now, filters=COMMAND_UPDATES, block=False))
    app.add_handler(CallbackQueryHandler(first_digest_choice, pattern=r"^first:(now|later)$"))
