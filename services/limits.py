"""Budgets that keep one hostile user from starving everyone else.

Each user gets a token bucket of links (by default 10 a minute with a burst of 5), and
all users together share a cap on concurrent page fetches. A user over budget hears so
once, then is ignored until the bucket refills: answering every message of a flood would
make the bot a flood itself.

>>> clock = iter([0.0, 0.0, 0.0, 6.0]).__next__
>>> bucket = TokenBucket(capacity=2, per_second=1 / 6, clock=clock, tokens=2, stamp=0.0)
>>> bucket.take(), bucket.take(), bucket.take() > 0, bucket.take()
(0.0, 0.0, True, 0.0)
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Past this many tracked users, buckets that have refilled are forgotten (a full bucket is
# the same as no bucket), so a crowd of one-off senders cannot grow memory without end.
MAX_TRACKED_USERS = 10_000

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class LinkBudget:
    """How many links a user may send (``per_minute``, ``burst`` at once) and how many
    pages the whole bot fetches at the same time."""

    per_minute: float = 10.0
    burst: int = 5
    max_concurrent_fetches: int = 8


#: ``/importsources`` per user: a burst of 3, then one every 30 seconds (parsing a document
#: costs far more than a link).
IMPORT_BUDGET = LinkBudget(per_minute=2.0, burst=3)


@dataclass(slots=True)
class TokenBucket:
    """``capacity`` tokens, refilled at ``per_second``; :meth:`take` spends them."""

    capacity: float
    per_second: float
    clock: Clock = time.monotonic
    tokens: float = math.nan  # nan: start full at the first look at the clock
    stamp: float = math.nan

    def take(self, cost: float = 1.0) -> float:
        """Spend ``cost`` tokens and return 0.0, or spend nothing and return the seconds
        until ``cost`` tokens will be there (a cost above the capacity waits for a full
        bucket)."""
        self._refill()
        cost = min(cost, self.capacity)
        if self.tokens >= cost:
            self.tokens -= cost
            return 0.0
        return (cost - self.tokens) / self.per_second

    def _refill(self) -> None:
        now = self.clock()
        if math.isnan(self.stamp):
            self.tokens, self.stamp = self.capacity, now
        elapsed = max(now - self.stamp, 0.0)  # a clock stepping back grants nothing
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.stamp = now


@dataclass(frozen=True, slots=True)
class Verdict:
    """What to do with a message: go ahead, or wait ``wait_seconds`` (tell the user only
    when ``notify``)."""

    allowed: bool
    wait_seconds: int = 0
    notify: bool = False


@dataclass
class LinkLimits:
    """Per-user buckets plus the shared fetch semaphore; one per running bot."""

    budget: LinkBudget = field(default_factory=LinkBudget)
    clock: Clock = time.monotonic
    _buckets: dict[int, TokenBucket] = field(default_factory=dict)
    _told: set[int] = field(default_factory=set)
    _fetches: asyncio.Semaphore | None = None

    def check(self, user_id: int, links: int) -> Verdict:
        """Spend ``links`` tokens of ``user_id``'s budget, or say how long to wait.

        >>> limits = LinkLimits(LinkBudget(per_minute=60, burst=1), clock=lambda: 0.0)
        >>> limits.check(7, 1), limits.check(7, 1), limits.check(7, 1)
        (Verdict(allowed=True, wait_seconds=0, notify=False), \
Verdict(allowed=False, wait_seconds=1, notify=True), \
Verdict(allowed=False, wait_seconds=1, notify=False))
        """
        wait = self._bucket(user_id).take(links)
        if wait == 0.0:
            self._told.discard(user_id)
            return Verdict(allowed=True)
        notify = user_id not in self._told
        self._told.add(user_id)
        return Verdict(allowed=False, wait_seconds=max(1, math.ceil(wait)), notify=notify)

    @property
    def fetches(self) -> asyncio.Semaphore:
        """The cap on pages fetched at once, across all users (made on first use, so it
        belongs to the running event loop)."""
        if self._fetches is None:
            self._fetches = asyncio.Semaphore(self.budget.max_concurrent_fetches)
        return self._fetches

    def _bucket(self, user_id: int) -> TokenBucket:
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= MAX_TRACKED_USERS:
                self._forget_idle()
            per_second = self.budget.per_minute / 60.0
            bucket = TokenBucket(self.budget.burst, per_second, self.clock)
            self._buckets[user_id] = bucket
        return bucket

    def _forget_idle(self) -> None:
        for user_id, bucket in list(self._buckets.items()):
            if bucket.take(0.0) == 0.0 and bucket.tokens >= bucket.capacity:
                del self._buckets[user_id]
                self._told.discard(user_id)
