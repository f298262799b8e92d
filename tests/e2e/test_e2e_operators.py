"""Operators hear about trouble: the real bot, ADMIN_IDS set, the local Bot API server.

An unhandled error is logged, then reported to the operators with its traceback (the token
blanked out) while the user gets a plain apology; the same error again within the quarter
hour is not reported twice. Parked digest parts reach the operators as one alert."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.urls import normalize_url
from i18n.texts import say
from storage import open_database, outbox
from storage.chats import ChatDefaults, NewChat, ensure_chat
from tests import files
from tests.botproc import running_bot
from tests.fakebot import FakeTelegramServer
from tests.pageserver import PageServer

pytestmark = pytest.mark.e2e
ARTICLE = files.ARTICLE_PAGE.read_bytes()


def _poison(database: Path, url: str) -> None:
    """A damaged cache entry for ``url``: reading it back raises inside the link handler."""
    db = open_database(database)
    db.insert("article_cache", {"url_key": normalize_url(url), "payload": json.dumps({"title": 1}),
                                "fetched_at": datetime.now(UTC).isoformat()})
    db.close()


def test_an_error_is_logged_then_reported_to_operators_once_without_secrets(
    fake_telegram: FakeTelegramServer, page_server: PageServer, tmp_path: Path
) -> None:
    tg, token = fake_telegram, fake_telegram.token
    admin, alice = tg.client.user("Admin"), tg.client.user("Alice")
    tg.client.send_command(admin, "start")
    urls = [page_server.add(f"/news/poisoned-{n}", ARTICLE) + f"?leak={token}" for n in range(2)]
    database = tmp_path / "bot.db"
    for url in urls:
        _poison(database, url)
    env = {"FETCH_ALLOW_PRIVATE_HOSTS": page_server.host_port, "ADMIN_IDS": str(admin.id)}
    with running_bot(tg, tmp_path, env, database=database) as bot:
        for n, url in enumerate(urls, 1):
            tg.client.send_message(alice, f"read this {url}")
            tg.wait_for_messages(alice.id, count=n, timeout=20)
        [report] = tg.wait_for_messages(admin.id, count=2, timeout=20)[1:]  # after the welcome
        time.sleep(1.0)
        admin_messages = tg.sent(admin.id)
        bot.stop()
    assert [m.text for m in tg.sent(alice.id)] == [say("internal_error")] * 2
    assert "Error" in report.text and "Traceback" in report.text and "chat" in report.text
    assert len(admin_messages) == 2, "the same error a second time is held back, not reported again"
    for secret in (token, token.split(":")[1]):
        assert secret not in report.raw_text
    assert "unhandled error" in bot.log(), "logged as well"


def test_parked_digest_parts_reach_operators_as_one_alert(
    fake_telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    tg = fake_telegram
    admin = tg.client.user("Admin")
    tg.client.send_command(admin, "start")
    database = tmp_path / "bot.db"
    db = open_database(database)
    now = datetime.now(UTC)
    for chat_id in (11, 12, 13):
        ensure_chat(db, chat_id, NewChat(type="private"), ChatDefaults())
        outbox.enqueue_digest(db, chat_id, now.date(), [outbox.Part("news")], thread_id=None, now=now)
    for message in outbox.due_messages(db, now + timedelta(seconds=1)):
        outbox.park_failed(db, message.id, error="HTTP 502 Bad Gateway", retry_at=now + timedelta(days=1))
    db.close()
    with running_bot(tg, tmp_path, {"ADMIN_IDS": str(admin.id)}, database=database):
        [alert] = tg.wait_for_messages(admin.id, count=2, timeout=30)[1:]
    assert alert.text == say("alert_parked", "en", count=3, error="HTTP 502 Bad Gateway")
