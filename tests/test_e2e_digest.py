"""End to end with a clock the test controls: feeds from a local server, the real
Application (built by bot.py) against the local Bot API server, a restart in between.

The application runs in the test's event loop so the test can own its clock; ticks are
run by the test at the instants it chooses, never by sleeping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram.ext import Application

import bot
from services.context import Services
from services.digests import queue_due_digests
from services.options import SchedulerOptions
from services.polling import poll_feeds
from settings import load_settings
from storage import open_database
from storage.sources import SourceSpec, sync_sources
from tests.fakebot import FakeTelegramServer, SentMessage, parse_telegram_html
from tests.feedgen import Entry, rss
from tests.pageserver import PageServer, Reply

pytestmark = pytest.mark.e2e
DAY1 = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)  # 06:00 in Kyiv
ARTICLE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>{lead}</p><p>“We are restoring power district by district and expect heating back tonight,” the governor said in a video statement.</p>
<p>The air force said most of the drones were shot down over the sea before they reached the coast.</p></article></body></html>"""


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    tg: FakeTelegramServer
    pages: PageServer
    clock: Clock
    database: Path

    def publish(self, outlet: str, entries: list[Entry], version: str) -> None:
        self.pages.add(f"/{outlet}/rss", Reply(rss(outlet, entries), content_type="application/rss+xml",
                                               etag=f'"{outlet}-{version}"'))
        for entry in entries:
            page = ARTICLE.format(title=entry.title, lead=entry.summary).encode()
            self.pages.add(entry.link.split(str(self.pages.port))[1], page)

    def entry(self, outlet: str, slug: str, title: str, summary: str, hours_ago: float) -> Entry:
        link = self.pages.url(f"/{outlet}/{slug}")
        return Entry(f"{outlet}-{slug}", title, summary, self.clock.now - timedelta(hours=hours_ago), link)


@pytest.fixture
def world(fake_telegram: FakeTelegramServer, tmp_path: Path) -> AsyncIterator[World]:
    with PageServer() as pages:
        yield World(fake_telegram, pages, Clock(DAY1), tmp_path / "bot.db")


async def started_app(w: World) -> Application:  # type: ignore[type-arg]
    settings = load_settings({
        "BOT_TOKEN": w.tg.token, "TELEGRAM_API_BASE_URL": w.tg.base_url,
        "DATABASE_PATH": str(w.database), "FETCH_ALLOW_PRIVATE_HOSTS": w.pages.host_port,
    })
    db = open_database(settings.database_path)
    sync_sources(db, [SourceSpec(o.title(), w.pages.url(f"/{o}/rss"), "en", "international", True)
                      for o in ("alpha", "beta")], origin="file")
    app = bot.build_application(settings, db)
    app.bot_data.services = replace(app.bot_data.services, clock=w.clock)
    app.bot_data.scheduler = SchedulerOptions(tick_seconds=3600)  # the test runs the ticks
    await app.initialize()
    if app.post_init:  # run_polling() would call these hooks; this test drives the app itself
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=1)
    return app


async def stopped(app: Application) -> None:  # type: ignore[type-arg]
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


async def tick(app: Application) -> None:  # type: ignore[type-arg]
    svc: Services = app.bot_data.services
    await poll_feeds(svc, SchedulerOptions())
    await queue_due_digests(svc, SchedulerOptions())


async def messages(w: World, chat_id: int, count: int) -> list[SentMessage]:
    return await asyncio.to_thread(w.tg.wait_for_messages, chat_id, count, 20)


async def test_daily_digests_across_a_restart(world: World) -> None:
    w = world
    w.publish("alpha", [w.entry("alpha", "odesa", "Russian drones hit Odesa energy grid overnight",
                                "Russian drones struck energy facilities in Odesa overnight, cutting power to thousands of homes.", 2)], "1")
    w.publish("beta", [w.entry("beta", "odesa", "Odesa without power after Russian drone attack on energy facilities",
                               "A Russian drone attack on Odesa energy facilities overnight left thousands of homes without power.", 1)], "1")
    app = await started_app(w)
    alice = w.tg.client.user("Alice")
    w.tg.client.send_command(alice, "subscribe")
    [confirmation] = await messages(w, alice.id, 1)
    w.tg.client.press_button(alice, confirmation, "first:later")
    await messages(w, alice.id, 2)

    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # 08:00 Kyiv on day 2
    w.publish("alpha", [w.entry("alpha", "odesa2", "Russian drones hit Odesa energy grid again",
                                "Russian drones struck energy facilities in Odesa again, the governor said.", 3)], "2")
    await tick(app)
    digest = (await messages(w, alice.id, 3))[2]
    parse_telegram_html(digest.raw_text)
    assert digest.text.startswith("🗞 War digest")
    assert "Reported by" in digest.text and "Odesa" in digest.text

    await stopped(app)
    app = await started_app(w)  # a restart: nothing is sent twice
    await tick(app)
    svc: Services = app.bot_data.services
    assert svc.db.execute("select count(*) from digests").fetchone()[0] == 1
    assert svc.db.execute("select count(*) from outbox where status != 'sent'").fetchone()[0] == 0
    assert len(w.tg.sent(alice.id)) == 3

    w.clock.now += timedelta(days=1)
    w.publish("beta", [w.entry("beta", "kyiv", "Kyiv residents shelter in metro during Russian missile attack",
                               "Residents of Kyiv sheltered in metro stations as air defence repelled a Russian missile attack.", 1)], "2")
    await tick(app)
    third = (await messages(w, alice.id, 4))[3]
    assert "Kyiv" in third.text and "Odesa" not in third.text
    await stopped(app)
    assert len(w.tg.sent(alice.id)) == 4


async def test_digest_command_goes_through_the_outbox_and_is_not_repeated(world: World) -> None:
    w = world
    w.publish("alpha", [w.entry("alpha", "kharkiv", "Russian missile strike hits Kharkiv power plant",
                                "A Russian missile struck a power plant in Kharkiv, the regional governor said.", 1)], "1")
    app = await started_app(w)
    bob = w.tg.client.user("Bob")
    w.tg.client.send_command(bob, "subscribe")
    [confirmation] = await messages(w, bob.id, 1)
    w.tg.client.press_button(bob, confirmation, "first:later")
    await messages(w, bob.id, 2)
    svc = app.bot_data.services
    await poll_feeds(svc, SchedulerOptions())

    w.tg.client.send_command(bob, "digest")
    digest = (await messages(w, bob.id, 3))[2]
    assert digest.text.startswith("🗞 War digest") and "Kharkiv" in digest.text
    kinds = svc.db.execute("select kind from digests").fetchall()
    assert kinds == [("on_demand",)]  # sent by the outbox sender, like a daily digest
    for _ in range(100):  # the sender marks the part sent once Telegram's answer is back
        if svc.db.execute("select count(*) from outbox where status = 'sent'").fetchone()[0]:
            break
        await asyncio.sleep(0.05)
    assert svc.db.execute("select count(*) from outbox where status = 'sent'").fetchone()[0] == 1

    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # the next morning's daily digest
    await tick(app)
    daily = (await messages(w, bob.id, 4))[3]
    assert "Kharkiv" not in daily.text  # what /digest delivered is not sent again
    await stopped(app)
