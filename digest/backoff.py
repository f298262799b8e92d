"""Exponential backoff with jitter: the one policy for everything that retries.

Feeds that keep failing (:mod:`digest.feeds.polling`) and outbox parts Telegram could not
take (:mod:`services.delivery`) both wait ``base × 2^(n-1)`` after failure ``n``, capped,
times a random factor in ``1 ± jitter``. The jitter spreads out the retries of many feeds
or chats that failed together, e.g. during an outage, so they do not come back as one burst.

>>> policy = Backoff(base=2.0, cap=60.0, jitter=0.5)
>>> [round(policy.delay(n, random.Random(1)), 2) for n in (1, 2, 3, 10)]
[1.27, 2.54, 5.07, 38.06]
>>> Backoff(base=20.0, cap=360.0, jitter=0.0).delay(3)
80.0
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 2.0  # wait after the first failure (before jitter)
    cap: float = 300.0  # no wait is longer than this (before jitter)
    jitter: float = 0.5  # ± share of the wait

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """The wait after failed attempt number ``attempt`` (1-based), in ``base``'s unit."""
        raw = min(self.cap, self.base * 2 ** min(attempt - 1, 60))
        if not self.jitter:
            return raw
        return raw * (rng or random).uniform(1 - self.jitter, 1 + self.jitter)
