"""One gate for every Bot API request: PTB's rate limiter, paced by our windows.

``bot.py`` sets a :class:`SendGate` with ``ApplicationBuilder().rate_limiter(...)``, so link
replies, menus, callback answers, apologies and the outbox all wait in the same windows
(:mod:`services.pacing`): 30/s overall (or the paid rate), 1/s per chat, 20/min per group
or channel. A request holds its place in the windows until its answer arrives.

What each request counts against:

* messages into a chat (``send*``, ``copy*``, ``forward*``, ``editMessage*``): the chat's
  windows and the overall one;
* every other request (callback answers, chat actions, ``getChatMember``…): the overall one;
* start-up and webhook housekeeping (``getMe``, ``setWebhook``…): nothing, so a flood wait
  never delays start or shutdown. ``getUpdates`` never reaches a rate limiter.

A 429 makes that chat wait ``retry_after`` (everyone, when several chats got one at once);
the request is then retried, unless the caller asked otherwise with ``GateArgs``: the
outbox reschedules the part instead, so a long wait never holds one of its send slots.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from services.pacing import Pacer, PacingLimits, Send

log = logging.getLogger(__name__)

# Requests that must never wait: start-up, shutdown and webhook housekeeping.
UNPACED = frozenset({"getMe", "getWebhookInfo", "setWebhook", "deleteWebhook", "logOut", "close"})
_MESSAGE_PREFIXES = ("send", "copyMessage", "forwardMessage", "editMessage")
_FORGET_EVERY = 1000  # requests between two sweeps of idle chat windows

Result = bool | dict[str, Any] | list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class GateArgs:
    """What a caller may ask of the gate, passed as a bot method's ``rate_limit_args``."""

    retry_on_429: bool = True


@dataclass(frozen=True, slots=True)
class GateOptions:
    limits: PacingLimits = PacingLimits()
    max_429_retries: int = 2  # then the 429 reaches the caller, whose error handler logs it


def chat_key(endpoint: str, data: dict[str, Any]) -> int | None:
    """The chat whose windows a request counts against, or None for overall-only requests.

    >>> chat_key("sendMessage", {"chat_id": 42}), chat_key("answerCallbackQuery", {})
    (42, None)
    >>> chat_key("sendChatAction", {"chat_id": 42}) is None   # "typing…" is not a message
    True
    >>> chat_key("sendMessage", {"chat_id": "@channel"}) < 0   # a channel username
    True
    """
    chat_id = data.get("chat_id")
    if chat_id is None or endpoint == "sendChatAction" or not endpoint.startswith(_MESSAGE_PREFIXES):
        return None
    if isinstance(chat_id, int):
        return chat_id
    # "@username" only names groups and channels: key it among the negative (group) ids.
    return -abs(hash(str(chat_id))) - 1


def retry_seconds(error: RetryAfter) -> float:
    """PTB gives ``retry_after`` as a timedelta (PTB_TIMEDELTA=1) or as seconds."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SendGate(BaseRateLimiter[GateArgs]):
    """PTB's rate limiter, backed by one :class:`Pacer` that the outbox sender also reads."""

    def __init__(self, options: GateOptions | None = None, *, pacer: Pacer | None = None) -> None:
        self.options = options or GateOptions()
        self.pacer = pacer or Pacer(self.options.limits)
        self._since_sweep = 0

    async def initialize(self) -> None:
        """Nothing to open: the windows live in memory."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: GateArgs | None,
    ) -> Result:
        if endpoint in UNPACED:
            return await callback(*args, **kwargs)
        chat, wishes = chat_key(endpoint, data), rate_limit_args or GateArgs()
        attempt = 0
        while True:
            sends = await self._take_slot(chat)
            try:
                try:
                    return await callback(*args, **kwargs)
                finally:
                    self.pacer.settle(sends)  # the answer is here: the request had arrived
            except RetryAfter as error:
                attempt += 1
                self._on_429(endpoint, chat, retry_seconds(error))
                if not wishes.retry_on_429 or attempt > self.options.max_429_retries:
                    raise

    async def _take_slot(self, chat: int | None) -> tuple[Send, ...]:
        """Wait until the windows allow the request, then take its place in them.

        Checking and recording happen with no ``await`` in between, so two waiters woken at
        the same moment cannot both take the last place in a window.
        """
        while (delay := self._ready_at(chat) - self.pacer.clock()) > 0:
            await asyncio.sleep(delay)
        self._sweep()
        return self.pacer.record(chat) if chat is not None else self.pacer.record_overall()

    def _ready_at(self, chat: int | None) -> float:
        return self.pacer.ready_at(chat) if chat is not None else self.pacer.overall_ready_at()

    def _on_429(self, endpoint: str, chat: int | None, seconds: float) -> None:
        if chat is None:
            self.pacer.pause(seconds)
            everyone = True
        else:
            everyone = self.pacer.on_429(chat, seconds)
        log.warning("429 on %s for chat %s: waiting %.0f s%s", endpoint, chat, seconds,
                    " (pausing all requests)" if everyone else "")

    def _sweep(self) -> None:
        """Forget idle chats now and then, so a fan-out to many chats keeps memory flat."""
        self._since_sweep += 1
        if self._since_sweep >= _FORGET_EVERY:
            self._since_sweep = 0
            self.pacer.forget_idle()
