"""The one recurring tick: poll the feeds that are due, queue the digests that are due, prune.

Everything it needs is in SQLite (sources with their next poll time, subscriptions with
their next digest time), so a restart loses nothing and one indexed query finds the due
chats whether there are ten or fifty thousand. ``handlers/jobs.py`` runs it on PTB's
JobQueue; tests and benchmarks call it directly.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from services.breaking import check_alerts
from services.context import Services
from services.digests import queue_due_digests
from services.options import SchedulerOptions
from services.polling import poll_feeds
from services.vectors import encode_pending
from storage import article_cache
from storage.retention import PruneReport, RetentionPolicy, prune_async

log = logging.getLogger(__name__)


#: Per tick, at most this many pruning transactions (of 2,000 rows each).
RETENTION_BATCHES_PER_TICK = 25


async def prune_old_rows(svc: Services) -> PruneReport:
    """Rows older than RETENTION_DAYS (items, deliveries, sent digests) go, a bounded amount
    per tick in short transactions, and their space is handed back to the disk."""
    policy = RetentionPolicy(days=svc.settings.retention_days, max_batches=RETENTION_BATCHES_PER_TICK)
    report = await prune_async(svc.db, now=svc.clock(), policy=policy)
    if report.total or report.pages_freed:
        log.info("retention: %d items, %d deliveries, %d outbox parts, %d digests pruned; "
                 "%d pages freed", report.items, report.deliveries, report.outbox, report.digests,
                 report.pages_freed)
    return report


def prune_caches(svc: Services) -> int:
    """Drop cached articles older than ARTICLE_CACHE_HOURS: they would never be read again."""
    max_age = timedelta(hours=svc.settings.article_cache_hours)
    return article_cache.prune(svc.db, max_age=max_age, now=svc.clock())


async def tick(svc: Services, options: SchedulerOptions) -> None:
    """Poll due feeds, alert on breaking stories, then queue due digests. Errors propagate to
    the caller's error handler; the next tick retries, because every step starts again from
    what SQLite says is due."""
    encoded = await encode_pending(svc)  # left over from before a restart or a slow tick
    report = await poll_feeds(svc, options)
    encoded += await encode_pending(svc)
    if report.new_items or encoded:  # stories change only when reports (or vectors) arrive
        alerts = await check_alerts(svc, options.alerts)
        if alerts.queued:
            log.info("alerts: %d stories, %d messages queued", alerts.stories, alerts.queued)
    queued = await queue_due_digests(svc, options)
    prune_caches(svc)
    await prune_old_rows(svc)
    if report.polled or report.failed or queued:
        log.info("tick: %d feeds polled (%d unchanged, %d failed), %d new items, %d encoded, "
                 "%d digests queued", report.polled, report.unchanged, report.failed,
                 report.new_items, encoded, queued)
