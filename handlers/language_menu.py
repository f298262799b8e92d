"""/language: two buttons, English and Українська; a press stores the chat's choice.

Like other settings, only administrators may change a group's language. Button data names
a language, never a chat, so a press acts on the chat its menu is shown in:

>>> [button.callback_data for button in language_keyboard().inline_keyboard[0]]
['lang:en', 'lang:uk']
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import answer_in_chat, refuse_non_admin, remember_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.locale import LANGUAGE_NAMES
from i18n.texts import LANGUAGES, say
from storage.chats import set_language


def language_keyboard() -> InlineKeyboardMarkup:
    """One button per interface language, each named in its own language."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"lang:{code}")
        for code in LANGUAGES
    ]])


async def show_languages(update: Update, context: BotContext) -> None:
    """The sender sees the question in the chat's current language, with both buttons."""
    chat = update.effective_chat
    if chat is None or await refuse_non_admin(update, context):
        return
    remember_chat(update, context)
    await answer_in_chat(update, context, say("language_prompt", chat_language(update, context)),
                         reply_markup=language_keyboard())


async def choose_language_button(update: Update, context: BotContext) -> None:
    """The pressed language is stored for this chat; the menu becomes a confirmation in it."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if await refuse_non_admin(update, context):
        return
    language = query.data.removeprefix("lang:")
    await query.answer()
    if language not in LANGUAGES:
        return
    chat = remember_chat(update, context)
    set_language(services(context).db, chat.id, language)
    await query.edit_message_text(say("language_set", language), parse_mode=ParseMode.HTML)


def register(app: App) -> None:
    app.add_handler(CommandHandler("language", show_languages, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(choose_language_button, pattern=r"^lang:"))
