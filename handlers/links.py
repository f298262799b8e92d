"""Send a link, get the gist: one reply per link (up to three per message).

The chat sees "typing…" while the page is fetched; failures get a reply that says what went
wrong (the site timed out, blocks bots, is not an article…), never silence or a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from datetime import timedelta

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from digest import errors
from digest.models import Article
from digest.reader.gist import article_from_json, article_to_json, gist_of, read_article
from digest.render.compose import GistStyle, render_gist
from digest.urls import find_urls, is_http_url, normalize_url
from digest.workers import run_cpu
from handlers.common import NO_PREVIEW, remember_chat
from handlers.i18n import DEFAULT_LANGUAGE, chat_language, digest_labels
from handlers.limits import link_limits
from handlers.services import Services, services
from handlers.texts import say
from storage import article_cache

log = logging.getLogger(__name__)

MAX_LINKS = 3
# HTTP statuses with a short explanation in the catalogue (key ``http_<code>``).
EXPLAINED_STATUSES = frozenset({401, 404, 410, 500, 502, 503, 504})
# Content types (full, or the major part) to the catalogue key that names them.
CONTENT_KINDS = {"application/pdf": "content_pdf", "image": "content_image",
                 "video": "content_video", "audio": "content_audio"}


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


def failure_reply(error: errors.DigestError, language: str = DEFAULT_LANGUAGE) -> str:
    """The sentence a user sees for each named failure.

    >>> failure_reply(errors.HTTPStatusError("HTTP 404", status_code=404), "uk")
    'Сайт відповів помилкою: HTTP 404 (сторінку не знайдено).'
    """
    if isinstance(error, errors.BlockedByBotWall):
        return say("link_bot_wall", language)
    if isinstance(error, errors.HTTPStatusError):
        code = error.status_code
        reason = f" ({say(f'http_{code}', language)})" if code in EXPLAINED_STATUSES else ""
        return say("link_http_status", language, code=code, reason=reason)
    if isinstance(error, errors.UnsupportedContentType):
        major = error.content_type.split("/")[0]
        kind = CONTENT_KINDS.get(error.content_type) or CONTENT_KINDS.get(major) or "content_file"
        return say("link_not_html", language, kind=say(kind, language))
    keys: dict[type[errors.DigestError], str] = {
        errors.InvalidURL: "link_invalid", errors.BlockedAddress: "link_blocked_address",
        errors.FetchTimeout: "link_timeout", errors.ConnectionFailed: "link_connection",
        errors.TooManyRedirects: "link_redirects", errors.ResponseTooLarge: "link_too_large",
        errors.NoArticleFound: "link_no_article",
    }
    return say(next((k for t, k in keys.items() if isinstance(error, t)), "link_failed"), language)


async def cached_article(svc: Services, url: str,
                         fetches: asyncio.Semaphore | None = None) -> Article:
    """The article at ``url``, from the cache when fresh, else fetched (holding a slot of
    ``fetches``, the bot-wide cap on concurrent fetches, when given) and cached."""
    key = normalize_url(url)
    max_age = timedelta(hours=svc.settings.article_cache_hours)
    hit = article_cache.get(svc.db, key, max_age=max_age, now=svc.clock())
    if hit is not None:
        return article_from_json(hit)
    assert svc.http is not None, "bot.py provides the HTTP client"
    async with fetches or contextlib.nullcontext():
        article = await read_article(svc.http, url, svc.fetch_options)
    _cache_quietly(svc, key, article)
    return article


def _cache_quietly(svc: Services, key: str, article: Article) -> None:
    """Cache ``article``; a failed write (disk full, locked or damaged database) is logged
    as an ERROR for the operator, and the user still gets the reply."""
    try:
        article_cache.put(svc.db, key, article_to_json(article), now=svc.clock())
    except sqlite3.DatabaseError as exc:  # OperationalError (SQLITE_FULL) is one of these
        log.error("article cache write failed (reply sent uncached): %s", exc)


async def reply_for(svc: Services, url: str, timezone: str,
                    fetches: asyncio.Semaphore | None = None, *,
                    language: str = DEFAULT_LANGUAGE) -> str:
    """The HTML reply for one link, in ``language``: its gist, or why it could not be read."""
    if not is_http_url(url):
        return say("link_invalid", language)
    try:
        article = await cached_article(svc, url, fetches)
    except errors.DigestError as error:
        log.info("link %s failed: %s: %s", url, type(error).__name__, error)
        return failure_reply(error, language)
    gist = await run_cpu(gist_of, article)  # CPU-bound on long articles
    return render_gist(gist, GistStyle(timezone=timezone, labels=digest_labels(language)))


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


def _chat_timezone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's timezone, remembering the chat; on a failing database (disk full) the
    default zone, so the link still gets its reply."""
    try:
        return remember_chat(update, context).timezone
    except sqlite3.DatabaseError as exc:
        log.error("could not remember the chat (replying anyway): %s", exc)
        return services(context).settings.default_timezone


async def on_links(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Each link (up to three) gets one reply with its gist, or a friendly reason why not."""
    message = update.effective_message
    svc = services(context)
    if message is None or not wants_links(message, svc, context.bot.username):
        return
    urls = links_in(message)
    limits = link_limits(context.bot_data)
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


def register(app: Application) -> None:  # type: ignore[type-arg]
    has_link = filters.Entity(MessageEntity.URL) | filters.Entity(MessageEntity.TEXT_LINK)
    # block=False: a slow site must not hold up everyone else's updates.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & has_link, on_links, block=False))
