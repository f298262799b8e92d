"""Whatever no other handler took: a short hint in private chats, silence elsewhere."""

from __future__ import annotations

from telegram import Document, Update
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
    """A sticker, photo or chat text in a private chat gets a one-line hint of what works;
    an OPML file sent without the command, how to import it."""
    message = update.effective_message
    assert message is not None
    key = "import_file_hint" if _is_opml(message.document) else "not_a_link"
    await message.reply_html(say(key, chat_language(update, context)))


def _is_opml(document: Document | None) -> bool:
    """An OPML list by its name or type (``.opml``, ``text/x-opml``), as apps send it."""
    if document is None:
        return False
    name, mime = (document.file_name or "").lower(), (document.mime_type or "").lower()
    return name.endswith(".opml") or "opml" in mime


def register(app: App) -> None:
    private_new = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private_new & filters.COMMAND, unknown_command))
    app.add_handler(
        MessageHandler(private_new & ~filters.COMMAND & ~filters.StatusUpdate.ALL, anything_else),
    )
