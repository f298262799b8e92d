"""Fit and evaluate the story pair model (digest/stories/weights/story_pairs.json).

    .venv/bin/python scripts/train_story_pairs.py [--write]     (runs :func:`main`)

Data (../shared/corpus, see bench/realdata.py): SemEval-2022 Task 8 training pairs (same
story: Overall ≤ 1.5; different: ≥ 3.0) and every pair of war items inside each realnews
window (same story id or not). Steps, each printed:

1. language means: the mean e5 vector per language over SemEval, the realnews windows and
   the relevance development set (texts only, no labels; the held-out relevance set stays
   out of every fit), which :class:`digest.stories.similarity.PairModel` subtracts before the cosine;
2. SemEval, 5-fold cross-validated: pair F1 overall, same-language, cross-language, en-en,
   with the same-language and cross-language cuts chosen on the training folds;
3. realnews, leave-one-window-out (each of :data:`bench.realdata.WINDOWS` in turn): fit on
   SemEval + the other windows, group the held-out window's war items with :func:`digest.cluster.group_stories`, B-cubed F1;
4. the final fit on everything, written with ``--write``.

Features are standardised for fitting (the cosine lives in a narrow band) and the scaling is
folded back into the stored coefficients.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import realdata
from bench.logistic import fit_logistic, predict
from bench.relevance_labels import DEV_SET, load_labelled
from bench.story_metrics import bcubed_f1, pair_f1
from digest.language.embedding import item_text
from digest.stories.cluster import group_stories
from digest.stories.pair_features import FEATURES, ItemEvidence, evidence, pair_features
from digest.stories.similarity import WEIGHTS, EmbeddingSimilarity, PairModel

REPO_ROOT = Path(__file__).resolve().parents[1]

C = 1.0
MAX_HOURS = 96.0
FOLDS = 5
FLOOR_LOSS = 0.002


@dataclass(frozen=True, slots=True)
class PairRows:
    x: np.ndarray
    y: np.ndarray
    cross: np.ndarray
    en_en: np.ndarray


def language_means() -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Mean vector per language over SemEval, realnews and the relevance development set's
    texts (not the held-out set's: it is never fitted on)."""
    articles, _ = realdata.semeval()
    items = list(articles.values())
    for window in realdata.WINDOWS:
        items += realdata.realnews(window)
    texts = [(item.language, item_text(item.title, item.summary)) for item in items]
    texts += [(row.language, item_text(row.title, row.summary)) for row in load_labelled(DEV_SET)]
    vectors = realdata.cached_vectors([text for _, text in texts])
    languages = np.array([language for language, _ in texts])
    means = {lang: vectors[languages == lang].mean(axis=0) for lang in sorted(set(languages))}
    return means, vectors.mean(axis=0)


def centred(vector: np.ndarray, language: str, means: dict[str, np.ndarray],
            default: np.ndarray) -> np.ndarray:
    shifted = vector - means.get(language, default)
    return shifted / np.linalg.norm(shifted)


def semeval_rows(means: dict[str, np.ndarray], default: np.ndarray) -> PairRows:
    articles, pairs = realdata.semeval()
    with_vectors = {a.id: a for a in realdata.with_vectors(list(articles.values()))}
    rows, labels, cross, en_en = [], [], [], []
    for pair in pairs:
        left, right = with_vectors[f"se-{pair.left}"], with_vectors[f"se-{pair.right}"]
        rows.append(_features(left, right, means, default))
        labels.append(pair.same)
        cross.append(pair.cross)
        en_en.append(pair.left_language == pair.right_language == "en")
    return PairRows(np.array(rows), np.array(labels, float), np.array(cross), np.array(en_en))


def window_rows(items: Sequence[realdata.RealItem], means: dict[str, np.ndarray],
                default: np.ndarray) -> PairRows:
    rows, labels, cross = [], [], []
    for left, right in itertools.combinations(items, 2):
        hours = abs((left.published - right.published).total_seconds()) / 3600
        if hours > MAX_HOURS:
            continue
        rows.append(_features(left, right, means, default))
        labels.append(left.story == right.story)
        cross.append(left.language != right.language)
    count = len(rows)
    return PairRows(np.array(rows), np.array(labels, float), np.array(cross), np.zeros(count, bool))


def _features(left: realdata.RealItem, right: realdata.RealItem, means: dict[str, np.ndarray],
              default: np.ndarray) -> list[float]:
    cosine = float(centred(realdata.vector_of(left), left.language or "", means, default)
                   @ centred(realdata.vector_of(right), right.language or "", means, default))
    hours = abs((left.published - right.published).total_seconds()) / 3600
    return pair_features(_evidence(left), _evidence(right), cosine=cosine,
                         cross=left.language != right.language, hours=hours)


_EVIDENCE: dict[str, ItemEvidence] = {}


def _evidence(item: realdata.RealItem) -> ItemEvidence:
    if item.id not in _EVIDENCE:
        _EVIDENCE[item.id] = evidence(item.title, item.summary)
    return _EVIDENCE[item.id]


def fit(rows: PairRows) -> tuple[np.ndarray, float]:
    """Standardised fit, folded back to raw-feature coefficients."""
    mean, scale = rows.x.mean(axis=0), rows.x.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    coef, intercept = fit_logistic((rows.x - mean) / scale, rows.y, c=C)
    return coef / scale, intercept - float(np.sum(coef * mean / scale))


def best_cut(probability: np.ndarray, labels: np.ndarray) -> float:
    candidates = np.unique(np.round(probability, 3))
    return float(max(candidates, key=lambda cut: _f1(probability >= cut, labels)))


def _f1(predicted: np.ndarray, labels: np.ndarray) -> float:
    tp = float(np.sum(predicted & (labels == 1)))
    fp = float(np.sum(predicted & (labels == 0)))
    fn = float(np.sum(~predicted & (labels == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def folds_of(rows: PairRows, split: int = 0) -> np.ndarray:
    """A fixed stratified 5-fold split (by same/different and same/cross-language); ``split``
    seeds the shuffle (0 is the split every figure is quoted on)."""
    rng = np.random.default_rng(split)
    strata = rows.y * 2 + rows.cross
    folds = np.zeros(len(rows.y), int)
    for stratum in np.unique(strata):
        members = np.flatnonzero(strata == stratum)
        folds[rng.permutation(members)] = np.arange(len(members)) % FOLDS
    return folds


def semeval_cv(rows: PairRows, windows: Sequence[PairRows], split: int = 0) -> dict[str, float]:
    """Pair F1 of the pair model, 5-fold cross-validated on the SemEval pairs. Each fold is
    fitted as the shipped model is, on the SemEval training folds plus the windows' pairs
    (``windows``), and its cuts are chosen on the SemEval training folds."""
    folds = folds_of(rows, split)
    predicted = np.zeros(len(rows.y), bool)
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        coef, intercept = fit(_stack(_subset(rows, train), *windows))
        probability = predict(rows.x, coef, intercept)
        for kind in (rows.cross, ~rows.cross):
            cut = best_cut(probability[train & kind], rows.y[train & kind])
            predicted[test & kind] = probability[test & kind] >= cut
    return f1_by_kind(rows, predicted)


def cv_one_score(rows: PairRows, score: np.ndarray, *, per_kind: bool,
                 split: int = 0) -> dict[str, float]:
    """Pair F1 of a plain score (a cosine), with one cut, or one per pair kind, chosen on
    the training folds of the same split."""
    folds = folds_of(rows, split)
    predicted = np.zeros(len(rows.y), bool)
    kinds = (rows.cross, ~rows.cross) if per_kind else (np.ones(len(rows.y), bool),)
    for fold in range(FOLDS):
        train, test = folds != fold, folds == fold
        for kind in kinds:
            cut = best_cut(score[train & kind], rows.y[train & kind])
            predicted[test & kind] = score[test & kind] >= cut
    return f1_by_kind(rows, predicted)


def f1_by_kind(rows: PairRows, predicted: np.ndarray) -> dict[str, float]:
    everything = np.ones(len(rows.y), bool)
    return {name: _f1(predicted & mask, rows.y * mask) for name, mask in (
        ("overall", everything), ("same-language", ~rows.cross), ("cross-language", rows.cross),
        ("en-en", rows.en_en))}


def _subset(rows: PairRows, mask: np.ndarray) -> PairRows:
    return PairRows(rows.x[mask], rows.y[mask], rows.cross[mask], rows.en_en[mask])


def _stack(*parts: PairRows) -> PairRows:
    return PairRows(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                      ("x", "y", "cross", "en_en")))


def model_from(rows: PairRows, semeval: PairRows, means: dict[str, np.ndarray],
               default: np.ndarray) -> PairModel:
    """Fit on ``rows``; the two cuts are the F1-best on the SemEval pairs of each kind."""
    coef, intercept = fit(rows)
    probability = predict(semeval.x, coef, intercept)
    cut_same = best_cut(probability[~semeval.cross], semeval.y[~semeval.cross])
    cut_cross = best_cut(probability[semeval.cross], semeval.y[semeval.cross])
    floor = candidate_floor(rows, coef, intercept, cut_same, cut_cross)
    return PairModel(tuple(coef.tolist()), intercept, cut_same, cut_cross, floor, MAX_HOURS,
                     means, default)


def candidate_floor(rows: PairRows, coef: np.ndarray, intercept: float, cut_same: float,
                    cut_cross: float) -> float:
    """The cosine above which lie all but :data:`FLOOR_LOSS` of the training pairs the model
    itself would merge. Pairs under it are never scored (grouping counts them as 0): on
    real news that skips about 99 % of all pairs at the cost of a few merges, and is what
    keeps grouping 5,000 items under a second."""
    probability = predict(rows.x, coef, intercept)
    merged = probability >= np.where(rows.cross, cut_cross, cut_same)
    return float(np.quantile(rows.x[merged, 0], FLOOR_LOSS))


def war_windows() -> dict[str, list[realdata.RealItem]]:
    """Each realnews window's war items, with vectors."""
    return {w: realdata.with_vectors([i for i in realdata.realnews(w) if i.war])
            for w in realdata.WINDOWS}


def window_pair_rows(windows: dict[str, list[realdata.RealItem]], means: dict[str, np.ndarray],
                     default: np.ndarray) -> dict[str, PairRows]:
    """Each window's labelled pairs as model rows."""
    return {w: window_rows(items, means, default) for w, items in windows.items()}


def realnews_lowo(semeval: PairRows, windows: dict[str, list[realdata.RealItem]],
                  window_pairs: dict[str, PairRows], means: dict[str, np.ndarray],
                  default: np.ndarray) -> dict[str, tuple[float, float]]:
    """Per window: (B-cubed F1, cross-outlet pair F1) of grouping its war items at once with
    a model fitted on SemEval and the other windows."""
    scores = {}
    for held, items in windows.items():
        others = [window_pairs[w] for w in windows if w != held]
        model = model_from(_stack(semeval, *others), semeval, means, default)
        stories = group_stories(items, similarity=EmbeddingSimilarity(model))
        scores[held] = (bcubed_f1(items, stories), pair_f1(items, stories, cross_outlet=True))
    return scores


COSINE_CUTS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def cosine_model(cut: float, means: dict[str, np.ndarray], default: np.ndarray) -> PairModel:
    """The plain anchor as a :class:`PairModel`: the centred cosine alone, merging at
    ``cut`` (a steep logistic on the cosine, no lexical evidence, every pair scored)."""
    steep = 50.0
    coef = tuple(steep if name == "cosine" else 0.0 for name in FEATURES)
    return PairModel(coef, -steep * cut, 0.5, 0.5, cut - 0.15, MAX_HOURS, means, default)


def cosine_lowo(windows: dict[str, list[realdata.RealItem]], means: dict[str, np.ndarray],
                default: np.ndarray) -> dict[str, tuple[float, float]]:
    """Per window: (B-cubed F1, its cut) of grouping by the centred cosine alone, with the
    cut that groups the other windows best: the baseline the pair model's lexical evidence
    must beat."""
    def grouped(items: list[realdata.RealItem], cut: float) -> float:
        model = cosine_model(cut, means, default)
        return bcubed_f1(items, group_stories(items, similarity=EmbeddingSimilarity(model)))

    table = {(w, cut): grouped(items, cut) for w, items in windows.items() for cut in COSINE_CUTS}
    scores = {}
    for held in windows:
        cut = max(COSINE_CUTS, key=lambda c: sum(table[(w, c)] for w in windows if w != held))
        scores[held] = (table[(held, cut)], cut)
    return scores


def main(argv: list[str]) -> None:
    if not realdata.available():
        raise SystemExit("../shared/corpus is absent")
    means, default = language_means()
    semeval = semeval_rows(means, default)
    windows = war_windows()
    window_pairs = window_pair_rows(windows, means, default)
    print("SemEval training pairs, 5-fold CV (the windows' pairs in every fold's fit), pair F1: "
          + ", ".join(f"{name} {value:.3f}" for name, value in
                      semeval_cv(semeval, list(window_pairs.values())).items()))
    print("realnews, leave-one-window-out (fit on SemEval + the other windows):")
    for window, (bcubed, pairs) in realnews_lowo(semeval, windows, window_pairs, means,
                                                  default).items():
        print(f"  {window}: B-cubed F1 {bcubed:.3f}, cross-outlet pair F1 {pairs:.3f}")
    final = model_from(_stack(semeval, *window_pairs.values()), semeval, means, default)
    print(f"final: cuts same {final.cut_same:.3f} cross {final.cut_cross:.3f}, "
          f"floor {final.cos_floor:.3f}, coefficients "
          + ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURES, final.coef, strict=True)))
    if "--write" in argv:
        write(final)
        print(f"wrote {WEIGHTS.relative_to(REPO_ROOT)}")


def write(model: PairModel) -> None:
    document = {
        "about": "Story pair model: logistic weights over digest.stories.pair_features.FEATURES, "
                 "fitted by scripts/train_story_pairs.py on SemEval-2022 Task 8 training pairs "
                 "and realnews windows (../shared/corpus).",
        "features": list(FEATURES),
        "coef": [round(c, 6) for c in model.coef],
        "intercept": round(model.intercept, 6),
        "cut_same": model.cut_same,
        "cut_cross": model.cut_cross,
        "cos_floor": round(model.cos_floor, 4),
        "max_hours": model.max_hours,
        "language_means": {lang: [round(float(v), 5) for v in mean]
                           for lang, mean in model.language_means.items()},
        "default_mean": [round(float(v), 5) for v in model.default_mean],
    }
    WEIGHTS.parent.mkdir(exist_ok=True)
    WEIGHTS.write_text(json.dumps(document) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
