"""Fit the war-relevance model (digest/stories/weights/relevance.json) on labelled real items.

    .venv/bin/python scripts/train_relevance.py [--write]     (runs :func:`main`)

Inputs per item: its e5 vector, centred on its language's mean (as the bot does), and the
lexicon's cue features
(:data:`digest.stories.war_model.CUE_FEATURES`). Fitted on: the realnews windows
(:data:`bench.realdata.WINDOWS`; items with a ``borderline:`` note are left out of fitting
and of scoring) and the relevance development set (tests/data/relevance_labelled.tsv: own
sentences and ../shared corpus feed items). The held-out relevance set
(tests/data/relevance/heldout.tsv) is never fitted on: it is only scored. Printed, then
written with ``--write``:

* leave-one-window-out: fit on the other windows + the development set, score the held-out
  window (precision / recall, borderline items left out);
* the development set, 5-fold cross-validated (fit on the other folds + every window);
* the held-out set, scored with the final fit;
* the final fit on everything fitted on.

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
from bench.logistic import fit_logistic, predict
from bench.relevance_labels import DEV_SET, HELDOUT_SET, load_labelled
from digest.language.embedding import DIMENSIONS, item_text
from digest.stories.relevance import explain_relevance
from digest.stories.war_model import CUE_FEATURES, WEIGHTS, WarModel, centred, cue_features

REPO_ROOT = Path(__file__).resolve().parents[1]

C = 0.1
THRESHOLD = 0.5
FOLDS = 5
DEV, HELDOUT = "dev", "heldout"  # the groups of the two relevance sets' rows


@dataclass(frozen=True, slots=True)
class Rows:
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray  # window name, DEV for the development set, HELDOUT for the held-out set
    borderline: np.ndarray

    def fitted(self, without: str | None = None) -> np.ndarray:
        """Rows a fit may use: not borderline, not the held-out set, not group ``without``."""
        mask = ~self.borderline & (self.group != HELDOUT)
        return mask if without is None else mask & (self.group != without)


def rows() -> Rows:
    texts, labels, groups, borderline = [], [], [], []
    for window in realdata.WINDOWS:
        for item in realdata.realnews(window):
            texts.append((item.title, item.summary, item.language))
            labels.append(item.war)
            groups.append(window)
            borderline.append(item.borderline)
    for group, path in ((DEV, DEV_SET), (HELDOUT, HELDOUT_SET)):
        for row in load_labelled(path):
            texts.append((row.title, row.summary, row.language))
            labels.append(row.is_war)
            groups.append(group)
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


def war_model_without(data: Rows, window: str) -> WarModel:
    """The war model fitted on everything it may use but ``window`` (benchmarks judge a
    window with it)."""
    train = data.fitted(without=window)
    coef, intercept = fit(data.x[train], data.y[train])
    return WarModel(coef[:DIMENSIONS].astype(np.float32), tuple(coef[DIMENSIONS:]),
                    float(intercept), THRESHOLD)


def precision_recall(predicted: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    tp = float(np.sum(predicted & (labels == 1)))
    fp = float(np.sum(predicted & (labels == 0)))
    fn = float(np.sum(~predicted & (labels == 1)))
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def cross_validated(data: Rows) -> dict[str, tuple[tuple[float, float], tuple[float, float]]]:
    """{set: ((precision, recall) of the model, (precision, recall) of the lexicon alone)}.

    Windows: leave-one-window-out, borderline items left out. Development set: 5-fold.
    Held-out set: the final fit (it is never fitted on).
    """
    result = {}
    for window in realdata.WINDOWS:
        train, test = data.fitted(without=window), ~data.borderline & (data.group == window)
        result[window] = _scored(data, train, test)
    dev = np.flatnonzero(data.group == DEV)
    folds = np.random.default_rng(0).permutation(len(dev)) % FOLDS
    predicted = np.zeros(len(dev), bool)
    for fold in range(FOLDS):
        train = data.fitted()
        train[dev[folds == fold]] = False
        coef, intercept = fit(data.x[train], data.y[train])
        predicted[folds == fold] = predict(data.x[dev[folds == fold]], coef, intercept) >= THRESHOLD
    result["relevance development set (own + corpus feeds), 5-fold"] = (
        precision_recall(predicted, data.y[dev]),
        precision_recall(data.x[dev, -1] >= 0.5, data.y[dev]))
    result["relevance held-out set (own, never fitted on)"] = _scored(
        data, data.fitted(), data.group == HELDOUT)
    return result


def _scored(data: Rows, train: np.ndarray, test: np.ndarray
            ) -> tuple[tuple[float, float], tuple[float, float]]:
    coef, intercept = fit(data.x[train], data.y[train])
    predicted = predict(data.x[test], coef, intercept) >= THRESHOLD
    return (precision_recall(predicted, data.y[test]),
            precision_recall(data.x[test, -1] >= 0.5, data.y[test]))


def evaluate(data: Rows) -> None:
    for name, ((p, r), (lp, lr)) in cross_validated(data).items():
        print(f"  {name}: {p:.3f} / {r:.3f}   (lexicon alone {lp:.3f} / {lr:.3f})")


def write(coef: np.ndarray, intercept: float, dimensions: int) -> None:
    document = {
        "about": "War relevance: logistic weights over the e5 vector and the lexicon's cue "
                 "features, fitted by scripts/train_relevance.py on the realnews windows and "
                 "the relevance development set (../shared/corpus, tests/data; the "
                 "held-out set is not fitted on).",
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
    usable = data.fitted()
    coef, intercept = fit(data.x[usable], data.y[usable])
    print("final cue weights: " + ", ".join(
        f"{name} {c:+.2f}" for name, c in zip(CUE_FEATURES, coef[-len(CUE_FEATURES):], strict=True)))
    if "--write" in argv:
        write(coef, intercept, data.x.shape[1] - len(CUE_FEATURES))
        print(f"wrote {WEIGHTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
