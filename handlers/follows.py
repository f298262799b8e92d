"""/follow, /mute and /following, and the regions-and-topics keyboard of /settings.

Button data names a topic by a preset key or a short hash of the chat's own topic, never a
chat: a press acts on the chat it is shown in, so a forged press cannot reach another chat.
"""

from __future__ import annotations

import hashlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from digest.stories.follow import PRESETS
from handlers.common import ChatContext, answer_in_chat, command_text, in_chat, redraw
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import echo
from i18n.locale import topic_label
from i18n.texts import say
from services.delivery import plain_text
from services.follows import Outcome, chat_follows, follow_text, remove, toggle_preset
from storage.follows import FOLLOW, MAX_PER_CHAT, MUTE, FollowRow

PRESETS_PER_ROW = 3


def presets_keyboard(followed: set[str], language: str) -> InlineKeyboardMarkup:
    """Common regions and topics; the followed ones ticked."""
    buttons = [InlineKeyboardButton(("✓ " if t.key in followed else "") + topic_label(t.key, t.label, language),
                                    callback_data=f"fol:p:{t.key}") for t in PRESETS]
    rows = [buttons[i:i + PRESETS_PER_ROW] for i in range(0, len(buttons), PRESETS_PER_ROW)]
    rows.append([InlineKeyboardButton(say("button_following", language), callback_data="fol:list"),
                 InlineKeyboardButton(say("button_back", language), callback_data="settings")])
    return InlineKeyboardMarkup(rows)


def button_id(key: str) -> str:
    """A short, stable stand-in for a topic key in button data (64 bytes at most)."""
    return hashlib.sha1(key.encode()).hexdigest()[:12]


def following_keyboard(rows: list[FollowRow], language: str) -> InlineKeyboardMarkup:
    marks = {FOLLOW: "📍", MUTE: "🔇"}
    buttons = [[InlineKeyboardButton(f"{marks[row.mode]} {topic_label(row.key, row.label, language)} ✕",
                                     callback_data=f"fol:rm:{button_id(row.key)}")] for row in rows]
    buttons.append([InlineKeyboardButton(say("button_presets", language), callback_data="fol:menu")])
    return InlineKeyboardMarkup(buttons)


def _followed(context: BotContext, chat_id: int) -> set[str]:
    return {row.key for row in chat_follows(services(context), chat_id) if row.mode == FOLLOW}


@in_chat(admins_only=True)
async def follow(update: Update, context: BotContext, here: ChatContext) -> None:
    """``/follow Kharkiv`` (any language or form); alone, it shows the presets."""
    await _follow_command(update, context, here, FOLLOW)


@in_chat(admins_only=True)
async def mute(update: Update, context: BotContext, here: ChatContext) -> None:
    """``/mute sanctions``: its stories are left out of the digest and of alerts."""
    await _follow_command(update, context, here, MUTE)


async def _follow_command(update: Update, context: BotContext, here: ChatContext, mode: str) -> None:
    message = update.effective_message
    assert message is not None
    chat, language = here.chat, here.language
    raw = command_text(context)
    if not raw and mode == MUTE:
        await message.reply_html(say("mute_usage", language))
        return
    if not raw:  # the presets follow with one tap
        await message.reply_html(say("follow_usage", language),
                                 reply_markup=_presets_view(context, chat.id, language)[1])
        return
    result = await follow_text(services(context), chat.id, raw, mode)
    label = topic_label(result.key, result.label, language)
    await message.reply_html(_result_text(result.outcome, label, raw, mode, language))


def _result_text(outcome: Outcome, label: str, raw: str, mode: str, language: str) -> str:
    if outcome is Outcome.BAD:
        return say("follow_bad", language, raw=echo(raw, language))
    if outcome is Outcome.LIMIT:
        return say("follow_limit", language, limit=MAX_PER_CHAT)
    if outcome in (Outcome.LIST, Outcome.OUTLET, Outcome.OUTSIDE):
        return say(f"follow_{outcome.value}", language, label=label)
    if mode == MUTE:
        return say("mute_done", language, label=label)
    return say("follow_done_free" if outcome is Outcome.FREE else "follow_done", language, label=label)


def _following_view(context: BotContext, chat_id: int, language: str) -> tuple[str, InlineKeyboardMarkup]:
    rows = chat_follows(services(context), chat_id)
    return say("following_list" if rows else "following_empty", language), following_keyboard(rows, language)


def _presets_view(context: BotContext, chat_id: int, language: str) -> tuple[str, InlineKeyboardMarkup]:
    return say("presets", language), presets_keyboard(_followed(context, chat_id), language)


@in_chat(admins_only=True)
async def following(update: Update, context: BotContext, here: ChatContext) -> None:
    """What the chat follows and mutes, one remove button each."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    text, keyboard = _following_view(context, here.chat.id, here.language)
    await answer_in_chat(update, context, text, reply_markup=keyboard)


@in_chat(admins_only=True)
async def show_presets(update: Update, context: BotContext, here: ChatContext) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await redraw(query, *_presets_view(context, here.chat.id, here.language))


@in_chat(admins_only=True)
async def preset_button(update: Update, context: BotContext, here: ChatContext) -> None:
    """A preset pressed: followed, or unfollowed when it was ticked; the menu is redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    chat, language = here.chat, here.language
    result = await toggle_preset(services(context), chat.id, query.data.removeprefix("fol:p:"))
    if result is not None and result.outcome is Outcome.LIMIT:
        await query.answer(plain_text(say("follow_limit", language, limit=MAX_PER_CHAT)),
                           show_alert=True)
        return
    await query.answer()
    await redraw(query, *_presets_view(context, chat.id, language))


@in_chat(admins_only=True)
async def remove_button(update: Update, context: BotContext, here: ChatContext) -> None:
    """A remove button: the topic goes (if it is still there) and the list is redrawn."""
    query = update.callback_query
    assert query is not None and query.data is not None
    chat, language = here.chat, here.language
    svc, wanted = services(context), query.data.removeprefix("fol:rm:")
    row = next((r for r in chat_follows(svc, chat.id) if button_id(r.key) == wanted), None)
    if row is None or not remove(svc, chat.id, row.key):
        await query.answer(say("follow_gone", language))
    else:
        label = topic_label(row.key, row.label, language)
        await query.answer(plain_text(say("follow_removed", language, label=label)))
    await redraw(query, *_following_view(context, chat.id, language))


def register(app: App) -> None:
    app.add_handler(CommandHandler("follow", follow, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("mute", mute, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("following", following, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(show_presets, pattern=r"^fol:menu$"))
    app.add_handler(CallbackQueryHandler(following, pattern=r"^fol:list$"))
    app.add_handler(CallbackQueryHandler(preset_button, pattern=r"^fol:p:"))
    app.add_handler(CallbackQueryHandler(remove_button, pattern=r"^fol:rm:"))
