"""/importsources: an OPML list switches on a chat's sources; only operators add new feeds."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from telegram import Chat, Message

from digest.feeds.sources import Source, SourceKind, feed_key
from handlers.source_import import import_reply, pasted_document
from i18n.texts import say
from services.sources import ImportResult, import_sources
from storage import Database, open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.sources import SourceSpec, all_sources, chat_source_ids, set_disabled, sync_sources
from tests.botproc import BotProcess, running_bot
from tests.fakebot import FakeTelegramServer

CHAT = 42
SUSPILNE = "https://suspilne.media/rss/all.rss"
TASS = "https://tass.com/rss/v2.xml"
KYIV = "https://kyivindependent.com/feed/"
OPML = f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My war reading</title></head><body>
  <outline text="Ukraine">
    <outline text="Suspilne" type="rss" xmlUrl="http://suspilne.media/rss/all.rss/"/>
    <outline text="Kyiv Independent" type="rss" xmlUrl="{KYIV}"/>
  </outline>
  <outline text="Front-line blog" type="rss" xmlUrl="https://frontline.example.org/feed"/>
</body></opml>"""


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


# -- end to end ------------------------------------------------------------------------------

def rows(bot: BotProcess, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(bot.database) as db:
        return db.execute(sql, params).fetchall()


@pytest.fixture
def operator_bot(fake_telegram: FakeTelegramServer,
                 tmp_path: Path) -> Iterator[tuple[BotProcess, int]]:
    operator = fake_telegram.client.user("Operator")
    with running_bot(fake_telegram, tmp_path, {"ADMIN_IDS": str(operator.id)}) as process:
        yield process, operator.id


def chosen(bot: BotProcess, chat_id: int) -> set[str]:
    found = rows(bot, "select s.name from chat_sources c join sources s on s.id = c.source_id "
                      "where c.chat_id = ? and c.enabled = 1", chat_id)
    return {str(name) for (name,) in found}


@pytest.mark.e2e
def test_e2e_user_import_in_ukrainian(fake_telegram: FakeTelegramServer,
                                      operator_bot: tuple[BotProcess, int]) -> None:
    bot, _ = operator_bot
    olha, client = fake_telegram.client.user("Оля", language_code="uk"), fake_telegram.client
    client.send_command(olha, "importsources", OPML)
    [reply] = fake_telegram.wait_for_messages(olha.id, count=1, timeout=10)
    assert "Увімкнено в цьому чаті: 1; уже були ввімкнені: 1" in reply.text
    assert "Пропущено, бо їх немає в списку бота: 1" in reply.text
    # A Ukrainian chat starts with the Ukrainian-language outlets on (Suspilne among them),
    # so the import switches on the English one it lists.
    assert chosen(bot, olha.id) == {"Kyiv Independent"}
    assert rows(bot, "select count(*) from sources where origin = 'admin'") == [(0,)]


@pytest.mark.e2e
def test_e2e_operator_import_by_reply_adds_the_unknown_feed(
    fake_telegram: FakeTelegramServer, operator_bot: tuple[BotProcess, int]
) -> None:
    bot, operator_id = operator_bot
    client = fake_telegram.client
    operator = fake_telegram.backend.world.users[operator_id]
    pasted = client.send_message(operator, OPML)  # its links get link replies of their own
    client.send_message(operator, "/importsources", reply_to=pasted["message_id"])
    reply = fake_telegram.wait_for_request(
        "sendMessage", where=lambda r: "Import done" in str(r.params.get("text")), timeout=10)
    assert "Switched on in this chat: <b>2</b>; already on: 1" in reply.params["text"]
    assert "New feeds added to the list (off for other chats): <b>1</b>" in reply.params["text"]
    assert chosen(bot, operator.id) == {"Suspilne", "Front-line blog"}
    added = rows(bot, "select enabled_by_default, origin from sources where name = ?",
                 "Front-line blog")
    assert added == [(0, "admin")]


@pytest.mark.e2e
def test_e2e_bad_or_missing_documents_get_a_friendly_reply(
    fake_telegram: FakeTelegramServer, operator_bot: tuple[BotProcess, int]
) -> None:
    alice, client = fake_telegram.client.user("Alice"), fake_telegram.client
    client.send_command(alice, "importsources")
    client.send_command(alice, "importsources", "<rss><channel/></rss>")
    client.send_command(alice, "importsources", "<opml><body><outline text='x'/></body></opml>")
    usage, bad, empty = fake_telegram.wait_for_messages(alice.id, count=3, timeout=10)
    assert usage.text.startswith("Send /importsources followed by an OPML document")
    assert bad.text == "That isn't an OPML document I can read, so nothing changed."
    assert empty.text == "The document lists no feeds, so nothing changed."


@pytest.mark.e2e
def test_e2e_import_from_an_attached_opml_file(fake_telegram: FakeTelegramServer,
                                               operator_bot: tuple[BotProcess, int]) -> None:
    bot, _ = operator_bot
    client = fake_telegram.client
    alice = client.user("Alice")
    client.send_command(alice, "start")
    fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    client.send_document(alice, OPML.encode(), "my-feeds.opml", mime_type="text/x-opml",
                         caption="/importsources")
    [_, reply] = fake_telegram.wait_for_messages(alice.id, count=2, timeout=10)
    assert "Switched on in this chat: <b>1</b>; already on: 1" in reply.raw_text
    assert chosen(bot, alice.id) == {"Suspilne"}
    assert [r.method for r in fake_telegram.requests() if r.method in ("getFile", "downloadFile")] == [
        "getFile", "downloadFile"]
    # The command as a reply to a file sent earlier works too.
    sent = client.send_document(alice, OPML.encode(), "again.opml")
    client.send_message(alice, "/importsources", reply_to=sent["message_id"])
    again = fake_telegram.wait_for_request(
        "sendMessage", where=lambda r: "already on: 2" in str(r.params.get("text")), timeout=10)
    assert again.params["chat_id"] in (alice.id, str(alice.id))


@pytest.mark.e2e
def test_e2e_a_file_past_telegrams_20_mb_is_refused(fake_telegram: FakeTelegramServer,
                                                     operator_bot: tuple[BotProcess, int]) -> None:
    client = fake_telegram.client
    alice = client.user("Alice")
    client.send_command(alice, "start")
    fake_telegram.wait_for_messages(alice.id, count=1, timeout=10)
    client.send_document(alice, b" " * (20 * 1024 * 1024 + 1), "huge.opml", caption="/importsources")
    [_, reply] = fake_telegram.wait_for_messages(alice.id, count=2, timeout=10)
    assert reply.text == say("import_file_too_big", "en", limit=1)
    assert not fake_telegram.requests("downloadFile"), "refused before downloading"
