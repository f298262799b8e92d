"""How alike two reports are: the seam story grouping runs on (:class:`Similarity`).

A :class:`Similarity` turns a time-ordered batch of items into scores for the pairs worth
comparing, plus the score at which average-link grouping stops merging. Two methods:

* :class:`EmbeddingSimilarity`: for items that carry a stored sentence vector. A pair's score
  is the probability, from a logistic model, that the two report one event; its inputs are
  the vectors' cosine (separately for same-language and cross-language pairs, whose cosines
  differ) and the lexical evidence that still adds to it: shared numbers, shared or
  conflicting places, shared entities, event words and title terms, and hours apart
  (:mod:`digest.stories.pair_features`). The weights were
  fitted on real labelled pairs (``scripts/train_story_pairs.py``) and live in
  ``digest/stories/weights/story_pairs.json``. Every input comes from the two items alone,
  so a pair gets the same score in a batch of 2 or of 5,000.
* :class:`LexicalSimilarity`: the term-vector method (TF-IDF over the batch, see
  :mod:`digest.stories.cluster`), used when there is no embedding engine.

Only pairs within the time window and above a cosine floor are scored, so the work grows
with the number of plausible pairs, not with n².
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from digest.instants import aware
from digest.language.detect import normalize_language
from digest.language.embedding import DIMENSIONS, from_blob
from digest.models import NewsItem
from digest.stories.pair_features import FEATURES, PairBatch, evidence, pair_matrix

WEIGHTS = Path(__file__).with_name("weights") / "story_pairs.json"
_LOGIT_LIMIT = math.log((1 - 1e-9) / 1e-9)


Pairs = dict[tuple[int, int], float]


class Similarity(Protocol):
    """Scores pairs of a time-ordered batch; ``threshold`` is where merging stops."""

    @property
    def threshold(self) -> float: ...

    def pair_scores(self, items: Sequence[NewsItem]) -> Pairs: ...


@dataclass(frozen=True, slots=True)
class PairModel:
    """A fitted logistic model over :data:`FEATURES`, with its cuts and candidate limits."""

    coef: tuple[float, ...]
    intercept: float
    cut_same: float
    cut_cross: float
    cos_floor: float
    max_hours: float
    language_means: Mapping[str, np.ndarray]
    default_mean: np.ndarray

    def centred(self, vectors: np.ndarray, languages: Sequence[str]) -> np.ndarray:
        """Vectors minus their language's mean vector, back to unit length.

        e5 vectors of one language share a large common component, so raw cosines of two
        texts in one language run high and across languages low. Taking each language's
        mean out (means of real news text, fixed at training time) puts both on one scale:
        on SemEval pairs, cross-language F1 rises from 0.40 to 0.79 with a single cut.
        """
        means = np.vstack([self.language_means.get(lang, self.default_mean) for lang in languages])
        shifted = vectors - means
        norms = np.linalg.norm(shifted, axis=1, keepdims=True)
        return shifted / np.where(norms > 0, norms, 1.0)

    def probability(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.coef, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def scores(self, features: np.ndarray, cross: np.ndarray) -> np.ndarray:
        """:meth:`score` of many pairs at once (a row of :data:`FEATURES` each)."""
        # Clipped as :meth:`score` clips the probability to [1e-9, 1 - 1e-9].
        z = np.clip(self.intercept + features @ np.asarray(self.coef), -_LOGIT_LIMIT, _LOGIT_LIMIT)
        cut = np.where(cross, self.cut_cross, self.cut_same)
        return 1.0 / (1.0 + np.exp(-(z - np.log(cut / (1 - cut)))))

    def score(self, features: Sequence[float], *, cross: bool) -> float:
        """The probability re-centred so that this pair kind's cut sits at 0.5.

        Same-language and cross-language pairs have their own cut; shifting each in logit
        space lets one average-link threshold (0.5) serve both.
        """
        p = min(max(self.probability(features), 1e-9), 1 - 1e-9)
        cut = self.cut_cross if cross else self.cut_same
        z = math.log(p / (1 - p)) - math.log(cut / (1 - cut))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=4)
def load_pair_model(path: Path = WEIGHTS) -> PairModel:
    """The fitted model shipped with the code."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if list(raw["features"]) != list(FEATURES):
        raise ValueError(f"{path} was fitted on other features: {raw['features']}")
    means = {lang: np.asarray(mean, dtype=np.float32) for lang, mean in raw["language_means"].items()}
    return PairModel(tuple(raw["coef"]), raw["intercept"], raw["cut_same"], raw["cut_cross"],
                     raw["cos_floor"], raw["max_hours"], means,
                     np.asarray(raw["default_mean"], dtype=np.float32))


def item_vector(item: NewsItem) -> np.ndarray | None:
    """The item's unit vector, from its stored blob or array, or None."""
    vector = item.vector
    if vector is None:
        return None
    if isinstance(vector, bytes | bytearray | memoryview):
        if len(vector) != 2 * DIMENSIONS:
            return None  # not a vector this model made: treat as missing, never crash a digest
        return from_blob(bytes(vector))
    array = np.asarray(vector, dtype=np.float32)
    return array if array.shape == (DIMENSIONS,) else None


class EmbeddingSimilarity:
    """Cosine of stored vectors plus lexical evidence, through a fitted :class:`PairModel`.

    Every item must have a vector (see :func:`item_vector`).
    """

    threshold = 0.5

    def __init__(self, model: PairModel | None = None, *, block: int = 512) -> None:
        self._model = model or load_pair_model()
        self._block = block

    def pair_scores(self, items: Sequence[NewsItem]) -> Pairs:
        if not items:
            return {}
        languages = [_language(item) for item in items]
        raw = np.vstack([_required_vector(item) for item in items])
        vectors = self._model.centred(raw, languages)
        times = np.array([_hours(item.published) for item in items])
        lefts, rights, cosines = self._candidates(vectors, times)
        if not len(lefts):
            return {}
        # Lexical evidence only for the items some candidate pair involves.
        involved = np.union1d(lefts, rights)
        facts = [evidence(items[i].title, items[i].summary or "") for i in involved.tolist()]
        spoken = np.array(languages, dtype=object)
        pairs = PairBatch(np.searchsorted(involved, lefts), np.searchsorted(involved, rights), cosines,
                      spoken[lefts] != spoken[rights],
                      # An undated item compares as 0 hours apart (as in training), never NaN.
                      np.nan_to_num(np.abs(times[rights] - times[lefts]), nan=0.0))
        scores = self._model.scores(pair_matrix(facts, pairs), pairs.cross)
        return dict(zip(zip(lefts.tolist(), rights.tolist(), strict=True), scores.tolist(),
                        strict=True))

    def _candidates(self, vectors: np.ndarray,
                    times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, cosine) arrays of the pairs i < j with cosine ≥ the floor and at most
        ``max_hours`` apart (an undated item is near everything), a block of rows at a time
        so memory stays at ``block`` × n."""
        model = self._model
        found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for start in range(0, len(vectors), self._block):
            stop = min(start + self._block, len(vectors))
            cosines = vectors[start:stop] @ vectors[start:].T  # only pairs (i, j ≥ i)
            rows, cols = np.nonzero(cosines >= model.cos_floor)
            lefts, rights = rows + start, cols + start
            with np.errstate(invalid="ignore"):
                near = ~(np.abs(times[rights] - times[lefts]) > model.max_hours)  # NaN: kept
            keep = (rights > lefts) & near
            found.append((lefts[keep], rights[keep], cosines[rows[keep], cols[keep]]))
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return (np.concatenate([part[0] for part in found]),
                np.concatenate([part[1] for part in found]),
                np.concatenate([part[2] for part in found]))


def _required_vector(item: NewsItem) -> np.ndarray:
    vector = item_vector(item)
    if vector is None:
        raise ValueError("EmbeddingSimilarity needs a vector on every item")
    return vector


def _language(item: NewsItem) -> str:
    return normalize_language(item.language) or ""


def _hours(moment: datetime | None) -> float:
    if moment is None:
        return math.nan
    return aware(moment).timestamp() / 3600.0


def has_vectors(items: Sequence[NewsItem]) -> bool:
    """True when every item carries a usable vector, so :class:`EmbeddingSimilarity` can run."""
    return all(item_vector(item) is not None for item in items)


def vectors_by_id(blobs: Mapping[int, bytes]) -> dict[int, np.ndarray]:
    return {key: from_blob(blob) for key, blob in blobs.items()}
