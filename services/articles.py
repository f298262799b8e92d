"""Articles behind links, through the cache: shared by link replies and digest enrichment.

A link read for one chat is reused for every other chat (and for the digest) until it is
``ARTICLE_CACHE_HOURS`` old, so a popular link costs one fetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from digest import errors
from digest.feeds.telegram import post_link
from digest.models import Article
from digest.reader.gist import article_from_json, article_to_json, gist_of, read_article
from digest.render.compose import GistStyle, render_gist
from digest.urls import is_http_url, normalize_url
from digest.workers import run_cpu
from i18n.locale import DEFAULT_LANGUAGE, digest_labels
from i18n.replies import failure_reply
from i18n.texts import say
from services.channels import read_post
from services.context import Services
from storage import article_cache

log = logging.getLogger(__name__)


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
        if post_link(url) is not None:  # a channel post: its embed view, not the app page
            article = await read_post(svc.http, url, svc.fetch_options,
                                      base=svc.settings.telegram_web_base_url)
        else:
            article = await read_article(svc.http, url, svc.fetch_options)
    _cache_quietly(svc, key, article)
    return article


def _cache_quietly(svc: Services, key: str, article: Article) -> None:
    """Cache ``article``; a failed write (disk full, locked or damaged database) is logged
    as an ERROR for the operator, and the user still gets the reply."""
    try:
        article_cache.put(svc.db, key, article_to_json(article), now=svc.clock())
    except svc.db.errors as exc:  # SQLite's OperationalError (SQLITE_FULL) is one of these
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
