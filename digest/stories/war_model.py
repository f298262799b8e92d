"""War relevance on meaning plus the lexicon: a small logistic model over both.

Inputs: the item's sentence vector (:mod:`digest.language.embedding`), centred on its
language's mean like the story pair model does (:func:`centred`), and six numbers from
the lexicon (:mod:`digest.stories.relevance`): the core, theatre, action and negative cue
sums, the lexical evidence and the lexical score. The vector lets the model see war news
whose words are not in the lexicon («Взрывы в <город>», a flag raised after a retreat);
the cues keep what the lexicon knows for sure. Weights were fitted on labelled real items
(``scripts/train_relevance.py``) and live in ``digest/stories/weights/relevance.json``.

Without a vector (no engine), :func:`judge` falls back to the lexical score alone, which is
:func:`digest.stories.relevance.is_about_war`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from digest.language.detect import normalize_language
from digest.models import NewsItem
from digest.stories.relevance import (
    CueKind,
    RelevanceReport,
    _diminishing,
    explain_relevance,
)
from digest.stories.similarity import item_vector, load_pair_model

WEIGHTS = Path(__file__).with_name("weights") / "relevance.json"
CUE_FEATURES = ("core", "theatre", "action", "negative", "evidence", "lexical_score")


@dataclass(frozen=True, slots=True)
class WarModel:
    """Logistic weights: one per vector dimension, one per cue feature, and the cut."""

    embedding: np.ndarray
    cues: tuple[float, ...]
    intercept: float
    threshold: float


@dataclass(frozen=True, slots=True)
class Judgement:
    """The verdict and its parts: what the meaning and the cues each added (in logit units)."""

    probability: float
    threshold: float
    meaning: float | None  # None: judged by the lexicon alone (no vector)
    cue_part: float
    lexical: RelevanceReport

    @property
    def is_war(self) -> bool:
        return self.probability >= self.threshold

    def describe(self) -> str:
        """For ``/digest debug``: the verdict, the two parts, then the cues that fired."""
        if self.meaning is None:
            head = f"war {self.probability:.2f} (lexicon only: no embedding)"
        else:
            head = (f"war {self.probability:.2f} (cut {self.threshold:.2f}): meaning "
                    f"{self.meaning:+.2f}, lexicon {self.cue_part:+.2f}")
        return head + "\n" + self.lexical.describe()


def cue_features(report: RelevanceReport) -> list[float]:
    """The :data:`CUE_FEATURES` of a lexical report."""
    by_kind = {
        kind: _diminishing([hit.weight for hit in report.hits if hit.kind is kind])
        for kind in CueKind
    }
    return [by_kind[CueKind.CORE], by_kind[CueKind.THEATRE], by_kind[CueKind.ACTION],
            by_kind[CueKind.NEGATIVE], report.evidence, report.score]


@lru_cache(maxsize=4)
def load_war_model(path: Path = WEIGHTS) -> WarModel:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if list(raw["cue_features"]) != list(CUE_FEATURES):
        raise ValueError(f"{path} was fitted on other cue features: {raw['cue_features']}")
    return WarModel(np.asarray(raw["embedding"], dtype=np.float32), tuple(raw["cues"]),
                    float(raw["intercept"]), float(raw["threshold"]))


def judge(title: str, summary: str = "", *, language: str | None = None,
          vector: np.ndarray | None = None, model: WarModel | None = None) -> Judgement:
    """Is this item war news? With a vector, on meaning plus lexicon; without, lexicon only."""
    report = explain_relevance(title, summary, language=language)
    if vector is None:
        from digest.stories.relevance import THRESHOLD

        return Judgement(report.score, THRESHOLD, None, 0.0, report)
    model = model or load_war_model()
    meaning = float(np.dot(model.embedding, centred(vector, language)))
    cue_part = sum(w * x for w, x in zip(model.cues, cue_features(report), strict=True))
    z = model.intercept + meaning + cue_part
    return Judgement(1.0 / (1.0 + math.exp(-z)), model.threshold, meaning, cue_part, report)


def judge_item(item: NewsItem, model: WarModel | None = None) -> Judgement:
    """:func:`judge` of one feed or stored item: on its meaning plus the lexicon when it
    carries a vector, on the lexicon alone otherwise (its lexicon cues are cached, since the
    day's digest builds and alert ticks judge the same items again)."""
    return judge(item.title or "", item.summary or "", language=item.language,
                 vector=item_vector(item), model=model)


def centred(vector: np.ndarray, language: str | None) -> np.ndarray:
    """The vector with its language's mean taken out (the story pair model's means), so the
    model weighs what an item says rather than which language says it."""
    lang = normalize_language(language) or ""
    return load_pair_model().centred(np.asarray(vector, dtype=np.float32)[None, :], [lang])[0]
