"""Sources, items and per-chat choices on real in-memory databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage import Database, open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.items import NewItem, add_items, source_has_items, undelivered_items
from storage.outbox import Part, due_messages, enqueue_digest, mark_sent
from storage.sources import (
    PollOutcome,
    SourceSpec,
    chat_source_ids,
    due_sources,
    get_source,
    record_poll,
    set_chat_source,
    set_disabled,
    sync_sources,
)

NOW = datetime(2026, 11, 25, 6, tzinfo=UTC)
EN = SourceSpec("English outlet", "https://en.example/rss", "en", "international", True)
UK = SourceSpec("Ukrainian outlet", "https://uk.example/rss", "uk", "ukrainian_media", False)


@pytest.fixture
def db(db: Database) -> Database:
    database = db
    sync_sources(database, [EN, UK], origin="builtin")
    ensure_chat(database, 7, NewChat("private"), ChatDefaults())
    return database


def item(guid: str, url: str | None = None, published: datetime | None = NOW) -> NewItem:
    link = url or f"https://en.example/{guid}"
    return NewItem(guid, link, link, f"Title {guid}", "", None, "en", published)


def test_sync_is_idempotent_and_refreshes_names(db: Database) -> None:
    renamed = SourceSpec("Renamed", EN.feed_url, "en", "international", True)
    sources = sync_sources(db, [renamed, UK], origin="builtin")
    assert sorted(s.name for s in sources) == ["Renamed", "Ukrainian outlet"]


def test_chat_gets_default_sources_and_its_own_choices(db: Database) -> None:
    by_name = {s.name: s.id for s in sync_sources(db, [], origin="builtin")}
    assert chat_source_ids(db, 7) == {by_name["English outlet"]}
    set_chat_source(db, 7, by_name["Ukrainian outlet"], True)
    set_chat_source(db, 7, by_name["English outlet"], False)
    assert chat_source_ids(db, 7) == {by_name["Ukrainian outlet"]}


def test_disabled_source_is_neither_polled_nor_read(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    set_disabled(db, source.id, True)
    assert source.id not in {s.id for s in due_sources(db, NOW)}
    assert source.id not in chat_source_ids(db, 7)


def test_poll_failure_counts_and_success_resets(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    record_poll(db, source.id, PollOutcome(NOW + timedelta(minutes=20), error="HTTP 503"), now=NOW)
    record_poll(db, source.id, PollOutcome(NOW + timedelta(minutes=40), error="timeout"), now=NOW)
    failing = get_source(db, source.id)
    assert failing is not None and failing.failures == 2 and failing.last_error == "timeout"
    assert source.id not in {s.id for s in due_sources(db, NOW)}
    record_poll(db, source.id, PollOutcome(NOW, etag='"v2"'), now=NOW)
    healthy = get_source(db, source.id)
    assert healthy is not None and healthy.failures == 0 and healthy.etag == '"v2"'
    assert healthy.last_success_at == NOW.isoformat()


def test_items_stored_once_by_guid_and_by_url(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    assert not source_has_items(db, source.id)
    assert add_items(db, source.id, [item("a"), item("a"), item("b", "https://en.example/a")],
                     offered=True, now=NOW) == 1
    assert source_has_items(db, source.id)


def test_times_are_stored_in_utc(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    kyiv_time = datetime(2026, 11, 25, 9, tzinfo=timezone(timedelta(hours=2)))
    add_items(db, source.id, [item("a", published=kyiv_time)], offered=True, now=NOW)
    assert db.first("select * from items where id = ?", [1])["published_at"] == "2026-11-25T07:00:00+00:00"


def test_backlog_items_are_never_offered(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    add_items(db, source.id, [item("old")], offered=False, now=NOW)
    assert undelivered_items(db, 7, {source.id}, since=NOW - timedelta(days=1)) == []


def test_delivered_items_are_not_offered_again(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    add_items(db, source.id, [item("a"), item("b")], offered=True, now=NOW)
    offered = undelivered_items(db, 7, {source.id}, since=NOW - timedelta(days=1))
    assert [i.title for i in offered] == ["Title a", "Title b"]
    enqueue_digest(db, 7, NOW.date(), [Part("digest", (offered[0].id,))], thread_id=None, now=NOW)
    mark_sent(db, due_messages(db, NOW)[0].id, telegram_message_id=1, now=NOW)
    assert [i.title for i in undelivered_items(db, 7, {source.id}, since=NOW - timedelta(days=1))] == ["Title b"]


def test_items_without_date_use_first_seen_time(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    add_items(db, source.id, [item("a", published=None)], offered=True, now=NOW)
    assert undelivered_items(db, 7, {source.id}, since=NOW)[0].published == NOW


def test_recent_items_query_uses_the_source_and_time_index() -> None:
    db = open_database(":memory:")  # SQLite's query planner; PostgreSQL's has its own mind
    plan = db.execute(
        "explain query plan select i.id from items i where i.seen_at >= ? and i.source_id in (1, 2)",
        ["2026-01-01"],
    ).fetchall()
    assert any("idx_items_source_id_seen_at" in str(row) for row in plan)


def test_items_seen_long_before_the_window_are_not_offered(db: Database) -> None:
    source = sync_sources(db, [], origin="builtin")[0]
    old_seen = NOW - timedelta(days=5)
    add_items(db, source.id, [item("late", published=NOW)], offered=True, now=old_seen)
    assert undelivered_items(db, 7, {source.id}, since=NOW - timedelta(hours=1)) == []
