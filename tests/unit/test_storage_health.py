"""The health summary, computed on real in-memory databases built with the storage API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from storage import Database
from storage.chats import (
    ChatDefaults,
    ChatStatus,
    NewChat,
    ensure_chat,
    set_paused,
    set_status,
    subscribe,
)
from storage.db import connect
from storage.health import HealthPolicy, check_health
from storage.migrations import MIGRATIONS
from storage.outbox import Part, due_messages, enqueue_digest, mark_sent, park_failed
from storage.sources import (
    PollOutcome,
    SourceSpec,
    all_sources,
    record_poll,
    set_disabled,
    sync_sources,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def add_sources(db: Database, *names: str) -> dict[str, int]:
    specs = [SourceSpec(n, f"https://{n.lower()}.example/feed", "en", "wire", True) for n in names]
    return {s.name: s.id for s in sync_sources(db, specs, origin="builtin")}


def poll(db: Database, source_id: int, at: datetime, error: str | None = None) -> None:
    record_poll(db, source_id, PollOutcome(next_poll_at=at + HOUR, error=error), now=at)


def add_subscriber(db: Database, chat_id: int) -> None:
    ensure_chat(db, chat_id, NewChat(type="private", title=f"user {chat_id}"), ChatDefaults())
    subscribe(db, chat_id, next_digest_at=NOW + HOUR)


def queue_digest(db: Database, chat_id: int, parts: int, at: datetime) -> list[int]:
    enqueue_digest(db, chat_id, at.date(), [Part(f"part {i}") for i in range(parts)],
                   thread_id=None, now=at)
    return [m.id for m in due_messages(db, at + timedelta(minutes=1)) if m.chat_id == chat_id]


def test_a_fresh_database_is_healthy_with_zero_counts(db: Database) -> None:
    report = check_health(db, NOW)
    assert report.healthy and report.problems == ()
    assert report.schema.version == len(MIGRATIONS.applied(db)) and report.schema.pending == ()
    assert report.subscribers == {"active": 0, "paused": 0, "gone": 0}
    assert report.outbox == {"pending": 0, "failed": 0, "sent": 0, "dropped": 0}
    assert report.last_digest_at is None


def test_pending_migrations_are_unhealthy_and_named(new_db_target: str) -> None:
    old = connect(new_db_target)
    names = [m.name for m in MIGRATIONS.pending(old)]
    MIGRATIONS.apply(old, stop_before=names[-1])
    report = check_health(old, NOW)
    assert not report.healthy
    assert report.schema.pending == (names[-1],)
    assert report.schema.version == len(names) - 1
    assert names[-1] in report.problems[0]
    assert report.subscribers is None and report.sources is None
    old.close()


def test_an_empty_file_without_schema_lists_every_migration_as_pending(new_db_target: str) -> None:
    empty = connect(new_db_target)
    report = check_health(empty, NOW)
    assert report.schema.version == 0 and report.schema.latest is None
    assert len(report.schema.pending) == len(MIGRATIONS.pending(empty)) > 0
    empty.close()


def test_subscribers_are_counted_active_paused_and_gone(db: Database) -> None:
    for chat_id in (1, 2, 3, 4):
        add_subscriber(db, chat_id)
    set_paused(db, 2, True, next_digest_at=NOW + HOUR)
    set_status(db, 3, ChatStatus.BLOCKED)
    assert check_health(db, NOW).subscribers == {"active": 2, "paused": 1, "gone": 1}


def test_one_failing_source_among_good_ones_is_reported_but_healthy(db: Database) -> None:
    ids = add_sources(db, "Alpha", "Beta", "Gamma")
    poll(db, ids["Alpha"], NOW - 10 * HOUR)
    poll(db, ids["Beta"], NOW - 5 * HOUR, error="HTTP 503")
    report = check_health(db, NOW)
    assert report.healthy
    assert report.sources is not None
    assert report.sources.failing == ("Beta",)
    assert report.sources.ok == 2  # Gamma was never polled: it has not failed
    assert report.sources.last_success_at == NOW - 10 * HOUR


def test_all_sources_failing_for_over_an_hour_is_unhealthy(db: Database) -> None:
    ids = add_sources(db, "Alpha", "Beta")
    poll(db, ids["Alpha"], NOW - 3 * HOUR)
    for source_id in ids.values():
        poll(db, source_id, NOW - timedelta(minutes=5), error="connect timeout")
    report = check_health(db, NOW)
    assert not report.healthy
    assert report.problems == ("all 2 enabled sources failing, none read in the last 1:00:00",)


def test_all_sources_failing_but_one_read_recently_is_still_healthy(db: Database) -> None:
    ids = add_sources(db, "Alpha", "Beta")
    poll(db, ids["Alpha"], NOW - 40 * timedelta(minutes=1))
    for source_id in ids.values():
        poll(db, source_id, NOW - timedelta(minutes=5), error="connect timeout")
    assert check_health(db, NOW).healthy
    assert not check_health(db, NOW, HealthPolicy(sources_down_after=timedelta(minutes=30))).healthy


def test_all_sources_failing_that_never_succeeded_is_unhealthy(db: Database) -> None:
    ids = add_sources(db, "Alpha")
    poll(db, ids["Alpha"], NOW - timedelta(minutes=5), error="DNS failure")
    assert not check_health(db, NOW).healthy


def test_disabled_sources_do_not_count(db: Database) -> None:
    ids = add_sources(db, "Alpha", "Beta")
    poll(db, ids["Alpha"], NOW - 2 * HOUR, error="HTTP 404")
    set_disabled(db, ids["Alpha"], True)
    report = check_health(db, NOW)
    assert report.healthy
    assert report.sources is not None
    assert (report.sources.ok, report.sources.failing, report.sources.disabled) == (1, (), 1)
    assert len(all_sources(db)) == 2


def test_outbox_counts_today_and_failed_parts_are_unhealthy(db: Database) -> None:
    add_subscriber(db, 7)
    [first] = queue_digest(db, 7, parts=2, at=NOW - 2 * HOUR)  # parts go out one by one
    mark_sent(db, first, telegram_message_id=100, now=NOW - 2 * HOUR)
    [part_two] = due_messages(db, NOW)
    park_failed(db, part_two.id, error="Forbidden", retry_at=NOW + HOUR)
    report = check_health(db, NOW)
    assert report.outbox == {"pending": 0, "failed": 1, "sent": 1, "dropped": 0}
    assert report.problems == ("1 outbox parts failed to send",)
    assert report.last_digest_at == NOW - 2 * HOUR


def test_parts_older_than_the_window_are_not_counted(db: Database) -> None:
    add_subscriber(db, 7)
    [part] = queue_digest(db, 7, parts=1, at=NOW - 30 * HOUR)
    park_failed(db, part, error="Forbidden", retry_at=NOW)
    report = check_health(db, NOW)
    assert report.healthy and report.outbox is not None and report.outbox["failed"] == 0
    assert not check_health(db, NOW, HealthPolicy(outbox_window=48 * HOUR)).healthy


def test_to_dict_is_json_with_ages_in_seconds(db: Database) -> None:
    ids = add_sources(db, "Alpha")
    poll(db, ids["Alpha"], NOW - 90 * timedelta(seconds=1))
    add_subscriber(db, 7)
    queue_digest(db, 7, parts=1, at=NOW - HOUR)
    summary = json.loads(json.dumps(check_health(db, NOW).to_dict()))
    assert summary["healthy"] is True and summary["problems"] == []
    last_success = {"at": "2026-03-10T11:58:30+00:00", "age_seconds": 90}
    assert summary["sources"]["last_success"] == last_success
    assert summary["last_digest"]["age_seconds"] == 3600
    assert summary["outbox"]["window_hours"] == 24 and summary["outbox"]["pending"] == 1
    assert summary["schema"]["pending"] == [] and summary["subscribers"]["active"] == 1

