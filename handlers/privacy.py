"""/mydata shows what the bot stores about this chat; /forget erases it after a confirm.

Both act on the chat the command (or the pressed button) lives in, never on a chat named
in button data, and in groups only administrators may use them: the data is the group's.
They are the handlers that do not take a :class:`handlers.common.ChatContext`: resolving it
remembers the chat, and /mydata must show only what was stored before it was asked, /forget
must leave nothing behind.
"""

from __future__ import annotations

import html
import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from digest.render.telegram_html import line_chunks
from handlers.common import refuse_non_admin
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.locale import DEFAULT_LANGUAGE
from i18n.texts import say
from services import chats

# Room for the intro line and the <pre> tags under Telegram's 4096 visible characters.
PART_CHARS = 3500


def export_parts(data: dict[str, object], limit: int = PART_CHARS) -> list[str]:
    """``data`` as indented JSON, cut between lines into pieces of at most ``limit``
    UTF-16 units, as Telegram counts (an overlong line is cut hard).

    >>> export_parts({"a": 1, "b": [2]}, limit=20)
    ['{\\n "a": 1,\\n "b": [', '  2\\n ]\\n}']
    """
    text = json.dumps(data, indent=1, ensure_ascii=False, default=str)
    return line_chunks(text, limit)


async def my_data(update: Update, context: BotContext) -> None:
    """The chat's stored rows as JSON in one or more ``<pre>`` messages."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    if await refuse_non_admin(update, context):
        return
    parts = export_parts(chats.export(services(context), chat.id))
    await message.reply_html(say("mydata_intro", chat_language(update, context), parts=len(parts)))
    for part in parts:
        escaped = html.escape(part)
        await message.reply_html(f'<pre><code class="language-json">{escaped}</code></pre>')


def forget_keyboard(language: str = DEFAULT_LANGUAGE) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(say("button_forget_yes", language), callback_data="forget:yes"),
        InlineKeyboardButton(say("button_forget_no", language), callback_data="forget:no"),
    ]])


async def forget(update: Update, context: BotContext) -> None:
    """Ask before erasing: the buttons under the question do the rest."""
    message = update.effective_message
    assert message is not None
    if await refuse_non_admin(update, context):
        return
    language = chat_language(update, context)
    await message.reply_html(say("forget_confirm", language),
                             reply_markup=forget_keyboard(language))


async def forget_button(update: Update, context: BotContext) -> None:
    """"Yes" erases this chat's rows and says what went; "No" keeps everything."""
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and chat is not None
    if await refuse_non_admin(update, context):
        return
    await query.answer()
    # Read before erasing: the chat's language goes with its row.
    language = chat_language(update, context)
    if query.data != "forget:yes":
        await query.edit_message_text(say("forget_kept", language))
        return
    erased = chats.forget(services(context), chat.id)
    await query.edit_message_text(say("forgotten", language, rows=erased))


def register(app: App) -> None:
    app.add_handler(CommandHandler("mydata", my_data, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("forget", forget, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(forget_button, pattern=r"^forget:(yes|no)$"))
