"""Building digests and queuing them in the outbox: the daily tick's and ``/digest``'s.

Chats due now are found with one indexed query; a digest is built once per distinct set of
candidate items and chat language, rendered, and written to the outbox in one transaction.
The sender (:mod:`services.delivery`) delivers it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from digest.render.compose import DigestPage, StoryView, render_digest
from digest.schedule import next_delivery
from digest.stories.daily import (
    DigestOptions,
    PlannedStory,
    Selection,
    enrich,
    ranked_pool,
    select_for_chat,
    story_view,
)
from digest.stories.follow import Topic, story_topics
from digest.workers import run_cpu
from i18n.locale import DEFAULT_LANGUAGE, choose_language, day_label, digest_page, topic_label
from services.articles import cached_article
from services.context import Services
from services.follows import NO_TOPICS, ChatTopics, chat_topics
from services.options import SchedulerOptions
from services.vectors import with_vectors
from storage import breaking, outbox, sources
from storage import items as item_store
from storage.chats import Chat, advance_subscription, due_subscriptions, get_subscription
from storage.items import StoredItem

log = logging.getLogger(__name__)

LOOKBACK = timedelta(hours=24)  # a first digest covers the last day
MAX_LOOKBACK = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class BuiltDigest:
    stories: list[PlannedStory[StoredItem]]
    views: list[StoryView]
    muted: int = 0  # stories left out because the chat muted them


@dataclass(frozen=True, slots=True)
class ChatPrefs:
    """What makes one chat's digest its own: its follows and mutes, and the stories it was
    already alerted of (item id → when), shown as one line in its local time."""

    topics: ChatTopics = NO_TOPICS
    alerted: Mapping[int, datetime] = field(default_factory=dict)
    timezone: str = "UTC"


NO_PREFS = ChatPrefs()


def chat_prefs(svc: Services, chat: Chat, now: datetime) -> ChatPrefs:
    return ChatPrefs(chat_topics(svc, chat.id), breaking.alerted_items(svc.db, chat.id, now - MAX_LOOKBACK),
                     chat.timezone)


class DigestBuilder:
    """Builds digests for many chats in one tick: grouping and ranking once per distinct set
    of candidate items (the pool), story matching once per topic, and each story's view once
    per language; what differs per chat (which stories, in which order, marked how) is cheap.

    Most chats read the same sources and have received the same items, so thousands of
    due chats usually need only a handful of distinct pools.
    """

    def __init__(self, svc: Services, options: DigestOptions) -> None:
        self._svc, self._options = svc, options
        self._pools: dict[tuple[int, ...], list[PlannedStory[StoredItem]]] = {}
        self._hits: dict[tuple[tuple[int, ...], str], frozenset[int]] = {}
        self._views: dict[tuple[tuple[int, ...], int, str], StoryView] = {}

    async def build(self, candidates: list[StoredItem], now: datetime,
                    language: str = DEFAULT_LANGUAGE, prefs: ChatPrefs = NO_PREFS) -> BuiltDigest:
        key = tuple(item.id for item in candidates)
        if key not in self._pools:
            candidates = await with_vectors(self._svc, candidates)
            # Grouping thousands of items is CPU work: off the event loop, like feed parsing.
            self._pools[key] = await run_cpu(ranked_pool, candidates, now=now, options=self._options)
        pool = self._pools[key]
        hits = await self._topic_hits(key, pool, prefs.topics)
        selection = select_for_chat(
            len(pool), _labels_by_story(prefs.topics.follows, hits, language),
            {i for topic in prefs.topics.mutes for i in hits[topic.key]},
            _alerted_stories(pool, prefs.alerted), self._options.max_stories)
        views = await self._story_views(key, pool, selection, language)
        marked = [replace(view, followed=choice.followed,
                          alerted_at=_local_time(choice.alerted, prefs.timezone))
                  for view, choice in zip(views, selection.chosen, strict=True)]
        return BuiltDigest([pool[c.index] for c in selection.chosen], marked, selection.muted)

    async def _topic_hits(self, key: tuple[int, ...], pool: list[PlannedStory[StoredItem]],
                          topics: ChatTopics) -> dict[str, frozenset[int]]:
        """For each of the chat's topics, the pool stories it concerns (cached per topic,
        since chats share follows: the Kharkiv follow is matched once per pool). Matching
        hundreds of stories is CPU work, so a new topic is matched in the CPU pool."""
        fresh = [t for t in topics.all if (key, t.key) not in self._hits]
        if fresh:
            found = await run_cpu(_stories_by_topic, pool, fresh, topics.vectors)
            self._hits.update({(key, k): v for k, v in found.items()})
        return {t.key: self._hits[(key, t.key)] for t in topics.all}

    async def _story_views(self, key: tuple[int, ...], pool: list[PlannedStory[StoredItem]],
                           selection: Selection, language: str) -> list[StoryView]:
        """Views of the chosen stories in ``language``; an alerted story (one line) needs
        no article, so only the others are read."""
        options = replace(self._options, prefer_language=language)
        wanted = [c.index for c in selection.chosen
                  if c.alerted is None and (key, c.index, language) not in self._views]
        views = await enrich([pool[i] for i in wanted], lambda url: cached_article(self._svc, url), options)
        self._views.update({(key, i, language): v for i, v in zip(wanted, views, strict=True)})
        return [self._views.get((key, c.index, language)) or story_view(pool[c.index], None, options)
                for c in selection.chosen]


def _stories_by_topic(pool: Sequence[PlannedStory[StoredItem]], topics: Sequence[Topic],
                      vectors: Mapping[str, np.ndarray]) -> dict[str, frozenset[int]]:
    found: dict[str, set[int]] = {t.key: set() for t in topics}
    for index, story in enumerate(pool):
        for topic_key in story_topics(story.items, topics, vectors):
            found[topic_key].add(index)
    return {k: frozenset(v) for k, v in found.items()}


def _labels_by_story(follows: Sequence[Topic], hits: Mapping[str, frozenset[int]],
                     language: str) -> dict[int, tuple[str, ...]]:
    """For each followed story, the names of the follows it concerns, in the reader's language."""
    labels: dict[int, list[str]] = {}
    for topic in follows:
        for index in hits[topic.key]:
            labels.setdefault(index, []).append(topic_label(topic.key, topic.label, language))
    return {index: tuple(names) for index, names in labels.items()}


def _alerted_stories(pool: list[PlannedStory[StoredItem]], alerted: Mapping[int, datetime]) -> dict[int, datetime]:
    """Pool stories holding a report the chat was alerted of, with the earliest alert time."""
    if not alerted:
        return {}
    found: dict[int, datetime] = {}
    for index, story in enumerate(pool):
        times = [alerted[item_id] for item in story.items
                 if (item_id := item.id) in alerted]
        if times:
            found[index] = min(times)
    return found


def _local_time(moment: datetime | None, timezone: str) -> str:
    return "" if moment is None else f"{moment.astimezone(ZoneInfo(timezone)):%H:%M}"


def candidates_for(svc: Services, chat: Chat, now: datetime) -> list[StoredItem]:
    """Items this chat has not received, from its sources, since its last digest."""
    since = outbox.last_digest_at(svc.db, chat.id) or now - LOOKBACK
    since = max(since, now - MAX_LOOKBACK)
    return item_store.undelivered_items(svc.db, chat.id, sources.chat_source_ids(svc.db, chat.id), since=since)


def digest_parts(built: BuiltDigest, label: str, page: DigestPage | None = None) -> list[outbox.Part]:
    """Rendered messages, each with the ids of the items its stories carry."""
    page = page or DigestPage()
    return [
        outbox.Part(part.text, tuple(item.id
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
    page = digest_page(request.language, show_debug=request.show_debug, muted=built.muted)
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
    built = await builder.build(candidates_for(svc, chat, now), now, request.language,
                                chat_prefs(svc, chat, now))
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
    built = await builder.build(candidates_for(svc, request.chat, now), now, request.language,
                                chat_prefs(svc, request.chat, now))
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




async def first_digest(svc: Services, builder: DigestBuilder, chat: Chat, *, today: bool) -> datetime | None:
    """The choice offered right after subscribing: ``today`` queues today's digest at once;
    either way the next one is the first delivery after today. None (nothing done) when the
    chat is no longer subscribed."""
    if get_subscription(svc.db, chat.id) is None:
        return None
    now = svc.clock()
    if today:
        await queue_chat_digest(svc, builder, chat, now)
    next_at = following_delivery(chat, now)
    advance_subscription(svc.db, chat.id, next_digest_at=next_at)
    return next_at
