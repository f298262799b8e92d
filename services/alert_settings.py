"""A chat's breaking-alert choices, as /alerts, /quiet and the alerts keyboard change them.

Which values a button may set (the offered thresholds and caps) is the handler's; that a
quiet window is read in the chat's local time and stored as ``HH:MM-HH:MM`` is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from digest.schedule import all_day, parse_quiet_hours
from services.context import Services
from storage import breaking
from storage.breaking import AlertSettings, quiet_text


def current(svc: Services, chat_id: int) -> AlertSettings:
    return breaking.alert_settings(svc.db, chat_id)


def switch(svc: Services, chat_id: int, on: bool) -> AlertSettings:
    breaking.set_alert_settings(svc.db, chat_id, enabled=on)
    return current(svc, chat_id)


def set_outlets(svc: Services, chat_id: int, outlets: int) -> AlertSettings:
    """How many outlets must report a story before it is an alert."""
    breaking.set_alert_settings(svc.db, chat_id, outlets=outlets)
    return current(svc, chat_id)


def set_cap(svc: Services, chat_id: int, cap: int) -> AlertSettings:
    """At most this many alerts per local day."""
    breaking.set_alert_settings(svc.db, chat_id, cap=cap)
    return current(svc, chat_id)


@dataclass(frozen=True, slots=True)
class Quiet:
    """The quiet hours as stored: ``text`` is ``HH:MM-HH:MM``, or ``off`` with ``off``."""

    text: str
    off: bool
    all_day: bool


def set_quiet(svc: Services, chat_id: int, raw: str) -> Quiet:
    """``raw`` (``23:00-07:00``, ``off``) as the chat's quiet hours; ValueError otherwise."""
    window = parse_quiet_hours(raw)
    text = quiet_text(window)
    breaking.set_alert_settings(svc.db, chat_id, quiet=text)
    return Quiet(text, off=window is None, all_day=window is not None and all_day(window))
