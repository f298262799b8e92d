"""Operator alerts: each kind of trouble reaches the operators once, not every tick.

An alert has a key (``feed-down:12``, ``parked``, ``disk-low``). :func:`raise_once` records
it and says whether this is news (notify) or already known (stay quiet); :func:`clear_except`
forgets the alerts whose trouble is over, so a later recurrence is news again. The state is
in SQLite, so a restart does not repeat what the operators were already told.

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> db = open_database(":memory:")
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> raise_once(db, "disk-low", "3% free", now=now), raise_once(db, "disk-low", "2% free", now=now)
(True, False)
>>> clear_except(db, set()), raise_once(db, "disk-low", "3% free", now=now)
(1, True)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from storage.db import utc_iso
from storage.engine import Database


def raise_once(db: Database, key: str, detail: str, *, now: datetime) -> bool:
    """Record the alert ``key``; True only when it was not already raised (tell operators)."""
    with db.atomic():
        cursor = db.execute(
            "insert into alerts (key, raised_at, notified_at, detail) values (?, ?, ?, ?) "
            "on conflict do nothing",
            [key, utc_iso(now), utc_iso(now), detail[:500]],
        )
    return cursor.rowcount == 1


def clear_except(db: Database, active: Iterable[str], *, prefix: str = "") -> int:
    """Forget the alerts starting with ``prefix`` that are not in ``active`` (their trouble
    is over); returns how many were cleared."""
    keep = set(active)
    stale = [key for key in raised(db) if key.startswith(prefix) and key not in keep]
    with db.atomic():
        db.executemany("delete from alerts where key = ?", [(key,) for key in stale])
    return len(stale)


def raised(db: Database) -> list[str]:
    """Keys of the alerts currently raised."""
    return [row[0] for row in db.execute("select key from alerts order by key")]


@dataclass(frozen=True, slots=True)
class Alert:
    """One piece of trouble: its key, its kind (``feed_down``, ``parked``, ``disk_low``) and
    the values its message needs."""

    key: str
    kind: str
    values: dict[str, str] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in sorted(self.values.items()))


@dataclass(frozen=True, slots=True)
class AlertPolicy:
    """When trouble is worth an operator's attention.

    ``feed_down_after``: a feed failing with no success for this long (a day: a short outage
    is the poller's business, it backs off and retries). ``disk_free_bytes`` and
    ``disk_free_share``: less free space than either on the database's file system.
    """

    feed_down_after: timedelta = timedelta(days=1)
    disk_free_bytes: int = 500 * 1024 * 1024
    disk_free_share: float = 0.05


def feeds_down(db: Database, now: datetime, policy: AlertPolicy = AlertPolicy()) -> list[Alert]:
    """Enabled feeds failing now whose last success (or, never read, their creation) is older
    than ``policy.feed_down_after``."""
    rows = db.execute(
        """select id, name, coalesce(last_error, '') from sources
           where disabled = 0 and failures > 0 and coalesce(last_success_at, created_at) < ?
           order by id""",
        [utc_iso(now - policy.feed_down_after)],
    ).fetchall()
    return [Alert(f"feed-down:{sid}", "feed_down", {"name": name, "error": error[:200]})
            for sid, name, error in rows]


def parked_parts(db: Database) -> list[Alert]:
    """Digest parts parked as failed, as one alert however many there are (a Telegram outage
    parks thousands at once; operators need one message)."""
    count, error = db.execute(
        "select count(*), max(last_error) from outbox where status = 'failed'").fetchone()
    if not count:
        return []
    return [Alert("parked", "parked", {"count": str(count), "error": (error or "")[:200]})]


def disk_low(path: Path, policy: AlertPolicy = AlertPolicy()) -> list[Alert]:
    """The database's file system is nearly full (below either threshold)."""
    try:
        usage = shutil.disk_usage(path.parent if path.parent.exists() else Path("."))
    except OSError:
        return []
    share = usage.free / usage.total if usage.total else 1.0
    if usage.free >= policy.disk_free_bytes and share >= policy.disk_free_share:
        return []
    mib = 1024 * 1024  # the threshold is in the same unit the message shows
    return [Alert("disk-low", "disk_low", {
        "free_mb": f"{usage.free / mib:,.0f}", "free_percent": f"{share * 100:.1f}",
        "min_mb": f"{policy.disk_free_bytes / mib:,.0f}",
        "min_percent": f"{policy.disk_free_share * 100:g}"})]


def new_alerts(db: Database, found: list[Alert], *, now: datetime) -> list[Alert]:
    """Of the trouble ``found`` now, what operators have not been told yet; trouble no
    longer found is forgotten (so its return is news again)."""
    clear_except(db, [alert.key for alert in found])
    return [alert for alert in found if raise_once(db, alert.key, alert.detail, now=now)]
