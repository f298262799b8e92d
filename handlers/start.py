"""/start and /help: what the bot is for, with the three buttons a newcomer needs."""

from __future__ import annotations

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from handlers.common import remember_chat
from handlers.filters import COMMAND_UPDATES
from handlers.texts import say

# What Telegram shows in the command menu (setMyCommands at start).
BOT_COMMANDS: tuple[BotCommand, ...] = (
    BotCommand("start", "What this bot does"),
    BotCommand("subscribe", "Get the daily war-news digest"),
    BotCommand("digest", "The latest war news right now"),
    BotCommand("status", "Your subscription and next delivery"),
    BotCommand("settings", "Delivery time and timezone"),
    BotCommand("sources", "Which news outlets your digest reads"),
    BotCommand("time", "Set the delivery time, e.g. /time 07:30"),
    BotCommand("timezone", "Set the timezone, e.g. /timezone Europe/Kyiv"),
    BotCommand("pause", "Pause the digest"),
    BotCommand("resume", "Resume the digest"),
    BotCommand("unsubscribe", "Stop the digest"),
    BotCommand("mydata", "What the bot stores about this chat"),
    BotCommand("forget", "Erase what the bot stores about this chat"),
    BotCommand("help", "All commands"),
)


def welcome_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(say("button_subscribe"), callback_data="subscribe")],
            [
                InlineKeyboardButton(say("button_settings"), callback_data="settings"),
                InlineKeyboardButton(say("button_help"), callback_data="help"),
            ],
        ]
    )


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user sees a short welcome with Subscribe, Settings and Help buttons.

    In a group the welcome is one line, since the buttons would act for the whole group.
    """
    remember_chat(update, context)
    message = update.effective_message
    assert message is not None
    if message.chat.type == ChatType.PRIVATE:
        await message.reply_html(say("welcome"), reply_markup=welcome_keyboard())
    else:
        await message.reply_html(say("welcome_group"))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user sees every command with a one-line explanation."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(say("help"))


async def help_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pressing Help under the welcome sends the command list."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, say("help"), parse_mode=ParseMode.HTML)


def register(app: Application) -> None:  # type: ignore[type-arg]
    app.add_handler(CommandHandler("start", start, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("help", help_command, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(help_button, pattern=r"^help$"))
