"""Telegram channel sources' own polling state: the newest post id read so far.

Channels live in the ``sources`` table like feeds (their ``feed_url`` is the preview page,
``https://t.me/s/<name>``); this module keeps the one thing a feed has no use for.

>>> from storage import open_database
>>> from storage.sources import SourceSpec, sync_sources
>>> db = open_database(":memory:")
>>> [row] = sync_sources(db, [SourceSpec("Demo", "https://t.me/s/demo", "uk", "ukrainian_official",
...                                      False)], origin="admin")
>>> last_post_id(db, row.id) is None
True
>>> remember_post_id(db, row.id, 40); remember_post_id(db, row.id, 12); last_post_id(db, row.id)
40
"""

from __future__ import annotations

from datetime import datetime

from storage.db import utc_iso
from storage.engine import Database

CHANNEL_PREFIX = "https://t.me/s/"


def last_post_id(db: Database, source_id: int) -> int | None:
    rows = db.query("select channel_last_post_id as n from sources where id = ?", [source_id])
    found = next(iter(rows), None)
    return found["n"] if found else None


def remember_post_id(db: Database, source_id: int, post_id: int) -> None:
    """Keep the highest id seen; an older page read later never moves it back."""
    db.execute(
        "update sources set channel_last_post_id = ? where id = ? "
        "and (channel_last_post_id is null or channel_last_post_id < ?)",
        [post_id, source_id, post_id],
    )


def channel_polls_since(db: Database, since: datetime) -> int:
    """How many channel sources were polled (successfully or not) since ``since``: the
    requests-per-minute cap counts these."""
    rows = db.query(
        "select count(*) as n from sources where feed_url like ? and "
        "(last_success_at >= ? or last_error_at >= ?)",
        [f"{CHANNEL_PREFIX}%", utc_iso(since), utc_iso(since)],
    )
    return int(next(iter(rows))["n"])
