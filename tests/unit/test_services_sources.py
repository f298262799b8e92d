"""The sources service on a real in-memory database: toggles, operator adds, import, export."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.feeds.sources import load_opml
from services import sources
from services.context import Services
from settings import load_settings
from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.sources import SourceSpec, chat_source_ids, sync_sources

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
UP = "https://up.example/rss"
BBC = "https://bbc.example/rss"


@pytest.fixture
def svc() -> Services:
    found = Services(load_settings({"BOT_TOKEN": "1:x"}), open_database(":memory:"), clock=lambda: NOW)
    sync_sources(found.db, [SourceSpec("UP", UP, "uk", "ukrainian_media", False),
                            SourceSpec("BBC", BBC, "en", "international", True)], origin="builtin")
    ensure_chat(found.db, 7, NewChat("private"), ChatDefaults())
    return found


def _ids(svc: Services) -> dict[str, int]:
    return {row.name: row.id for row in sources.listing(svc, 7).sources}


def test_a_toggle_flips_one_source_for_the_chat_and_explains_a_gone_or_disabled_one(svc: Services) -> None:
    ids = _ids(svc)
    assert sources.listing(svc, 7).enabled == {ids["BBC"]}
    assert sources.toggle(svc, 7, ids["UP"]) is None
    assert sources.toggle(svc, 7, ids["BBC"]) is None
    assert [s.name for s in sources.chat_sources(svc, 7)] == ["UP"]
    assert sources.toggle(svc, 7, 999) is sources.Toggle.GONE
    disabled = sources.set_disabled(svc, ids["UP"], True)
    assert disabled is not None and disabled.name == "UP"
    assert sources.toggle(svc, 7, ids["UP"]) is sources.Toggle.SWITCHED_OFF
    assert sources.set_disabled(svc, 999, True) is None


def test_an_operators_feed_is_added_off_by_default_once_and_named_after_its_host(svc: Services) -> None:
    assert sources.add_feed(svc, "ftp://x.example/feed", "") is None
    added = sources.add_feed(svc, "https://www.front.example/feed", "")
    assert added is not None and not added.known
    assert (added.row.name, added.row.enabled_by_default) == ("front.example", False)
    again = sources.add_feed(svc, "https://www.front.example/feed", "Other name")
    assert again is not None and again.known and again.row.id == added.row.id
    assert added.row.id not in chat_source_ids(svc.db, 7)


async def test_an_imported_document_switches_known_feeds_on_and_refuses_what_it_cannot_read(
        svc: Services) -> None:
    document = b"""<opml version="2.0"><head/><body>
      <outline text="UP" type="rss" xmlUrl="http://UP.example/rss/"/>
      <outline text="New" type="rss" xmlUrl="https://new.example/feed"/></body></opml>"""
    result = await sources.import_document(svc, 7, document, may_add=False)
    assert (result.total, result.switched_on, result.unknown) == (2, 1, 1)
    assert {s.name for s in sources.chat_sources(svc, 7)} == {"UP", "BBC"}
    with pytest.raises(sources.BadDocument) as bad:
        await sources.import_document(svc, 7, b"not xml at all <", may_add=False)
    assert bad.value.reason == "bad_opml"
    empty = b'<opml version="2.0"><head/><body></body></opml>'
    with pytest.raises(sources.BadDocument) as none:
        await sources.import_document(svc, 7, empty, may_add=False)
    assert none.value.reason == "no_feeds"


def test_the_export_lists_the_chats_sources_by_kind_and_reads_back(svc: Services) -> None:
    sources.toggle(svc, 7, _ids(svc)["UP"])
    document = sources.chat_opml(sources.chat_sources(svc, 7))
    assert [s.feed_url for s in load_opml(document.encode())] == [UP, BBC]
