"""The digest builder: one plan per item set, one set of views per chat language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from digest.stories.daily import DigestOptions
from services.context import Services
from services.digests import DigestBuilder
from settings import load_settings
from storage import open_database
from storage.items import StoredItem

NOW = datetime(2026, 11, 25, 6, tzinfo=UTC)


def item(item_id: int, title: str, summary: str, language: str, hours_ago: float) -> StoredItem:
    # Loopback URLs: the fetcher refuses them at once, so stories fall back to feed summaries.
    url = f"http://127.0.0.1:9/{item_id}"
    return StoredItem(item_id, item_id, f"Outlet {item_id}", "international", url, url, title,
                      summary, None, language, NOW - timedelta(hours=hours_ago))


STORY = [
    item(1, "Russian missile strike hits Kharkiv power plant, 3 killed",
         "A Russian missile hit a power plant in Kharkiv, killing 3 people, the governor said.", "en", 2),
    item(2, "Російська ракета влучила в електростанцію в Харкові, троє загиблих",
         "Російська ракета влучила в електростанцію в Харкові, загинули 3 людини.", "uk", 1),
]


async def test_each_chat_language_gets_the_headline_in_its_language() -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(404))) as http:
        svc = Services(load_settings({"BOT_TOKEN": "1:x"}), open_database(":memory:"), http=http)
        builder = DigestBuilder(svc, DigestOptions())
        ukrainian = await builder.build(STORY, NOW, "uk")
        english = await builder.build(STORY, NOW, "en")
    assert [v.headline for v in ukrainian.views] == [STORY[1].title]
    assert [v.headline for v in english.views] == [STORY[0].title]
    assert ukrainian.stories is english.stories  # grouped and ranked once for both languages
