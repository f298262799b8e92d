"""Fit the topic follow models (digest/stories/weights/follows.json) on the labelled stories.

    .venv/bin/python scripts/train_follows.py [--write]     (runs :func:`main`)

Rows: one per gold war story of the realnews windows and labelled topic follow
(``tests/data/follow_labels.tsv``; topics only: places, people and free text have no model).
Inputs: the story's mean centred vector and the lexical cues of
:mod:`digest.stories.follow_model`. For each topic the story vectors of the fitted windows
are projected on their first :data:`DIMENSIONS` principal directions (a few dozen labelled
stories per topic cannot pin 768 weights), a logistic model (L2, C = :data:`C`) is fitted
on the projection plus the cues, and the projection is folded back into one vector.

Printed, then written with ``--write``: precision / recall per topic with each window left
out (models fitted on the other windows), then the final fit on every window.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.logistic import fit_logistic
from digest.language import lexicon
from digest.stories.follow_model import CUE_FEATURES, WEIGHTS, TopicModel, cue_values, says

REPO_ROOT = Path(__file__).resolve().parents[1]
DIMENSIONS = 32
C = 10.0
THRESHOLD = 0.5
PROJECTION_SCALE = 3.0  # projections of unit vectors are small: scaled like the cues


@dataclass(frozen=True, slots=True)
class Row:
    """One story and topic: where it comes from, its evidence and its label."""

    window: str
    story: str
    key: str
    strength: str
    cosine: float
    vector: np.ndarray
    truth: bool


def topic_keys() -> frozenset[str]:
    """Preset follows of the ``topic`` kind: the ones a model is fitted for."""
    return frozenset(spec.key for spec in lexicon.follows() if spec.kind == "topic")


def fit_models(rows: Sequence[Row], windows: Sequence[str]) -> dict[str, TopicModel]:
    """One model per topic with positives among the rows of ``windows``."""
    models = {}
    for key in sorted({row.key for row in rows}):
        chosen = [row for row in rows if row.key == key and row.window in windows]
        if any(row.truth for row in chosen) and not all(row.truth for row in chosen):
            models[key] = fit_topic(chosen)
    return models


def fit_topic(rows: Sequence[Row]) -> TopicModel:
    vectors = np.vstack([row.vector for row in rows])
    _, _, directions = np.linalg.svd(vectors - vectors.mean(axis=0), full_matrices=False)
    basis = directions[:DIMENSIONS] * PROJECTION_SCALE
    cues = np.array([cue_values(row.strength, row.cosine) for row in rows])
    x = np.hstack([vectors @ basis.T, cues])
    coef, intercept = fit_logistic(x, np.array([row.truth for row in rows], float), c=C)
    embedding = basis.T @ coef[:len(basis)]
    return TopicModel(embedding.astype(np.float32), tuple(float(c) for c in coef[len(basis):]),
                      intercept, THRESHOLD)


def held_out(rows: Sequence[Row], windows: Sequence[str]) -> dict[str, dict[str, TopicModel]]:
    """{window: models fitted on every other window}."""
    return {window: fit_models(rows, [w for w in windows if w != window]) for window in windows}


def print_held_out(rows: Sequence[Row], windows: Sequence[str]) -> None:
    """The models alone (no lexical cut), each window scored by models fitted without it."""
    models = held_out(rows, windows)
    print("| topic | model alone, window left out: P / R (tp/fp/fn) |")
    print("|---|---:|")
    for key in sorted({row.key for row in rows}):
        tp = fp = fn = 0
        for row in rows:
            model = models[row.window].get(key)
            if row.key != key or model is None:
                continue
            said = says(model, row.vector, row.strength, row.cosine)
            tp, fp, fn = tp + (said and row.truth), fp + (said and not row.truth), fn + (row.truth and not said)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        print(f"| {key} | {precision:.2f} / {recall:.2f} ({tp}/{fp}/{fn}) |")


def write(models: Mapping[str, TopicModel], path: Path = WEIGHTS) -> None:
    document = {
        "about": "Topic follow models (scripts/train_follows.py): logistic weights over a "
                 "story's mean centred e5 vector and the follow cues; see "
                 "digest/stories/follow_model.py",
        "cue_features": list(CUE_FEATURES),
        "threshold": THRESHOLD,
        "topics": {
            key: {"embedding": [round(float(x), 5) for x in model.embedding],
                  "cues": [round(c, 5) for c in model.cues],
                  "intercept": round(model.intercept, 5)}
            for key, model in sorted(models.items())
        },
    }
    path.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    from bench import bench_follows, realdata

    if not realdata.available() or not realdata.available_engine():
        raise SystemExit("needs ../shared/corpus and the embedding engine")
    rows = bench_follows.model_rows()
    print_held_out(rows, bench_follows.WINDOWS)
    if "--write" in argv:
        write(fit_models(rows, bench_follows.WINDOWS))
        print(f"wrote {WEIGHTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
