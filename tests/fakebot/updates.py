"""The bot's update queue: long-polled by ``getUpdates`` or pushed to a webhook.

Semantics follow the Bot API: ``update_id`` increases by one; ``offset`` confirms (drops) every
update with a smaller id; a negative offset keeps only the last ``-offset`` updates;
``allowed_updates`` is remembered and filters updates created *after* it was set; a newer
``getUpdates`` ends an older waiting one with 409; ``getUpdates`` while a webhook is set is a 409.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from tests.fakebot.errors import ApiError

# Telegram's default when allowed_updates is empty: everything but these three.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
MAX_BACKOFF_SECONDS = 1.0


@dataclass(frozen=True)
class Webhook:
    """A registered webhook (``setWebhook``)."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40


@dataclass
class _DeliveryStatus:
    last_error_date: int | None = None
    last_error_message: str | None = None


def update_kind(update: dict[str, Any]) -> str:
    """The update's type, e.g. ``message`` or ``callback_query``."""
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates plus the long-poll and webhook machinery around them."""

    def __init__(self, long_poll_cap: float = 50.0) -> None:
        self.long_poll_cap = long_poll_cap
        self._cond = threading.Condition()
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] | None = None
        self._poll_generation = 0
        self._waiting_polls = 0
        self._closed = False
        self.webhook: Webhook | None = None
        self._delivery = _DeliveryStatus()

    def push(self, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue ``{"message": {...}}``-style payload; None when allowed_updates filters it."""
        with self._cond:
            if not self._is_allowed(update_kind(payload)):
                return None
            update = {"update_id": self._next_id, **payload}
            self._next_id += 1
            self._pending.append(update)
            self._cond.notify_all()
            return update

    def poll(
        self, offset: int | None, limit: int, timeout: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        """``getUpdates``: confirm by ``offset``, then wait up to ``timeout`` for updates."""
        with self._cond:
            if self.webhook is not None:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._confirm(offset)
            if allowed is not None:
                self._allowed = frozenset(allowed) or None
            self._poll_generation += 1
            generation = self._poll_generation
            self._cond.notify_all()  # wakes an older poll so it can end with 409
            self._waiting_polls += 1
            try:
                self._wait_for_updates(generation, min(timeout, self.long_poll_cap))
            finally:
                self._waiting_polls -= 1
            return [dict(u) for u in self._pending[:limit]]

    def _wait_for_updates(self, generation: int, timeout: float) -> None:
        """Wait (lock held) until updates arrive, time runs out, or a newer poll takes over."""
        deadline = time.monotonic() + timeout
        while not self._pending and not self._closed:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._cond.wait(remaining)
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )

    def waiting_polls(self) -> int:
        """How many getUpdates calls are parked right now (lets tests sync without sleeps)."""
        with self._cond:
            return self._waiting_polls

    def pending_count(self) -> int:
        with self._cond:
            return len(self._pending)

    def set_webhook(self, webhook: Webhook, allowed: list[str] | None, drop_pending: bool) -> None:
        """Switch to webhook delivery; a background thread POSTs pending updates in order."""
        with self._cond:
            previous, self.webhook = self.webhook, webhook
            if allowed is not None:
                self._allowed = frozenset(allowed) or None
            if drop_pending:
                self._pending.clear()
            self._delivery = _DeliveryStatus()
            self._cond.notify_all()
        if previous is None:
            threading.Thread(target=self._deliver_loop, name="fakebot-webhook", daemon=True).start()

    def delete_webhook(self, drop_pending: bool) -> None:
        """Back to ``getUpdates``; the delivery thread notices and exits."""
        with self._cond:
            self.webhook = None
            if drop_pending:
                self._pending.clear()
            self._cond.notify_all()

    def webhook_info(self) -> dict[str, Any]:
        """The Bot API ``WebhookInfo`` object."""
        with self._cond:
            info: dict[str, Any] = {
                "url": self.webhook.url if self.webhook else "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._pending),
            }
            if self.webhook:
                info["max_connections"] = self.webhook.max_connections
                if self._allowed is not None:
                    info["allowed_updates"] = sorted(self._allowed)
            if self._delivery.last_error_date is not None:
                info["last_error_date"] = self._delivery.last_error_date
                info["last_error_message"] = self._delivery.last_error_message
            return info

    def close(self) -> None:
        """Wake every waiter (long polls return empty) and stop webhook delivery."""
        with self._cond:
            self._closed = True
            self.webhook = None
            self._cond.notify_all()

    def _is_allowed(self, kind: str) -> bool:
        if self._allowed is None:
            return kind not in OPT_IN_UPDATES
        return kind in self._allowed

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            del self._pending[:offset]  # keep the last -offset updates
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _deliver_loop(self) -> None:
        failures = 0
        with httpx.Client(timeout=10.0) as client:
            while (job := self._next_delivery(failures)) is not None:
                webhook, update = job
                error = _post_update(client, webhook, update)
                failures = self._finish_delivery(update, error, failures)

    def _next_delivery(self, failures: int) -> tuple[Webhook, dict[str, Any]] | None:
        """Wait for work; back off after failures like Telegram retrying a broken webhook."""
        with self._cond:
            if failures:
                self._cond.wait(min(MAX_BACKOFF_SECONDS, 0.05 * 2**failures))
            while self.webhook is not None and not self._pending:
                self._cond.wait()
            if self.webhook is None:
                return None
            return self.webhook, self._pending[0]

    def _finish_delivery(self, update: dict[str, Any], error: str | None, failures: int) -> int:
        with self._cond:
            if error is None:
                if self._pending and self._pending[0] is update:
                    self._pending.pop(0)
                return 0
            self._delivery = _DeliveryStatus(int(time.time()), error)
            return failures + 1


def _post_update(client: httpx.Client, webhook: Webhook, update: dict[str, Any]) -> str | None:
    """POST one update; the error text for getWebhookInfo, or None on a 2xx answer."""
    headers = (
        {"X-Telegram-Bot-Api-Secret-Token": webhook.secret_token} if webhook.secret_token else {}
    )
    try:
        response = client.post(webhook.url, json=update, headers=headers)
    except httpx.HTTPError as error:
        return f"Connection failed: {error}"
    if response.is_success:
        return None
    return f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"
