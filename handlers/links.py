"""Send a link, get the gist: one reply per link (up to three per message).

The chat sees "typing…" while the page is fetched; failures get a reply that says what went
wrong (the site timed out, blocks bots, is not an article…), never silence or a traceback.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import MessageHandler, filters

from digest.urls import find_urls
from handlers.common import remember_chat
from handlers.context import App, BotContext, services
from handlers.i18n import chat_language
from i18n.texts import say
from services.articles import reply_for
from services.context import NO_PREVIEW, Services

log = logging.getLogger(__name__)

MAX_LINKS = 3


def links_in(message: Message) -> list[str]:
    """http(s) links of a message, from its entities (text links too), in order, unique."""
    found: list[str] = []
    for entity, text in message.parse_entities([MessageEntity.URL, MessageEntity.TEXT_LINK]).items():
        url = entity.url if entity.type == MessageEntity.TEXT_LINK else text
        if url and not url.lower().startswith(("http://", "https://")):
            url = f"https://{url}"  # Telegram marks bare "example.com/x" as a URL entity too
        if url:
            found.append(url)
    found += find_urls(message.text or message.caption or "")
    return list(dict.fromkeys(found))


def wants_links(message: Message, svc: Services, bot_username: str | None) -> bool:
    """Private chats always; groups per LINKS_IN_GROUPS (by default only when addressed)."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    mode = svc.settings.links_in_groups
    if mode == "off" or message.chat.type == ChatType.CHANNEL:
        return False
    if mode == "all":
        return True
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.is_bot
    mention = f"@{bot_username}".lower() if bot_username else None
    return to_bot or bool(mention and mention in (message.text or "").lower())


def _chat_timezone(update: Update, context: BotContext) -> str:
    """The chat's timezone, remembering the chat; on a failing database (disk full) the
    default zone, so the link still gets its reply."""
    try:
        return remember_chat(update, context).timezone
    except services(context).db.errors as exc:
        log.error("could not remember the chat (replying anyway): %s", exc)
        return services(context).settings.default_timezone


async def on_links(update: Update, context: BotContext) -> None:
    """Each link (up to three) gets one reply with its gist, or a friendly reason why not."""
    message = update.effective_message
    svc = services(context)
    if message is None or not wants_links(message, svc, context.bot.username):
        return
    urls = links_in(message)
    limits = context.bot_data.limits
    sender = message.from_user.id if message.from_user else message.chat.id
    verdict = limits.check(sender, min(len(urls), MAX_LINKS))
    language = chat_language(update, context)
    if not verdict.allowed:
        if verdict.notify:
            await message.reply_html(say("link_rate_limited", language,
                                         seconds=verdict.wait_seconds))
        return
    timezone = _chat_timezone(update, context)
    await message.reply_chat_action(ChatAction.TYPING)
    replies = await asyncio.gather(*(
        reply_for(svc, url, timezone, limits.fetches, language=language) for url in urls[:MAX_LINKS]
    ))
    for text in replies:
        await message.reply_html(text, link_preview_options=NO_PREVIEW)
    if len(urls) > MAX_LINKS:
        await message.reply_html(say("too_many_links", language, limit=MAX_LINKS))


def register(app: App) -> None:
    has_link = filters.Entity(MessageEntity.URL) | filters.Entity(MessageEntity.TEXT_LINK)
    # block=False: a slow site must not hold up everyone else's updates.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & has_link, on_links, block=False))
