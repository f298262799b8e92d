"""Building digests and queuing them in the outbox: the daily tick's and ``/digest``'s.

Chats due now are found with one indexed query; a digest is built once per distinct set of
candidate items and chat language, rendered, and written to the outbox in one transaction.
The sender (:mod:`services.delivery`) delivers it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from digest.render.compose import DigestPage, StoryView, render_digest
from digest.schedule import next_delivery
from digest.stories.daily import DigestOptions, PlannedStory, enrich, plan
from digest.workers import run_cpu
from i18n.locale import DEFAULT_LANGUAGE, choose_language, day_label, digest_page
from services.articles import cached_article
from services.context import Services
from services.options import SchedulerOptions
from services.vectors import with_vectors
from storage import items as item_store
from storage import outbox, sources
from storage.chats import Chat, advance_subscription, due_subscriptions
from storage.items import StoredItem

log = logging.getLogger(__name__)

LOOKBACK = timedelta(hours=24)  # a first digest covers the last day
MAX_LOOKBACK = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class BuiltDigest:
    stories: list[PlannedStory]
    views: list[StoryView]


class DigestBuilder:
    """Builds digests for many chats in one tick, once per distinct set of candidate items
    (the plan) and once more per chat language (the views: headlines in that language).

    Most chats read the same sources and have received the same items, so thousands of
    due chats usually need only a handful of distinct digests.
    """

    def __init__(self, svc: Services, options: DigestOptions) -> None:
        self._svc, self._options = svc, options
        self._plans: dict[tuple[int, ...], list[PlannedStory]] = {}
        self._built: dict[tuple[tuple[int, ...], str], BuiltDigest] = {}

    async def build(self, candidates: list[StoredItem], now: datetime,
                    language: str = DEFAULT_LANGUAGE) -> BuiltDigest:
        key = tuple(item.id for item in candidates)
        if key not in self._plans:
            candidates = await with_vectors(self._svc, candidates)
            # Grouping thousands of items is CPU work: off the event loop, like feed parsing.
            self._plans[key] = await run_cpu(plan, candidates, now=now, options=self._options)
        if (key, language) not in self._built:
            options = replace(self._options, prefer_language=language)
            planned = self._plans[key]
            views = await enrich(planned, lambda url: cached_article(self._svc, url), options)
            self._built[(key, language)] = BuiltDigest(planned, views)
        return self._built[(key, language)]


def candidates_for(svc: Services, chat: Chat, now: datetime) -> list[StoredItem]:
    """Items this chat has not received, from its sources, since its last digest."""
    since = outbox.last_digest_at(svc.db, chat.id) or now - LOOKBACK
    since = max(since, now - MAX_LOOKBACK)
    return item_store.undelivered_items(svc.db, chat.id, sources.chat_source_ids(svc.db, chat.id), since=since)


def digest_parts(built: BuiltDigest, label: str, page: DigestPage | None = None) -> list[outbox.Part]:
    """Rendered messages, each with the ids of the items its stories carry."""
    page = page or DigestPage()
    return [
        outbox.Part(part.text, tuple(cast(StoredItem, item).id
                                     for i in part.stories for item in built.stories[i].items))
        for part in render_digest(built.views, label, page)
    ]


@dataclass(frozen=True, slots=True)
class DigestRequest:
    """A chat's digest to write: the chat, its language, and whether to show ranking reasons."""

    chat: Chat
    language: str
    show_debug: bool = False  # operators may ask for the ranking reasons (/digest debug)


def _enqueue(svc: Services, built: BuiltDigest, request: DigestRequest, now: datetime,
             kind: str) -> tuple[int | None, int]:
    """Render ``built`` for the request's chat and write it to the outbox in one transaction;
    the digest id (None when a daily one exists for today) and the number of parts."""
    chat = request.chat
    page = digest_page(request.language, show_debug=request.show_debug)
    parts = digest_parts(built, day_label(now, chat.timezone, request.language), page)
    local_day = now.astimezone(ZoneInfo(chat.timezone)).date()
    digest_id = outbox.enqueue_digest(svc.db, chat.id, local_day, parts,
                                      thread_id=chat.topic_id, now=now, kind=kind)
    return digest_id, len(parts)


async def queue_chat_digest(svc: Services, builder: DigestBuilder, chat: Chat, now: datetime) -> bool:
    """Write today's digest for ``chat`` into the outbox; False if it already has today's,
    or if there is no war news and the operator chose to skip quiet days (QUIET_DAY=skip)."""
    started = time.monotonic()
    # No update at hand: the stored language (a private chat's is recorded at first sight).
    request = DigestRequest(chat, choose_language(chat.language, chat.type, None))
    built = await builder.build(candidates_for(svc, chat, now), now, request.language)
    if not built.views and svc.settings.quiet_day == "skip":
        return False
    digest_id, parts = _enqueue(svc, built, request, now, outbox.DAILY)
    log.info("digest chat=%s stories=%d parts=%d queued=%s ms=%d", chat.id, len(built.views),
             parts, digest_id is not None, (time.monotonic() - started) * 1000)
    return digest_id is not None


async def queue_digest_now(svc: Services, builder: DigestBuilder, request: DigestRequest) -> int:
    """Queue the war news since the chat's last digest for sending right away; the number
    of parts. Like the daily digest it goes through the outbox and the send gate, and its
    items count as received once Telegram confirms them, so the next digest skips them."""
    now = svc.clock()
    built = await builder.build(candidates_for(svc, request.chat, now), now, request.language)
    return _enqueue(svc, built, request, now, outbox.ON_DEMAND)[1]


async def queue_due_digests(svc: Services, options: SchedulerOptions) -> int:
    """Queue every due chat's digest; a digest missed on an earlier day is skipped, not sent
    late (the news would be stale), but one missed earlier today is sent now."""
    now, queued = svc.clock(), 0
    builder = DigestBuilder(svc, options.digest)
    for chat, subscription in due_subscriptions(svc.db, now):
        zone = ZoneInfo(chat.timezone)
        if subscription.next_digest_at.astimezone(zone).date() == now.astimezone(zone).date():
            queued += await queue_chat_digest(svc, builder, chat, now)
        else:
            log.info("chat %s missed its digest of %s; next one as usual", chat.id,
                     subscription.next_digest_at.astimezone(zone).date())
        advance_subscription(svc.db, chat.id, next_digest_at=following_delivery(chat, now))
    return queued


def following_delivery(chat: Chat, now: datetime) -> datetime:
    """The next delivery after today's digest: never later today, since today's is done."""
    zone = ZoneInfo(chat.timezone)
    when = next_delivery(chat.delivery_time, chat.timezone, now)
    if when.astimezone(zone).date() == now.astimezone(zone).date():
        when = next_delivery(chat.delivery_time, chat.timezone, when)
    return when


