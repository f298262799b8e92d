"""/language: two buttons, English and Українська; a press stores the chat's choice, and
offers to switch the chat's sources to that language's outlets and channels too.

Like other settings, only administrators may change a group's language. Button data names
a language, never a chat, so a press acts on the chat its menu is shown in:

>>> [button.callback_data for button in language_keyboard().inline_keyboard[0]]
['lang:en', 'lang:uk']
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import ChatContext, answer_in_chat, in_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from i18n.locale import LANGUAGE_NAMES
from i18n.texts import LANGUAGES, say
from services import chats


def language_keyboard() -> InlineKeyboardMarkup:
    """One button per interface language, each named in its own language."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(LANGUAGE_NAMES[code], callback_data=f"lang:{code}")
        for code in LANGUAGES
    ]])


@in_chat(admins_only=True)
async def show_languages(update: Update, context: BotContext, here: ChatContext) -> None:
    """The sender sees the question in the chat's current language, with both buttons."""
    await answer_in_chat(update, context, say("language_prompt", here.language),
                         reply_markup=language_keyboard())


async def _pressed_language(update: Update) -> str | None:
    """The language a button names, once the press is answered; None for an unknown one."""
    query = update.callback_query
    assert query is not None and query.data is not None
    language = query.data.partition(":")[2]
    await query.answer()
    return language if language in LANGUAGES else None


@in_chat(admins_only=True)
async def choose_language_button(update: Update, context: BotContext, here: ChatContext) -> None:
    """The pressed language is stored for this chat; the menu becomes a confirmation in it."""
    query, language = update.callback_query, await _pressed_language(update)
    if query is None or language is None:
        return
    text, offer = say("language_set", language), None
    if chats.set_language(services(context), here.chat.id, language):
        text += "\n\n" + say("language_sources_offer", language)
        offer = InlineKeyboardMarkup([[InlineKeyboardButton(
            say("button_sources_language", language), callback_data=f"srclang:{language}")]])
    await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=offer)


@in_chat(admins_only=True)
async def switch_sources_button(update: Update, context: BotContext, here: ChatContext) -> None:
    """Accepting the offer: the chat reads the chosen language's sources from now on."""
    query, language = update.callback_query, await _pressed_language(update)
    if query is None or language is None:
        return
    chats.switch_sources_language(services(context), here.chat.id, language)
    await query.edit_message_text(say("sources_language_set", language), parse_mode=ParseMode.HTML)


def register(app: App) -> None:
    app.add_handler(CommandHandler("language", show_languages, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(choose_language_button, pattern=r"^lang:"))
    app.add_handler(CallbackQueryHandler(switch_sources_button, pattern=r"^srclang:"))
