"""/importsources: switch on this chat's sources from an OPML list, pasted or as a file.

The document follows the command in the same message, or is attached to it (an ``.opml``
file with the command as its caption), or the command replies to a message that holds it
as text or as a file. Files come through ``getFile``. A document past
:data:`IMPORT_LIMIT_BYTES` or :data:`MAX_OUTLINES` is refused, it is parsed in the CPU pool
(never on the event loop every other reply waits on), and each user may import a few
documents a minute (:data:`services.limits.IMPORT_BUDGET`), as with links. Feeds
are matched to the bot's sources by URL, ignoring the scheme, letter case of the host and
a trailing slash. Only operators (``ADMIN_IDS``) may grow the shared list: their unknown
feeds are added, off by default for other chats; anyone else's are skipped and counted.
URL matching is :func:`digest.feeds.sources.feed_key`, the same one ``SOURCES_FILE`` merging uses.
"""

from __future__ import annotations

import re

from telegram import Document, Message, Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler, MessageHandler, filters

from handlers.common import ChatContext, in_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from i18n.texts import say
from services.sources import MAX_OUTLINES, BadDocument, ImportResult, import_document


def import_reply(result: ImportResult, language: str) -> str:
    """The HTML reply: what was switched on, then only the counts that are not zero.

    >>> print(import_reply(ImportResult(total=3, switched_on=2, unknown=1), "en"))
    📥 <b>Import done.</b> Feeds in the document: 3
    Switched on in this chat: <b>2</b>; already on: 0
    Skipped, not in the bot's list: <b>1</b> — only the bot's operators can add new feeds.
    """
    lines = [say("import_done", language, total=result.total, switched=result.switched_on,
                 already=result.already_on)]
    if result.added:
        lines.append(say("import_added", language, added=result.added))
    if result.unknown:
        lines.append(say("import_unknown", language, unknown=result.unknown))
    if result.unavailable:
        lines.append(say("import_unavailable", language, count=result.unavailable))
    return "\n".join(lines)


#: The largest document read: an OPML list of hundreds of feeds is some 100 KB; parsing
#: megabytes of outlines would only cost CPU every other user waits for.
IMPORT_LIMIT_BYTES = 1024 * 1024

#: A caption that is the command (the document is the attached file).
CAPTION_COMMAND = re.compile(r"^/importsources(@\w+)?(\s|$)", re.IGNORECASE)


class FileTooBig(Exception):
    """The document is past :data:`IMPORT_LIMIT_BYTES`."""


def attached_document(message: Message) -> Document | None:
    """The file attached to the command's message, else to the message it replies to."""
    if message.document is not None:
        return message.document
    replied = message.reply_to_message
    return replied.document if replied is not None else None


async def downloaded(document: Document, context: BotContext) -> bytes:
    """The file's bytes, refusing anything past the import limit (before and after)."""
    if (document.file_size or 0) > IMPORT_LIMIT_BYTES:
        raise FileTooBig
    try:
        file = await context.bot.get_file(document.file_id)
    except BadRequest as error:  # Telegram: "file is too big"
        if "too big" in error.message.lower():
            raise FileTooBig from None
        raise
    data = bytes(await file.download_as_bytearray())
    if len(data) > IMPORT_LIMIT_BYTES:
        raise FileTooBig
    return data


def pasted_document(message: Message) -> str:
    """The text after the command, else the text of the message the command replies to.

    Splitting at the first whitespace keeps the document's own lines and spaces intact.
    """
    parts = (message.text or "").split(maxsplit=1)
    if len(parts) == 2:
        return parts[1]
    replied = message.reply_to_message
    return (replied.text or replied.caption or "") if replied is not None else ""


@in_chat(admins_only=True)
async def import_command(update: Update, context: BotContext, here: ChatContext) -> None:
    """Parse the pasted OPML and switch on its feeds for this chat (admins, in groups)."""
    message = update.effective_message
    if message is None:
        return
    language = here.language
    if (refusal := _over_budget(message, context, language)) is not None:
        if refusal:
            await message.reply_html(refusal)
        return
    attached = attached_document(message)
    try:
        document = await downloaded(attached, context) if attached else pasted_document(message).encode()
        if len(document) > IMPORT_LIMIT_BYTES:
            raise FileTooBig
    except FileTooBig:
        await message.reply_html(say("import_file_too_big", language,
                                     limit=IMPORT_LIMIT_BYTES // 1024 // 1024))
        return
    if not document.strip():
        await message.reply_html(say("import_usage", language))
        return
    svc, user = services(context), update.effective_user
    may_add = user is not None and user.id in svc.settings.admin_ids
    try:
        result = await import_document(svc, here.chat.id, document, may_add=may_add)
    except BadDocument as bad:
        await message.reply_html(say(f"import_{bad.reason}", language, count=bad.count, limit=MAX_OUTLINES))
        return
    await message.reply_html(import_reply(result, language))


def _over_budget(message: Message, context: BotContext, language: str) -> str | None:
    """None when the sender may import now; else the reply ("" after the first refusal:
    someone hammering the command is told once, not once per try)."""
    limits = context.bot_data.imports
    verdict = limits.check(message.from_user.id if message.from_user else message.chat.id, 1)
    if verdict.allowed:
        return None
    return say("import_rate_limited", language, seconds=verdict.wait_seconds) if verdict.notify else ""


def register(app: App) -> None:
    # Before the link handler: the pasted document is full of URLs.
    app.add_handler(CommandHandler("importsources", import_command, filters=COMMAND_UPDATES))
    # A file with the command as its caption (command handlers only read message text).
    app.add_handler(MessageHandler(
        COMMAND_UPDATES & filters.Document.ALL & filters.CaptionRegex(CAPTION_COMMAND), import_command))
