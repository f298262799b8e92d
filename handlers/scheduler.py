"""The one recurring tick: poll the feeds that are due, then queue the digests that are due.

Everything it needs is in SQLite (sources with their next poll time, subscriptions with
their next digest time), so a restart loses nothing and one indexed query finds the due
chats whether there are ten or fifty thousand. The sender (:mod:`handlers.delivery`) then
drains the outbox this tick fills.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from telegram.ext import Application, ContextTypes

from digest.errors import DigestError, FetchError, HTTPStatusError
from digest.feeds.parse import ParsedFeed, parse_feed
from digest.feeds.polling import PollPolicy, next_poll_at
from digest.reader.fetch import fetch
from digest.render.compose import DigestPage, StoryView, render_digest
from digest.schedule import next_delivery
from digest.stories.daily import DigestOptions, PlannedStory, enrich, plan
from digest.urls import normalize_url
from digest.workers import run_cpu
from handlers.i18n import choose_language, day_label, digest_page
from handlers.links import cached_article
from handlers.services import Services, services
from storage import article_cache, outbox, sources
from storage import items as item_store
from storage.chats import Chat, advance_subscription, due_subscriptions
from storage.items import NewItem, StoredItem

log = logging.getLogger(__name__)

BACKLOG_AGE = timedelta(hours=48)  # a new source's older items are recorded, never offered
LOOKBACK = timedelta(hours=24)  # a first digest covers the last day
MAX_LOOKBACK = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class SchedulerOptions:
    tick_seconds: float = 60.0
    poll: PollPolicy = field(default_factory=PollPolicy)
    feeds_at_once: int = 8
    feeds_per_host: int = 2
    digest: DigestOptions = field(default_factory=DigestOptions)


@dataclass
class PollReport:
    polled: int = 0
    unchanged: int = 0
    new_items: int = 0
    failed: int = 0


# -- feeds ---------------------------------------------------------------------------------

def new_items(parsed: ParsedFeed) -> list[NewItem]:
    """Feed entries as storable items (entries without a usable link are skipped)."""
    result = []
    for entry in parsed.items:
        try:
            key = normalize_url(entry.url)
        except DigestError:
            continue
        result.append(NewItem(entry.guid, entry.url, key, entry.title, entry.summary,
                              entry.author, entry.language, entry.published))
    return result


def store_items(svc: Services, source_id: int, items: list[NewItem], now: datetime) -> int:
    """Store new items; on a source's first poll only the last 48 h are offered."""
    if item_store.source_has_items(svc.db, source_id):
        return item_store.add_items(svc.db, source_id, items, offered=True, now=now)
    def is_fresh(item: NewItem) -> bool:
        return item.published_at is None or now - item.published_at <= BACKLOG_AGE

    fresh = [i for i in items if is_fresh(i)]
    backlog = [i for i in items if not is_fresh(i)]
    added = item_store.add_items(svc.db, source_id, fresh, offered=True, now=now)
    return added + item_store.add_items(svc.db, source_id, backlog, offered=False, now=now)


async def poll_source(svc: Services, source: sources.SourceRow, options: SchedulerOptions,
                      report: PollReport) -> None:
    """Poll one feed; any failure is recorded on that source alone, with backoff.

    Logs one structured line per fetch: ``fetch source=… status=… new=… ms=…``.
    """
    now, started = svc.clock(), time.monotonic()
    try:
        outcome, status, added = await _fetch_and_store(svc, source, options, now)
        report.polled += 1
        report.unchanged += status == "304"
        report.new_items += added
    except DigestError as error:
        report.failed += 1
        retry = error.retry_after if isinstance(error, HTTPStatusError) else None
        when = next_poll_at(now, options.poll, failures=source.failures + 1, retry_after=retry)
        outcome, status, added = sources.PollOutcome(when, error=_describe(error)), type(error).__name__, 0
    sources.record_poll(svc.db, source.id, outcome, now=now)
    log.info("fetch source=%r status=%s new=%d ms=%d", source.name, status, added,
             (time.monotonic() - started) * 1000)


async def _fetch_and_store(svc: Services, source: sources.SourceRow, options: SchedulerOptions,
                           now: datetime) -> tuple[sources.PollOutcome, str, int]:
    assert svc.http is not None
    result = await fetch(svc.http, source.feed_url, svc.fetch_options, etag=source.etag,
                         last_modified=source.last_modified, kind="feed")
    ttl, added = None, 0
    if not result.not_modified:
        # Parsing a big feed takes a while: off the event loop, so the bot keeps answering.
        parsed = await run_cpu(parse_feed, result.content, url=result.url,
                               source=source.name, language=source.language)
        ttl, added = parsed.ttl_minutes, store_items(svc, source.id, new_items(parsed), now)
    when = next_poll_at(now, options.poll, ttl_minutes=ttl, retry_after=result.retry_after)
    outcome = sources.PollOutcome(when, etag=result.etag, last_modified=result.last_modified)
    return outcome, "304" if result.not_modified else "ok", added


def _describe(error: DigestError) -> str:
    if isinstance(error, FetchError) and "anti-bot" in str(error):
        return f"blocked by an anti-bot wall ({error})"
    return f"{type(error).__name__}: {error}"


async def poll_feeds(svc: Services, options: SchedulerOptions) -> PollReport:
    """Poll every due feed concurrently: a global cap and a per-host cap, each feed isolated."""
    report = PollReport()
    overall = asyncio.Semaphore(options.feeds_at_once)
    per_host: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(options.feeds_per_host))

    async def guarded(source: sources.SourceRow) -> None:
        async with overall, per_host[urlsplit(source.feed_url).hostname or ""]:
            await poll_source(svc, source, options, report)

    await asyncio.gather(*(guarded(s) for s in sources.due_sources(svc.db, svc.clock())))
    return report


# -- digests -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class BuiltDigest:
    stories: list[PlannedStory]
    views: list[StoryView]


class DigestBuilder:
    """Builds digests for many chats in one tick, once per distinct set of candidate items.

    Most chats read the same sources and have received the same items, so thousands of
    due chats usually need only a handful of distinct digests.
    """

    def __init__(self, svc: Services, options: DigestOptions) -> None:
        self._svc, self._options = svc, options
        self._built: dict[tuple[int, ...], BuiltDigest] = {}

    async def build(self, candidates: list[StoredItem], now: datetime) -> BuiltDigest:
        key = tuple(item.id for item in candidates)
        if key not in self._built:
            # Grouping thousands of items is CPU work: off the event loop, like feed parsing.
            planned = await run_cpu(plan, candidates, now=now, options=self._options)
            views = await enrich(planned, lambda url: cached_article(self._svc, url), self._options)
            self._built[key] = BuiltDigest(planned, views)
        return self._built[key]


def candidates_for(svc: Services, chat: Chat, now: datetime) -> list[StoredItem]:
    """Items this chat has not received, from its sources, since its last digest."""
    since = outbox.last_digest_at(svc.db, chat.id) or now - LOOKBACK
    since = max(since, now - MAX_LOOKBACK)
    return item_store.undelivered_items(svc.db, chat.id, sources.chat_source_ids(svc.db, chat.id), since=since)


def digest_parts(built: BuiltDigest, label: str, page: DigestPage | None = None) -> list[outbox.Part]:
    """Rendered messages, each with the ids of the items its stories carry."""
    page = page or DigestPage()
    return [
        outbox.Part(part.text, tuple(item.id for i in part.stories for item in built.stories[i].items))  # type: ignore[attr-defined]
        for part in render_digest(built.views, label, page)
    ]


async def queue_chat_digest(svc: Services, builder: DigestBuilder, chat: Chat, now: datetime) -> bool:
    """Write today's digest for ``chat`` into the outbox; False if it already has today's,
    or if there is no war news and the operator chose to skip quiet days (QUIET_DAY=skip)."""
    started = time.monotonic()
    built = await builder.build(candidates_for(svc, chat, now), now)
    if not built.views and svc.settings.quiet_day == "skip":
        return False
    local_day = now.astimezone(ZoneInfo(chat.timezone)).date()
    # No update at hand: the stored language (a private chat's is recorded at first sight).
    language = choose_language(chat.language, chat.type, None)
    parts = digest_parts(built, day_label(now, chat.timezone, language), digest_page(language))
    digest_id = outbox.enqueue_digest(svc.db, chat.id, local_day, parts, thread_id=chat.topic_id, now=now)
    log.info("digest chat=%s stories=%d parts=%d queued=%s ms=%d", chat.id, len(built.views),
             len(parts), digest_id is not None, (time.monotonic() - started) * 1000)
    return digest_id is not None


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


# -- the tick ------------------------------------------------------------------------------

def prune_caches(svc: Services) -> int:
    """Drop cached articles older than ARTICLE_CACHE_HOURS: they would never be read again."""
    max_age = timedelta(hours=svc.settings.article_cache_hours)
    return article_cache.prune(svc.db, max_age=max_age, now=svc.clock())


OPTIONS_KEY = "scheduler_options"


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Poll due feeds, then queue due digests. Errors are logged and the next tick retries."""
    svc = services(context)
    options: SchedulerOptions = context.bot_data.get(OPTIONS_KEY) or SchedulerOptions()
    report = await poll_feeds(svc, options)
    queued = await queue_due_digests(svc, options)
    prune_caches(svc)
    if report.polled or report.failed or queued:
        log.info("tick: %d feeds polled (%d unchanged, %d failed), %d new items, %d digests queued",
                 report.polled, report.unchanged, report.failed, report.new_items, queued)


def register(app: Application) -> None:  # type: ignore[type-arg]
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    options: SchedulerOptions = app.bot_data.get(OPTIONS_KEY) or SchedulerOptions()
    app.job_queue.run_repeating(tick, interval=options.tick_seconds, first=1.0, name="tick")
