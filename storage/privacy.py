"""What the bot stores about one chat: export it (``/mydata``) or erase it (``/forget``).

Only the chat's own rows are touched; shared data (sources, feed items, the article cache)
belongs to no chat. Every statement is parameterised.

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> from storage.chats import ChatDefaults, NewChat, ensure_chat, subscribe
>>> db = open_database(":memory:")
>>> _ = ensure_chat(db, 42, NewChat(type="private", title="Olena"), ChatDefaults())
>>> _ = subscribe(db, 42, next_digest_at=datetime(2026, 1, 2, 6, tzinfo=UTC))
>>> export_chat(db, 42)["subscription"]["state"]
'active'
>>> forget_chat(db, 42)
{'follows': 0, 'breaking_sent': 0, 'deliveries': 0, 'outbox': 0, 'digests': 0, 'chat_sources': 0, 'subscriptions': 1, 'chats': 1}
>>> export_chat(db, 42)["chat"] is None
True
"""

from __future__ import annotations

from typing import Any

from storage.engine import Database

# Children before parents, so foreign keys hold at every step; each table's column that
# names the chat. The SQL is fixed text per table: nothing from outside reaches it but the
# bound chat id.
_ERASE: tuple[tuple[str, str], ...] = (
    ("follows", "delete from follows where chat_id = ?"),
    ("breaking_sent", "delete from breaking_sent where chat_id = ?"),
    ("deliveries", "delete from deliveries where chat_id = ?"),
    ("outbox", "delete from outbox where chat_id = ?"),
    ("digests", "delete from digests where chat_id = ?"),
    ("chat_sources", "delete from chat_sources where chat_id = ?"),
    ("subscriptions", "delete from subscriptions where chat_id = ?"),
    ("chats", "delete from chats where id = ?"),
)


def _one(db: Database, sql: str, chat_id: int) -> dict[str, Any] | None:
    rows = list(db.query(sql, [chat_id]))
    return rows[0] if rows else None


def _count(db: Database, sql: str, chat_id: int) -> int:
    return int(db.execute(sql, [chat_id]).fetchone()[0])


def export_chat(db: Database, chat_id: int) -> dict[str, Any]:
    """Everything stored about ``chat_id`` as a JSON-able dict.

    ``chat`` and ``subscription`` are the rows (None when absent), ``sources`` the outlets
    this chat switched on or off, ``follows`` what it follows or mutes, and the digest and
    alert history as counts (the alert settings are columns of the chat row).
    """
    sources = list(db.query(
        "select s.name, s.feed_url, c.enabled from chat_sources c "
        "join sources s on s.id = c.source_id where c.chat_id = ? order by s.name",
        [chat_id],
    ))
    return {
        "chat": _one(db, "select * from chats where id = ?", chat_id),
        "subscription": _one(db, "select * from subscriptions where chat_id = ?", chat_id),
        "sources": [{**row, "enabled": bool(row["enabled"])} for row in sources],
        "digests": _count(db, "select count(*) from digests where chat_id = ?", chat_id),
        "digest_messages": _count(db, "select count(*) from outbox where chat_id = ?", chat_id),
        "delivered_items": _count(db, "select count(*) from deliveries where chat_id = ?", chat_id),
        "follows": [{"topic": row["label"], "key": row["key"], "mode": row["mode"]}
                    for row in db.query("select label, key, mode from follows where chat_id = ? "
                                        "order by created_at, key", [chat_id])],
        "alerts_received": _count(db, "select count(*) from breaking_sent where chat_id = ?", chat_id),
    }


def forget_chat(db: Database, chat_id: int) -> dict[str, int]:
    """Erase every row about ``chat_id`` in one transaction; rows deleted, per table.

    Either all of it goes or, on any error, nothing does.
    """
    with db.atomic():  # one transaction: commit at the end, roll back on an exception
        return {table: db.execute(sql, [chat_id]).rowcount for table, sql in _ERASE}
