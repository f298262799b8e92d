"""Chats and subscriptions on real in-memory databases."""

from __future__ import annotations

from datetime import UTC, datetime, time

from storage import Database, open_database
from storage.chats import (
    ChatDefaults,
    ChatStatus,
    NewChat,
    SubscribeResult,
    ensure_chat,
    get_chat,
    get_subscription,
    migrate_chat,
    set_delivery,
    set_paused,
    set_status,
    set_topic,
    subscribe,
    unsubscribe,
)
from storage.sources import SourceSpec, sync_sources

WHEN = datetime(2026, 1, 2, 6, tzinfo=UTC)


def test_new_chat_gets_defaults(db: Database) -> None:
    chat = ensure_chat(db, 1, NewChat("private", "Olena"), ChatDefaults("UTC", time(7)))
    assert (chat.timezone, chat.delivery_time, chat.status) == ("UTC", time(7), ChatStatus.ACTIVE)


def test_ensure_chat_keeps_settings_and_refreshes_title(db: Database) -> None:
    ensure_chat(db, 1, NewChat("group", "Old"), ChatDefaults())
    set_delivery(db, 1, timezone="UTC", delivery_time=time(9), next_digest_at=WHEN)
    chat = ensure_chat(db, 1, NewChat("group", "New"), ChatDefaults())
    assert (chat.title, chat.timezone, chat.delivery_time) == ("New", "UTC", time(9))


def test_subscribe_twice_is_harmless(db: Database) -> None:
    ensure_chat(db, 1, NewChat("private"), ChatDefaults())
    assert subscribe(db, 1, next_digest_at=WHEN) is SubscribeResult.NEW
    assert subscribe(db, 1, next_digest_at=WHEN) is SubscribeResult.ALREADY
    assert db.execute("select count(*) from subscriptions").fetchone()[0] == 1


def test_subscribe_after_pause_resumes(db: Database) -> None:
    ensure_chat(db, 1, NewChat("private"), ChatDefaults())
    subscribe(db, 1, next_digest_at=WHEN)
    assert set_paused(db, 1, True, next_digest_at=WHEN)
    assert get_subscription(db, 1).state == "paused"  # type: ignore[union-attr]
    assert subscribe(db, 1, next_digest_at=WHEN) is SubscribeResult.RESUMED
    assert get_subscription(db, 1).state == "active"  # type: ignore[union-attr]


def test_pause_without_subscription_reports_false(db: Database) -> None:
    ensure_chat(db, 1, NewChat("private"), ChatDefaults())
    assert not set_paused(db, 1, True, next_digest_at=WHEN)


def test_unsubscribe_keeps_chat_settings(db: Database) -> None:
    ensure_chat(db, 1, NewChat("private"), ChatDefaults())
    subscribe(db, 1, next_digest_at=WHEN)
    set_delivery(db, 1, timezone="UTC", delivery_time=time(6, 30), next_digest_at=WHEN)
    assert unsubscribe(db, 1)
    assert not unsubscribe(db, 1)
    assert get_subscription(db, 1) is None
    assert get_chat(db, 1).delivery_time == time(6, 30)  # type: ignore[union-attr]


def test_set_delivery_reschedules_subscription(db: Database) -> None:
    ensure_chat(db, 1, NewChat("private"), ChatDefaults())
    subscribe(db, 1, next_digest_at=WHEN)
    later = datetime(2026, 1, 2, 9, tzinfo=UTC)
    set_delivery(db, 1, timezone="UTC", delivery_time=time(9), next_digest_at=later)
    assert get_subscription(db, 1).next_digest_at == later  # type: ignore[union-attr]


def test_status_changes_keep_data(db: Database) -> None:
    ensure_chat(db, 5, NewChat("private"), ChatDefaults())
    subscribe(db, 5, next_digest_at=WHEN)
    set_status(db, 5, ChatStatus.BLOCKED)
    assert get_chat(db, 5).status is ChatStatus.BLOCKED  # type: ignore[union-attr]
    assert get_subscription(db, 5) is not None


def test_status_of_unknown_chat_is_ignored(db: Database) -> None:
    set_status(db, 404, ChatStatus.LEFT)
    assert get_chat(db, 404) is None


def test_topic_is_remembered(db: Database) -> None:
    ensure_chat(db, -100, NewChat("supergroup", "Forum"), ChatDefaults())
    set_topic(db, -100, 77)
    assert get_chat(db, -100).topic_id == 77  # type: ignore[union-attr]


def test_migration_moves_subscription_and_settings(db: Database) -> None:
    ensure_chat(db, -1, NewChat("group", "Team"), ChatDefaults())
    set_delivery(db, -1, timezone="UTC", delivery_time=time(7, 15), next_digest_at=WHEN)
    subscribe(db, -1, next_digest_at=WHEN)
    new = migrate_chat(db, -1, -1001)
    assert new is not None and new.type == "supergroup" and new.delivery_time == time(7, 15)
    assert get_subscription(db, -1) is None
    assert get_subscription(db, -1001) is not None
    assert get_chat(db, -1).status is ChatStatus.MIGRATED  # type: ignore[union-attr]


def test_migration_is_idempotent(db: Database) -> None:
    ensure_chat(db, -1, NewChat("group"), ChatDefaults())
    subscribe(db, -1, next_digest_at=WHEN)
    migrate_chat(db, -1, -1001)
    migrate_chat(db, -1, -1001)
    assert db.execute("select count(*) from subscriptions").fetchone()[0] == 1


def test_migration_of_unknown_group_does_nothing(db: Database) -> None:
    assert migrate_chat(db, -9, -1009) is None
    assert db.execute("select count(*) from chats").fetchone()[0] == 0


def test_rows_are_stamped_by_the_clock_the_database_was_opened_with() -> None:
    moment = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
    db = open_database(":memory:", clock=lambda: moment)
    ensure_chat(db, 7, NewChat("private", "Olha"), ChatDefaults())
    sync_sources(db, [SourceSpec("Example", "https://example.com/rss", "en", "international", True)],
                 origin="builtin")
    assert db.first("select * from chats where id = ?", [7])["created_at"] == "2030-05-06T07:08:09+00:00"
    assert {r["created_at"] for r in db.query("select * from sources")} == {"2030-05-06T07:08:09+00:00"}


def test_p2_row_13_a_supergroup_keeps_the_groups_sources_and_what_it_received(db: Database) -> None:
    from storage import outbox
    from storage.items import NewItem, add_items
    from storage.sources import chat_source_ids, set_chat_source

    rows = sync_sources(db, [SourceSpec(f"Outlet {n}", f"https://o{n}.example/rss", "en",
                                        "international", n == 0) for n in range(3)], origin="builtin")
    ensure_chat(db, -1, NewChat("group", "Team"), ChatDefaults())
    set_chat_source(db, -1, rows[0].id, False)
    set_chat_source(db, -1, rows[2].id, True)
    add_items(db, rows[2].id, [NewItem("g", "https://o2.example/a", "o2.example/a", "T", "", None,
                                       "en", None)], offered=True, now=WHEN)
    outbox.record_deliveries(db, -1, [1], now=WHEN)
    before = chat_source_ids(db, -1)
    migrate_chat(db, -1, -1001)
    assert chat_source_ids(db, -1001) == before == {rows[2].id}
    assert db.execute("select chat_id from deliveries").fetchall() == [(-1001,)]
