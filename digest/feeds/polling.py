"""When to poll a feed next: the regular interval, the feed's own TTL, the server's
``Retry-After``, and exponential backoff (with jitter) for a feed that keeps failing.

>>> from datetime import UTC, datetime
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> policy = PollPolicy(interval_minutes=10, jitter=0.0)
>>> next_poll_at(now, policy).isoformat()
'2026-01-01T00:10:00+00:00'
>>> next_poll_at(now, policy, failures=3).isoformat()   # 10 min × 2³
'2026-01-01T01:20:00+00:00'
>>> next_poll_at(now, policy, ttl_minutes=60).isoformat()
'2026-01-01T01:00:00+00:00'
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from digest.backoff import Backoff


@dataclass(frozen=True, slots=True)
class PollPolicy:
    interval_minutes: float = 10.0
    max_backoff_minutes: float = 6 * 60.0
    max_ttl_minutes: float = 6 * 60.0  # a feed asking for a day's TTL still gets polled
    jitter: float = 0.1  # ± share of the delay, so failing feeds don't retry in lockstep
    # Jitter only lengthens the delay: the interval is then a floor (a channel's page is
    # asked at most once per interval).
    jitter_up_only: bool = False


def next_poll_at(now: datetime, policy: PollPolicy, *, failures: int = 0,
                 ttl_minutes: float | None = None, retry_after: float | None = None,
                 rng: random.Random | None = None) -> datetime:
    """The next time to poll; the longest of interval, TTL, Retry-After and backoff wins."""
    minutes = policy.interval_minutes
    if ttl_minutes:
        minutes = max(minutes, min(ttl_minutes, policy.max_ttl_minutes))
    if failures > 0:  # 2× the interval after the first failure, doubling from there
        backoff = Backoff(2 * policy.interval_minutes, policy.max_backoff_minutes, jitter=0.0)
        minutes = max(minutes, backoff.delay(failures))
    if retry_after:
        minutes = max(minutes, retry_after / 60)
    low = 0.0 if policy.jitter_up_only else -policy.jitter
    spread = (rng or random).uniform(low, policy.jitter) if policy.jitter else 0.0
    return now + timedelta(minutes=minutes * (1 + spread))
