"""/importsources end to end: the real bot reads an OPML list pasted, replied to or attached,
switches on a chat's sources, and lets only operators add new feeds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from i18n.texts import say
from tests import files
from tests.botproc import BotProcess, running_bot
from tests.fakebot import FakeTelegramServer

# A reader's own list: two outlets the bot knows (one under another spelling), one it does not.
OPML = (files.FIXTURES / "opml" / "war_reading.opml").read_text(encoding="utf-8")


@pytest.fixture
def operator_bot(fake_telegram: FakeTelegramServer,
                 tmp_path: Path) -> Iterator[tuple[BotProcess, int]]:
    operator = fake_telegram.client.user("Operator")
    with running_bot(fake_telegram, tmp_path, {"ADMIN_IDS": str(operator.id)}) as process:
        yield process, operator.id


def chosen(bot: BotProcess, chat_id: int) -> set[str]:
    found = bot.rows("select s.name from chat_sources c join sources s on s.id = c.source_id "
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
    assert bot.rows("select count(*) from sources where origin = 'admin'") == [(0,)]


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
    added = bot.rows("select enabled_by_default, origin from sources where name = ?",
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
