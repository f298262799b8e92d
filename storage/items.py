"""News items read from feeds: stored once, in UTC, and offered to each chat at most once.

An item is the same item when its source gives the same GUID, or when any source already
has its normalised URL (the caller computes ``url_key``), or when its source already gave the
same text. These identity keys outlive the item (table ``seen_keys``): retention prunes an
item's body after ``RETENTION_DAYS``, but an item a feed still lists is never new again.

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> from storage.sources import SourceSpec, sync_sources
>>> db = open_database(":memory:")
>>> source = sync_sources(db, [SourceSpec("Outlet", "https://o.example/rss", "en", "international", True)], origin="builtin")[0]
>>> item = NewItem("g1", "https://o.example/a", "https://o.example/a", "Title", "", None, "en", None)
>>> add_items(db, source.id, [item, item], offered=True, now=datetime(2026, 1, 1, tzinfo=UTC))
1
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from digest.models import NewsItem
from storage.db import utc_iso
from storage.engine import Database

SEEN_SLACK = timedelta(days=1)
#: Title and summary shorter than this are not a content key: a short generic title
#: ("Live updates", "Morning briefing") is legitimately reused by different items.
MIN_TEXT_KEY = 80


@dataclass(frozen=True, slots=True)
class NewItem:
    guid: str
    url: str
    url_key: str
    title: str
    summary: str
    author: str | None
    language: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredItem(NewsItem):
    """A news item as stored, with its row's ids. ``published`` is the publication time, or
    when the bot first saw the item if the feed gave none; ``vector`` is its stored sentence
    embedding (float16 blob, see storage.vectors), if it has one."""

    id: int
    source_id: int
    url_key: str
    author: str | None


def source_has_items(db: Database, source_id: int) -> bool:
    return db.execute("select 1 from items where source_id = ? limit 1", [source_id]).fetchone() is not None


def add_items(db: Database, source_id: int, items: Iterable[NewItem], *, offered: bool,
              now: datetime) -> int:
    """Store items not seen before (by GUID within the source, or by URL anywhere).

    Returns how many were new. ``offered=False`` records backlog items without ever
    putting them in a digest (a new source's first poll must not flood subscribers).
    """
    added = 0
    with db.atomic():
        for item in items:
            keys = identity_keys(source_id, item)
            known = _known(db, source_id, item, keys)
            _remember(db, keys, now)
            if known:
                continue
            db.insert("items", {
                "source_id": source_id, "guid": item.guid, "url": item.url,
                "url_key": item.url_key, "title": item.title, "summary": item.summary,
                "author": item.author, "language": item.language,
                "published_at": utc_iso(item.published_at) if item.published_at else None,
                "seen_at": utc_iso(now), "offered": int(offered),
            })
            added += 1
    return added


def identity_keys(source_id: int, item: NewItem) -> list[str]:
    """What makes ``item`` the same item again, in ``seen_keys`` form.

    >>> identity_keys(3, NewItem("g1", "u", "o.example/a", "Title", "", None, None, None))
    ['guid:3:g1', 'url:o.example/a']
    """
    keys = [f"guid:{source_id}:{item.guid}", f"url:{item.url_key}"]
    text = re.sub(r"\s+", " ", f"{item.title} {item.summary}").strip().casefold()
    if len(text) >= MIN_TEXT_KEY:
        keys.append(f"text:{source_id}:{text}")
    return keys


def key_digest(key: str) -> bytes:
    """A key as stored: 16 bytes of its SHA-256, whatever the URL's length."""
    return hashlib.sha256(key.encode()).digest()[:16]


def listed_day(moment: datetime) -> int:
    """Days since 1970-01-01 (UTC): the resolution key ages are kept at."""
    return int(moment.timestamp() // 86400)


def _known(db: Database, source_id: int, item: NewItem, keys: list[str]) -> bool:
    row = db.execute(
        "select 1 from items where (source_id = ? and guid = ?) or url_key = ? limit 1",
        [source_id, item.guid, item.url_key],
    ).fetchone()
    if row is not None:
        return True
    marks = ",".join("?" * len(keys))
    return db.execute(f"select 1 from seen_keys where key in ({marks}) limit 1",
                      [key_digest(k) for k in keys]).fetchone() is not None


def _remember(db: Database, keys: list[str], now: datetime) -> None:
    """Record (or refresh: the feed still lists it) the item's keys."""
    db.executemany("insert into seen_keys (key, listed_day) values (?, ?) "
                        "on conflict(key) do update set listed_day = excluded.listed_day",
                        [(key_digest(key), listed_day(now)) for key in keys])


def _stored(row: dict[str, Any]) -> StoredItem:
    return StoredItem(
        id=row["id"], source_id=row["source_id"], source=row["source_name"],
        source_kind=row["source_kind"], url=row["url"], url_key=row["url_key"],
        title=row["title"], summary=row["summary"] or "", author=row["author"],
        language=row["language"],
        published=datetime.fromisoformat(row["published_at"] or row["seen_at"]),
        vector=row.get("vector"),
    )


def undelivered_items(db: Database, chat_id: int, source_ids: set[int], *,
                      since: datetime) -> list[StoredItem]:
    """Offered items from these sources, published (or seen) since ``since``, that this
    chat has not received yet.

    An item is seen after it is published, so ``seen_at`` bounds the search too: that
    condition can use the ``seen_at`` index, and keeps this query (run per due chat) from
    scanning the whole, ever-growing items table. A day of slack covers feeds whose clocks
    run ahead.
    """
    if not source_ids:
        return []
    marks = ",".join("?" * len(source_ids))
    rows = db.query(
        f"""select i.*, s.name as source_name, s.kind as source_kind, v.vector
            from items i join sources s on s.id = i.source_id
            left join item_vectors v on v.item_id = i.id
            where i.seen_at >= ? and i.offered = 1 and i.source_id in ({marks})
              and coalesce(i.published_at, i.seen_at) >= ?
              and not exists (select 1 from deliveries d
                              where d.chat_id = ? and d.item_id = i.id)
            order by coalesce(i.published_at, i.seen_at)""",
        [utc_iso(since - SEEN_SLACK), *sorted(source_ids), utc_iso(since), chat_id],
    )
    return [_stored(r) for r in rows]



def recent_items(db: Database, since: datetime) -> list[StoredItem]:
    """Offered items of enabled sources published (or seen) since ``since``, with their
    vectors, oldest first: what the breaking-alert check groups."""
    rows = db.query(
        """select i.*, s.name as source_name, s.kind as source_kind, v.vector
           from items i join sources s on s.id = i.source_id
           left join item_vectors v on v.item_id = i.id
           where i.seen_at >= ? and i.offered = 1 and s.disabled = 0
             and coalesce(i.published_at, i.seen_at) >= ?
           order by coalesce(i.published_at, i.seen_at), i.id""",
        [utc_iso(since - SEEN_SLACK), utc_iso(since)],
    )
    return [_stored(r) for r in rows]


def items_by_id(db: Database, item_ids: Iterable[int]) -> dict[int, StoredItem]:
    """Items (with vectors) by id; ids of pruned items are simply absent."""
    ids = sorted(set(item_ids))
    found: dict[int, StoredItem] = {}
    for start in range(0, len(ids), 500):  # SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        rows = db.query(
            f"""select i.*, s.name as source_name, s.kind as source_kind, v.vector
                from items i join sources s on s.id = i.source_id
                left join item_vectors v on v.item_id = i.id
                where i.id in ({",".join("?" * len(chunk))})""", chunk)
        found.update({r["id"]: _stored(r) for r in rows})
    return found
