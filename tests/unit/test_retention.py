"""Retention: old items, deliveries and sent digests are pruned in batches, pending parts
never, and the freed pages go back to the disk (incremental vacuum)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import Database, open_database, outbox
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.items import NewItem, add_items
from storage.retention import RetentionPolicy, prune, prune_async, prune_batch
from storage.sources import SourceSpec, sync_sources

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
OLD = NOW - timedelta(days=120)
RECENT = NOW - timedelta(days=2)


def _item(n: int) -> NewItem:
    url = f"https://o.example/{n}"
    return NewItem(f"g{n}", url, url, f"Title {n}", "summary " * 40, None, "en", None)


def _fill(db: Database, *, at: datetime, first: int, count: int, status: str = outbox.SENT) -> int:
    """``count`` items seen at ``at``, one chat's digest carrying them, delivered if sent."""
    source = sync_sources(db, [SourceSpec("Outlet", "https://o.example/rss", "en", "international", True)],
                          origin="builtin")[0]
    add_items(db, source.id, [_item(n) for n in range(first, first + count)], offered=True, now=at)
    ids = [row[0] for row in db.execute("select id from items where seen_at = ?", [at.isoformat()])]
    ensure_chat(db, 1, NewChat(type="private"), ChatDefaults())
    digest = outbox.enqueue_digest(db, 1, at.date(), [outbox.Part("text " * 500, tuple(ids))],
                                   thread_id=None, now=at)
    assert digest is not None
    [part] = outbox.due_messages(db, at + timedelta(seconds=1))
    if status == outbox.SENT:
        outbox.mark_sent(db, part.id, telegram_message_id=7, now=at)
    return digest


def _count(db: Database, table: str) -> int:
    return int(db.execute(f"select count(*) from {table}").fetchone()[0])


def test_old_rows_go_recent_rows_stay(db: Database) -> None:
    _fill(db, at=OLD, first=0, count=50)
    _fill(db, at=RECENT, first=100, count=30)
    report = prune(db, now=NOW, policy=RetentionPolicy(days=90, batch=7))
    assert (report.items, report.deliveries, report.outbox, report.digests) == (50, 50, 1, 1)
    assert report.batches > 7, "small batches, each its own transaction"
    assert _count(db, "items") == 30 and _count(db, "deliveries") == 30
    assert _count(db, "digests") == 1 and _count(db, "outbox") == 1


def test_pending_parts_are_never_pruned_and_can_still_be_sent(db: Database) -> None:
    digest = _fill(db, at=OLD, first=0, count=5, status=outbox.PENDING)
    prune(db, now=NOW)
    assert _count(db, "items") == 0, "the items are old"
    [part] = outbox.due_messages(db, NOW)
    assert part.digest_id == digest
    outbox.mark_sent(db, part.id, telegram_message_id=9, now=NOW)  # its items are gone: fine
    assert _count(db, "deliveries") == 0
    assert db.execute("select status from outbox").fetchone()[0] == outbox.SENT


def test_nothing_to_prune_is_one_cheap_batch(db: Database) -> None:
    _fill(db, at=RECENT, first=0, count=3)
    assert prune_batch(db, NOW - timedelta(days=90), 100).total == 0


def test_new_database_uses_incremental_vacuum(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_database_is_switched_once_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with closing(sqlite3.connect(path)) as old:
        old.execute("create table notes (text)")
        old.execute("insert into notes values ('kept')")
        old.commit()
        assert old.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    db = open_database(path)
    assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    assert db.execute("select text from notes").fetchone()[0] == "kept"


async def test_pruning_gives_the_space_back_to_the_disk(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    for day in range(20):
        _fill(db, at=OLD + timedelta(days=day), first=day * 200, count=200)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = (tmp_path / "bot.db").stat().st_size
    report = await prune_async(db, now=NOW, policy=RetentionPolicy(batch=500))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    after = (tmp_path / "bot.db").stat().st_size
    assert report.items == 4000 and report.pages_freed > 0
    assert after < before / 3, (before, after)
    assert db.execute("PRAGMA freelist_count").fetchone()[0] == 0


def test_record_deliveries_skips_pruned_items(db: Database) -> None:
    ensure_chat(db, 5, NewChat(type="private"), ChatDefaults())
    outbox.record_deliveries(db, 5, [12345], now=NOW)
    assert _count(db, "deliveries") == 0


async def test_the_tick_prunes_past_retention_days_a_bounded_amount_at_a_time(db: Database) -> None:
    from services.context import Services
    from services.options import SchedulerOptions
    from services.tick import RETENTION_BATCHES_PER_TICK, prune_old_rows, tick
    from settings import load_settings

    _fill(db, at=NOW - timedelta(days=40), first=0, count=20)
    _fill(db, at=NOW - timedelta(days=10), first=100, count=10)
    settings = load_settings({"BOT_TOKEN": "1:x", "RETENTION_DAYS": "30"})
    svc = Services(settings=settings, db=db, clock=lambda: NOW)
    db.execute("update sources set next_poll_at = ?", [(NOW + timedelta(hours=1)).isoformat()])
    await tick(svc, SchedulerOptions())  # no feed due, no digest due: the tick still prunes
    assert _count(db, "items") == 10 and _count(db, "digests") == 1
    report = await prune_old_rows(svc)
    assert report.total == 0 and report.batches == 1
    assert RETENTION_BATCHES_PER_TICK >= 1


async def test_max_batches_bounds_one_call(db: Database) -> None:
    _fill(db, at=OLD, first=0, count=50)
    first = await prune_async(db, now=NOW, policy=RetentionPolicy(batch=10, max_batches=2))
    assert first.batches == 2 and first.items == 20
    rest = await prune_async(db, now=NOW, policy=RetentionPolicy(batch=10))
    assert rest.items == 30 and _count(db, "items") == 0


def test_p2_row_02_an_undated_item_pruned_by_retention_is_never_new_again(db: Database) -> None:
    source = sync_sources(db, [SourceSpec("Outlet", "https://o.example/rss", "en", "international", True)],
                          origin="builtin")[0]
    undated = NewItem("guid-1", "https://o.example/a", "o.example/a", "Shelling of a port city",
                      "", None, "en", None)
    day = timedelta(days=1)
    assert add_items(db, source.id, [undated], offered=True, now=NOW - 95 * day) == 1
    # The feed keeps listing it; retention prunes its body and delivery after 90 days.
    for days_ago in (60, 30, 1):
        assert add_items(db, source.id, [undated], offered=True, now=NOW - days_ago * day) == 0
    report = prune(db, now=NOW, policy=RetentionPolicy(days=90))
    assert report.items == 1 and _count(db, "items") == 0
    assert add_items(db, source.id, [undated], offered=True, now=NOW) == 0
    # Its URL under a new GUID, or its text under a new GUID and URL, is the same item too.
    moved = NewItem("guid-2", "https://o.example/a?utm=x", "o.example/a", "Other", "", None, "en", None)
    long_text = NewItem("g", "u", "k", "Headline", "summary " * 40, None, "en", None)
    assert add_items(db, source.id, [moved, long_text], offered=True, now=NOW) == 1
    prune(db, now=NOW + 100 * day, policy=RetentionPolicy(days=90))
    relisted = NewItem("g-new", "u-new", "k-new", "headline", " summary" * 40, None, "en", None)
    assert add_items(db, source.id, [relisted], offered=True, now=NOW + 100 * day) == 0


def test_p2_row_02_keys_of_items_no_feed_lists_any_more_go_eventually(db: Database) -> None:
    _fill(db, at=OLD - timedelta(days=400), first=0, count=3)
    prune(db, now=NOW)
    assert _count(db, "seen_keys") == 0
