"""/digest on demand, and the first-digest choice offered right after subscribing."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ChatAction, ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from digest.compose import DigestPage
from handlers.common import format_local, refuse_non_admin, remember_chat
from handlers.filters import COMMAND_UPDATES
from handlers.scheduler import (
    OPTIONS_KEY,
    DigestBuilder,
    SchedulerOptions,
    candidates_for,
    day_label,
    digest_parts,
    following_delivery,
    queue_chat_digest,
)
from handlers.services import services
from handlers.texts import say
from storage import chats, outbox

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def first_digest_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(say("button_digest_now"), callback_data="first:now"),
        InlineKeyboardButton(say("button_digest_tomorrow"), callback_data="first:later"),
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
    page = DigestPage(show_debug=bool(context.args and context.args[0] == "debug"
                                      and update.effective_user is not None
                                      and update.effective_user.id in svc.settings.admin_ids))
    for part in digest_parts(built, day_label(now, chat.timezone), page):
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
    now = svc.clock()
    if chats.get_subscription(svc.db, chat.id) is None:
        return
    if query.data == "first:now":
        builder = DigestBuilder(svc, _options(context).digest)
        await queue_chat_digest(svc, builder, chat, now)
        text = say("first_digest_now")
    else:
        text = ""
    next_at = following_delivery(chat, now)
    chats.advance_subscription(svc.db, chat.id, next_digest_at=next_at)
    text = text or say("first_digest_tomorrow", next=format_local(next_at, chat.timezone))
    await query.edit_message_reply_markup(reply_markup=None)
    await context.bot.send_message(chat.id, text, parse_mode=ParseMode.HTML, message_thread_id=chat.topic_id)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("digest", digest_now, filters=COMMAND_UPDATES, block=False))
    app.add_handler(CallbackQueryHandler(first_digest_choice, pattern=r"^first:(now|later)$"))
