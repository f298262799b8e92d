"""/start and /help: what the bot is for, with the three buttons a newcomer needs."""

from __future__ import annotations

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler

from handlers.common import ChatContext, in_chat
from handlers.context import App, BotContext
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.locale import DEFAULT_LANGUAGE
from i18n.texts import say

# The command menu, in the order Telegram shows it (setMyCommands at start, per language).
MENU_COMMANDS = (
    "start", "subscribe", "digest", "status", "settings", "sources", "time", "timezone",
    "follow", "mute", "following", "alerts", "pause", "resume", "unsubscribe", "language",
    "importsources", "mydata", "forget", "help",
)


def bot_commands(language: str = DEFAULT_LANGUAGE) -> tuple[BotCommand, ...]:
    """The command menu with descriptions in ``language``.

    >>> bot_commands("uk")[0].description
    'Що вміє цей бот'
    """
    return tuple(BotCommand(name, say(f"command_{name}", language)) for name in MENU_COMMANDS)


BOT_COMMANDS = bot_commands()


def welcome_keyboard(language: str = DEFAULT_LANGUAGE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(say("button_subscribe", language), callback_data="subscribe")],
            [
                InlineKeyboardButton(say("button_settings", language), callback_data="settings"),
                InlineKeyboardButton(say("button_help", language), callback_data="help"),
            ],
        ]
    )


@in_chat()
async def start(update: Update, context: BotContext, here: ChatContext) -> None:
    """The user sees a short welcome with Subscribe, Settings and Help buttons.

    In a group the welcome is one line, since the buttons would act for the whole group.
    """
    message = update.effective_message
    assert message is not None
    language = here.language
    if message.chat.type == ChatType.PRIVATE:
        await message.reply_html(say("welcome", language), reply_markup=welcome_keyboard(language))
    else:
        await message.reply_html(say("welcome_group", language))


async def help_command(update: Update, context: BotContext) -> None:
    """The user sees every command with a one-line explanation."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(say("help", chat_language(update, context)))


async def help_button(update: Update, context: BotContext) -> None:
    """Pressing Help under the welcome sends the command list."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.message is not None:
        text = say("help", chat_language(update, context))
        await context.bot.send_message(query.message.chat.id, text, parse_mode=ParseMode.HTML)


def register(app: App) -> None:
    app.add_handler(CommandHandler("start", start, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("help", help_command, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(help_button, pattern=r"^help$"))
