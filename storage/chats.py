"""Chats and their digest subscriptions.

A *chat* row exists for every chat the bot has talked to; a *subscription* row exists only
while the chat wants the digest (``active``) or has paused it (``paused``). Leaving deletes
the subscription but keeps the chat, so its settings survive a later return.

>>> from datetime import UTC, datetime, time
>>> from storage import open_database
>>> db = open_database(":memory:")
>>> chat = ensure_chat(db, 42, NewChat(type="private", title="Olena"), ChatDefaults())
>>> subscribe(db, 42, next_digest_at=datetime(2026, 1, 2, 6, tzinfo=UTC))
<SubscribeResult.NEW: 'new'>
>>> subscribe(db, 42, next_digest_at=datetime(2026, 1, 2, 6, tzinfo=UTC))
<SubscribeResult.ALREADY: 'already'>
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from storage.db import now_iso, utc_iso
from storage.engine import Database, identifier


class ChatStatus(enum.StrEnum):
    ACTIVE = "active"
    LEFT = "left"  # the bot was removed from a group or channel
    KICKED = "kicked"  # banned from a group or channel
    BLOCKED = "blocked"  # a private user blocked the bot
    MIGRATED = "migrated"  # a group that became a supergroup (its data moved on)


class SubscribeResult(enum.StrEnum):
    NEW = "new"
    ALREADY = "already"
    RESUMED = "resumed"


@dataclass(frozen=True, slots=True)
class ChatDefaults:
    timezone: str = "Europe/Kyiv"
    delivery_time: time = time(8, 0)


@dataclass(frozen=True, slots=True)
class NewChat:
    """What we learn about a chat from an update: its kind, a title to show admins, and
    for a private chat the interface language its user's Telegram app reports."""

    type: str
    title: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Chat:
    id: int
    type: str
    title: str | None
    status: ChatStatus
    timezone: str
    delivery_time: time
    topic_id: int | None
    language: str | None = None  # interface language; None: not known, the default applies


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    state: str  # active, paused
    next_digest_at: datetime


def _chat_from_row(row: dict[str, Any]) -> Chat:
    return Chat(
        id=row["id"],
        type=row["type"],
        title=row["title"],
        status=ChatStatus(row["status"]),
        timezone=row["timezone"],
        delivery_time=time.fromisoformat(row["delivery_time"]),
        topic_id=row["topic_id"],
        language=row.get("language"),
    )


def get_chat(db: Database, chat_id: int) -> Chat | None:
    row = db.first("select * from chats where id = ?", [chat_id])
    return None if row is None else _chat_from_row(row)


def ensure_chat(db: Database, chat_id: int, seen: NewChat, defaults: ChatDefaults) -> Chat:
    """Create the chat with default settings, or refresh its type and title; return it.

    ``seen.language`` is stored only while the chat has no language yet: a choice made
    with :func:`set_language` is never overwritten by what a later update reports.

    >>> from storage import open_database
    >>> db = open_database(":memory:")
    >>> ensure_chat(db, 7, NewChat("private", "Olha", language="uk"), ChatDefaults()).language
    'uk'
    >>> ensure_chat(db, 7, NewChat("private", "Olha", language="en"), ChatDefaults()).language
    'uk'
    """
    existing = get_chat(db, chat_id)
    if existing is not None and not _refreshed(existing, seen):
        return existing  # most updates: one read, no write
    now = now_iso(db)
    if existing is None:
        db.insert(
            "chats",
            {
                "id": chat_id,
                "type": seen.type,
                "title": seen.title,
                "status": ChatStatus.ACTIVE.value,
                "timezone": defaults.timezone,
                "delivery_time": defaults.delivery_time.strftime("%H:%M"),
                "topic_id": None,
                "language": seen.language,
                "created_at": now,
                "updated_at": now,
            }
        )
    else:
        language = existing.language or seen.language
        _update_chat(db, chat_id, type=seen.type, title=seen.title, language=language)
    chat = get_chat(db, chat_id)
    assert chat is not None
    return chat


def _refreshed(existing: Chat, seen: NewChat) -> bool:
    """True when an update tells something new: type, title, or a first language."""
    first_language = existing.language is None and seen.language is not None
    return first_language or (existing.type, existing.title) != (seen.type, seen.title)


def set_language(db: Database, chat_id: int, language: str) -> None:
    """Store the chat's interface language (``en``, ``uk``), chosen with /language."""
    _update_chat(db, chat_id, language=language)


def _update_chat(db: Database, chat_id: int, **changes: Any) -> None:
    db.update("chats", {"id": chat_id}, {**changes, "updated_at": now_iso(db)})


def set_status(db: Database, chat_id: int, status: ChatStatus) -> None:
    """Record that the bot left, was blocked, or is back; nothing else about the chat changes."""
    if get_chat(db, chat_id) is not None:
        _update_chat(db, chat_id, status=status.value)


def set_topic(db: Database, chat_id: int, topic_id: int | None) -> None:
    """Remember the forum topic the digest should go to (None: the chat's main thread)."""
    _update_chat(db, chat_id, topic_id=topic_id)


def set_delivery(
    db: Database, chat_id: int, *, timezone: str, delivery_time: time, next_digest_at: datetime
) -> None:
    """Change when the digest arrives; an existing subscription is rescheduled with it."""
    with db.atomic():
        _update_chat(
            db, chat_id, timezone=timezone, delivery_time=delivery_time.strftime("%H:%M")
        )
        if get_subscription(db, chat_id) is not None:
            _update_subscription(db, chat_id, next_digest_at=utc_iso(next_digest_at))


def get_subscription(db: Database, chat_id: int) -> Subscription | None:
    row = db.first("select * from subscriptions where chat_id = ?", [chat_id])
    if row is None:
        return None
    return Subscription(
        chat_id=row["chat_id"],
        state=row["state"],
        next_digest_at=datetime.fromisoformat(row["next_digest_at"]),
    )


def _update_subscription(db: Database, chat_id: int, **changes: Any) -> None:
    db.update("subscriptions", {"chat_id": chat_id}, {**changes, "updated_at": now_iso(db)})


def subscribe(db: Database, chat_id: int, *, next_digest_at: datetime) -> SubscribeResult:
    """Start (or resume) the daily digest for a chat that :func:`ensure_chat` created."""
    current = get_subscription(db, chat_id)
    if current is not None and current.state == "active":
        return SubscribeResult.ALREADY
    if current is not None:
        _update_subscription(db, chat_id, state="active", next_digest_at=utc_iso(next_digest_at))
        return SubscribeResult.RESUMED
    now = now_iso(db)
    db.insert(
        "subscriptions",
        {
            "chat_id": chat_id,
            "state": "active",
            "next_digest_at": utc_iso(next_digest_at),
            "created_at": now,
            "updated_at": now,
        }
    )
    return SubscribeResult.NEW


def unsubscribe(db: Database, chat_id: int) -> bool:
    """Stop the digest and breaking alerts (someone who unsubscribes wants quiet); True if
    there was a subscription to stop. Other chat settings stay."""
    if get_subscription(db, chat_id) is None:
        return False
    with db.atomic():
        db.execute("delete from subscriptions where chat_id = ?", [chat_id])
        db.execute("update chats set alerts = 0 where id = ?", [chat_id])
    return True


def set_paused(db: Database, chat_id: int, paused: bool, *, next_digest_at: datetime) -> bool:
    """Pause or resume; False when the chat has no subscription to pause or resume."""
    if get_subscription(db, chat_id) is None:
        return False
    state = "paused" if paused else "active"
    _update_subscription(db, chat_id, state=state, next_digest_at=utc_iso(next_digest_at))
    return True


# The tables keyed by (chat_id, other) whose rows follow a group to its supergroup.
_MOVED_WITH_CHAT = (("follows", "key"), ("chat_sources", "source_id"),
                    ("deliveries", "item_id"), ("breaking_sent", "story_key"))


def migrate_chat(db: Database, old_id: int, new_id: int) -> Chat | None:
    """Move a group's settings and subscription to the supergroup it became.

    Telegram gives the supergroup a new id; the old row is kept, marked ``migrated``, so
    nothing is deleted and a late update for the old id does no harm. Idempotent.
    """
    old = get_chat(db, old_id)
    if old is None:
        return None
    with db.atomic():
        if get_chat(db, new_id) is None:
            row = db.first("select * from chats where id = ?", [old_id])
            assert row is not None  # read above, in this transaction
            db.insert("chats", {**row, "id": new_id, "type": "supergroup",
                                "updated_at": now_iso(db)})
        for row in list(db.query("select * from subscriptions where chat_id = ?", [old_id])):
            db.execute("delete from subscriptions where chat_id = ?", [old_id])
            db.upsert("subscriptions", {**row, "chat_id": new_id}, pk="chat_id")
        # Everything the group chose (follows, /sources) and what it already received
        # (items, alerts: never twice) goes with it; other modules own these tables, but the
        # move is one transaction here. A row the new id already has stays as it is.
        for table, other in _MOVED_WITH_CHAT:
            db.execute(f"""update {identifier(table)} set chat_id = ? where chat_id = ?
                             and not exists (select 1 from {identifier(table)} t where t.chat_id = ?
                               and t.{identifier(other)} = {identifier(table)}.{identifier(other)})""",
                       [new_id, old_id, new_id])
        _update_chat(db, old_id, status=ChatStatus.MIGRATED.value)
    return get_chat(db, new_id)


def due_subscriptions(db: Database, now: datetime, *, limit: int = 1000) -> list[tuple[Chat, Subscription]]:
    """Active subscriptions of reachable chats whose next digest time has come.

    One indexed query, so a tick costs the same with ten chats or fifty thousand.
    """
    rows = db.query(
        """select c.*, s.state, s.next_digest_at from subscriptions s
           join chats c on c.id = s.chat_id
           where s.state = 'active' and c.status = 'active' and s.next_digest_at <= ?
           order by s.next_digest_at limit ?""",
        [utc_iso(now), limit],
    )
    return [
        (_chat_from_row(r), Subscription(r["id"], r["state"], datetime.fromisoformat(r["next_digest_at"])))
        for r in rows
    ]


def advance_subscription(db: Database, chat_id: int, *, next_digest_at: datetime) -> None:
    """Move a subscription's next delivery on (after today's digest is queued or skipped)."""
    _update_subscription(db, chat_id, next_digest_at=utc_iso(next_digest_at))


def count_chats(db: Database) -> dict[str, int]:
    """Subscribers by kind for /stats: active, paused, and gone (blocked/left/kicked)."""
    row = db.execute(
        """select
             sum(case when s.state = 'active' and c.status = 'active' then 1 else 0 end),
             sum(case when s.state = 'paused' and c.status = 'active' then 1 else 0 end),
             sum(case when c.status not in ('active', 'migrated') then 1 else 0 end)
           from subscriptions s join chats c on c.id = s.chat_id"""
    ).fetchone()
    return {"active": row[0] or 0, "paused": row[1] or 0, "gone": row[2] or 0}

