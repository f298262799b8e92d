"""Fit the war-relevance model (digest/stories/weights/relevance.json) on labelled real items.

    .venv/bin/python scripts/train_relevance.py [--write]     (runs :func:`main`)

Inputs per item: its e5 vector, centred on its language's mean (as the bot does), and the
lexicon's cue features
(:data:`digest.stories.war_model.CUE_FEATURES`). Data: the realnews windows (items with a
``borderline:`` note are left out of fitting and of scoring) and the relevance sets in
tests/data (own sentences and ../shared corpus feed items). Printed, then written with
``--write``:

* leave-one-window-out: fit on the other window + the relevance sets, score the held-out
  window (precision / recall, borderline items left out);
* the relevance sets, 5-fold cross-validated (fit on the other folds + both windows);
* the final fit on everything.

Features are standardised for fitting (L2, C = :data:`C`, classes balanced) and the scaling
is folded back into the stored weights, so the bot needs only a dot product.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import realdata
from bench.bench_relevance import DEV_SET, HELDOUT_SET, load_labelled
from bench.logistic import fit_logistic, predict
from digest.language.embedding import item_text
from digest.stories.relevance import explain_relevance
from digest.stories.war_model import CUE_FEATURES, WEIGHTS, centred, cue_features

REPO_ROOT = Path(__file__).resolve().parents[1]

C = 0.1
THRESHOLD = 0.5
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Rows:
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray  # window name, or "own" for the relevance sets
    borderline: np.ndarray


def rows() -> Rows:
    texts, labels, groups, borderline = [], [], [], []
    for window in realdata.WINDOWS:
        for item in realdata.realnews(window):
            texts.append((item.title, item.summary, item.language))
            labels.append(item.war)
            groups.append(window)
            borderline.append(item.borderline)
    for path in (DEV_SET, HELDOUT_SET):
        for row in load_labelled(path):
            texts.append((row.title, row.summary, row.language))
            labels.append(row.is_war)
            groups.append("own")
            borderline.append(False)
    vectors = realdata.cached_vectors([item_text(t, s) for t, s, _ in texts])
    vectors = np.vstack([centred(v, lang) for v, (_, _, lang) in zip(vectors, texts, strict=True)])
    cues = np.array([cue_features(explain_relevance(t, s, language=lang)) for t, s, lang in texts])
    return Rows(np.hstack([vectors, cues]), np.array(labels, float), np.array(groups),
                np.array(borderline))


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Standardised, class-balanced fit, folded back to raw-feature weights."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    positives = y.mean()
    weight = np.where(y == 1, 0.5 / positives, 0.5 / (1 - positives))
    coef, intercept = fit_logistic((x - mean) / scale, y, c=C, sample_weight=weight)
    return coef / scale, intercept - float(np.sum(coef * mean / scale))


def precision_recall(predicted: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(predicted & (labels == 1)))
    fp = float(np.sum(predicted & (labels == 0)))
    fn = float(np.sum(~predicted & (labels == 1)))
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def cross_validated(data: Rows) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """{set: ((precision, recall) of the model, (precision, recall) of the lexicon alone)}.

    Windows: leave-one-window-out, borderline items left out. Relevance sets: 5-fold.
    """
    usable = ~data.borderline
    result = {}
    for window in realdata.WINDOWS:
        train, test = usable & (data.group != window), usable & (data.group == window)
        coef, intercept = fit(data.x[train], data.y[train])
        predicted = predict(data.x[test], coef, intercept) >= THRESHOLD
        result[window] = (precision_recall(predicted, data.y[test]),
                          precision_recall(data.x[test, -1] >= 0.5, data.y[test]))
    own = np.flatnonzero(data.group == "own")
    folds = np.random.default_rng(0).permutation(len(own)) % FOLDS
    predicted = np.zeros(len(own), bool)
    for fold in range(FOLDS):
        train = usable.copy()
        train[own[folds == fold]] = False
        coef, intercept = fit(data.x[train], data.y[train])
        predicted[folds == fold] = predict(data.x[own[folds == fold]], coef, intercept) >= THRESHOLD
    result["relevance sets (own + corpus feeds)"] = (
        precision_recall(predicted, data.y[own]),
        precision_recall(data.x[own, -1] >= 0.5, data.y[own]))
    return result


def evaluate(data: Rows) -> None:
    for name, ((p, r), (lp, lr)) in cross_validated(data).items():
        print(f"  {name}: {p:.3f} / {r:.3f}   (lexicon alone {lp:.3f} / {lr:.3f})")


def write(coef: np.ndarray, intercept: float, dimensions: int) -> None:
    document = {
        "about": "War relevance: logistic weights over the e5 vector and the lexicon's cue "
                 "features, fitted by scripts/train_relevance.py on the realnews windows and "
                 "the relevance sets (../shared/corpus, tests/data).",
        "model": "e5-small-q4",
        "cue_features": list(CUE_FEATURES),
        "embedding": [round(float(c), 6) for c in coef[:dimensions]],
        "cues": [round(float(c), 6) for c in coef[dimensions:]],
        "intercept": round(intercept, 6),
        "threshold": THRESHOLD,
    }
    WEIGHTS.parent.mkdir(exist_ok=True)
    WEIGHTS.write_text(json.dumps(document) + "\n", encoding="utf-8")


def main(argv: list[str]) -> None:
    if not realdata.available():
        raise SystemExit("../shared/corpus is absent")
    data = rows()
    evaluate(data)
    usable = ~data.borderline
    coef, intercept = fit(data.x[usable], data.y[usable])
    print("final cue weights: " + ", ".join(
        f"{name} {c:+.2f}" for name, c in zip(CUE_FEATURES, coef[-len(CUE_FEATURES):], strict=True)))
    if "--write" in argv:
        write(coef, intercept, data.x.shape[1] - len(CUE_FEATURES))
        print(f"wrote {WEIGHTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
