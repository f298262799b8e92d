"""What the bot did: every request, and every message it sent, with blocking waits for tests.

Waits use a condition variable that each new record notifies, so tests never sleep blindly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP call from the bot. ``method`` is canonical (``sendMessage``) when known."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    response: dict[str, Any]


@dataclass(frozen=True)
class SentMessage:
    """A message as the bot sent it (later edits do not change this record).

    ``text`` is the visible text after entity parsing; ``raw_text`` is what the bot sent.
    """

    chat_id: int
    message_id: int
    text: str
    raw_text: str
    parse_mode: str | None
    entities: tuple[dict[str, Any], ...]
    reply_markup: dict[str, Any] | None
    message_thread_id: int | None
    date: int

    def button_data(self) -> list[str]:
        """Every ``callback_data`` of the inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


RequestFilter = Callable[[RecordedRequest], bool]


class Recorder:
    """Thread-safe log of requests and sent messages."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._requests: list[RecordedRequest] = []
        self._sent: list[SentMessage] = []

    def add_request(self, request: RecordedRequest) -> None:
        with self._changed:
            self._requests.append(request)
            self._changed.notify_all()

    def add_message(self, message: SentMessage) -> None:
        with self._changed:
            self._sent.append(message)
            self._changed.notify_all()

    def requests(self, method: str | None = None) -> list[RecordedRequest]:
        """All requests so far, or those of one method (case-insensitive)."""
        with self._changed:
            return [
                r for r in self._requests if method is None or r.method.lower() == method.lower()
            ]

    def sent(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages the bot sent, in order; only those to ``chat_id`` when given."""
        with self._changed:
            return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def wait_for_messages(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Block until the bot has sent ``count`` messages to ``chat_id``; return them all.

        Raises TimeoutError (listing what did arrive) when ``timeout`` seconds pass first.
        """
        found = self._wait(lambda: self._sent_to(chat_id), count, timeout)
        if found is None:
            got = [m.text[:60] for m in self.sent(chat_id)]
            raise TimeoutError(f"bot sent {len(got)}/{count} messages to chat {chat_id}: {got}")
        return found

    def wait_for_request(
        self, method: str, where: RequestFilter | None = None, timeout: float = 5.0, after: int = 0
    ) -> RecordedRequest:
        """Block until a ``method`` request (matching ``where``) is logged at index >= ``after``.

        ``after`` is typically ``len(recorder.requests())`` taken before the action under test.
        """

        def matching() -> list[RecordedRequest]:
            tail = self._requests[after:]
            return [
                r
                for r in tail
                if r.method.lower() == method.lower() and (where is None or where(r))
            ]

        found = self._wait(matching, 1, timeout)
        if found is None:
            raise TimeoutError(f"no {method} request within {timeout}s")
        return found[0]

    def _sent_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self._sent if m.chat_id == chat_id]

    def _wait(
        self, select: Callable[[], list[Any]], count: int, timeout: float
    ) -> list[Any] | None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := select()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)
            return found
