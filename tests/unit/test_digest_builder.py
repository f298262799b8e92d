"""The digest builder: one plan per item set, one set of views per chat language, and each
chat's own selection (follows first, mutes left out and counted, alerted stories in a line)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from digest.stories.daily import DigestOptions
from digest.stories.follow import resolve_topic
from services.context import Services
from services.digests import ChatPrefs, DigestBuilder
from services.follows import ChatTopics
from settings import load_settings
from storage import open_database
from storage.items import StoredItem

NOW = datetime(2026, 11, 25, 6, tzinfo=UTC)


def item(item_id: int, title: str, summary: str, language: str, hours_ago: float) -> StoredItem:
    # Loopback URLs: the fetcher refuses them at once, so stories fall back to feed summaries.
    url = f"http://127.0.0.1:9/{item_id}"
    return StoredItem(url=url, title=title, summary=summary, published=NOW - timedelta(hours=hours_ago),
                      source=f"Outlet {item_id}", source_kind="international", language=language,
                      id=item_id, source_id=item_id, url_key=url, author=None)


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
    assert ukrainian.stories[0] is english.stories[0]  # grouped and ranked once for both languages


DAY = [
    item(10, "Russian drones hit Odesa port, grain terminal on fire",
         "Russian drones struck the port of Odesa overnight, setting a grain terminal on fire.", "en", 3),
    item(11, "Odesa port ablaze after overnight Russian drone attack",
         "A grain terminal in Odesa port burned after Russian drones attacked overnight.", "en", 2),
    item(12, "EU agrees new sanctions package on Russia's shadow fleet",
         "EU governments agreed a new package of sanctions on tankers of Russia's shadow fleet.", "en", 4),
    item(13, "New EU sanctions target Russian shadow fleet tankers",
         "The European Union adopted sanctions on dozens more shadow fleet tankers.", "en", 3),
    item(14, "Glide bomb hits apartment block in Kharkiv, three injured",
         "A Russian glide bomb struck an apartment block in Kharkiv, injuring three, the governor said.", "en", 6),
]


async def built_for(prefs: ChatPrefs):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(404))) as http:
        svc = Services(load_settings({"BOT_TOKEN": "1:x"}), open_database(":memory:"), http=http)
        return await DigestBuilder(svc, DigestOptions()).build(DAY, NOW, "en", prefs)


async def test_a_followed_story_comes_first_and_a_muted_one_is_left_out_and_counted() -> None:
    kharkiv, sanctions = resolve_topic("Харкові"), resolve_topic("sanctions")
    assert kharkiv is not None and sanctions is not None
    plain = await built_for(ChatPrefs())
    assert "Kharkiv" not in plain.views[0].headline, "unfollowed, the one-outlet story ranks low"
    built = await built_for(ChatPrefs(ChatTopics(follows=(kharkiv,), mutes=(sanctions,))))
    assert "Kharkiv" in built.views[0].headline and built.views[0].followed == (kharkiv.label,)
    assert not any("sanctions" in view.headline.lower() for view in built.views)
    assert built.muted == 1
    assert all(not view.followed for view in built.views[1:])


async def test_a_story_the_chat_was_alerted_of_is_marked_with_the_local_time() -> None:
    alerted = {11: NOW - timedelta(hours=1)}  # 07:00 in Kyiv
    built = await built_for(ChatPrefs(alerted=alerted, timezone="Europe/Kyiv"))
    odesa = next(view for view in built.views if "Odesa" in view.headline)
    assert odesa.alerted_at == "07:00"
    assert [view.alerted_at for view in built.views if view is not odesa] == [""] * (len(built.views) - 1)
