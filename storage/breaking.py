"""Breaking alerts: each chat's alert settings, the stories alerted, and who got which.

A story that reached an alert threshold gets a ``breaking_stories`` row holding the ids of
the reports it has gathered; the alert check passes those reports back to the story logic,
so a story that keeps growing (or is regrouped after a restart) is recognised as the same
one. ``breaking_sent`` has one row per chat and story: its primary key is what makes a
second alert of one story to one chat impossible, whatever the check decides.

An alert is queued like a digest (kind ``alert``, one part) in the same transaction as its
``breaking_sent`` row, so it is sent through the outbox and the one send gate, and a crash
can neither lose it nor send it twice.

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> from storage.chats import ChatDefaults, NewChat, ensure_chat
>>> db = open_database(":memory:")
>>> _ = ensure_chat(db, 7, NewChat(type="private"), ChatDefaults())
>>> set_alert_settings(db, 7, enabled=True)
>>> [chat.id for chat in alert_chats(db)]
[7]
>>> now = datetime(2026, 5, 1, 12, tzinfo=UTC)
>>> save_story(db, BreakingStory("s1", (1, 2), now, outlets_done=4), now=now)
>>> queue_alert(db, AlertMessage(7, None, "Big news"), "s1", now=now)
1
>>> queue_alert(db, AlertMessage(7, None, "Big news again"), "s1", now=now) is None
True
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from functools import lru_cache

from storage.db import utc_iso
from storage.engine import Database

ALERT = "alert"  # digests.kind of an alert message
QUIET_OFF = "off"
#: "No limit" as a row count: SQLite reads -1 so, PostgreSQL takes counts only.
ALL_ROWS = 2**62


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """A chat's alert choices: on or off, the outlets a story needs, alerts per local day,
    and quiet hours (``HH:MM-HH:MM`` local, or ``off``)."""

    enabled: bool = False
    outlets: int = 4
    cap: int = 3
    quiet: str = "23:00-07:00"

    def quiet_window(self) -> tuple[time, time] | None:
        """The quiet hours as (start, end) local times; None when switched off."""
        return parse_quiet(self.quiet)


@lru_cache(maxsize=256)
def parse_quiet(stored: str) -> tuple[time, time] | None:
    """The stored form ``HH:MM-HH:MM`` (written by the handler after
    :func:`digest.schedule.parse_quiet_hours`) or ``off``; cached, since the alert check
    reads it for thousands of chats that share a handful of windows.

    >>> parse_quiet("22:30-06:00")
    (datetime.time(22, 30), datetime.time(6, 0))
    """
    if stored == QUIET_OFF:
        return None
    start, _, end = stored.partition("-")
    return time.fromisoformat(start), time.fromisoformat(end)


def quiet_text(window: tuple[time, time] | None) -> str:
    """The stored form of a quiet window (``off`` for none).

    >>> quiet_text((time(23, 0), time(7, 0))), quiet_text(None)
    ('23:00-07:00', 'off')
    """
    return QUIET_OFF if window is None else f"{window[0]:%H:%M}-{window[1]:%H:%M}"


def in_quiet_hours(local: time, window: tuple[time, time] | None) -> bool:
    """Whether a local wall-clock time falls in the quiet window (which may span midnight;
    a start equal to its end is the whole day, as ``/quiet 0:00-24:00`` is stored).

    >>> in_quiet_hours(time(2, 0), (time(23, 0), time(7, 0))), in_quiet_hours(time(12, 0), (time(23, 0), time(7, 0)))
    (True, False)
    >>> in_quiet_hours(time(12, 0), (time(22, 0), time(22, 0)))
    True
    """
    if window is None:
        return False
    start, end = window
    if start == end:
        return True
    if start < end:
        return start <= local < end
    return local >= start or local < end


def alert_settings(db: Database, chat_id: int) -> AlertSettings:
    row = db.execute("select alerts, alert_outlets, alert_cap, quiet_hours from chats where id = ?",
                     [chat_id]).fetchone()
    if row is None:
        return AlertSettings()
    return AlertSettings(bool(row[0]), row[1], row[2], row[3])


def set_alert_settings(db: Database, chat_id: int, *, enabled: bool | None = None,
                       outlets: int | None = None, cap: int | None = None,
                       quiet: str | None = None) -> None:
    """Change any of a chat's alert settings (the caller validated them)."""
    changes = {"alerts": None if enabled is None else int(enabled), "alert_outlets": outlets,
               "alert_cap": cap, "quiet_hours": quiet}
    changes = {column: value for column, value in changes.items() if value is not None}
    if changes:
        with db.atomic():
            db.update("chats", {"id": chat_id}, changes)


@dataclass(frozen=True, slots=True)
class AlertChat:
    """A chat that wants alerts, with what the check needs to decide and to write."""

    id: int
    type: str
    timezone: str
    language: str | None
    topic_id: int | None
    settings: AlertSettings


def alert_chats(db: Database, *, after: int | None = None, limit: int = -1) -> list[AlertChat]:
    """Reachable, unpaused chats with alerts on, by id (one indexed query; plain rows):
    ``after`` and ``limit`` read them a page at a time. A paused chat gets no alerts ("⏸
    Paused. Nothing arrives until you send /resume." holds for alerts too)."""
    rows = db.execute(
        """select id, type, timezone, language, topic_id, alert_outlets, alert_cap, quiet_hours
           from chats where alerts = 1 and status = 'active' and not exists (
             select 1 from subscriptions s where s.chat_id = chats.id and s.state = 'paused')
             and (cast(? as bigint) is null or id > ?)
           order by id limit ?""", [after, after, limit if limit >= 0 else ALL_ROWS])
    return [AlertChat(r[0], r[1], r[2], r[3], r[4], AlertSettings(True, r[5], r[6], r[7])) for r in rows]


def alert_levels(db: Database) -> set[int]:
    """The distinct outlet thresholds chats chose: a known story is looked at again only
    when it grows past one of them."""
    rows = db.execute(
        """select distinct alert_outlets from chats where alerts = 1 and status = 'active'
           and not exists (select 1 from subscriptions s
                           where s.chat_id = chats.id and s.state = 'paused')""")
    return {int(r[0]) for r in rows}


@dataclass(frozen=True, slots=True)
class BreakingStory:
    """A story that reached an alert threshold: its reports, and how far it was handled
    (``outlets_done``: the outlet count chats were last alerted for; ``followed_done``:
    its followers were alerted)."""

    key: str
    item_ids: tuple[int, ...]
    first_seen_at: datetime
    outlets_done: int = 0
    followed_done: bool = False


def recent_stories(db: Database, since: datetime) -> list[BreakingStory]:
    rows = db.query("select * from breaking_stories where updated_at >= ? order by first_seen_at",
                    [utc_iso(since)])
    return [BreakingStory(r["key"], tuple(json.loads(r["item_ids"])),
                          datetime.fromisoformat(r["first_seen_at"]), r["outlets_done"],
                          bool(r["followed_done"])) for r in rows]


def save_story(db: Database, story: BreakingStory, *, now: datetime) -> None:
    """Insert or update a story (its reports only ever grow: the union is stored)."""
    with db.atomic():
        row = db.execute("select item_ids from breaking_stories where key = ?", [story.key]).fetchone()
        known = json.loads(row[0]) if row else []
        item_ids = sorted(set(known) | set(story.item_ids))
        db.upsert(
            "breaking_stories",
            {"key": story.key, "item_ids": json.dumps(item_ids),
             "first_seen_at": utc_iso(story.first_seen_at), "updated_at": utc_iso(now),
             "outlets_done": story.outlets_done, "followed_done": int(story.followed_done)},
            pk="key")


@dataclass(frozen=True, slots=True)
class AlertMessage:
    chat_id: int
    thread_id: int | None
    text: str


def queue_alert(db: Database, message: AlertMessage, story_key: str, *, now: datetime) -> int | None:
    """Queue one alert for sending (a one-part digest of kind ``alert``) and record it, in
    one transaction; None when this chat already got this story."""
    return queue_alerts(db, [message], story_key, now=now) or None


def queue_alerts(db: Database, messages: Sequence[AlertMessage], story_key: str, *,
                 now: datetime) -> int:
    """Queue many chats' alert of one story in one transaction; how many were new (a chat
    that already got the story is skipped: ``breaking_sent``'s key)."""
    stamp = utc_iso(now)
    with db.atomic():
        sent = {row[0] for row in db.execute(
            "select chat_id from breaking_sent where story_key = ?", [story_key])}
        fresh = list({m.chat_id: m for m in messages if m.chat_id not in sent}.values())
        last_id = 0
        for message in fresh:
            last_id = db.insert("digests", {"chat_id": message.chat_id,
                                            "local_date": now.date().isoformat(),
                                            "created_at": stamp, "item_ids": "[]", "kind": ALERT},
                                returning="id")
            db.execute(
                """insert into outbox (digest_id, chat_id, part, text, thread_id, item_ids,
                                       status, attempts, next_attempt_at)
                   values (?, ?, 0, ?, ?, '[]', 'pending', 0, ?)""",
                [last_id, message.chat_id, message.text, message.thread_id, stamp])
            db.execute("insert into breaking_sent (chat_id, story_key, digest_id, queued_at) "
                       "values (?, ?, ?, ?)", [message.chat_id, story_key, last_id, stamp])
    return len(fresh)


def sent_times(db: Database, chat_ids: Sequence[int], since: datetime) -> dict[int, list[datetime]]:
    """When each of ``chat_ids`` got its alerts since ``since`` (for the daily cap)."""
    found: dict[int, list[datetime]] = defaultdict(list)
    for start in range(0, len(chat_ids), 500):  # SQLite's bound-parameter limit
        chunk = list(chat_ids[start:start + 500])
        rows = db.execute(
            f"""select chat_id, queued_at from breaking_sent
                where chat_id in ({",".join("?" * len(chunk))}) and queued_at >= ?""",
            [*chunk, utc_iso(since)])
        for chat_id, queued_at in rows:
            found[chat_id].append(datetime.fromisoformat(queued_at))
    return dict(found)


def alerted_items(db: Database, chat_id: int, since: datetime) -> dict[int, datetime]:
    """Item ids of the stories alerted to this chat since ``since``, with when the alert was
    queued: the digest shows such a story as one line instead of in full."""
    rows = db.execute(
        """select b.item_ids, s.queued_at from breaking_sent s
           join breaking_stories b on b.key = s.story_key
           where s.chat_id = ? and s.queued_at >= ?""", [chat_id, utc_iso(since)])
    found: dict[int, datetime] = {}
    for item_ids, queued_at in rows:
        for item_id in json.loads(item_ids):
            found.setdefault(item_id, datetime.fromisoformat(queued_at))
    return found
