"""Delivery-time parsing and DST-correct next-delivery arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from digest.schedule import next_delivery, parse_local_time, parse_timezone


@pytest.mark.parametrize(("raw", "expected"), [("07:30", time(7, 30)), ("7:05", time(7, 5)),
                                               ("23.59", time(23, 59)), ("0:00", time(0, 0)),
                                               ("18h00", time(18, 0))])
def test_accepted_times(raw: str, expected: time) -> None:
    assert parse_local_time(raw) == expected


@pytest.mark.parametrize("raw", ["25:99", "24:00", "7", "", "07:60", "seven", "07:30pm", "-1:00"])
def test_rejected_times(raw: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_local_time(raw)


def test_timezone_is_case_insensitive_and_canonical() -> None:
    assert parse_timezone(" europe/KYIV ") == "Europe/Kyiv"
    assert parse_timezone("utc") == "UTC"


@pytest.mark.parametrize("raw", ["Mars/Base", "", "Europe/", "../etc/passwd"])
def test_unknown_timezones_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="IANA"):
        parse_timezone(raw)


def test_next_delivery_follows_kyiv_summer_and_winter_offsets() -> None:
    summer = next_delivery(time(8), "Europe/Kyiv", datetime(2026, 6, 30, 12, tzinfo=UTC))
    winter = next_delivery(time(8), "Europe/Kyiv", datetime(2026, 12, 30, 12, tzinfo=UTC))
    assert summer == datetime(2026, 7, 1, 5, tzinfo=UTC)
    assert winter == datetime(2026, 12, 31, 6, tzinfo=UTC)


def test_next_delivery_is_strictly_after_now() -> None:
    now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # exactly 08:00 in Kyiv
    assert next_delivery(time(8), "Europe/Kyiv", now) == datetime(2026, 12, 2, 6, tzinfo=UTC)


def test_time_in_spring_forward_gap_moves_forward() -> None:
    # Kyiv jumps from 03:00 to 04:00 on 2026-03-29; a 03:30 delivery happens at 04:30 local.
    when = next_delivery(time(3, 30), "Europe/Kyiv", datetime(2026, 3, 28, 23, tzinfo=UTC))
    assert when == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_repeated_autumn_hour_delivers_once_on_the_first() -> None:
    # Kyiv repeats 03:00–04:00 on 2026-10-25; 03:30 is taken on its first occurrence (EEST).
    when = next_delivery(time(3, 30), "Europe/Kyiv", datetime(2026, 10, 24, 22, tzinfo=UTC))
    assert when == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_new_york_delivery_in_utc() -> None:
    when = next_delivery(time(7), "America/New_York", datetime(2026, 1, 10, 0, tzinfo=UTC))
    assert when == datetime(2026, 1, 10, 12, tzinfo=UTC)
