"""What each chat follows or mutes: places, people and topics, by a stable key.

A key is whatever :func:`digest.stories.follow.resolve_topic` made of the user's words (a
lexicon id like ``kharkiv`` or ``text:…``), so "Kharkiv", "Харків" and "Харькове" are one
row. Storage keeps the key, the label shown back to the user, the lexicon ids and query the
matcher reads, and the encoded query (NULL without the embedding engine): it never
interprets them.

>>> from storage import open_database
>>> from storage.chats import ChatDefaults, NewChat, ensure_chat
>>> db = open_database(":memory:")
>>> _ = ensure_chat(db, 7, NewChat(type="private"), ChatDefaults())
>>> save(db, 7, FollowRow("kharkiv", FOLLOW, "Kharkiv", "Kharkiv city", ("kharkiv",)))
True
>>> save(db, 7, FollowRow("kharkiv", MUTE, "Kharkiv", "Kharkiv city", ("kharkiv",)))
True
>>> [(row.key, row.mode) for row in chat_follows(db, 7)]
[('kharkiv', 'mute')]
>>> remove(db, 7, "kharkiv"), chat_follows(db, 7)
(True, [])
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from storage.db import now_iso
from storage.engine import Database

FOLLOW, MUTE = "follow", "mute"

#: Follows and mutes per chat: enough for a region, a few towns and topics; a bound on
#: the per-story matching work and on what one chat can store.
MAX_PER_CHAT = 20


@dataclass(frozen=True, slots=True)
class FollowRow:
    """One followed or muted topic of a chat."""

    key: str
    mode: str  # FOLLOW or MUTE
    label: str
    query: str
    ids: tuple[str, ...] = ()
    vector: bytes | None = None


def _row(row: dict[str, Any]) -> FollowRow:
    return FollowRow(row["key"], row["mode"], row["label"], row["query"],
                     tuple(json.loads(row["ids"])), row["vector"])


def chat_follows(db: Database, chat_id: int) -> list[FollowRow]:
    """The chat's follows and mutes, oldest first."""
    rows = db.query("select * from follows where chat_id = ? order by created_at, key", [chat_id])
    return [_row(r) for r in rows]


def save(db: Database, chat_id: int, row: FollowRow) -> bool:
    """Follow or mute ``row.key`` (switching a mute to a follow and back); False when the
    chat already has :data:`MAX_PER_CHAT` other topics."""
    with db.atomic():
        existing = db.execute("select count(*), sum(case when key = ? then 1 else 0 end) "
                              "from follows where chat_id = ?",
                              [row.key, chat_id]).fetchone()
        if existing[0] >= MAX_PER_CHAT and not existing[1]:
            return False
        db.execute(
            """insert into follows (chat_id, key, mode, label, query, ids, vector, created_at)
               values (?, ?, ?, ?, ?, ?, ?, ?)
               on conflict (chat_id, key) do update set mode = excluded.mode,
                 label = excluded.label, query = excluded.query, ids = excluded.ids,
                 vector = coalesce(excluded.vector, follows.vector)""",
            [chat_id, row.key, row.mode, row.label, row.query, json.dumps(list(row.ids)),
             row.vector, now_iso(db)],
        )
    return True


def remove(db: Database, chat_id: int, key: str) -> bool:
    """Stop following or muting ``key``; False when the chat had no such row."""
    with db.atomic():
        return db.execute("delete from follows where chat_id = ? and key = ?",
                          [chat_id, key]).rowcount > 0


def distinct_topics(db: Database) -> dict[str, FollowRow]:
    """One row per key any chat follows or mutes (preferring a row that carries a vector):
    the alert check matches each story once per key, not once per chat. Keys come from the
    (key, mode) index alone; a key only chats without alerts hold costs one extra match."""
    keys = [row[0] for row in db.execute("select distinct key from follows")]
    topics: dict[str, FollowRow] = {}
    for key in keys:
        rows = db.query("select * from follows where key = ? order by vector is null limit 1", [key])
        topics.update({row["key"]: _row(row) for row in rows})
    return topics


def chats_by_key(db: Database, keys: Iterable[str], mode: str) -> dict[int, set[str]]:
    """Chats that follow (or mute) any of ``keys``, with which of them."""
    keys = list(keys)
    if not keys:
        return {}
    marks = ",".join("?" * len(keys))
    found: dict[int, set[str]] = defaultdict(set)
    for row in db.query(f"select chat_id, key from follows where mode = ? and key in ({marks})",
                        [mode, *keys]):
        found[row["chat_id"]].add(row["key"])
    return dict(found)
