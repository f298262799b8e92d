"""What operators (``ADMIN_IDS``) hear about, and how often: pure logic, no Telegram.

Two streams. **Errors**: every unhandled error is logged first; a report goes to the
operators only when :class:`ErrorReports` admits it — one per kind of error (its type and
where it was raised) per quarter hour, and a few an hour in all — and later reports count
the ones held back. Reports carry the traceback (for operators only; users get an
apology) with the bot token and the webhook secret blanked out: its stack frames (code),
never an exception's message unless its type is one whose message comes from the system,
not from a user (:data:`SAFE_MESSAGES`): ``ValueError('xxxx' is not a time of day)`` would
put a user's words in front of the operators. **Alerts**: trouble found
by looking at the database and the disk (:mod:`storage.alerts`) reaches them once, and again
only after it cleared and came back.

>>> from datetime import UTC, datetime, timedelta
>>> reports = ErrorReports()
>>> now = datetime(2026, 1, 1, tzinfo=UTC)
>>> reports.admit("KeyError@x.py:1", now), reports.admit("KeyError@x.py:1", now)
(0, None)
>>> reports.admit("KeyError@x.py:1", now + timedelta(minutes=16))
1
"""

from __future__ import annotations

import sqlite3
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram.error import TelegramError

from services.context import Services
from storage.alerts import Alert, AlertPolicy, disk_low, feeds_down, new_alerts, parked_parts
from storage.chats import count_chats, get_chat
from storage.outbox import DROPPED, FAILED, PENDING, SENT, counts_by_status

#: Room for the traceback in a Telegram message (4096 characters in all).
TRACE_CHARS = 3000
#: Errors whose message is the system's (SQLite, the OS, Telegram's answer), never a user's
#: words; any other exception's message may quote input, and is left out of reports.
SAFE_MESSAGES: tuple[type[BaseException], ...] = (sqlite3.Error, OSError, TelegramError)


@dataclass
class ErrorReports:
    """Rate limits for error reports: ``every`` per signature, ``per_hour`` overall."""

    every: timedelta = timedelta(minutes=15)
    per_hour: int = 6
    _last: dict[str, datetime] = field(default_factory=dict)
    _held: Counter[str] = field(default_factory=Counter)
    _sent: deque[datetime] = field(default_factory=deque)

    def admit(self, signature: str, now: datetime) -> int | None:
        """None: stay quiet (counted); else report now, with how many like it were held back."""
        while self._sent and now - self._sent[0] >= timedelta(hours=1):
            self._sent.popleft()
        last = self._last.get(signature)
        if (last is not None and now - last < self.every) or len(self._sent) >= self.per_hour:
            self._held[signature] += 1
            return None
        self._last[signature] = now
        self._sent.append(now)
        return self._held.pop(signature, 0)


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """An error as operators see it: kind, message (None when it may hold user input) and
    the end of its stack frames."""

    signature: str
    kind: str
    message: str | None
    trace: str


def describe_error(error: BaseException, *secrets: str) -> ErrorReport:
    """``error`` as a report, with every secret (token, webhook secret) blanked out."""
    frames = traceback.extract_tb(error.__traceback__)
    place = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
    safe = isinstance(error, SAFE_MESSAGES)
    return ErrorReport(
        signature=f"{type(error).__name__}@{place}",
        kind=type(error).__name__,
        message=_blank(str(error), secrets)[:500] if safe else None,
        trace=_blank(_frames(error), secrets)[-TRACE_CHARS:],
    )


def _frames(error: BaseException) -> str:
    """The stack frames of ``error`` and the errors it came from, each headed by its type
    only: file, line, function and code, no message, no local values."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return "\n".join(f"Traceback of {type(e).__name__} (most recent call last):\n"
                     f"{''.join(traceback.format_tb(e.__traceback__))}" for e in reversed(chain))


def _blank(text: str, secrets: tuple[str, ...]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


def operator_alerts(svc: Services, policy: AlertPolicy | None = None) -> list[Alert]:
    """Trouble found now that operators have not been told about yet (see storage.alerts)."""
    policy = policy or AlertPolicy()
    now = svc.clock()
    found = [*feeds_down(svc.db, now, policy), *parked_parts(svc.db),
             *disk_low(svc.settings.database_path, policy)]
    return new_alerts(svc.db, found, now=now)


def start_of_day(now: datetime, timezone: str) -> datetime:
    """Midnight of ``now``'s day in ``timezone`` (the operators' day, not UTC's).

    >>> from datetime import UTC
    >>> start_of_day(datetime(2026, 1, 2, 23, 30, tzinfo=UTC), "Europe/Kyiv").isoformat()
    '2026-01-03T00:00:00+02:00'
    """
    local = now.astimezone(ZoneInfo(timezone))
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def stats_values(svc: Services) -> dict[str, int]:
    """What /stats shows: chats by state, and today's digest parts by outcome (the day in
    the bot's default zone), zero where nothing is counted."""
    subscribers = count_chats(svc.db)
    since = start_of_day(svc.clock(), svc.settings.default_timezone)
    parts = counts_by_status(svc.db, since=since)
    values = {f"chats_{k}": subscribers.get(k, 0) for k in ("active", "paused", "gone")}
    values.update({f"parts_{s}": parts.get(s, 0) for s in (SENT, PENDING, FAILED, DROPPED)})
    return values


def operator_language(svc: Services, operator_id: int) -> str:
    """The language an operator's private chat chose; English when none is known, or when
    the database is the trouble being reported."""
    try:
        chat = get_chat(svc.db, operator_id)
    except svc.db.errors:
        return "en"
    return chat.language if chat and chat.language else "en"
