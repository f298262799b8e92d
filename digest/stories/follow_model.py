"""What a story is about, learned: a small logistic model per labelled topic follow.

A topic follow (air strikes, front line, aid, sanctions, peace talks) covers stories whose
words the lexicon does not hold: an overnight tally of downed drones, a power cut after a
strike, a daily MoD summary, a delivery of boats. The lexicon and the cosine to the topic's
query miss many of them (``bench follows``). Each labelled topic therefore has a logistic
model over

* the story's meaning: the mean of its reports' e5 vectors, each centred on its language's
  mean like the story pair model does, back to unit length;
* the lexical evidence of :func:`digest.stories.follow.story_strength` (a title hit, a hit
  only in summaries) and the centred cosine to the topic's query.

Weights were fitted on the hand-labelled real stories (``tests/data/follow_labels.tsv``,
``scripts/train_follows.py``, figures held out one window at a time in ``bench follows``)
and live in ``digest/stories/weights/follows.json``: one vector per topic, so judging a
story is one dot product per followed topic. The vector part was fitted in the whole space
the labelled stories span, with one L2 penalty for every topic chosen by leaving each window
out in turn (a projection on 32 principal directions caught the windows' differences, the
year and the language, more than the topics').
Topics without labels (the regions, POWs, free text) have no model and are judged by the
lexicon and the cosine alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np

from digest.stories.war_model import WarModel

WEIGHTS = Path(__file__).with_name("weights") / "follows.json"
CUE_FEATURES = ("title_hit", "body_hit", "query_cosine")
COSINE_SCALE = 4.0  # cosines run in about ±0.25: scaled to the size of the other inputs


TopicModel = WarModel
"""A topic's weights have the war model's four parts: one weight per vector dimension, one
per cue (:data:`CUE_FEATURES`), the intercept and the cut."""


def probability(model: TopicModel, story: np.ndarray, strength: str, cosine: float) -> float:
    """How likely a story with this mean vector and lexical evidence is about the topic."""
    z = model.intercept + float(model.embedding @ story)
    z += sum(w * x for w, x in zip(model.cues, cue_values(strength, cosine), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def says(model: TopicModel, story: np.ndarray, strength: str, cosine: float) -> bool:
    """The model's verdict: is the story about the topic?"""
    return probability(model, story, strength, cosine) >= model.threshold


def cue_values(strength: str, cosine: float) -> tuple[float, float, float]:
    """The :data:`CUE_FEATURES` of one story and topic (``strength`` as in follow.py)."""
    return (float(strength == "title"), float(strength == "body"), COSINE_SCALE * cosine)


def story_vector(centred_items: np.ndarray) -> np.ndarray:
    """A story's meaning: the mean of its reports' centred vectors (rows), at unit length."""
    mean = centred_items.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


@lru_cache(maxsize=4)
def load_models(path: Path = WEIGHTS) -> Mapping[str, TopicModel]:
    """{topic key: model}; empty when the weights file is absent (lexicon and cosine only)."""
    if not path.exists():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    if list(raw["cue_features"]) != list(CUE_FEATURES):
        raise ValueError(f"{path} was fitted on other cue features: {raw['cue_features']}")
    return {
        key: TopicModel(np.asarray(spec["embedding"], dtype=np.float32), tuple(spec["cues"]),
                        float(spec["intercept"]), float(raw["threshold"]))
        for key, spec in raw["topics"].items()
    }
