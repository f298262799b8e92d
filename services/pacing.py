"""When the next message may go out: Telegram's flood limits as sliding windows, kept by us.

Pure bookkeeping on an injectable monotonic clock (no sleeping, no I/O), so the sender asks
*when* and does the waiting itself. Three windows apply to every send:

* overall: ``overall.limit`` messages in any ``overall.seconds`` (30/s by default);
* per chat: one message a second to the same chat;
* per group or channel (negative chat ids): 20 a minute.

Telegram measures when a request *arrives*, not when we sent it, so a send that reached it
late would squeeze the window for the sends after it. Hence a send's place in every window
moves from the moment it left to the moment its answer came back (:meth:`Pacer.settle`):
the request surely arrived by then. While it is in flight it counts as "now". Windows are
also lengthened by a small ``slack`` for the server's own clock granularity. Once the
overall window is half full, sends are spread at least ``min_gap_fraction`` of the mean
interval apart, so a fan-out reaches Telegram as a smooth stream rather than bursts of
thirty; below that a lone reply and its "typing…" go out at once.

>>> now = [0.0]
>>> pacer = Pacer(PacingLimits(overall=Window(2, 1.0), slack=0.0), clock=lambda: now[0])
>>> pacer.ready_at(7)
0.0
>>> sends = pacer.record(7); pacer.settle(sends); pacer.ready_at(7)   # that chat waits a second
1.0
>>> pacer.ready_at(8)                    # another chat only waits for the smoothing gap
0.45
>>> now[0] = 0.45; pacer.settle(pacer.record(8)); pacer.ready_at(9)   # two in the last second
1.0
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``limit`` messages in any ``seconds``-long interval."""

    limit: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PacingLimits:
    """The limits to keep; the defaults are Telegram's published ones for a bot."""

    overall: Window = Window(30, 1.0)
    per_chat: Window = Window(1, 1.0)
    per_group: Window = Window(20, 60.0)
    slack: float = 0.01  # seconds added to every window for clock granularity
    min_gap_fraction: float = 0.9  # of the mean overall interval, between two sends
    flood_chats: int = 3  # this many chats answered 429 ...
    flood_seconds: float = 2.0  # ... within this many seconds means a global flood wait

    @classmethod
    def at_rate(cls, per_second: float) -> PacingLimits:
        """Telegram's limits with another overall rate (e.g. paid broadcasts, up to 1000/s).

        >>> PacingLimits.at_rate(300).overall
        Window(limit=300, seconds=1.0)
        """
        return cls(overall=Window(max(1, round(per_second)), 1.0))

    @property
    def min_gap(self) -> float:
        return _gap(self.min_gap_fraction, self.overall)


def _gap(fraction: float, window: Window) -> float:
    """``fraction`` of the mean interval between sends that ``window`` allows."""
    return fraction * window.seconds / window.limit


class Send:
    """One send's place in the windows: when it left, and when its answer came back."""

    __slots__ = ("at", "settled")

    def __init__(self, at: float) -> None:
        self.at, self.settled = at, False

    def moment(self, now: float) -> float:
        """When the request surely reached Telegram: its answer time, or now while in flight."""
        return self.at if self.settled else now


@dataclass(slots=True)
class SlidingWindow:
    """Sends within one window, oldest first.

    >>> window = SlidingWindow(Window(2, 10.0))
    >>> first = window.record(0.0); second = window.record(1.0)
    >>> window.ready_at(now=5.0, slack=0.5)   # both in flight: they count as "now"
    15.5
    >>> first.settled = second.settled = True
    >>> window.ready_at(now=5.0, slack=0.5)   # the oldest send leaves the window at 10.5
    10.5
    """

    window: Window
    sent: deque[Send] = field(default_factory=deque)

    def ready_at(self, now: float, slack: float) -> float:
        span = self.window.seconds + slack
        if self.count(now, slack) < self.window.limit:
            return now
        moments = sorted(send.moment(now) for send in self.sent)
        return moments[-self.window.limit] + span

    def count(self, now: float, slack: float) -> int:
        """Sends still inside the window at ``now``, after dropping the ones that left it."""
        span = self.window.seconds + slack
        while self.sent and self.sent[0].moment(now) <= now - span:
            self.sent.popleft()
        return len(self.sent)

    def record(self, at: float) -> Send:
        send = Send(at)
        self.sent.append(send)
        return send

    def idle_since(self, moment: float) -> bool:
        """True when nothing was sent (or answered) after ``moment``."""
        return not self.sent or self.sent[-1].moment(float("inf")) <= moment


class Pacer:
    """Tracks sends and 429 waits; answers the earliest moment a chat may get a message."""

    def __init__(self, limits: PacingLimits | None = None, clock: Clock = time.monotonic) -> None:
        self.limits = limits or PacingLimits()
        self.clock = clock
        self._overall = SlidingWindow(self.limits.overall)
        self._last_send = float("-inf")
        self._chats: dict[int, SlidingWindow] = {}
        self._groups: dict[int, SlidingWindow] = {}
        self._held: dict[int, float] = {}  # chat id -> end of its 429 wait
        self._held_all = float("-inf")
        self._recent_429: deque[tuple[float, int]] = deque()

    def ready_at(self, chat_id: int) -> float:
        """The earliest clock time a message to ``chat_id`` may be sent (now or later)."""
        return max(self.chat_ready_at(chat_id), self.overall_ready_at())

    def chat_ready_at(self, chat_id: int) -> float:
        """When the chat's own limits (and any 429 wait on it) allow its next message."""
        now, slack = self.clock(), self.limits.slack
        moments = [now, self._held.get(chat_id, now)]
        if chat_id in self._chats:
            moments.append(self._chats[chat_id].ready_at(now, slack))
        if chat_id in self._groups:
            moments.append(self._groups[chat_id].ready_at(now, slack))
        return max(moments)

    def overall_ready_at(self) -> float:
        """When the overall limit, the smoothing gap and a global flood wait allow a send."""
        now = self.clock()
        window = self._overall
        busy = window.count(now, self.limits.slack) * 2 >= window.window.limit
        gap = _gap(self.limits.min_gap_fraction, window.window) if busy else 0.0
        return max(window.ready_at(now, self.limits.slack), self._last_send + gap, self._held_all)

    def record(self, chat_id: int) -> tuple[Send, ...]:
        """A message to ``chat_id`` is being sent now; pass the result to :meth:`settle`."""
        now = self.clock()
        self._last_send = now
        sends = [self._overall.record(now), self._window(self._chats, chat_id, self.limits.per_chat).record(now)]
        if chat_id < 0:  # groups, supergroups and channels have negative ids
            sends.append(self._window(self._groups, chat_id, self.limits.per_group).record(now))
        return tuple(sends)

    def record_overall(self) -> tuple[Send, ...]:
        """A request that is not a message to a chat is being sent now: overall window only."""
        now = self.clock()
        self._last_send = now
        return (self._overall.record(now),)

    def settle(self, sends: tuple[Send, ...]) -> None:
        """Telegram answered (whatever it said): the request had arrived by now."""
        now = self.clock()
        for send in sends:
            send.at, send.settled = now, True

    def on_429(self, chat_id: int, retry_after: float) -> bool:
        """Telegram said wait; True when several chats said so at once (a global flood wait)."""
        now = self.clock()
        self._held[chat_id] = max(self._held.get(chat_id, now), now + retry_after)
        self._recent_429.append((now, chat_id))
        while self._recent_429[0][0] < now - self.limits.flood_seconds:
            self._recent_429.popleft()
        if len({chat for _, chat in self._recent_429}) < self.limits.flood_chats:
            return False
        self._held_all = max(self._held_all, now + retry_after)
        return True

    def share(self, workers: int) -> None:
        """Keep to a ``workers``-th of the overall limit (rounded down, at least one message
        per window): Telegram counts the bot's messages, and several processes send them.

        >>> pacer = Pacer(PacingLimits(overall=Window(30, 1.0)))
        >>> pacer.share(4); pacer.overall
        Window(limit=7, seconds=1.0)
        >>> pacer.share(1); pacer.overall
        Window(limit=30, seconds=1.0)
        """
        full = self.limits.overall
        self._overall.window = Window(max(1, full.limit // max(1, workers)), full.seconds)

    @property
    def overall(self) -> Window:
        """The overall window this process keeps to now (its share of the limit)."""
        return self._overall.window

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds`` (e.g. at start: a previous process may just have sent)."""
        self._held_all = max(self._held_all, self.clock() + seconds)

    def forget_idle(self) -> int:
        """Drop the windows of chats quiet for longer than their window; returns how many.

        Keeps memory flat over a fan-out to many thousand chats.
        """
        now, slack = self.clock(), self.limits.slack
        before = len(self._chats) + len(self._groups) + len(self._held)
        for table, window in ((self._chats, self.limits.per_chat), (self._groups, self.limits.per_group)):
            horizon = now - window.seconds - slack
            for chat_id in [c for c, w in table.items() if w.idle_since(horizon)]:
                del table[chat_id]
        for chat_id in [c for c, until in self._held.items() if until <= now]:
            del self._held[chat_id]
        return before - len(self._chats) - len(self._groups) - len(self._held)

    @staticmethod
    def _window(table: dict[int, SlidingWindow], chat_id: int, window: Window) -> SlidingWindow:
        if chat_id not in table:
            table[chat_id] = SlidingWindow(window)
        return table[chat_id]
