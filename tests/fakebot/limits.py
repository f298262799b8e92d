"""Telegram's flood limits as sliding windows, off unless a test asks for them.

>>> from tests.fakebot.errors import ApiError
>>> clock = iter([0.0, 0.1, 1.2]).__next__
>>> limiter = RateLimiter(RateLimits(per_chat=Window(1, 1.0)), clock=clock)
>>> limiter.acquire(chat_id=7, is_group=False)
>>> try:
...     limiter.acquire(chat_id=7, is_group=False)
... except ApiError as error:
...     print(error.description)
Too Many Requests: retry after 1
>>> limiter.acquire(chat_id=7, is_group=False)  # the window has slid past the first send
>>> limiter.rejected
1
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from tests.fakebot.errors import too_many_requests

Clock = Callable[[], float]


@dataclass(frozen=True)
class Window:
    """At most ``limit`` messages in any ``seconds``-long interval."""

    limit: int
    seconds: float


@dataclass(frozen=True)
class RateLimits:
    """Which limits apply; ``None`` switches one off (all are off by default)."""

    per_chat: Window | None = None
    per_group: Window | None = None
    overall: Window | None = None

    @classmethod
    def telegram(cls) -> RateLimits:
        """Telegram's published rough numbers: 1/s per chat, 20/min per group, 30/s overall."""
        return cls(per_chat=Window(1, 1.0), per_group=Window(20, 60.0), overall=Window(30, 1.0))


class RateLimiter:
    """Counts sends per window; a send over any limit is refused with a 429 and not counted."""

    def __init__(self, limits: RateLimits, clock: Clock = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.rejected = 0
        self._lock = threading.Lock()
        self._sent: dict[tuple[str, int], deque[float]] = defaultdict(deque)

    def acquire(self, chat_id: int, is_group: bool) -> None:
        """Record one message to ``chat_id`` or raise a 429 carrying ``retry_after``."""
        checks = [("chat", chat_id, self.limits.per_chat), ("all", 0, self.limits.overall)]
        if is_group:
            checks.append(("group", chat_id, self.limits.per_group))
        active = [((scope, key), window) for scope, key, window in checks if window is not None]
        with self._lock:
            now = self.clock()
            wait = max(
                (self._wait(self._sent[key], window, now) for key, window in active), default=0.0
            )
            if wait > 0:
                self.rejected += 1
                raise too_many_requests(wait)
            for key, _window in active:
                self._sent[key].append(now)

    @staticmethod
    def _wait(sent: deque[float], window: Window, now: float) -> float:
        """Seconds until one more send fits in ``window`` (0 when it fits now)."""
        while sent and sent[0] <= now - window.seconds:
            sent.popleft()
        if len(sent) < window.limit:
            return 0.0
        return sent[-window.limit] + window.seconds - now
