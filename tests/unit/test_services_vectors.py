"""Item vectors in the service layer: encoded after polling, filled in for digest candidates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.language.embedding import load_encoder
from services.context import Services
from services.vectors import VectorOptions, encode_pending, with_vectors
from settings import load_settings
from storage import open_database
from storage.items import NewItem, add_items, undelivered_items
from storage.sources import SourceSpec, sync_sources
from storage.vectors import engine_state, vector_count

NOW = datetime(2026, 11, 25, 6, tzinfo=UTC)


def _services(count: int) -> tuple[Services, int]:
    db = open_database(":memory:")
    spec = SourceSpec("Outlet", "https://o.example/rss", "en", "international", True)
    source = sync_sources(db, [spec], origin="builtin")[0]
    items = [NewItem(f"g{n}", f"https://o.example/{n}", f"https://o.example/{n}",
                     f"Drones hit Kharkiv overnight, report {n}", "Five people were injured.",
                     None, "en", NOW) for n in range(count)]
    add_items(db, source.id, items, offered=True, now=NOW)
    return Services(load_settings({"BOT_TOKEN": "1:x"}), db, clock=lambda: NOW), source.id


@pytest.fixture(autouse=True)
def engine() -> None:
    if load_encoder() is None:
        pytest.skip("embedding engine unavailable")


async def test_pending_items_are_encoded_in_batches_and_the_engine_recorded() -> None:
    svc, _ = _services(5)
    assert await encode_pending(svc, VectorOptions(batch=2)) == 5
    assert vector_count(svc.db) == 5
    assert await encode_pending(svc) == 0  # nothing left
    state = engine_state(svc.db)
    assert state is not None and state.state == "loaded"


async def test_candidates_get_their_missing_vectors_or_all_go_lexical() -> None:
    svc, source_id = _services(3)
    candidates = undelivered_items(svc.db, 1, {source_id}, since=NOW)
    assert all(item.vector is None for item in candidates)
    filled = await with_vectors(svc, candidates)
    assert all(item.vector is not None for item in filled)
    stored = undelivered_items(svc.db, 1, {source_id}, since=NOW)
    assert all(item.vector is not None for item in stored)  # the first call stored them
    svc2, source2 = _services(3)
    fresh = undelivered_items(svc2.db, 1, {source2}, since=NOW)
    lexical = await with_vectors(svc2, fresh, VectorOptions(at_build=1))
    assert all(item.vector is None for item in lexical)
