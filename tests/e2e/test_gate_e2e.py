"""One send gate for every Bot API call: link replies and a digest fan-out, together, through
the real ``bot.py`` against the local Bot API server with Telegram's flood limits on.

Before the gate only the outbox was paced, so a burst of link replies during a fan-out could
push a chat or the whole bot over a limit. Now both wait in the same windows.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.outbox import Part, enqueue_digest
from tests import files
from tests.botproc import running_bot, unsent_parts, wait_until
from tests.fakebot import FakeTelegramServer, RateLimits, ServerOptions
from tests.fakebot.fixtures import ServerFactory
from tests.pageserver import PageServer

pytestmark = pytest.mark.e2e
FIXTURES = files.FIXTURES / "pages"
READERS, SUBSCRIBERS, BOTH = 30, 60, 15  # BOTH of the readers also get a digest


def test_link_flood_during_a_fan_out_gets_no_429_and_loses_nothing(
    fake_telegram_factory: ServerFactory, page_server: PageServer, tmp_path: Path
) -> None:
    tg: FakeTelegramServer = fake_telegram_factory(ServerOptions(limits=RateLimits.telegram()))
    url = page_server.add("/news/kharkiv", (FIXTURES / "jsonld_graph.html").read_bytes())
    database = tmp_path / "bot.db"
    db = open_database(database)
    readers = [tg.client.user(f"Reader {n}") for n in range(READERS)]
    subscribers = [tg.client.user(f"Subscriber {n}") for n in range(SUBSCRIBERS)]
    expected_digests = []
    now = datetime.now(UTC)
    for user in subscribers + readers[:BOTH]:
        user.started = True
        ensure_chat(db, user.id, NewChat("private", user.first_name), ChatDefaults())
        text = f"digest for {user.id}"
        enqueue_digest(db, user.id, date(2026, 1, 2), [Part(text)], thread_id=None, now=now)
        expected_digests.append(text)
    db.close()
    allow = f"127.0.0.1:{page_server.url('/').split(':')[2].split('/')[0]}"
    with running_bot(tg, tmp_path, {"FETCH_ALLOW_PRIVATE_HOSTS": allow}, database=database):
        for user in readers:  # every reader sends a link while the digests go out
            tg.client.send_message(user, f"read this {url}")
        wait_until(lambda: unsent_parts(database) == 0, timeout=60)
        for user in readers:
            tg.wait_for_messages(user.id, count=2 if user in readers[:BOTH] else 1, timeout=30)
    received = Counter(m.text for m in tg.sent() if m.text.startswith("digest for"))
    assert received == Counter(expected_digests)  # every digest, exactly once
    replies = [m for user in readers for m in tg.sent(user.id) if "Kharkiv" in m.text]
    assert len(replies) == READERS  # every link answered, none lost
    assert tg.count_429() == 0
