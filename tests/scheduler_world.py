"""The scheduler's world without Telegram: two outlets' feeds and articles on the local page
server, an in-memory database with both as sources, and a clock the test sets.

Shared by the scheduler tests and the i18n test of a Ukrainian chat's scheduled digest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import httpx
import pytest

from digest.reader.fetch import FetchOptions
from services.context import Services
from settings import load_settings
from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat, subscribe
from storage.sources import SourceSpec, sync_sources
from tests.feedgen import Entry, rss
from tests.pageserver import PageServer, Reply

START = datetime(2026, 11, 25, 5, 30, tzinfo=UTC)  # 07:30 in Kyiv
ARTICLE = b"""<html><head><title>%s</title></head><body><article><h1>%s</h1>
<p>Russian drones struck energy facilities in Odesa overnight, leaving thousands of homes without power, the regional governor said on Tuesday morning.</p>
<p>\xe2\x80\x9cRepair crews are already working and we expect to restore heating by the evening,\xe2\x80\x9d the governor said in a statement posted online.</p>
<p>Air defence units shot down most of the drones over the sea, according to the air force, which said the attack lasted several hours.</p>
</article></body></html>"""


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def odesa(outlet: str, n: int, when: datetime, base: str) -> Entry:
    return Entry(f"{outlet}-{n}", f"Russian drones hit Odesa energy facilities, governor says ({outlet})",
                 "Thousands of homes in Odesa lost power after a Russian drone attack on energy facilities overnight.",
                 when, f"{base}/{outlet}/odesa-{n}")


@pytest.fixture
async def world(page_server: PageServer) -> AsyncIterator[tuple[Services, Clock, PageServer]]:
    clock = Clock(START)
    base = page_server.url("").rstrip("/")
    for outlet in ("alpha", "beta"):
        page_server.add(f"/{outlet}/odesa-1", Reply(ARTICLE % (b"Odesa", b"Odesa"), etag=None))
        feed = rss(outlet, [odesa(outlet, 1, START - timedelta(hours=3), base),
                            Entry(f"{outlet}-old", "Old war item about Kharkiv shelling", "Kharkiv shelled.",
                                  START - timedelta(days=3), f"{base}/{outlet}/old")])
        page_server.add(f"/{outlet}/rss", Reply(feed, content_type="application/rss+xml", etag=f'"{outlet}-v1"'))
    db = open_database(":memory:")
    sync_sources(db, [SourceSpec(name.title(), f"{base}/{name}/rss", "en", "international", True)
                      for name in ("alpha", "beta")], origin="builtin")
    async with httpx.AsyncClient(trust_env=False) as client:
        svc = Services(settings=load_settings({"BOT_TOKEN": "1:x"}), db=db, http=client,
                       fetch_options=FetchOptions(allow_private_hosts=frozenset({page_server.host_port})),
                       clock=clock)
        yield svc, clock, page_server


def subscriber(svc: Services, chat_id: int, *, at: time = time(8), next_at: datetime) -> None:
    ensure_chat(svc.db, chat_id, NewChat("private"), ChatDefaults(delivery_time=at))
    subscribe(svc.db, chat_id, next_digest_at=next_at)
