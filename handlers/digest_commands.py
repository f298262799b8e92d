"""/digest on demand, and the first-digest choice offered right after subscribing."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.common import NO_PREVIEW, refuse_non_admin, remember_chat
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import DEFAULT_LANGUAGE, chat_language, day_label, digest_page, format_local
from handlers.scheduler import (
    OPTIONS_KEY,
    DigestBuilder,
    SchedulerOptions,
    candidates_for,
    digest_parts,
    following_delivery,
    queue_chat_digest,
)
from handlers.services import services
from handlers.texts import say
from storage import chats, outbox


def first_digest_keyboard(language: str = DEFAULT_LANGUAGE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(say("button_digest_now", language), callback_data="first:now"),
        InlineKeyboardButton(say("button_digest_tomorrow", language), callback_data="first:later"),
    ]])


def _options(context: ContextTypes.DEFAULT_TYPE) -> SchedulerOptions:
    return context.bot_data.get(OPTIONS_KEY) or SchedulerOptions()


async def digest_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The chat gets the war news since its last digest right away; those items then count
    as received, so the next daily digest does not repeat them."""
    svc = services(context)
    chat = remember_chat(update, context)
    await context.bot.send_chat_action(chat.id, ChatAction.TYPING, message_thread_id=chat.topic_id)
    now = svc.clock()
    built = await DigestBuilder(svc, _options(context).digest).build(candidates_for(svc, chat, now), now)
    language, user = chat_language(update, context), update.effective_user
    wants_debug = (context.args or [])[:1] == ["debug"]
    is_operator = user is not None and user.id in svc.settings.admin_ids
    page = digest_page(language, show_debug=wants_debug and is_operator)
    for part in digest_parts(built, day_label(now, chat.timezone, language), page):
        await context.bot.send_message(chat.id, part.text, parse_mode=ParseMode.HTML,
                                       message_thread_id=chat.topic_id,
                                       link_preview_options=NO_PREVIEW)
        outbox.record_deliveries(svc.db, chat.id, list(part.item_ids), now=now)


async def first_digest_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
        builder = DigestBuilder(svc, _options(context).digest)
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


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("digest", digest_now, filters=COMMAND_UPDATES, block=False))
    app.add_handler(CallbackQueryHandler(first_digest_choice, pattern=r"^first:(now|later)$"))
