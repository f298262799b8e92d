"""Workers: the bot processes sending from one database, each beating its heartbeat here.

Telegram's limits are per bot, not per process, so several workers on one PostgreSQL
database split the overall rate among the ones that are up (:mod:`services.delivery`); a
worker is up while its heartbeat is recent. Alone on SQLite the one bot counts itself.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.db import utc_iso
from storage.engine import Database

#: A heartbeat this much older than ``alive`` is deleted (the worker is long gone).
_FORGET = 10


def beat(db: Database, worker_id: int, now: datetime, *, alive: timedelta) -> int:
    """Record that ``worker_id`` is up at ``now``; how many workers are up (beat within
    ``alive``), this one included."""
    stamp = utc_iso(now)
    with db.atomic():
        db.execute("insert into workers (id, seen_at) values (?, ?) "
                   "on conflict (id) do update set seen_at = excluded.seen_at",
                   [worker_id, stamp])
        db.execute("delete from workers where seen_at < ?", [utc_iso(now - _FORGET * alive)])
        row = db.execute("select count(*) from workers where seen_at >= ?",
                         [utc_iso(now - alive)]).fetchone()
    return max(1, int(row[0]))


def leave(db: Database, worker_id: int) -> None:
    """A worker that stops in order leaves at once: the others take its share."""
    db.execute("delete from workers where id = ?", [worker_id])
