"""One rule for instants without a time zone: they are UTC.

Feeds, pages and HTTP headers sometimes give a time with no offset ("-0000" dates, an
``<updated>`` without "Z"). Comparing such a naive time with an aware one raises, which
would fail a whole digest over one item; reading it as UTC is what those sources mean in
practice. Every stage that meets a time from outside goes through :func:`aware`.

>>> from datetime import timedelta, timezone
>>> aware(datetime(2026, 1, 1, 12)).isoformat()
'2026-01-01T12:00:00+00:00'
>>> aware(datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=2)))).isoformat()
'2026-01-01T12:00:00+02:00'
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["aware"]


def aware(moment: datetime) -> datetime:
    """``moment`` itself when it has a time zone (its offset is kept: a page's local time
    is shown as the page gave it), else the same wall time in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
