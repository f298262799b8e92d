"""The embedding engine seam: loading, the fallback when it cannot load, vector blobs."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from digest.language import embedding


def test_switched_off_engine_returns_none_with_one_log_line(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("DIGEST_EMBEDDINGS", "off")
    with caplog.at_level(logging.WARNING):
        assert embedding._load(embedding.EncoderOptions()) is None
    lines = [r for r in caplog.records if "lexical method" in r.getMessage()]
    assert len(lines) == 1


def test_blob_round_trip_keeps_cosines() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 384)).astype(np.float32)
    a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    back_a, back_b = (embedding.from_blob(embedding.to_blob(v)) for v in (a, b))
    assert len(embedding.to_blob(a)) == 768
    assert float(back_a @ back_b) == pytest.approx(float(a @ b), abs=2e-3)


def test_engine_vectors_are_unit_and_meaningful_across_languages() -> None:
    encoder = embedding.load_encoder()
    if encoder is None:
        pytest.skip(f"embedding engine unavailable: {embedding.load_error()}")
    vectors = encoder.encode([
        "Russian drones hit Kharkiv overnight, five injured",
        "Російські дрони атакували Харків уночі, п'ятеро поранених",
        "Recipe: a quick tomato soup for autumn evenings",
    ])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
    again = encoder.encode(["Russian drones hit Kharkiv overnight, five injured"])
    assert np.allclose(again[0], vectors[0], atol=1e-5)
