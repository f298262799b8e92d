"""Workers' heartbeats: how many bot processes are up on one database, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from storage import Database
from storage.workers import beat, leave

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
ALIVE = timedelta(seconds=15)


def test_the_workers_up_are_those_that_beat_lately(db: Database) -> None:
    assert beat(db, 1, NOW, alive=ALIVE) == 1
    assert beat(db, 2, NOW + timedelta(seconds=5), alive=ALIVE) == 2
    assert beat(db, 1, NOW + timedelta(seconds=10), alive=ALIVE) == 2  # a beat again: no new worker
    # Worker 2 went silent 16 s ago: it no longer counts, and long silence forgets it.
    assert beat(db, 1, NOW + timedelta(seconds=21), alive=ALIVE) == 1
    beat(db, 1, NOW + timedelta(minutes=10), alive=ALIVE)
    assert db.execute("select id from workers").fetchall() == [(1,)]


def test_a_worker_that_leaves_no_longer_counts(db: Database) -> None:
    beat(db, 1, NOW, alive=ALIVE)
    beat(db, 2, NOW, alive=ALIVE)
    leave(db, 2)
    assert beat(db, 1, NOW, alive=ALIVE) == 1


def test_a_worker_id_needs_64_bits(db: Database) -> None:
    big = 2**62 - 1  # the senders' random ids
    assert beat(db, big, NOW, alive=ALIVE) == 1
    leave(db, big)
    assert db.execute("select count(*) from workers").fetchone()[0] == 0
