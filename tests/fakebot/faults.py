"""Deterministic fault injection: scheduled failures, seeded random 5xx, forced 429s, delays.

>>> faults = FaultInjector(seed=1)
>>> faults.fail_next("sendMessage", status=502, count=1)
>>> faults.before_call("sendmessage").status
502
>>> faults.before_call("sendMessage") is None
True
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict, deque
from http import HTTPStatus

from tests.fakebot.errors import ApiError, too_many_requests


def _error(status: int, description: str | None) -> ApiError:
    if status == 429:
        return too_many_requests(1)
    return ApiError(status, description or HTTPStatus(status).phrase)


class FaultInjector:
    """Failures a test schedules; method names are case-insensitive like the API's."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._scheduled: dict[str, deque[ApiError]] = defaultdict(deque)
        self._error_rates: dict[str, tuple[float, int]] = {}
        self._forced_429: dict[int, deque[int]] = defaultdict(deque)
        self._delays: dict[str | None, float] = {}

    def fail_next(
        self, method: str, status: int = 500, count: int = 1, description: str | None = None
    ) -> None:
        """Make the next ``count`` calls of ``method`` answer ``status`` (a 429 says retry 1 s)."""
        with self._lock:
            self._scheduled[method.lower()].extend(
                _error(status, description) for _ in range(count)
            )

    def set_error_rate(self, method: str, probability: float, status: int = 500) -> None:
        """Fail each call of ``method`` with ``probability``, drawn from the seeded RNG."""
        with self._lock:
            self._error_rates[method.lower()] = (probability, status)

    def force_429(self, chat_id: int, retry_after: int = 1, count: int = 1) -> None:
        """Answer the next ``count`` sends to ``chat_id`` with 429 and this ``retry_after``."""
        with self._lock:
            self._forced_429[chat_id].extend([retry_after] * count)

    def set_delay(self, seconds: float, method: str | None = None) -> None:
        """Sleep before answering ``method`` (every method when None); 0 removes the delay."""
        with self._lock:
            self._delays[method.lower() if method else None] = seconds

    def before_call(self, method: str) -> ApiError | None:
        """Apply the delay for ``method`` and return the injected error, if any."""
        key = method.lower()
        with self._lock:
            delay = self._delays.get(key, self._delays.get(None, 0.0))
            error = self._take_error(key)
        if delay > 0:
            time.sleep(delay)  # outside the lock: other requests must keep flowing
        return error

    def forced_429(self, chat_id: int) -> ApiError | None:
        """The forced 429 for a send to ``chat_id``, if one is scheduled."""
        with self._lock:
            pending = self._forced_429.get(chat_id)
            return too_many_requests(pending.popleft()) if pending else None

    def _take_error(self, key: str) -> ApiError | None:
        if self._scheduled.get(key):
            return self._scheduled[key].popleft()
        probability, status = self._error_rates.get(key, (0.0, 500))
        if probability and self._rng.random() < probability:
            return _error(status, None)
        return None
