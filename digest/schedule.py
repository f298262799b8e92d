"""Delivery-time arithmetic: parse what users type, and find the next local delivery.

All of it is DST-correct because it goes through :mod:`zoneinfo`: a delivery at 08:00
Europe/Kyiv is 06:00 UTC in winter and 05:00 UTC in summer.

>>> parse_local_time("7:30").isoformat()
'07:30:00'
>>> parse_timezone("europe/kyiv")
'Europe/Kyiv'
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

_TIME = re.compile(r"^\s*(\d{1,2})[:.h](\d{2})\s*$")
TIME_FORMS = "HH:MM in 24-hour form, e.g. 07:30 or 18:00"
TIMEZONE_FORMS = "an IANA name such as Europe/Kyiv, Europe/London, America/New_York or UTC"


def parse_local_time(raw: str) -> time:
    """Parse ``HH:MM`` (also ``H:MM``, ``HH.MM``, ``HHhMM``); raise ValueError otherwise.

    >>> parse_local_time("25:99")
    Traceback (most recent call last):
    ...
    ValueError: '25:99' is not a time of day; use HH:MM in 24-hour form, e.g. 07:30 or 18:00
    """
    match = _TIME.match(raw or "")
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise ValueError(f"{raw!r} is not a time of day; use {TIME_FORMS}")


#: What may separate the two times: a hyphen, or the dashes phones put in its place.
_WINDOW_DASH = re.compile(r"\s*[-\u2010-\u2015\u2212]\s*")
#: ``24:00`` is accepted as the end of a window: the end of the day.
_MIDNIGHT_END = re.compile(r"\s*24[:.h]00\s*")


def parse_quiet_hours(raw: str) -> tuple[time, time] | None:
    """``23:00-07:00`` (each side as :func:`parse_local_time` reads it; any dash; ``24:00``
    as the end of the day) → (start, end); ``off`` → None; ValueError otherwise. The window
    may span midnight; equal times (``0:00-24:00``, ``22:00-22:00``) are the whole day.

    >>> parse_quiet_hours("22.30 – 6:00"), parse_quiet_hours("OFF")
    ((datetime.time(22, 30), datetime.time(6, 0)), None)
    >>> parse_quiet_hours("0:00-24:00")
    (datetime.time(0, 0), datetime.time(0, 0))
    """
    if (raw or "").strip().lower() == "off":
        return None
    sides = _WINDOW_DASH.split((raw or "").strip())
    if len(sides) != 2:
        raise ValueError(f"{raw!r} is not a time window; use HH:MM-HH:MM, e.g. 23:00-07:00")
    start, end = sides
    return parse_local_time(start), time(0, 0) if _MIDNIGHT_END.fullmatch(end) else parse_local_time(end)


def all_day(window: tuple[time, time]) -> bool:
    """A window whose start is its end covers the whole day."""
    return window[0] == window[1]


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(raw: str) -> str:
    """Return the canonical IANA name for ``raw`` (case-insensitive); ValueError if unknown.

    Old spellings are accepted and kept as IANA knows them (``Europe/Kiev`` stays valid).

    >>> parse_timezone("Mars/Base")
    Traceback (most recent call last):
    ...
    ValueError: 'Mars/Base' is not a known timezone; use an IANA name such as Europe/Kyiv, Europe/London, America/New_York or UTC
    """
    name = _zones_by_lower_name().get((raw or "").strip().lower())
    if name is None:
        raise ValueError(f"{raw!r} is not a known timezone; use {TIMEZONE_FORMS}")
    return name


def local_datetime(day: date, at: time, timezone: str) -> datetime:
    """The aware instant for wall-clock ``at`` on ``day`` in ``timezone``.

    A wall-clock time skipped by a DST jump (02:30 on the spring-forward night) does not
    exist; round-tripping through UTC moves it forward by the gap, which is what a person
    whose clock just jumped would expect.
    """
    zone = zoneinfo.ZoneInfo(timezone)
    naive = datetime.combine(day, at)
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def next_delivery(at: time, timezone: str, now: datetime) -> datetime:
    """The first delivery at wall-clock ``at`` in ``timezone`` strictly after ``now`` (UTC).

    >>> from datetime import datetime, UTC, time
    >>> next_delivery(time(8), "Europe/Kyiv", datetime(2026, 7, 1, 4, 59, tzinfo=UTC))
    datetime.datetime(2026, 7, 1, 5, 0, tzinfo=datetime.timezone.utc)
    >>> next_delivery(time(8), "Europe/Kyiv", datetime(2026, 12, 1, 6, 0, tzinfo=UTC))
    datetime.datetime(2026, 12, 2, 6, 0, tzinfo=datetime.timezone.utc)
    """
    zone = zoneinfo.ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    for offset in range(3):  # today, tomorrow, or (around DST) the day after
        candidate = local_datetime(today + timedelta(days=offset), at, timezone)
        if candidate > now:
            return candidate.astimezone(UTC)
    raise AssertionError("unreachable: a delivery time recurs every day")
