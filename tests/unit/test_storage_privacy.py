"""/mydata and /forget storage: one chat's rows exported, or erased, and nobody else's."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime

import psycopg
import pytest

from storage import Database
from storage.chats import ChatDefaults, NewChat, ensure_chat, subscribe
from storage.engine import POSTGRESQL
from storage.items import NewItem, add_items
from storage.outbox import Part, enqueue_digest, record_deliveries
from storage.privacy import export_chat, forget_chat
from storage.sources import SourceSpec, set_chat_source, sync_sources

NOW = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
ALICE, BOB = 101, 202


def _populate(db: Database, chat_id: int, title: str) -> None:
    ensure_chat(db, chat_id, NewChat(type="private", title=title), ChatDefaults())
    subscribe(db, chat_id, next_digest_at=NOW)
    source_id = db.execute("select id from sources order by id limit 1").fetchone()[0]
    set_chat_source(db, chat_id, source_id, enabled=False)
    item = NewItem(f"g-{chat_id}", f"https://n.example/{chat_id}", f"n.example/{chat_id}",
                   "Grain corridor reopens", "", None, "en", NOW)
    add_items(db, source_id, [item], offered=True, now=NOW)
    item_id = db.execute("select id from items where guid = ?", [f"g-{chat_id}"]).fetchone()[0]
    enqueue_digest(db, chat_id, date(2026, 3, 1), [Part("<b>1.</b> x", (item_id,))],
                   thread_id=None, now=NOW)
    record_deliveries(db, chat_id, [item_id], now=NOW)


@pytest.fixture
def db(db: Database) -> Database:
    database = db
    sync_sources(database, [SourceSpec("Example News", "https://n.example/rss", "en", "news", True)],
                 origin="builtin")
    _populate(database, ALICE, "Alice")
    _populate(database, BOB, "Bob")
    return database


def test_export_lists_the_chat_row_subscription_sources_and_history(db: Database) -> None:
    data = export_chat(db, ALICE)
    assert data["chat"]["id"] == ALICE and data["chat"]["title"] == "Alice"
    assert data["subscription"]["state"] == "active"
    assert data["sources"] == [{"name": "Example News", "feed_url": "https://n.example/rss",
                                "enabled": False}]
    assert (data["digests"], data["digest_messages"], data["delivered_items"]) == (1, 1, 1)
    json.dumps(data)  # JSON-able as it is


def test_export_of_an_unknown_chat_is_empty(db: Database) -> None:
    data = export_chat(db, 999)
    assert data == {"chat": None, "subscription": None, "sources": [], "digests": 0,
                    "digest_messages": 0, "delivered_items": 0, "follows": [],
                    "alerts_received": 0}


def test_forget_erases_every_row_of_the_chat_and_only_its_rows(db: Database) -> None:
    counts = forget_chat(db, ALICE)
    assert counts == {"follows": 0, "breaking_sent": 0, "deliveries": 1, "outbox": 1,
                      "digests": 1, "chat_sources": 1, "subscriptions": 1, "chats": 1}
    assert export_chat(db, ALICE)["chat"] is None
    bob = export_chat(db, BOB)
    assert bob["chat"] is not None and (bob["digests"], bob["delivered_items"]) == (1, 1)
    assert db.execute("select count(*) from items").fetchone()[0] == 2, "shared data stays"


def test_forget_twice_is_harmless(db: Database) -> None:
    forget_chat(db, ALICE)
    assert set(forget_chat(db, ALICE).values()) == {0}


def test_forget_is_all_or_nothing(db: Database) -> None:
    # A trigger that refuses to delete the chat row makes the last statement fail.
    if db.dialect.name == POSTGRESQL:
        db.execute("create function refuse() returns trigger language plpgsql "
                   "as $$ begin raise exception 'refused'; end $$")
        db.execute("create trigger keep_chats before delete on chats "
                   "for each row execute function refuse()")
    else:
        db.execute("create trigger keep_chats before delete on chats "
                   "begin select raise(abort, 'refused'); end")
    with pytest.raises((sqlite3.IntegrityError, psycopg.errors.RaiseException)):
        forget_chat(db, ALICE)
    data = export_chat(db, ALICE)
    assert data["subscription"] is not None and data["digests"] == 1, "rolled back"


def test_hostile_chat_id_text_is_just_a_value(db: Database) -> None:
    if db.dialect.name == POSTGRESQL:  # a typed column refuses the text outright
        with pytest.raises(psycopg.errors.InvalidTextRepresentation):
            forget_chat(db, "1 or 1=1")  # type: ignore[arg-type]
    else:
        assert export_chat(db, "1 or 1=1")["chat"] is None  # type: ignore[arg-type]
        assert set(forget_chat(db, "1 or 1=1").values()) == {0}  # type: ignore[arg-type]
    assert export_chat(db, BOB)["chat"] is not None


def test_follows_and_alerts_are_exported_and_erased(db: Database) -> None:
    from datetime import UTC, datetime

    from storage import breaking, follows

    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    follows.save(db, ALICE, follows.FollowRow("kharkiv", follows.FOLLOW, "Kharkiv", "Kharkiv", ("kharkiv",)))
    follows.save(db, BOB, follows.FollowRow("sanctions", follows.MUTE, "Sanctions", "sanctions"))
    breaking.save_story(db, breaking.BreakingStory("s1", (), now), now=now)
    breaking.queue_alert(db, breaking.AlertMessage(ALICE, None, "⚡"), "s1", now=now)
    mine = export_chat(db, ALICE)
    assert mine["follows"] == [{"topic": "Kharkiv", "key": "kharkiv", "mode": "follow"}]
    assert mine["alerts_received"] == 1
    counts = forget_chat(db, ALICE)
    assert (counts["follows"], counts["breaking_sent"]) == (1, 1)
    assert follows.chat_follows(db, BOB)[0].key == "sanctions", "only the chat's own rows go"
