"""Which bot process runs the scheduler: the tick (polling feeds, queuing digests, alerts,
retention) and the reading of Telegram's updates.

On SQLite one bot runs per database and it leads; on PostgreSQL several workers may run and
the holder of an advisory lock leads (:class:`storage.instance.SchedulerLock`). Every
worker sends the outbox and answers the updates it is given.
"""

from __future__ import annotations

from typing import Protocol


class Leadership(Protocol):
    """A bot's hold on its database."""

    @property
    def shared(self) -> bool:
        """Whether other bots may run on the same database."""

    def held(self) -> bool:
        """Whether this process leads now (asking may take the lead: one database round trip)."""

    def release(self) -> None: ...


class SoleWorker:
    """The only process on its database, hence its leader (tests, and what bot.py holds
    before it knows better)."""

    shared = False

    def held(self) -> bool:
        return True

    def release(self) -> None:
        pass
