"""The benchmarks' vector cache, shared by parallel test workers (bench/realdata.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from bench import realdata


class CountingEncoder:
    """Two-dimensional vectors from the text length; counts the texts it was asked for."""

    model = "counting-test"

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(realdata, "VECTOR_CACHE", tmp_path)
    realdata._cache.cache_clear()
    yield tmp_path
    realdata._cache.cache_clear()


def test_texts_are_encoded_once_and_kept_on_disk(cache_dir: Path) -> None:
    encoder = CountingEncoder()
    first = realdata.cached_vectors(["один", "два"], encoder)
    again = realdata.cached_vectors(["два", "один"], encoder)
    assert encoder.encoded == ["один", "два"]
    assert again.tolist() == first[::-1].tolist()
    assert [p.name for p in cache_dir.glob("*.npz")] == ["counting-test.npz"]


def test_what_another_worker_encoded_meanwhile_is_read_not_encoded_again(cache_dir: Path) -> None:
    mine, theirs = CountingEncoder(), CountingEncoder()
    assert realdata.cached_vectors(["раз"], mine).shape == (1, 2)  # this worker's cache loaded
    realdata._cache.cache_clear()  # the other worker: a process of its own
    realdata.cached_vectors(["раз", "другой текст"], theirs)
    realdata._cache.cache_clear()
    realdata._cache("counting-test").clear()  # back to this worker, its memory without them
    realdata.cached_vectors(["другой текст"], mine)
    assert mine.encoded == ["раз"]
