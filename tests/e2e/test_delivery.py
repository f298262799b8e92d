"""The sender against the local Bot API server, in this process: every answer Telegram can give.

Each test queues digests straight into a real SQLite outbox, runs :class:`OutboxSender` with
PTB's real ``Bot`` over HTTP until the outbox settles, and checks both sides: what the server
received and what the database says.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationBuilder, ExtBot

from bot import build_gate
from digest.backoff import Backoff
from handlers import jobs
from handlers.context import CONTEXT_TYPES
from services import delivery
from services.context import Services
from services.delivery import DeliveryOptions, Kind, OutboxSender, classify, fit_message, plain_text
from services.gate import GateArgs, GateOptions, SendGate
from services.pacing import PacingLimits, Window
from settings import load_settings
from storage import Database, open_database, outbox, workers
from storage.chats import ChatDefaults, ChatStatus, NewChat, ensure_chat, get_chat
from storage.outbox import Part, enqueue_digest
from tests.fakebot import FakeChat, FakeTelegramServer, RateLimits, ServerOptions
from tests.fakebot import Window as ServerWindow
from tests.fakebot.fixtures import ServerFactory

pytestmark = pytest.mark.e2e

FAST = DeliveryOptions(backoff=Backoff(base=0.02, cap=0.1))
FAST_PACING = PacingLimits(overall=Window(200, 1.0), per_chat=Window(1, 0.05), slack=0.0)
Bot = ExtBot[GateArgs]


def paced_bot(tg: FakeTelegramServer, limits: PacingLimits = FAST_PACING) -> Bot:
    """A bot whose every request goes through a SendGate, as bot.py builds it."""
    return ExtBot(tg.token, base_url=tg.base_url, rate_limiter=SendGate(GateOptions(limits)))


@pytest.fixture
def db_target(db_target: str, tmp_path: Path) -> str:
    """The sender's tests run on a SQLite file (WAL, as the bot runs) and on PostgreSQL."""
    return str(tmp_path / "bot.db") if db_target == ":memory:" else db_target


@pytest.fixture
async def bot(fake_telegram: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with paced_bot(fake_telegram) as ptb_bot:
        yield ptb_bot


def private_chat(tg: FakeTelegramServer, db: Database, name: str = "Alice") -> int:
    """A user who has started the bot (so it may write to them), known to the database."""
    user = tg.client.user(name)
    user.started = True  # as if they had sent /start, without a reply to clutter the log
    ensure_chat(db, user.id, NewChat("private", name), ChatDefaults())
    return user.id


def group_chat(tg: FakeTelegramServer, db: Database, title: str = "Newsroom") -> FakeChat:
    owner = tg.client.user(f"{title} owner")
    chat = tg.client.group(title, owner=owner)
    tg.client.add_bot(chat, by=owner)
    ensure_chat(db, chat.id, NewChat(chat.type, title), ChatDefaults())
    return chat


def queue(db: Database, chat_id: int, *texts: str) -> int:
    digest = enqueue_digest(db, chat_id, date(2026, 1, 2), [Part(t) for t in texts],
                            thread_id=None, now=datetime.now(UTC))
    assert digest is not None
    return digest


def count(db: Database, status: str) -> int:
    return int(db.execute("select count(*) from outbox where status = ?", [status]).fetchone()[0])


async def run_until(sender: OutboxSender, done: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    await sender.run(lambda: not done() and time.monotonic() < deadline)
    assert done(), "the outbox did not settle in time"


async def deliver_all(bot: Bot, db: Database, options: DeliveryOptions = FAST) -> OutboxSender:
    sender = OutboxSender(bot, db, options)
    await run_until(sender, lambda: count(db, "pending") + count(db, "sending") == 0)
    return sender


def outbox_rows(db: Database) -> list[dict[str, object]]:
    return list(db.query("select * from outbox order by id"))


async def test_parts_arrive_in_order_and_are_marked_sent(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    alice = private_chat(fake_telegram, db)
    group = group_chat(fake_telegram, db)
    queue(db, alice, "<b>Part one</b>", "Part two", "Part three")
    queue(db, group.id, "Group digest")
    await deliver_all(bot, db)
    assert [m.text for m in fake_telegram.sent(alice)] == ["Part one", "Part two", "Part three"]
    assert [m.text for m in fake_telegram.sent(group.id)] == ["Group digest"]
    assert fake_telegram.sent(alice)[0].parse_mode == "HTML"
    preview = fake_telegram.requests("sendMessage")[0].params["link_preview_options"]
    assert "is_disabled" in str(preview) and "true" in str(preview).lower()
    rows = outbox_rows(db)
    assert {r["status"] for r in rows} == {"sent"} and all(r["message_id"] for r in rows)


async def test_a_429_delays_only_that_chat_and_loses_nothing(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    alice, bob = private_chat(fake_telegram, db, "Alice"), private_chat(fake_telegram, db, "Bob")
    queue(db, alice, "for Alice")
    queue(db, bob, "for Bob")
    fake_telegram.faults.force_429(alice, retry_after=1)
    await deliver_all(bot, db)
    assert fake_telegram.count_429() == 1
    assert [m.chat_id for m in fake_telegram.sent()] == [bob, alice]  # Bob was not held up
    [alice_row] = db.query("select * from outbox where chat_id = ?", [alice])
    assert alice_row["attempts"] == 1  # the flood wait was not counted as a failed attempt


async def test_429s_from_several_chats_pause_every_send(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    flooded = [private_chat(fake_telegram, db, f"User {n}") for n in range(3)]
    for chat_id in flooded:
        queue(db, chat_id, "hello")
        fake_telegram.faults.force_429(chat_id, retry_after=1)
    with caplog.at_level(logging.WARNING, logger="services.delivery"):
        await deliver_all(bot, db)
    assert fake_telegram.count_429() == 3 and len(fake_telegram.sent()) == 3
    assert "pausing all requests" in caplog.text


@pytest.mark.parametrize(
    ("leave", "expected"),
    [("block", ChatStatus.BLOCKED), ("deactivate", ChatStatus.BLOCKED)],
)
async def test_a_user_who_is_gone_is_marked_and_their_parts_dropped(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database, leave: str, expected: ChatStatus
) -> None:
    alice = private_chat(fake_telegram, db)
    user = fake_telegram.backend.world.users[alice]
    fake_telegram.client.block_bot(user) if leave == "block" else fake_telegram.client.deactivate(user)
    queue(db, alice, "one", "two")
    await deliver_all(bot, db)
    chat = get_chat(db, alice)
    assert chat is not None and chat.status == expected
    assert [r["status"] for r in outbox_rows(db)] == ["dropped", "dropped"]
    assert fake_telegram.sent() == []


async def test_a_group_that_kicked_the_bot_is_marked_kicked(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    group = group_chat(fake_telegram, db)
    owner = fake_telegram.backend.world.users[next(iter(group.members))]
    fake_telegram.client.remove_bot(group, by=owner)
    queue(db, group.id, "digest")
    await deliver_all(bot, db)
    chat = get_chat(db, group.id)
    assert chat is not None and chat.status == ChatStatus.KICKED
    assert count(db, "dropped") == 1


async def test_a_migrated_group_gets_its_digest_at_the_new_id(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    group = group_chat(fake_telegram, db)
    owner = fake_telegram.backend.world.users[next(iter(group.members))]
    supergroup = fake_telegram.client.migrate_to_supergroup(group, by=owner)
    queue(db, group.id, "part one", "part two")
    await deliver_all(bot, db)
    assert [m.text for m in fake_telegram.sent(supergroup.id)] == ["part one", "part two"]
    old, new = get_chat(db, group.id), get_chat(db, supergroup.id)
    assert old is not None and old.status == ChatStatus.MIGRATED
    assert new is not None and new.status == ChatStatus.ACTIVE
    assert {r["chat_id"] for r in outbox_rows(db)} == {supergroup.id}


async def test_a_deleted_forum_topic_falls_back_to_the_main_thread(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    owner = fake_telegram.client.user("Forum owner")
    forum = fake_telegram.client.group("Forum", owner=owner, supergroup=True, forum=True)
    fake_telegram.client.add_bot(forum, by=owner)
    ensure_chat(db, forum.id, NewChat("supergroup", "Forum"), ChatDefaults())
    enqueue_digest(db, forum.id, date(2026, 1, 2), [Part("one"), Part("two")], thread_id=999,
                   now=datetime.now(UTC))  # a topic that no longer exists
    await deliver_all(bot, db)
    assert [(m.text, m.message_thread_id) for m in fake_telegram.sent(forum.id)] == [
        ("one", None), ("two", None)]
    chat = get_chat(db, forum.id)
    assert chat is not None and chat.topic_id is None and count(db, "sent") == 2


async def test_server_errors_are_retried_and_counted(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    alice = private_chat(fake_telegram, db)
    queue(db, alice, "digest")
    fake_telegram.faults.fail_next("sendMessage", status=502, count=2)
    await deliver_all(bot, db)
    [row] = outbox_rows(db)
    assert row["status"] == "sent" and row["attempts"] == 3
    assert len(fake_telegram.sent(alice)) == 1


async def test_a_part_failing_too_often_is_parked_then_revived(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    alice = private_chat(fake_telegram, db)
    queue(db, alice, "digest")
    fake_telegram.faults.fail_next("sendMessage", status=500, count=3)
    parking = DeliveryOptions(backoff=FAST.backoff, max_attempts=3, park_seconds=3600)
    await run_until(OutboxSender(bot, db, parking), lambda: count(db, "failed") == 1)
    [row] = outbox_rows(db)
    assert row["attempts"] == 2 and "Internal Server Error" in str(row["last_error"])
    assert fake_telegram.sent() == []
    reviving = DeliveryOptions(backoff=FAST.backoff, park_seconds=0)
    db.execute("update outbox set next_attempt_at = '2000-01-01T00:00:00+00:00'")
    await run_until(OutboxSender(bot, db, reviving), lambda: count(db, "sent") == 1)
    assert [m.text for m in fake_telegram.sent(alice)] == ["digest"]


async def test_unparsable_html_is_resent_as_plain_text_loudly(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    alice = private_chat(fake_telegram, db)
    queue(db, alice, "<b>Front line</b> moved &amp; <i>held</b>")
    with caplog.at_level(logging.ERROR, logger="services.delivery"):
        await deliver_all(bot, db)
    [message] = fake_telegram.sent(alice)
    assert message.text == "Front line moved & held" and message.parse_mode is None
    assert any("plain text" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    [row] = outbox_rows(db)
    assert row["plain_text"] == 1 and row["status"] == "sent"


async def test_a_message_too_long_is_cut_on_a_line_and_sent(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    alice = private_chat(fake_telegram, db)
    lines = [f"<b>{n}.</b> Shelling reported near the river crossing overnight." for n in range(90)]
    queue(db, alice, "\n".join(lines))
    await deliver_all(bot, db)
    [message] = fake_telegram.sent(alice)
    assert len(message.text) <= 4096 and message.text.endswith("overnight.\n…")
    assert message.text.startswith("0. Shelling")


async def test_paced_fan_out_never_trips_the_servers_limits(
    fake_telegram_factory: ServerFactory, db: Database
) -> None:
    limits = RateLimits(per_chat=ServerWindow(1, 0.5), per_group=ServerWindow(3, 2.0),
                        overall=ServerWindow(25, 1.0))
    tg = fake_telegram_factory(ServerOptions(limits=limits))
    users = [private_chat(tg, db, f"User {n}") for n in range(30)]
    group = group_chat(tg, db)
    for user in users:
        queue(db, user, "digest")
    queue(db, group.id, *[f"part {n}" for n in range(5)])
    pacing = PacingLimits(overall=Window(25, 1.0), per_chat=Window(1, 0.5), per_group=Window(3, 2.0))
    async with paced_bot(tg, pacing) as ptb_bot:
        await deliver_all(ptb_bot, db, DeliveryOptions())
    assert tg.count_429() == 0
    assert len(tg.sent()) == 35 and [m.text for m in tg.sent(group.id)][-1] == "part 4"


async def test_register_starts_with_the_app_and_stops_with_it(
    fake_telegram: FakeTelegramServer, db: Database
) -> None:
    alice = private_chat(fake_telegram, db)
    queue(db, alice, "digest")
    app = (ApplicationBuilder().token(fake_telegram.token).base_url(fake_telegram.base_url)
           .context_types(CONTEXT_TYPES).rate_limiter(SendGate(GateOptions(FAST_PACING))).build())
    app.bot_data.services = Services(settings=load_settings({"BOT_TOKEN": "1:x"}), db=db)
    app.bot_data.delivery = FAST
    jobs.register(app)
    async with app:
        await app.start()
        await asyncio.to_thread(fake_telegram.wait_for_messages, alice, 1, 10.0)
        await asyncio.wait_for(app.stop(), timeout=5)
    assert count(db, "sent") == 1


# -- pure pieces --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "chat_id", "kind", "status"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), 5, Kind.GONE, ChatStatus.BLOCKED),
        (Forbidden("Forbidden: user is deactivated"), 5, Kind.GONE, ChatStatus.BLOCKED),
        (Forbidden("Forbidden: bot was kicked from the group chat"), -5, Kind.GONE, ChatStatus.KICKED),
        (Forbidden("Forbidden: bot is not a member of the channel chat"), -5, Kind.GONE, ChatStatus.LEFT),
        (BadRequest("Chat not found"), -5, Kind.GONE, ChatStatus.LEFT),
        (BadRequest("Chat not found"), 5, Kind.GONE, ChatStatus.BLOCKED),
        (BadRequest("Message is too long"), 5, Kind.REJECTED, None),
        (BadRequest("Can't parse entities: bad tag"), 5, Kind.REJECTED, None),
        (BadRequest("Message thread not found"), -5, Kind.TOPIC_GONE, None),
        (NetworkError("Bad Gateway"), 5, Kind.TRANSIENT, None),
        (TimedOut(), 5, Kind.TRANSIENT, None),
        (ChatMigrated(-100), -5, Kind.MIGRATED, None),
    ],
)
def test_classify(error: Exception, chat_id: int, kind: Kind, status: ChatStatus | None) -> None:
    failure = classify(error, chat_id)  # type: ignore[arg-type]
    assert (failure.kind, failure.gone_as) == (kind, status)


def test_classify_reads_retry_after_in_seconds() -> None:
    assert classify(RetryAfter(7), 5).retry_after == 7.0  # PTB_TIMEDELTA=1 in conftest


def test_plain_text_unescapes_and_drops_tags() -> None:
    assert plain_text('<a href="https://x.example/?a=1&amp;b=2">Kyiv &lt;live&gt;</a>') == "Kyiv <live>"


def test_fit_message_counts_utf16_and_never_splits_an_emoji() -> None:
    text = "🇺🇦" * 3000  # 4 UTF-16 units each, no line breaks
    cut = fit_message(text)
    assert len(cut.encode("utf-16-le")) // 2 <= 4096 and cut.endswith("\n…")
    assert cut[:-2].encode("utf-16-le").decode("utf-16-le") == cut[:-2]


def test_options_default_to_telegrams_free_limits() -> None:
    settings = load_settings({"BOT_TOKEN": "1:x"})
    assert not delivery.options_from_settings(settings).paid_broadcast
    assert build_gate(settings).pacer.limits.overall == Window(30, 1.0)


def test_the_sender_refuses_a_bot_that_bypasses_the_gate(fake_telegram: FakeTelegramServer,
                                                         db: Database) -> None:
    unpaced = ExtBot(fake_telegram.token, base_url=fake_telegram.base_url)
    with pytest.raises(TypeError, match="SendGate"):
        OutboxSender(unpaced, db)


async def test_p2_row_01_two_senders_on_one_database_never_send_a_part_twice(
    fake_telegram: FakeTelegramServer, db_target: str
) -> None:
    first_db = open_database(db_target)
    second_db = open_database(db_target)
    users = [private_chat(fake_telegram, first_db, f"User {n}") for n in range(12)]
    for user in users:
        queue(first_db, user, *(f"part {n} for {user}" for n in range(4)))
    async with paced_bot(fake_telegram) as one, paced_bot(fake_telegram) as two:
        senders = [OutboxSender(one, first_db, FAST), OutboxSender(two, second_db, FAST)]
        await asyncio.gather(*(run_until(s, lambda: count(first_db, "sent") == 48) for s in senders))
    texts = [m.text for user in users for m in fake_telegram.sent(user)]
    assert len(texts) == 48 and len(set(texts)) == 48
    first_db.close()
    second_db.close()


# --- several workers on PostgreSQL ----------------------------------------------------------

WORKERS = DeliveryOptions(backoff=Backoff(base=0.02, cap=0.1), claim_expiry_seconds=1.5,
                          chat_affinity_seconds=2.2,  # > the longest window below
                          heartbeat_seconds=0.2)


def needs_server(db: Database) -> None:
    if db.dialect.name != "postgresql":
        pytest.skip("several workers share one outbox on PostgreSQL only")


async def test_two_workers_keep_each_chat_and_group_within_its_limits(
    fake_telegram_factory: ServerFactory, db_target: str
) -> None:
    """Two senders on one PostgreSQL outbox: every part once, and the server's per-chat and
    per-group windows never tripped, though each sender paces only what it sends itself."""
    first_db, second_db = open_database(db_target), open_database(db_target)
    needs_server(first_db)
    limits = RateLimits(per_chat=ServerWindow(1, 0.5), per_group=ServerWindow(3, 2.0))
    tg = fake_telegram_factory(ServerOptions(limits=limits))
    users = [private_chat(tg, first_db, f"User {n}") for n in range(6)]
    group = group_chat(tg, first_db)
    for user in users:
        queue(first_db, user, *(f"part {n} for {user}" for n in range(3)))
    queue(first_db, group.id, *(f"group part {n}" for n in range(5)))
    pacing = PacingLimits(overall=Window(50, 1.0), per_chat=Window(1, 0.5),
                          per_group=Window(3, 2.0), slack=0.0)
    async with paced_bot(tg, pacing) as one, paced_bot(tg, pacing) as two:
        senders = [OutboxSender(one, first_db, WORKERS), OutboxSender(two, second_db, WORKERS)]
        await asyncio.gather(*(run_until(s, lambda: count(first_db, "sent") == 23, timeout=30)
                               for s in senders))
    texts = [m.text for m in tg.sent()]
    assert len(texts) == 23 and len(set(texts)) == 23 and tg.count_429() == 0
    assert [m.text for m in tg.sent(group.id)][-1] == "group part 4"
    first_db.close()
    second_db.close()


async def test_a_dead_workers_claims_are_taken_over(
    fake_telegram: FakeTelegramServer, bot: Bot, db: Database
) -> None:
    """A worker claimed parts and died before sending them: the next one sends each of them
    once (when its claims expire, or its heartbeat is stale: tests/unit/test_storage_outbox.py)."""
    needs_server(db)
    users = [private_chat(fake_telegram, db, f"User {n}") for n in range(4)]
    for user in users:
        queue(db, user, f"for {user}")
    workers.beat(db, 4242, datetime.now(UTC), alive=timedelta(seconds=1))
    dead = outbox.claim_due(db, 4242, datetime.now(UTC), limit=10, expiry=timedelta(minutes=5))
    assert len(dead) == 4
    await run_until(OutboxSender(bot, db, WORKERS), lambda: count(db, "sent") == 4)
    assert sorted(m.text for m in fake_telegram.sent()) == sorted(f"for {u}" for u in users)


async def test_two_workers_share_the_overall_limit(
    fake_telegram_factory: ServerFactory, db_target: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram counts the bot's messages, not each process's: two senders at a 20/s limit
    each keep to 10/s once they see each other, and the server's 20/s is never exceeded."""
    first_db, second_db = open_database(db_target), open_database(db_target)
    needs_server(first_db)
    tg = fake_telegram_factory(ServerOptions(limits=RateLimits(overall=ServerWindow(20, 1.0))))
    users = [private_chat(tg, first_db, f"User {n}") for n in range(60)]
    for user in users:
        queue(first_db, user, f"for {user}")
    pacing = PacingLimits(overall=Window(20, 1.0), per_chat=Window(1, 0.05))
    async with paced_bot(tg, pacing) as one, paced_bot(tg, pacing) as two:
        senders = [OutboxSender(one, first_db, WORKERS), OutboxSender(two, second_db, WORKERS)]
        with caplog.at_level(logging.INFO, logger="services.delivery"):
            await asyncio.gather(*(run_until(s, lambda: count(first_db, "sent") == 60, timeout=30)
                                   for s in senders))
    shares = [r.getMessage() for r in caplog.records if "worker(s) up" in r.getMessage()]
    assert shares.count("2 worker(s) up: this one sends up to 10 msg/s") >= 2  # each of them
    assert len({m.text for m in tg.sent()}) == 60 and tg.count_429() == 0
    assert first_db.execute("select count(*) from workers").fetchone()[0] == 0  # both left
    first_db.close()
    second_db.close()
