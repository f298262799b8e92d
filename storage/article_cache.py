"""A time-limited cache of extracted articles, keyed by normalised URL.

The payload is whatever JSON-able dict the caller stores (the reader stores an Article as
a dict); storage does not need to know its shape.

>>> from datetime import UTC, datetime, timedelta
>>> from storage import open_database
>>> db = open_database(":memory:")
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> put(db, "https://example.com/a", {"title": "A"}, now=now)
>>> get(db, "https://example.com/a", max_age=timedelta(hours=1), now=now)
{'title': 'A'}
>>> get(db, "https://example.com/a", max_age=timedelta(hours=1), now=now + timedelta(hours=2))
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from storage.db import utc_iso
from storage.engine import Database


def put(db: Database, url_key: str, payload: dict[str, Any], *, now: datetime) -> None:
    db.upsert("article_cache",
              {"url_key": url_key, "payload": json.dumps(payload, ensure_ascii=False),
               "fetched_at": utc_iso(now)},
              pk="url_key")


def get(db: Database, url_key: str, *, max_age: timedelta, now: datetime) -> dict[str, Any] | None:
    """The cached payload if it is younger than ``max_age``, else None."""
    oldest = utc_iso(now - max_age)
    rows = list(db.query(
        "select payload from article_cache where url_key = ? and fetched_at >= ?",
        [url_key, oldest],
    ))
    return json.loads(rows[0]["payload"]) if rows else None


def prune(db: Database, *, max_age: timedelta, now: datetime) -> int:
    """Delete entries older than ``max_age``; return how many went."""
    cursor = db.execute(
        "delete from article_cache where fetched_at < ?", [utc_iso(now - max_age)]
    )
    return cursor.rowcount
