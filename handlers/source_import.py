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
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Document, Message, Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler, MessageHandler, filters

from digest.feeds.sources import OPMLError, Source, feed_key, load_opml
from digest.render.telegram_html import truncate
from digest.workers import run_cpu
from handlers.common import refuse_non_admin, remember_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language
from i18n.texts import say
from storage import Database
from storage import sources as store

NAME_LIMIT = 100  # as /addsource: one outline of /exportsources always fits a message


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did, for the reply."""

    total: int = 0  # distinct feeds in the document (by :func:`feed_key`)
    switched_on: int = 0
    already_on: int = 0
    added: int = 0  # new to the bot's list (operators only)
    unknown: int = 0  # skipped: not in the list, and the sender may not add
    unavailable: int = 0  # in the list but switched off for everyone


def import_sources(db: Database, chat_id: int, listed: Sequence[Source], *,
                   may_add: bool) -> ImportResult:
    """Switch on, for ``chat_id``, every known source the document lists; with ``may_add``
    first add the unknown ones (off by default, so only this chat gets them).

    >>> from digest.feeds.sources import SourceKind
    >>> from storage import open_database
    >>> from storage.chats import ChatDefaults, NewChat, ensure_chat
    >>> db = open_database(":memory:")
    >>> _ = ensure_chat(db, 7, NewChat("private"), ChatDefaults())
    >>> _ = store.sync_sources(db, [store.SourceSpec("UP", "https://up.example/rss", "uk",
    ...                                              "ukrainian_media", False)], origin="builtin")
    >>> listed = [Source("UP", "http://up.example/rss/", None, SourceKind.INTERNATIONAL, True),
    ...           Source("New", "https://new.example/feed", None, SourceKind.INTERNATIONAL, True)]
    >>> import_sources(db, 7, listed, may_add=False)
    ImportResult(total=2, switched_on=1, already_on=0, added=0, unknown=1, unavailable=0)
    """
    keys = [feed_key(source.feed_url) for source in listed]
    invalid = keys.count(None)  # not http(s): nothing could ever match or fetch it
    wanted = {key: source for key, source in zip(keys, listed, strict=True) if key is not None}
    known = _known_by_key(db)
    added = 0
    if may_add:
        added = _add_unknown(db, [s for key, s in wanted.items() if key not in known])
        known = _known_by_key(db)
    chosen = store.chat_source_ids(db, chat_id)
    counts = {"switched_on": 0, "already_on": 0, "unavailable": 0}
    for row in (known[key] for key in wanted if key in known):
        outcome = ("unavailable" if row.disabled else
                   "already_on" if row.id in chosen else "switched_on")
        counts[outcome] += 1
        if outcome == "switched_on":
            store.set_chat_source(db, chat_id, row.id, True)
    unknown = invalid + sum(key not in known for key in wanted)
    return ImportResult(total=invalid + len(wanted), added=added, unknown=unknown, **counts)


def _known_by_key(db: Database) -> dict[str, store.SourceRow]:
    return {key: row for row in store.all_sources(db) if (key := feed_key(row.feed_url))}


def _add_unknown(db: Database, unknown: Sequence[Source]) -> int:
    specs = [store.SourceSpec(truncate(s.name, NAME_LIMIT), s.feed_url, s.language,
                              s.kind.value, False) for s in unknown]
    store.sync_sources(db, specs, origin="admin")
    return len(specs)


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
#: The most feeds one document may list (the built-in list has a few dozen).
MAX_OUTLINES = 1000

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


async def import_command(update: Update, context: BotContext) -> None:
    """Parse the pasted OPML and switch on its feeds for this chat (admins, in groups)."""
    message = update.effective_message
    if message is None or await refuse_non_admin(update, context):
        return
    language = chat_language(update, context)
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
    try:
        listed = await run_cpu(load_opml, document)
    except OPMLError:
        await message.reply_html(say("import_bad_opml", language))
        return
    if not listed or len(listed) > MAX_OUTLINES:
        key = "import_too_many" if listed else "import_no_feeds"
        await message.reply_html(say(key, language, count=len(listed), limit=MAX_OUTLINES))
        return
    svc, user = services(context), update.effective_user
    may_add = user is not None and user.id in svc.settings.admin_ids
    chat = remember_chat(update, context)
    result = import_sources(svc.db, chat.id, listed, may_add=may_add)
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
