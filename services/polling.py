"""Feed polling: fetch the feeds that are due, parse them off the event loop, store new items.

Each feed is isolated: a failure is recorded on that source alone, with backoff, and never
stops the others. A global cap and a per-host cap keep one slow outlet from holding the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from digest.errors import DigestError, FetchError, HTTPStatusError
from digest.feeds.parse import ParsedFeed, parse_feed
from digest.feeds.polling import PollPolicy, next_poll_at
from digest.feeds.telegram import is_channel_source
from digest.reader.fetch import fetch
from digest.urls import normalize_url
from digest.workers import run_cpu
from services.channels import poll_channel
from services.context import Services
from services.options import SchedulerOptions
from storage import channels as channel_store
from storage import items as item_store
from storage import sources
from storage.items import NewItem

log = logging.getLogger(__name__)

BACKLOG_AGE = timedelta(hours=48)  # a new source's older items are recorded, never offered


@dataclass
class PollReport:
    polled: int = 0
    unchanged: int = 0
    new_items: int = 0
    failed: int = 0



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
        when = next_poll_at(now, _policy(source, options), failures=source.failures + 1,
                            retry_after=retry)
        outcome, status, added = sources.PollOutcome(when, error=_describe(error)), type(error).__name__, 0
    sources.record_poll(svc.db, source.id, outcome, now=now)
    log.info("fetch source=%r status=%s new=%d ms=%d", source.name, status, added,
             (time.monotonic() - started) * 1000)


async def _fetch_and_store(svc: Services, source: sources.SourceRow, options: SchedulerOptions,
                           now: datetime) -> tuple[sources.PollOutcome, str, int]:
    if is_channel_source(source.feed_url):
        outcome, feed = await poll_channel(svc, source, options.channel_poll, now)
        added = store_items(svc, source.id, new_items(feed), now) if feed else 0
        return outcome, "ok" if feed else "304", added
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


def _policy(source: sources.SourceRow, options: SchedulerOptions) -> PollPolicy:
    return options.channel_poll if is_channel_source(source.feed_url) else options.poll


def _within_channel_budget(svc: Services, due: list[sources.SourceRow],
                           options: SchedulerOptions) -> list[sources.SourceRow]:
    """Due feeds, and as many due channels as the per-minute cap leaves room for; the rest
    stay due and go first on a later tick (the oldest due time comes first)."""
    now = svc.clock()
    room = options.channels_per_minute - channel_store.channel_polls_since(
        svc.db, now - timedelta(minutes=1))
    channels = [s for s in due if is_channel_source(s.feed_url)][: max(room, 0)]
    return [s for s in due if not is_channel_source(s.feed_url)] + channels


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

    due = _within_channel_budget(svc, sources.due_sources(svc.db, svc.clock()), options)
    await asyncio.gather(*(guarded(s) for s in due))
    return report


