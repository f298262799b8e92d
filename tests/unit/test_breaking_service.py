"""The breaking-alert check meets the chats (services.breaking), on a real in-memory database:
who gets a story, at which size, and never twice; no engine, so the lexical method groups."""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

import pytest

from digest.stories.alerts import AlertRules
from services.breaking import check_alerts
from services.context import Services
from settings import load_settings
from storage import Database, breaking, follows
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.items import NewItem, add_items
from storage.sources import SourceSpec, sync_sources

NOW = datetime(2026, 5, 4, 11, 0, tzinfo=UTC)  # 14:00 in Kyiv
OUTLETS = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")
KHARKIV = [
    "Russian glide bombs hit Kharkiv apartment block, three injured",
    "Kharkiv: glide bomb strikes residential building, governor says three hurt",
    "Three injured as Russian glide bomb hits high-rise in Kharkiv",
    "Glide bomb attack on Kharkiv injures three, damages apartment block",
]
ODESA = [
    "Russian missiles strike Odesa port, killing four",
    "Four killed as Russian missile attack hits Odesa port",
    "Russian missile strike on Odesa port kills four, governor says",
    "Odesa port hit by Russian missiles; four dead",
    "Missile attack on Odesa port: four killed, dozens injured",
]


@pytest.fixture
def db(db: Database) -> Database:
    database = db
    sync_sources(database, [SourceSpec(name, f"https://{name.lower()}.example/rss", "en",
                                       "international", True) for name in OUTLETS], origin="file")
    return database


def service(db: Database, now: datetime = NOW) -> Services:
    return Services(load_settings({"BOT_TOKEN": "1:x"}), db, clock=lambda: now)


def chat(db: Database, chat_id: int, *, outlets: int = 4, cap: int = 3,
         quiet: str = "23:00-07:00") -> int:
    ensure_chat(db, chat_id, NewChat(type="private"), ChatDefaults())
    breaking.set_alert_settings(db, chat_id, enabled=True, outlets=outlets, cap=cap, quiet=quiet)
    return chat_id


def report(db: Database, outlet: int, title: str, minutes_ago: float, now: datetime = NOW) -> None:
    when = now - timedelta(minutes=minutes_ago)
    slug = zlib.crc32(title.encode())
    add_items(db, outlet + 1, [NewItem(f"{outlet}-{slug}", f"https://x.example/{outlet}/{slug}",
                                       f"x.example/{outlet}/{slug}", title, title + ".", None, "en", when)],
              offered=True, now=when)


def got(db: Database, chat_id: int) -> int:
    return int(db.execute("select count(*) from breaking_sent where chat_id = ?", [chat_id]).fetchone()[0])


async def test_each_chat_gets_a_story_once_at_its_own_threshold(db: Database) -> None:
    early, usual = chat(db, 1, outlets=3), chat(db, 2, outlets=4)
    for outlet, title in enumerate(ODESA[:3]):
        report(db, outlet, title, 50 - outlet)
    await check_alerts(service(db), AlertRules())
    assert (got(db, early), got(db, usual)) == (1, 0)
    report(db, 3, ODESA[3], 10)
    await check_alerts(service(db), AlertRules())
    report(db, 4, ODESA[4], 5)
    await check_alerts(service(db), AlertRules())
    assert (got(db, early), got(db, usual)) == (1, 1), "each chat once, the story still growing"
    assert db.execute("select count(*) from outbox").fetchone()[0] == 2


async def test_a_followed_place_alerts_from_two_outlets_and_a_mute_wins(db: Database) -> None:
    follower, other, muter = chat(db, 1), chat(db, 2), chat(db, 3)
    follows.save(db, follower, follows.FollowRow("kharkiv", follows.FOLLOW, "Kharkiv", "Kharkiv", ("kharkiv",)))
    follows.save(db, muter, follows.FollowRow("kharkiv", follows.MUTE, "Kharkiv", "Kharkiv", ("kharkiv",)))
    follows.save(db, muter, follows.FollowRow("odesa", follows.FOLLOW, "Odesa", "Odesa", ("odesa",)))
    for outlet, title in enumerate(KHARKIV[:2]):
        report(db, outlet, title, 30 - outlet)
    await check_alerts(service(db), AlertRules())
    assert (got(db, follower), got(db, other), got(db, muter)) == (1, 0, 0)
    for outlet, title in enumerate(KHARKIV[2:], start=2):
        report(db, outlet, title, 20 - outlet)
    await check_alerts(service(db), AlertRules())
    assert (got(db, follower), got(db, other), got(db, muter)) == (1, 1, 0)


async def test_quiet_hours_and_the_daily_cap(db: Database) -> None:
    night = NOW.replace(hour=0)  # 03:00 in Kyiv
    sleeper, capped = chat(db, 1), chat(db, 2, cap=1, quiet="off")
    for outlet, title in enumerate(ODESA[:4]):
        report(db, outlet, title, 40 - outlet, night)
    await check_alerts(service(db, night), AlertRules())
    assert (got(db, sleeper), got(db, capped)) == (0, 1)
    later = night + timedelta(hours=9)  # 12:00 in Kyiv, the same local day
    for outlet, title in enumerate(KHARKIV):
        report(db, outlet, title, 30 - outlet, later)
    await check_alerts(service(db, later), AlertRules())
    assert (got(db, sleeper), got(db, capped)) == (1, 1), "the sleeper gets the new story; the cap holds"


async def test_nothing_is_grouped_when_nobody_wants_alerts(db: Database) -> None:
    ensure_chat(db, 9, NewChat(type="private"), ChatDefaults())
    for outlet, title in enumerate(ODESA):
        report(db, outlet, title, 30)
    report_ = await check_alerts(service(db), AlertRules())
    assert (report_.candidates, report_.queued) == (0, 0)


async def test_p2_row_03_paused_and_unsubscribed_chats_get_no_alerts(db: Database) -> None:
    from storage import chats

    subscribed, paused, unsubscribed, alerts_only = (chat(db, n, outlets=3) for n in (1, 2, 3, 4))
    for chat_id in (subscribed, paused, unsubscribed):
        chats.subscribe(db, chat_id, next_digest_at=NOW + timedelta(hours=20))
    chats.set_paused(db, paused, True, next_digest_at=NOW + timedelta(hours=20))
    assert chats.unsubscribe(db, unsubscribed)
    for outlet, title in enumerate(ODESA[:3]):
        report(db, outlet, title, 50 - outlet)
    await check_alerts(service(db), AlertRules())
    assert [got(db, n) for n in (subscribed, paused, unsubscribed, alerts_only)] == [1, 0, 0, 1]
    assert not breaking.alert_settings(db, unsubscribed).enabled  # said so in the reply
    chats.set_paused(db, paused, False, next_digest_at=NOW + timedelta(hours=20))
    for outlet, title in enumerate(KHARKIV[:3]):
        report(db, outlet, title, 20 - outlet)
    await check_alerts(service(db), AlertRules())
    assert got(db, paused) == 1, "resumed: the next story alerts it again"
