"""The tick without Telegram: feeds polled from a local server into SQLite, digests queued
for the chats that are due, with a clock the test controls (no sleeping)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.digests import queue_due_digests
from services.options import SchedulerOptions
from services.polling import poll_feeds
from services.tick import prune_caches
from storage import article_cache, outbox
from storage.chats import get_subscription
from storage.sources import get_source
from tests import scheduler_world
from tests.feedgen import Entry, rss
from tests.pageserver import Reply
from tests.scheduler_world import START, subscriber

world = scheduler_world.world  # the fixture, for this module's tests


async def test_poll_stores_items_and_holds_back_a_new_sources_backlog(world) -> None:  # type: ignore[no-untyped-def]
    svc, _, _ = world
    report = await poll_feeds(svc, SchedulerOptions())
    assert (report.polled, report.failed, report.new_items) == (2, 0, 4)
    offered = {r["guid"]: r["offered"] for r in svc.db.query("select * from items")}
    assert offered == {"alpha-1": 1, "alpha-old": 0, "beta-1": 1, "beta-old": 0}


async def test_unchanged_feed_costs_a_304_and_is_not_polled_before_its_time(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, pages = world
    await poll_feeds(svc, SchedulerOptions())
    assert (await poll_feeds(svc, SchedulerOptions())).polled == 0, "not due yet"
    clock.now += timedelta(minutes=15)
    report = await poll_feeds(svc, SchedulerOptions())
    assert (report.polled, report.unchanged, report.new_items) == (2, 2, 0)


async def test_failing_feed_backs_off_and_does_not_stall_the_other(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, pages = world
    pages.add("/beta/rss", Reply(b"oops", status=503))
    report = await poll_feeds(svc, SchedulerOptions())
    assert (report.polled, report.failed) == (1, 1)
    beta = get_source(svc.db, 2)
    assert beta is not None and beta.failures == 1 and "503" in (beta.last_error or "")
    clock.now += timedelta(minutes=15)
    assert (await poll_feeds(svc, SchedulerOptions())).failed == 0, "backed off past 10 min"


async def test_digest_queued_at_local_time_with_one_story_from_two_outlets(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, _ = world
    await poll_feeds(svc, SchedulerOptions())
    subscriber(svc, 7, next_at=START + timedelta(minutes=30))
    assert await queue_due_digests(svc, SchedulerOptions()) == 0
    clock.now = START + timedelta(minutes=30)
    assert await queue_due_digests(svc, SchedulerOptions()) == 1
    [part] = outbox.due_messages(svc.db, clock.now)
    assert part.text.count("Reported by") == 1 and "Alpha" in part.text and "Beta" in part.text
    assert "Kharkiv" not in part.text, "backlog items are not offered"
    assert "restore heating" in part.text, "the article was read for the key quote"
    next_at = get_subscription(svc.db, 7).next_digest_at  # type: ignore[union-attr]
    assert next_at == datetime(2026, 11, 26, 6, tzinfo=UTC)


async def test_next_day_digest_has_only_new_items(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, pages = world
    await poll_feeds(svc, SchedulerOptions())
    subscriber(svc, 7, next_at=START)
    await queue_due_digests(svc, SchedulerOptions())
    for part in outbox.due_messages(svc.db, clock.now):
        outbox.mark_sent(svc.db, part.id, telegram_message_id=1, now=clock.now)
    clock.now = START + timedelta(days=1, minutes=30)
    base = pages.url("").rstrip("/")
    kyiv = Entry("alpha-2", "Kyiv metro stations used as shelters during missile alert",
                 "Residents of Kyiv sheltered in metro stations as air defence repelled a Russian missile attack.",
                 clock.now - timedelta(hours=2), f"{base}/alpha/kyiv")
    pages.add("/alpha/rss", Reply(rss("alpha", [kyiv]), content_type="application/rss+xml", etag='"v2"'))
    await poll_feeds(svc, SchedulerOptions())
    assert await queue_due_digests(svc, SchedulerOptions()) == 1
    newest = outbox.due_messages(svc.db, clock.now)[0].text
    assert "Kyiv metro" in newest and "Odesa" not in newest


async def test_digest_missed_on_an_earlier_day_is_skipped_not_sent_late(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, _ = world
    subscriber(svc, 7, next_at=START - timedelta(days=1))
    assert await queue_due_digests(svc, SchedulerOptions()) == 0
    assert get_subscription(svc.db, 7).next_digest_at > clock.now  # type: ignore[union-attr]


async def test_never_two_digests_the_same_day(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, _ = world
    subscriber(svc, 7, next_at=START)
    assert await queue_due_digests(svc, SchedulerOptions()) == 1
    svc.db.update("subscriptions", {"chat_id": 7}, {"next_digest_at": START.isoformat()})  # as if a restart raced
    assert await queue_due_digests(svc, SchedulerOptions()) == 0
    assert svc.db.execute("select count(*) from digests").fetchone()[0] == 1


async def test_quiet_day_gets_a_short_note(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, _ = world
    subscriber(svc, 7, next_at=START)
    await queue_due_digests(svc, SchedulerOptions())
    assert "quiet day" in outbox.due_messages(svc.db, clock.now)[0].text


async def test_quiet_day_can_be_skipped(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, _ = world
    quiet = replace(svc, settings=replace(svc.settings, quiet_day="skip"))
    subscriber(quiet, 7, next_at=START)
    assert await queue_due_digests(quiet, SchedulerOptions()) == 0
    assert outbox.due_messages(quiet.db, clock.now) == []
    assert get_subscription(quiet.db, 7).next_digest_at > clock.now  # type: ignore[union-attr]


async def test_the_tick_prunes_articles_past_the_cache_age(world) -> None:  # type: ignore[no-untyped-def]
    svc, clock, _ = world
    article_cache.put(svc.db, "https://old.example/a", {"title": "old"}, now=clock.now - timedelta(hours=30))
    article_cache.put(svc.db, "https://new.example/b", {"title": "new"}, now=clock.now - timedelta(hours=1))
    assert prune_caches(svc) == 1
    assert [r["url_key"] for r in svc.db.query("select * from article_cache")] == ["https://new.example/b"]


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>',
    b"",
])
async def test_p2_row_20_an_empty_feed_is_a_quiet_success(world, body: bytes) -> None:  # type: ignore[no-untyped-def]
    svc, _clock, pages = world
    pages.add("/beta/rss", Reply(body, content_type="application/rss+xml"))
    report = await poll_feeds(svc, SchedulerOptions())
    assert report.failed == 0
    beta = get_source(svc.db, 2)
    assert beta is not None and beta.failures == 0 and beta.last_error is None
    assert beta.last_success_at is not None
