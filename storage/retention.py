"""Months of running: old rows pruned in small batches, and the space given back to the disk.

Item identity keys (``seen_keys``) are kept far longer (see :func:`key_cutoff`).
Items, deliveries, sent (or dropped, or long-failed) outbox parts and their digests older
than ``RETENTION_DAYS`` are deleted. Each batch is its own short transaction, so the sender
(which commits once per confirmed message) waits at most one batch for the write lock; the
async caller yields to the event loop between batches. Pending parts are never touched.

Deleted rows leave free pages inside the file; ``auto_vacuum=INCREMENTAL`` (set by
:func:`storage.db.open_database`) lets :func:`reclaim` hand a bounded number of them back to
the file system per call, again without one long lock.

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> report = prune(open_database(":memory:"), now=datetime(2026, 6, 1, tzinfo=UTC))
>>> report.total, report.batches
(0, 1)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from storage.db import utc_iso
from storage.engine import Database
from storage.items import listed_day


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long rows live and how much work one step may do.

    ``batch``: rows deleted per transaction (a few milliseconds of lock at this size).
    ``max_batches``: batches per call of :func:`prune_async` (None: until done), so one tick
    never spends long on a backlog (the first run after an upgrade); the next tick goes on.
    """

    days: int = 90
    batch: int = 2000
    max_batches: int | None = None


#: Days an item's identity keys outlive the retention cut-off (see :func:`key_cutoff`).
KEY_DAYS = 365

#: Free pages handed back per :func:`reclaim` step (2 MB with 4 KB pages).
VACUUM_STEP_PAGES = 500


@dataclass(slots=True)
class PruneReport:
    """Rows deleted per table, pages given back, and how many batches it took."""

    outbox: int = 0
    digests: int = 0
    deliveries: int = 0
    items: int = 0
    alerts: int = 0  # breaking_sent and breaking_stories rows
    keys: int = 0  # identity keys of items no feed has listed for KEY_DAYS
    pages_freed: int = 0
    batches: int = 0

    @property
    def total(self) -> int:
        return self.outbox + self.digests + self.deliveries + self.items + self.alerts + self.keys

    def add(self, other: PruneReport) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def prune_batch(db: Database, cutoff: datetime, batch: int) -> PruneReport:
    """Delete up to ``batch`` old rows of each table, in one transaction; a report of zeros
    means nothing older than ``cutoff`` is left.

    Order matters for the foreign keys: outbox parts before their digests, deliveries
    before their items.
    """
    stamp = utc_iso(cutoff)
    report = PruneReport(batches=1)
    with db.atomic():
        report.outbox = db.execute(
            """delete from outbox where id in (
                 select o.id from outbox o join digests d on d.id = o.digest_id
                 where d.created_at < ? and o.status not in ('pending', 'sending') limit ?)""", [stamp, batch]).rowcount
        report.digests = db.execute(
            """delete from digests where id in (
                 select d.id from digests d where d.created_at < ?
                   and not exists (select 1 from outbox o where o.digest_id = d.id) limit ?)""",
            [stamp, batch]).rowcount
        old_items = [row[0] for row in db.execute(
            "select id from items where seen_at < ? order by seen_at limit ?", [stamp, batch])]
        if old_items:
            marks = ",".join("?" * len(old_items))
            report.deliveries = db.execute(
                f"delete from deliveries where item_id in ({marks})", old_items).rowcount
            report.items = db.execute(f"delete from items where id in ({marks})", old_items).rowcount
        report.alerts = _prune_alerts(db, stamp, batch)
        report.keys = db.execute(
            """delete from seen_keys where key in (
                 select key from seen_keys where listed_day < ? limit ?)""",
            [listed_day(key_cutoff(cutoff)), batch]).rowcount
    return report


def key_cutoff(cutoff: datetime) -> datetime:
    """Identity keys (a few dozen bytes an item) stay ``RETENTION_DAYS`` plus :data:`KEY_DAYS`
    after the last poll that listed their item: an item a feed still lists, or lists again
    within that time, is never new again."""
    return cutoff - timedelta(days=KEY_DAYS)


def _prune_alerts(db: Database, stamp: str, batch: int) -> int:
    """Old alert records: who got which story, and the stories themselves (a story's
    memory only matters while it can still grow, days at most)."""
    sent = db.execute(
        """delete from breaking_sent where (chat_id, story_key) in (
             select chat_id, story_key from breaking_sent where queued_at < ? limit ?)""",
        [stamp, batch]).rowcount
    stories = db.execute(
        """delete from breaking_stories where key in (
             select key from breaking_stories where updated_at < ? limit ?)""", [stamp, batch]).rowcount
    return sent + stories


def reclaim(db: Database) -> int:
    """Give up to :data:`VACUUM_STEP_PAGES` free pages back to the file system (one short
    write lock); returns how many went. On PostgreSQL autovacuum does this: 0.
    """
    return db.reclaim(VACUUM_STEP_PAGES)


def cutoff_for(now: datetime, policy: RetentionPolicy) -> datetime:
    return now - timedelta(days=policy.days)


def prune(db: Database, *, now: datetime, policy: RetentionPolicy = RetentionPolicy()) -> PruneReport:
    """Prune everything older than the policy allows, batch after batch, then reclaim all
    the free pages (in steps). For command-line and test use; the bot uses :func:`prune_async`."""
    report = PruneReport()
    while True:
        step = prune_batch(db, cutoff_for(now, policy), policy.batch)
        report.add(step)
        if step.total == 0:
            break
    while (freed := reclaim(db)) > 0:
        report.pages_freed += freed
    return report


async def prune_async(db: Database, *, now: datetime,
                      policy: RetentionPolicy = RetentionPolicy()) -> PruneReport:
    """:func:`prune`, yielding to the event loop between batches so sends go on meanwhile,
    and stopping after ``policy.max_batches``."""
    report = PruneReport()
    while policy.max_batches is None or report.batches < policy.max_batches:
        step = prune_batch(db, cutoff_for(now, policy), policy.batch)
        report.add(step)
        await asyncio.sleep(0)
        if step.total == 0:
            break
    while (freed := reclaim(db)) > 0:
        report.pages_freed += freed
        await asyncio.sleep(0)
    return report
