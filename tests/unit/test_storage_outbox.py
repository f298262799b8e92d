"""The outbox: atomic enqueue, in-order parts, confirmed deliveries, retries and parking."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from storage import Database, open_database
from storage.chats import (
    ChatDefaults,
    ChatStatus,
    NewChat,
    advance_subscription,
    count_chats,
    due_subscriptions,
    ensure_chat,
    set_paused,
    set_status,
    subscribe,
)
from storage.engine import POSTGRESQL, NotFoundError
from storage.outbox import (
    Part,
    claim,
    claim_due,
    claim_owners,
    counts_by_status,
    drop_chat,
    due_messages,
    enqueue_digest,
    mark_sent,
    move_chat,
    park_failed,
    release_claims,
    reschedule,
    revive_failed,
    unclaim,
)
from storage.workers import beat

NOW = datetime(2026, 11, 25, 6, tzinfo=UTC)
DAY = date(2026, 11, 25)


@pytest.fixture
def db(db: Database) -> Database:
    database = db
    for chat_id in (1, 2, -100):
        ensure_chat(database, chat_id, NewChat("private" if chat_id > 0 else "supergroup"), ChatDefaults())
    return database


def test_a_digest_is_enqueued_once_per_chat_and_day(db: Database) -> None:
    assert enqueue_digest(db, 1, DAY, [Part("a")], thread_id=None, now=NOW) is not None
    assert enqueue_digest(db, 1, DAY, [Part("again")], thread_id=None, now=NOW) is None
    assert enqueue_digest(db, 1, DAY + timedelta(days=1), [Part("b")], thread_id=None, now=NOW)
    assert db.execute("select count(*) from outbox").fetchone()[0] == 2


def test_parts_of_a_digest_go_out_in_order(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("one"), Part("two"), Part("three")], thread_id=None, now=NOW)
    seen = []
    while due := due_messages(db, NOW):
        assert len(due) == 1
        seen.append(due[0].text)
        mark_sent(db, due[0].id, telegram_message_id=len(seen), now=NOW)
    assert seen == ["one", "two", "three"]


def test_a_confirmed_part_is_committed_and_never_queued_again(tmp_path: Path) -> None:
    """The confirmation is on disk when mark_sent returns (another connection sees it), and
    releasing the claims of a sender that died right after it does not queue the part again."""
    path = tmp_path / "bot.db"
    db = open_database(path)
    ensure_chat(db, 1, NewChat("private"), ChatDefaults())
    enqueue_digest(db, 1, DAY, [Part("one"), Part("two")], thread_id=None, now=NOW)
    first = due_messages(db, NOW)[0]
    assert claim(db, first.id, owner=4242)
    mark_sent(db, first.id, telegram_message_id=77, now=NOW)
    other = open_database(path)
    row = other.first("select * from outbox where id = ?", [first.id])
    assert row is not None
    assert (row["status"], row["message_id"], row["attempts"]) == ("sent", 77, 1)
    assert row["sent_at"] == NOW.isoformat()
    assert claim_owners(other) == [] and release_claims(other, [4242]) == 0
    assert [m.text for m in due_messages(other, NOW)] == ["two"]


def test_confirming_an_unknown_part_changes_nothing(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("one")], thread_id=None, now=NOW)
    with pytest.raises(NotFoundError):
        mark_sent(db, 999, telegram_message_id=1, now=NOW)
    assert [m.text for m in due_messages(db, NOW)] == ["one"]


def test_chats_are_independent(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("a1"), Part("a2")], thread_id=None, now=NOW)
    enqueue_digest(db, 2, DAY, [Part("b1")], thread_id=7, now=NOW)
    due = due_messages(db, NOW)
    assert {m.text for m in due} == {"a1", "b1"}
    assert next(m.thread_id for m in due if m.chat_id == 2) == 7


def test_rescheduled_part_waits_and_429_does_not_count(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("a")], thread_id=None, now=NOW)
    part = due_messages(db, NOW)[0]
    reschedule(db, part.id, error="429", at=NOW + timedelta(seconds=5), count_attempt=False)
    assert due_messages(db, NOW) == []
    again = due_messages(db, NOW + timedelta(seconds=5))[0]
    assert again.attempts == 0
    reschedule(db, part.id, error="502", at=NOW, plain_text=True)
    retried = due_messages(db, NOW)[0]
    assert retried.attempts == 1 and retried.plain_text


def test_parked_part_blocks_later_parts_until_revived(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("a"), Part("b")], thread_id=None, now=NOW)
    first = due_messages(db, NOW)[0]
    park_failed(db, first.id, error="5xx x5", retry_at=NOW + timedelta(minutes=10))
    assert due_messages(db, NOW) == []
    assert counts_by_status(db, since=NOW - timedelta(days=1)) == {"failed": 1, "pending": 1}
    assert revive_failed(db, NOW + timedelta(minutes=10)) == 1
    assert [m.text for m in due_messages(db, NOW + timedelta(minutes=10))] == ["a"]


def test_gone_chat_parts_are_dropped_not_deleted(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("a"), Part("b")], thread_id=None, now=NOW)
    assert drop_chat(db, 1, reason="blocked") == 2
    assert due_messages(db, NOW) == []
    assert db.execute("select count(*) from outbox").fetchone()[0] == 2


def test_migrated_chat_parts_follow_the_new_id(db: Database) -> None:
    enqueue_digest(db, -100, DAY, [Part("a")], thread_id=None, now=NOW)
    ensure_chat(db, -1001, NewChat("supergroup"), ChatDefaults())
    assert move_chat(db, -100, -1001) == 1
    assert due_messages(db, NOW)[0].chat_id == -1001


def test_due_subscriptions_skip_paused_and_gone_chats(db: Database) -> None:
    for chat_id in (1, 2, -100):
        subscribe(db, chat_id, next_digest_at=NOW)
    set_paused(db, 2, True, next_digest_at=NOW)
    set_status(db, -100, ChatStatus.KICKED)
    assert [c.id for c, _ in due_subscriptions(db, NOW)] == [1]
    advance_subscription(db, 1, next_digest_at=NOW + timedelta(days=1))
    assert due_subscriptions(db, NOW) == []
    assert count_chats(db) == {"active": 1, "paused": 1, "gone": 1}


# --- several workers: claiming due parts in one statement, and claims that expire ----------

EXPIRY = timedelta(minutes=5)


def test_claim_due_takes_the_lowest_unsent_part_of_each_digest_once(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("1a"), Part("1b")], thread_id=None, now=NOW)
    enqueue_digest(db, 2, DAY, [Part("2a")], thread_id=None, now=NOW)
    first = claim_due(db, 11, NOW, limit=10, expiry=EXPIRY)
    assert [m.text for m in first] == ["1a", "2a"]
    assert claim_due(db, 22, NOW, limit=10, expiry=EXPIRY) == []  # claimed, and 1b waits for 1a
    assert claim_owners(db) == [11]
    mark_sent(db, first[0].id, telegram_message_id=5, now=NOW)
    assert [m.text for m in claim_due(db, 22, NOW, limit=10, expiry=EXPIRY)] == ["1b"]


def test_a_claim_older_than_the_expiry_is_taken_over_and_a_fresh_one_is_not(db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("one")], thread_id=None, now=NOW)
    [taken] = claim_due(db, 11, NOW, limit=10, expiry=EXPIRY)
    assert claim_due(db, 22, NOW + EXPIRY - timedelta(seconds=1), limit=10, expiry=EXPIRY) == []
    [again] = claim_due(db, 22, NOW + EXPIRY + timedelta(seconds=1), limit=10, expiry=EXPIRY)
    assert again.id == taken.id and claim_owners(db) == [22]


def test_a_claim_of_a_worker_without_a_recent_heartbeat_is_taken_over_before_it_expires(
        db: Database) -> None:
    enqueue_digest(db, 1, DAY, [Part("one")], thread_id=None, now=NOW)
    enqueue_digest(db, 2, DAY, [Part("two")], thread_id=None, now=NOW)
    beat_ = timedelta(seconds=15)
    beat(db, 11, NOW, alive=beat_)
    beat(db, 33, NOW, alive=beat_)
    claim_due(db, 11, NOW, limit=1, expiry=EXPIRY)
    claim_due(db, 33, NOW, limit=1, expiry=EXPIRY)
    later = NOW + timedelta(seconds=20)
    beat(db, 33, later, alive=beat_)  # 33 is up; 11 went silent 20 s ago
    [taken] = claim_due(db, 22, later, limit=10, expiry=EXPIRY, heartbeat=beat_)
    assert taken.text == "one"
    assert claim_due(db, 22, later, limit=10, expiry=EXPIRY) == []  # without: expiry only


def test_a_stalled_worker_cannot_undo_the_claim_another_took_over(db: Database) -> None:
    """Worker 11 stalls past its claim's expiry and 22 takes the part over. Whatever 11 does
    then (give it back, reschedule it after an error, park it) leaves 22's claim alone: the
    part queued again would be claimed and sent by a third worker while 22 sends it."""
    enqueue_digest(db, 1, DAY, [Part("one")], thread_id=None, now=NOW)
    [stale] = claim_due(db, 11, NOW, limit=10, expiry=EXPIRY)
    later = NOW + EXPIRY + timedelta(seconds=1)
    [taken] = claim_due(db, 22, later, limit=10, expiry=EXPIRY)
    unclaim(db, 11, stale.id)
    assert not reschedule(db, stale.id, error="502", at=later, owner=11)
    assert not park_failed(db, stale.id, error="502 x5", retry_at=later, owner=11)
    assert claim_owners(db) == [22]
    assert claim_due(db, 33, later, limit=10, expiry=EXPIRY) == []
    assert reschedule(db, taken.id, error="502", at=later, owner=22)  # its own: queued again
    assert [m.attempts for m in claim_due(db, 33, later, limit=10, expiry=EXPIRY)] == [1]


def test_a_part_confirmed_twice_keeps_its_first_record(db: Database) -> None:
    """Both the stalled worker and the one that took its claim over sent the part: the first
    confirmation stays (its Telegram message id, one attempt), the second changes nothing."""
    enqueue_digest(db, 1, DAY, [Part("one")], thread_id=None, now=NOW)
    [part] = claim_due(db, 11, NOW, limit=10, expiry=EXPIRY)
    mark_sent(db, part.id, telegram_message_id=5, now=NOW)
    mark_sent(db, part.id, telegram_message_id=6, now=NOW + EXPIRY)
    row = db.first("select message_id, attempts, status from outbox where id = ?", [part.id])
    assert row is not None and dict(row) == {"message_id": 5, "attempts": 1, "status": "sent"}


def test_claim_due_respects_the_limit_and_the_time(db: Database) -> None:
    for chat in (1, 2, -100):
        enqueue_digest(db, chat, DAY, [Part(f"for {chat}")], thread_id=None, now=NOW)
    assert claim_due(db, 11, NOW - timedelta(seconds=1), limit=10, expiry=EXPIRY) == []
    assert len(claim_due(db, 11, NOW, limit=2, expiry=EXPIRY)) == 2
    assert len(claim_due(db, 22, NOW, limit=2, expiry=EXPIRY)) == 1


def test_on_postgresql_a_worker_skips_the_parts_another_is_claiming_instead_of_waiting(
        db: Database, db_target: str) -> None:
    if db.dialect.name != POSTGRESQL:
        pytest.skip("SQLite has one writer at a time: a second claim waits for the first")
    for chat in (1, 2, -100):
        enqueue_digest(db, chat, DAY, [Part(f"for {chat}")], thread_id=None, now=NOW)
    other = open_database(db_target)
    try:
        # The transaction ends first (were the other worker waiting on it, it could go on).
        with ThreadPoolExecutor(1) as pool, db.atomic():  # worker 11's claim not committed yet
            mine = claim_due(db, 11, NOW, limit=2, expiry=EXPIRY)
            theirs = pool.submit(claim_due, other, 22, NOW, limit=10, expiry=EXPIRY).result(timeout=10)
        assert len(mine) == 2 and len(theirs) == 1
        assert {m.id for m in mine}.isdisjoint(m.id for m in theirs)
    finally:
        other.close()


def test_a_chat_goes_to_one_worker_at_a_time(db: Database) -> None:
    """Two digests for one chat: while one worker holds a part of it, no other takes the
    chat's next digest; a worker's own recent send does not hold it back, another's does."""
    enqueue_digest(db, 1, DAY, [Part("daily")], thread_id=None, now=NOW)
    enqueue_digest(db, 1, DAY, [Part("asked for")], thread_id=None, now=NOW, kind="on_demand")
    [first] = claim_due(db, 11, NOW, limit=1, expiry=EXPIRY)
    assert claim_due(db, 22, NOW, limit=10, expiry=EXPIRY) == []
    mark_sent(db, first.id, telegram_message_id=5, now=NOW)
    later = NOW + timedelta(seconds=30)
    minute = timedelta(minutes=1)
    assert claim_due(db, 22, later, limit=10, expiry=EXPIRY, affinity=minute) == []
    [second] = claim_due(db, 11, later, limit=10, expiry=EXPIRY, affinity=minute)
    assert second.text == "asked for"


def test_a_chat_sent_to_by_another_worker_waits_out_the_affinity(db: Database) -> None:
    enqueue_digest(db, -100, DAY, [Part("one"), Part("two")], thread_id=None, now=NOW)
    [first] = claim_due(db, 11, NOW, limit=10, expiry=EXPIRY)
    mark_sent(db, first.id, telegram_message_id=5, now=NOW)
    minute = timedelta(minutes=1)
    almost = NOW + minute - timedelta(seconds=1)
    assert claim_due(db, 22, almost, limit=10, expiry=EXPIRY, affinity=minute) == []
    [taken] = claim_due(db, 22, NOW + minute, limit=10, expiry=EXPIRY, affinity=minute)
    assert taken.text == "two"


def test_on_postgresql_two_workers_claiming_at_once_never_share_a_chat(
        db: Database, db_target: str) -> None:
    """Worker 11 claims one digest of chat 1 in a transaction not yet committed; worker 22,
    claiming meanwhile, neither waits nor takes the chat's other digest."""
    if db.dialect.name != POSTGRESQL:
        pytest.skip("SQLite has one writer at a time: a second claim waits for the first")
    enqueue_digest(db, 1, DAY, [Part("daily")], thread_id=None, now=NOW)
    enqueue_digest(db, 1, DAY, [Part("asked for")], thread_id=None, now=NOW, kind="on_demand")
    enqueue_digest(db, 2, DAY, [Part("for 2")], thread_id=None, now=NOW)
    other = open_database(db_target)
    try:
        with ThreadPoolExecutor(1) as pool, db.atomic():
            mine = claim_due(db, 11, NOW, limit=1, expiry=EXPIRY)
            theirs = pool.submit(claim_due, other, 22, NOW, limit=10, expiry=EXPIRY).result(timeout=10)
        assert [m.text for m in mine] == ["daily"]
        assert [m.text for m in theirs] == ["for 2"]
        assert claim_due(other, 22, NOW, limit=10, expiry=EXPIRY) == []  # 11 holds chat 1
    finally:
        other.close()
