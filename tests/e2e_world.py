"""The world of the clock-controlled end-to-end tests: feeds and pages from a local server, the
real Application (built by bot.py) against the local Bot API server, and a clock the test owns.

The application runs in the test's event loop so the test can own its clock; ticks are
run by the test at the instants it chooses, never by sleeping. The ``world`` fixture is
registered in ``tests/conftest.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
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
from tests.fakebot import FakeTelegramServer, FakeUser, SentMessage
from tests.feedgen import Entry, rss
from tests.pageserver import PageServer, Reply
from tests.postgres import PostgresServer, drop

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
    database_url: str | None = None  # PostgreSQL instead of the file (tests/postgres.py)

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


@contextmanager
def on_engine(w: World, engine: str, request: pytest.FixtureRequest) -> Iterator[World]:
    """``w`` as it is (a SQLite file), or with an empty database on the session's PostgreSQL
    server, by the ``engine`` under test: a module whose ``world`` fixture goes through this
    runs each of its flows on both."""
    if engine == "sqlite":
        yield w
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.empty_database()
    try:
        yield replace(w, database_url=url)
    finally:
        drop(server, [url])


async def started_app(w: World, outlets: tuple[str, ...] = ("alpha", "beta")) -> Application:  # type: ignore[type-arg]
    settings = load_settings({
        "BOT_TOKEN": w.tg.token, "TELEGRAM_API_BASE_URL": w.tg.base_url,
        "DATABASE_PATH": str(w.database), "FETCH_ALLOW_PRIVATE_HOSTS": w.pages.host_port,
        "TELEGRAM_WEB_BASE_URL": w.pages.url(""),  # channel previews come from the same server
        **({"DATABASE_URL": w.database_url} if w.database_url else {}),
    })
    db = open_database(settings.database_url or settings.database_path)
    sync_sources(db, [SourceSpec(o.title(), w.pages.url(f"/{o}/rss"), "en", "international", True)
                      for o in outlets], origin="file")
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


async def subscribed(w: World, name: str, language_code: str = "en") -> FakeUser:
    """A private chat subscribed with /subscribe, the first digest left for tomorrow."""
    user = w.tg.client.user(name, language_code=language_code)
    w.tg.client.send_command(user, "subscribe")
    [confirmation] = await messages(w, user.id, 1)
    w.tg.client.press_button(user, confirmation, "first:later")
    await messages(w, user.id, 2)
    return user
