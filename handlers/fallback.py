"""Whatever no other handler took: a short hint in private chats, silence elsewhere."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from handlers.context import App, BotContext
from handlers.i18n import chat_language
from i18n.texts import say

# PTB runs the first matching handler of a group, in registration order: these must be
# registered last (handlers.register does so), so they only see what nothing else took.


async def unknown_command(update: Update, context: BotContext) -> None:
    """An unknown command in a private chat gets a pointer to /help."""
    assert update.effective_message is not None
    language = chat_language(update, context)
    await update.effective_message.reply_html(say("unknown_command", language))


async def anything_else(update: Update, context: BotContext) -> None:
    """A sticker, photo or chat text in a private chat gets a one-line hint of what works."""
    assert update.effective_message is not None
    await update.effective_message.reply_html(say("not_a_link", chat_language(update, context)))


def register(app: App) -> None:
    private_new = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private_new & filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(private_new & ~filters.COMMAND & ~filters.StatusUpdate.ALL, anything_else),
    )
