"""Stories at the level of the event: one appearance, one strike operation, one visit.

Story grouping (:mod:`digest.stories.cluster`) puts together reports of one *statement*: the
pair model asks "do these two reports say the same thing?". A reader thinks in events: a
press conference is one story with several statements, a night's combined strike is one
story with its hits, its tallies and its power cuts. The labelling guidelines of the real
windows say the same (``../shared/corpus/realnews/README.md``).

So grouping runs in two stages:

1. **Points.** :func:`digest.stories.cluster.group_stories`' statement-level groups.
2. **Events.** Pairs of points are scored by a small logistic model
   (:class:`EventModel`, fitted by ``scripts/train_events.py`` on the labelled real windows,
   each window checked with a model fitted on the others) over what a reader uses to tell
   that two statements come from one event: how close their meaning is (the best pair of
   reports, and the points' mean vectors), how far apart in time, whether the same people
   or institutions speak or act in both, or different ones, shared or conflicting places,
   shared event words, the same outlet posting both (a channel's serial posts from one
   briefing), and the same stated source within the hour ("… — Минобороны РФ", "Песков:
   …": one briefing's statements share little wording) or two different ones ("different
   speakers on the same subject are different stories", as the guidelines say). Points then
   merge by average link on that probability, so one bridging pair cannot chain two events.

Only points whose mean vectors are at least :attr:`EventModel.centroid_floor` alike and
:attr:`EventModel.max_hours` apart are scored, so the work grows with plausible pairs. The
stage needs stored vectors; without them every point is its own event (the lexical fallback
keeps the statement-level grouping).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from digest.instants import aware
from digest.language import lexicon
from digest.language.stems import compile_patterns, normalize
from digest.language.textnorm import Kind, terms
from digest.models import NewsItem
from digest.quotes.attribution import stated_source
from digest.stories.cluster import average_link
from digest.stories.pair_features import evidence, overlap
from digest.stories.rank import outlet_name
from digest.stories.similarity import (
    PairModel,
    has_vectors,
    item_vector,
    load_pair_model,
)

WEIGHTS = Path(__file__).with_name("weights") / "event_merge.json"

T = TypeVar("T", bound=NewsItem)

EVENT_FEATURES = (
    "max_cosine",
    "centroid_cosine",
    "log_gap_hours",
    "actor_shared",
    "actor_conflict",
    "place_shared",
    "place_conflict",
    "concept_overlap",
    "outlet_shared",
    "outlet_within_hour",
    "speaker_within_hour",
    "speaker_conflict",
)

# Who speaks or acts: the lexicon's people and institutions (not countries: "Russia" and
# "Ukraine" are in half of all reports and tell two events apart from nothing).
_ACTOR_TYPES = frozenset({"person", "organisation"})
OPENING_CHARS = 160
MAX_NAME_WORDS = 3


@dataclass(frozen=True, slots=True)
class Event(Generic[T]):
    """One event: its statement-level groups (``points``, the biggest first, each earliest
    report first) and every report of them (``items``, earliest first)."""

    points: tuple[tuple[T, ...], ...]

    @property
    def items(self) -> tuple[T, ...]:
        return tuple(sorted((item for point in self.points for item in point), key=_time))


@dataclass(frozen=True, slots=True)
class EventModel:
    """Logistic weights over :data:`EVENT_FEATURES`, the merge cut and candidate limits."""

    coef: tuple[float, ...]
    intercept: float
    cut: float
    centroid_floor: float
    max_hours: float

    def probability(self, features: Sequence[float]) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.coef, features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=4)
def load_event_model(path: Path = WEIGHTS) -> EventModel:
    """The fitted model shipped with the code."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    if list(raw["features"]) != list(EVENT_FEATURES):
        raise ValueError(f"{path} was fitted on other features: {raw['features']}")
    return EventModel(tuple(raw["coef"]), raw["intercept"], raw["cut"], raw["centroid_floor"],
                      raw["max_hours"])


def merge_points(points: Sequence[tuple[T, ...]], *,
                 model: EventModel | None = None) -> list[Event[T]]:
    """Events from statement-level groups (see :func:`link_points`), most outlets first."""
    _, merged = link_points(points, model=model)
    events = [Event(tuple(sorted((points[i] for i in group), key=_point_order)))
              for group in merged]
    return _ordered(events)


def link_points(points: Sequence[Sequence[NewsItem]], *, model: EventModel | None = None
                ) -> tuple[dict[tuple[int, int], float], list[list[int]]]:
    """The candidate links between points (:func:`point_links`) and the events they make,
    as groups of point indexes, merged by average link so one bridging pair cannot chain
    two events. Without vectors on every point there are no links: each point is an event."""
    singles = [[index] for index in range(len(points))]
    if not points or not all(has_vectors(point) for point in points):
        return {}, singles
    model = model or load_event_model()
    links = point_links(points, model=model)
    return links, average_link(singles, links, model.cut)


def point_links(points: Sequence[Sequence[NewsItem]], *,
                model: EventModel | None = None) -> dict[tuple[int, int], float]:
    """Probability that two points report one event, for the candidate pairs (i < j)."""
    model = model or load_event_model()
    return {pair: model.probability(features)
            for pair, features in point_features(points, model).items()}


def point_features(points: Sequence[Sequence[NewsItem]],
                   model: EventModel) -> dict[tuple[int, int], list[float]]:
    """:data:`EVENT_FEATURES` of every candidate pair of points (the training script uses
    this too, so the model is fitted on exactly what it is given at run time). Vectors are
    centred per language with the pair model's means (fixed, label-free)."""
    profiles = _profiles(points, load_pair_model())
    if not profiles:
        return {}
    centroids = np.vstack([profile.centroid for profile in profiles])
    cosines = centroids @ centroids.T
    starts = np.array([profile.start for profile in profiles])
    ends = np.array([profile.end for profile in profiles])
    found: dict[tuple[int, int], list[float]] = {}
    rows, cols = np.nonzero(np.triu(cosines >= model.centroid_floor, k=1))
    for left, right in zip(rows.tolist(), cols.tolist(), strict=True):
        gap = max(0.0, float(max(starts[left], starts[right]) - min(ends[left], ends[right])))
        if gap > model.max_hours:
            continue
        found[(left, right)] = _features(profiles[left], profiles[right],
                                         float(cosines[left, right]), gap)
    return found


@dataclass(frozen=True, slots=True)
class _Point:
    vectors: np.ndarray  # centred, unit rows
    centroid: np.ndarray  # unit
    start: float  # hours (POSIX / 3600) of the earliest and latest report
    end: float
    actors: frozenset[str]
    places: frozenset[str]
    concepts: frozenset[str]
    outlets: frozenset[str]
    speakers: frozenset[str]


def _profiles(points: Sequence[Sequence[NewsItem]], pair_model: PairModel) -> list[_Point]:
    """Every point's profile; the vectors of all reports are centred in one batch (a tick
    of the alert check profiles a few hundred points)."""
    reports = [item for point in points for item in point]
    if not reports:
        return []
    vectors = pair_model.centred(np.vstack([_vector(item) for item in reports]),
                                 [item.language or "" for item in reports])
    bounds = np.cumsum([0, *(len(point) for point in points)])
    return [_profile(point, vectors[start:stop])
            for point, start, stop in zip(points, bounds[:-1], bounds[1:], strict=True)]


def _profile(point: Sequence[NewsItem], vectors: np.ndarray) -> _Point:
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    facts = [evidence(item.title, item.summary or "") for item in point]
    hours = [_time(item).timestamp() / 3600 for item in point]
    return _Point(vectors, mean / norm, min(hours), max(hours),
                  frozenset().union(*(_actors(_opening(item)) for item in point)),
                  _union(fact.places for fact in facts), _union(fact.concepts for fact in facts),
                  frozenset(item.source for item in point),
                  _union(_speakers(item.title, item.language or "") for item in point))


def _features(left: _Point, right: _Point, centroid: float, gap: float) -> list[float]:
    return [
        float((left.vectors @ right.vectors.T).max()),
        centroid,
        math.log1p(gap),
        float(bool(left.actors & right.actors)),
        _conflict(left.actors, right.actors),
        float(bool(left.places & right.places)),
        _conflict(left.places, right.places),
        overlap(left.concepts, right.concepts),
        float(bool(left.outlets & right.outlets)),
        float(bool(left.outlets & right.outlets)) * math.exp(-gap),
        float(bool(left.speakers & right.speakers)) * math.exp(-gap),
        _conflict(left.speakers, right.speakers),
    ]


def _conflict(left: frozenset[str], right: frozenset[str]) -> float:
    return float(bool(left) and bool(right) and not left & right)


def _union(sets: Iterable[frozenset[str]]) -> frozenset[str]:
    return frozenset().union(*sets)


@lru_cache(maxsize=1)
def _actor_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(("@" + entry.id, compile_patterns(entry.all_forms()))
                 for entry in lexicon.entries()
                 if entry.type in _ACTOR_TYPES and entry.all_forms())


def _known_actors(text: str) -> frozenset[str]:
    """The lexicon's people and institutions a text names, in any of their forms."""
    normal = normalize(text)
    return frozenset(key for key, pattern in _actor_patterns() if pattern.search(normal))


def _unknown_names(text: str) -> list[str]:
    """Names the lexicon does not know: capitalised words inside a sentence ("Шольц")."""
    return [term.text for term in terms(text) if term.kind is Kind.NAME]


@lru_cache(maxsize=32768)
def _actors(text: str) -> frozenset[str]:
    """The people and institutions a text names: the lexicon's, and unknown names."""
    return _known_actors(text or "") | frozenset(_unknown_names(text or ""))


@lru_cache(maxsize=32768)
def _speakers(title: str, language: str) -> frozenset[str]:
    """Who the headline says its news comes from (:func:`stated_source`), as the lexicon's
    people and institutions it names, else its last unknown name when the source is a bare
    name or two ("Бербок", "Канцлер ФРГ Шольц"): a longer phrase without a known actor
    ("начальник главного управления") names no one another report could share."""
    source = stated_source(title, language)
    if not source:
        return frozenset()
    known = _known_actors(source)
    if known or len(source.split()) > MAX_NAME_WORDS:
        return known
    return frozenset(_unknown_names(source)[-1:])


def _opening(item: NewsItem) -> str:
    """The headline and the summary's first words: a post often names its speaker only in
    its first sentence ("… — заявил Песков")."""
    return f"{item.title} {(item.summary or '')[:OPENING_CHARS]}"


def _vector(item: NewsItem) -> np.ndarray:
    vector = item_vector(item)
    if vector is None:
        raise ValueError("event merging needs a vector on every item")
    return vector


def _time(item: NewsItem) -> datetime:
    return aware(item.published)


def point_size(point: Sequence[NewsItem]) -> tuple[int, int]:
    """The sort key of the biggest point first: most outlets (a newsroom's editions and
    channel count once, :func:`outlet_name`), then most reports. An event lists its points
    by it, and a digest slot heads with its biggest point by the same key."""
    return (-len({outlet_name(item.source) for item in point}), -len(point))


def _point_order(point: Sequence[NewsItem]) -> tuple[int, int, datetime]:
    return (*point_size(point), _time(point[0]))


def _ordered(events: list[Event[T]]) -> list[Event[T]]:
    """Most outlets first, then most reports, then earliest (as :func:`group_stories`)."""
    return sorted(events, key=lambda event: _point_order(event.items))


__all__ = ["EVENT_FEATURES", "Event", "EventModel", "link_points", "load_event_model",
           "merge_points", "point_features", "point_links", "point_size"]
