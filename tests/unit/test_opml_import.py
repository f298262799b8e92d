"""/importsources: an OPML list switches on a chat's sources; only operators add new feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Chat, Message

from digest.feeds.sources import Source, SourceKind, feed_key
from handlers.source_import import import_reply, pasted_document
from services.sources import ImportResult, import_sources
from storage import Database, open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.sources import SourceSpec, all_sources, chat_source_ids, set_disabled, sync_sources
from tests import files

CHAT = 42
SUSPILNE = "https://suspilne.media/rss/all.rss"
TASS = "https://tass.com/rss/v2.xml"
KYIV = "https://kyivindependent.com/feed/"
# A reader's own list: two outlets the bot knows (one under another spelling), one it does not.
OPML = (files.FIXTURES / "opml" / "war_reading.opml").read_text(encoding="utf-8")


def outlet(url: str, name: str = "Outlet") -> Source:
    return Source(name, url, None, SourceKind.INTERNATIONAL, True)


@pytest.fixture
def db() -> Database:
    database = open_database(":memory:")
    ensure_chat(database, CHAT, NewChat("private", "Olha"), ChatDefaults())
    sync_sources(database, [
        SourceSpec("Suspilne", SUSPILNE, "uk", "ukrainian_media", False),
        SourceSpec("TASS", TASS, "en", "russian_state", False),
        SourceSpec("Kyiv Independent", KYIV, "en", "ukrainian_media", True),
    ], origin="builtin")
    return database


def ids(db: Database, *urls: str) -> set[int]:
    return {s.id for s in all_sources(db) if s.feed_url in urls}


# -- matching and importing ------------------------------------------------------------------

@pytest.mark.parametrize("variant", [
    "http://suspilne.media/rss/all.rss", "https://SUSPILNE.media/rss/all.rss/",
    "https://suspilne.media:443/rss/all.rss",
])
def test_feed_key_ignores_scheme_case_port_and_trailing_slash(variant: str) -> None:
    assert feed_key(variant) == feed_key(SUSPILNE)


def test_feed_key_keeps_what_tells_feeds_apart() -> None:
    assert feed_key("https://x.example/rss?lang=uk") != feed_key("https://x.example/rss?lang=en")
    assert feed_key("https://x.example/uk/rss") != feed_key("https://x.example/rss")
    assert feed_key("ftp://x.example/rss") is None and feed_key("not a url") is None


def test_a_user_import_switches_on_known_feeds_and_skips_unknown(db: Database) -> None:
    listed = [outlet("http://suspilne.media/rss/all.rss/"), outlet(KYIV),
              outlet("https://frontline.example.org/feed")]
    result = import_sources(db, CHAT, listed, may_add=False)
    assert result == ImportResult(total=3, switched_on=1, already_on=1, unknown=1)
    assert ids(db, SUSPILNE, KYIV) <= chat_source_ids(db, CHAT)
    assert TASS not in {s.feed_url for s in all_sources(db) if s.id in chat_source_ids(db, CHAT)}
    assert len(all_sources(db)) == 3, "nobody but an operator grows the shared list"


def test_an_operator_import_adds_unknown_feeds_off_for_other_chats(db: Database) -> None:
    listed = [outlet("https://frontline.example.org/feed", "Front-line blog"), outlet(TASS)]
    result = import_sources(db, CHAT, listed, may_add=True)
    assert result == ImportResult(total=2, switched_on=2, added=1)
    [added] = [s for s in all_sources(db) if s.name == "Front-line blog"]
    assert (added.enabled_by_default, added.kind) == (False, "international")
    assert added.id in chat_source_ids(db, CHAT)
    ensure_chat(db, 43, NewChat("private", "Other"), ChatDefaults())
    assert added.id not in chat_source_ids(db, 43)
    origins = {r["feed_url"]: r["origin"] for r in db.query("select * from sources")}
    assert origins["https://frontline.example.org/feed"] == "admin"


def test_an_import_twice_changes_nothing_the_second_time(db: Database) -> None:
    listed = [outlet(SUSPILNE)]
    import_sources(db, CHAT, listed, may_add=False)
    assert import_sources(db, CHAT, listed, may_add=False) == ImportResult(total=1, already_on=1)


def test_sources_switched_off_for_everyone_are_counted_not_enabled(db: Database) -> None:
    [tass] = ids(db, TASS)
    set_disabled(db, tass, True)
    result = import_sources(db, CHAT, [outlet(TASS)], may_add=True)
    assert result == ImportResult(total=1, unavailable=1)
    assert tass not in chat_source_ids(db, CHAT)


def test_duplicates_count_once_and_non_http_feeds_are_skipped(db: Database) -> None:
    listed = [outlet(SUSPILNE), outlet("http://suspilne.media/rss/all.rss/"),
              outlet("ftp://files.example/feed")]
    result = import_sources(db, CHAT, listed, may_add=True)
    assert result == ImportResult(total=2, switched_on=1, unknown=1)
    assert len(all_sources(db)) == 3, "an ftp feed is never added, even by an operator"


def test_reply_lists_only_what_happened() -> None:
    text = import_reply(ImportResult(total=4, switched_on=1, already_on=1, added=1,
                                     unavailable=1), "uk")
    assert text.startswith("📥 <b>Імпорт завершено.</b> Стрічок у документі: 4")
    assert "Нових стрічок додано" in text and "Вимкнено для всіх" in text
    assert "Пропущено" not in text


def message(text: str, reply_to: str | None = None) -> Message:
    chat = Chat(CHAT, Chat.PRIVATE)
    date = datetime(2026, 3, 2, tzinfo=UTC)
    replied = Message(1, date, chat, text=reply_to) if reply_to is not None else None
    return Message(2, date, chat, text=text, reply_to_message=replied)


def test_the_document_follows_the_command_or_is_the_replied_message() -> None:
    assert pasted_document(message(f"/importsources\n{OPML}")) == OPML
    assert pasted_document(message("/importsources@war_digest_bot", reply_to=OPML)) == OPML
    assert pasted_document(message("/importsources")) == ""
