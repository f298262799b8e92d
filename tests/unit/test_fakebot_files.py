"""The fake Bot API's files: a user sends a document, the bot asks getFile and downloads it
from ``/file/bot<token>/<file_path>``; past Telegram's 20 MB download limit getFile says no."""

from __future__ import annotations

import httpx
import pytest
from telegram import Bot

from tests.fakebot import FakeTelegramServer
from tests.fakebot.fixtures import ServerFactory
from tests.fakebot.state import DOWNLOAD_LIMIT_BYTES

OPML = b'<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>'


@pytest.fixture
def tg(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    return fake_telegram_factory()


def test_document_message_get_file_and_download(tg: FakeTelegramServer) -> None:
    alice = tg.client.user("Alice")
    tg.client.send_command(alice, "start")
    message = tg.client.send_document(alice, OPML, "feeds.opml", mime_type="text/x-opml",
                                      caption="/importsources")
    document = message["document"]
    assert document["file_name"] == "feeds.opml" and document["file_size"] == len(OPML)
    assert message["caption_entities"][0]["type"] == "bot_command"
    base = f"{tg.base_url}{tg.token}"
    described = httpx.post(f"{base}/getFile", data={"file_id": document["file_id"]}).json()
    assert described["ok"] and described["result"]["file_path"].endswith(".opml")
    download = httpx.get(f"{tg.base_file_url}{tg.token}/{described['result']['file_path']}")
    assert download.status_code == 200 and download.content == OPML
    assert httpx.get(f"{tg.base_file_url}999:WRONG/{described['result']['file_path']}").status_code == 401
    assert httpx.get(f"{tg.base_file_url}{tg.token}/documents/absent.opml").status_code == 404
    assert [r.method for r in tg.requests()][-3:] == ["downloadFile"] * 3


def test_get_file_refuses_unknown_ids_and_files_past_20_mb(tg: FakeTelegramServer) -> None:
    alice = tg.client.user("Alice")
    big = tg.client.send_document(alice, b"x" * (DOWNLOAD_LIMIT_BYTES + 1), "big.opml")
    base = f"{tg.base_url}{tg.token}"
    too_big = httpx.post(f"{base}/getFile", data={"file_id": big["document"]["file_id"]})
    assert too_big.status_code == 400 and too_big.json()["description"] == "Bad Request: file is too big"
    unknown = httpx.post(f"{base}/getFile", data={"file_id": "nope"})
    assert unknown.status_code == 400 and "invalid file_id" in unknown.json()["description"]


async def test_python_telegram_bot_downloads_through_the_file_url(tg: FakeTelegramServer) -> None:
    alice = tg.client.user("Alice")
    message = tg.client.send_document(alice, OPML, "feeds.opml")
    async with Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url) as bot:
        file = await bot.get_file(message["document"]["file_id"])
        assert bytes(await file.download_as_bytearray()) == OPML
