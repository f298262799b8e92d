"""The inputs of the story pair model: the cosine and what lexical evidence still adds.

Each item's evidence is read once (:func:`evidence`): its numbers, places, countries/people/
organisations and event words as language-blind terms (:mod:`digest.language.textnorm`), and
its title's terms. A pair's features (:func:`pair_features`) come from the two items alone,
with no batch statistics, so a pair scores the same in any batch.

Three kinds of evidence were tried and left out: they added nothing the cosine did not
already carry and cost accuracy held out (SemEval pairs 5-fold, the realnews windows left
out one at a time). Any shared unknown capitalised name, and "both carry numbers, none
shared", fire by chance more often the longer the texts: on 25 % and 34 % of SemEval's
different-story article pairs, against 1 % and 6 % of the window pairs whose shorter text
is under 100 characters (and "numbers, none shared" fires as often on same-story window
pairs as on different ones). Plain-word overlap repeats the cosine (it was fitted with a
negative weight) and is blind across languages.

>>> a = evidence("Russian drones hit Kharkiv overnight, five injured", "")
>>> b = evidence("Атака дронів на Харків: п'ятеро поранених", "")
>>> f = dict(zip(FEATURES, pair_features(a, b, cosine=0.9, cross=True, hours=1.0)))
>>> f["place_shared"], f["number_shared"], f["place_conflict"]
(1.0, 1.0, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from digest.language.textnorm import Kind, terms

FEATURES = (
    "cosine",
    "cross_language",
    "cosine_cross",
    "number_shared",
    "place_shared",
    "place_conflict",
    "entity_overlap",
    "concept_overlap",
    "title_overlap",
    "log_hours",
)


@dataclass(frozen=True, slots=True)
class ItemEvidence:
    """The language-blind terms of one item, by kind."""

    numbers: frozenset[str]
    places: frozenset[str]
    entities: frozenset[str]
    concepts: frozenset[str]
    title: frozenset[str]


@lru_cache(maxsize=32768)  # the same items come back in every digest build of the day
def evidence(title: str, summary: str) -> ItemEvidence:
    """Read an item's terms once (title and summary together; the title's also apart)."""
    title_terms = terms(title or "")
    every = title_terms + terms(summary or "")

    def of(*kinds: Kind) -> frozenset[str]:
        return frozenset(term.text for term in every if term.kind in kinds)

    return ItemEvidence(
        numbers=of(Kind.NUMBER), places=of(Kind.PLACE), entities=of(Kind.ENTITY),
        concepts=of(Kind.CONCEPT), title=frozenset(term.text for term in title_terms),
    )


def overlap(left: frozenset[str], right: frozenset[str]) -> float:
    """Shared terms over the geometric mean of the two sizes (0 when either is empty).

    >>> overlap(frozenset("ab"), frozenset("bc"))
    0.5
    """
    if not left or not right:
        return 0.0
    return len(left & right) / math.sqrt(len(left) * len(right))


def pair_features(left: ItemEvidence, right: ItemEvidence, *, cosine: float, cross: bool,
                  hours: float) -> list[float]:
    """The :data:`FEATURES` of one pair, in order: :func:`pair_matrix` for a single pair, so
    the features have one definition whether a pair is scored alone or in a batch.
    """
    batch = PairBatch(np.array([0]), np.array([1]), np.array([cosine], dtype=np.float64),
                      np.array([cross]), np.array([hours], dtype=np.float64))
    return [float(value) for value in pair_matrix([left, right], batch)[0]]


_KINDS = ("numbers", "places", "entities", "concepts", "title")
_CHUNK = 1 << 22  # 64-bit words of one pass over the pairs (32 MiB), whatever the vocabulary


@dataclass(frozen=True, slots=True)
class PairBatch:
    """Many pairs at once: indexes into ``facts`` and each pair's cosine, kind and gap."""

    lefts: np.ndarray
    rights: np.ndarray
    cosines: np.ndarray
    cross: np.ndarray  # bool
    hours: np.ndarray


def pair_matrix(facts: Sequence[ItemEvidence], pairs: PairBatch) -> np.ndarray:
    """:func:`pair_features` of many pairs at once, a row each (the same numbers; grouping
    5,000 items scores some 10⁵ pairs, and a Python call per pair was most of its time).

    Each kind's terms become bit sets over the batch's vocabulary, so a pair's shared
    terms are one AND and a bit count, done for all pairs in numpy."""
    counts = {kind: _shared_counts([getattr(fact, kind) for fact in facts], pairs)
              for kind in _KINDS}
    cross = pairs.cross.astype(np.float64)
    columns = [
        pairs.cosines, cross, pairs.cosines * cross,
        _shared_of(counts["numbers"]),
        _shared_of(counts["places"]), _conflict_of(counts["places"]),
        _overlap_of(counts["entities"]), _overlap_of(counts["concepts"]),
        _overlap_of(counts["title"]),
        np.log1p(np.abs(pairs.hours)),
    ]
    return np.column_stack(columns).astype(np.float64)


_Counts = tuple[np.ndarray, np.ndarray, np.ndarray]  # shared, left size, right size


def _shared_counts(sets: Sequence[frozenset[str]], pairs: PairBatch) -> _Counts:
    vocabulary: dict[str, int] = {}
    rows = [[vocabulary.setdefault(term, len(vocabulary)) for term in terms_] for terms_ in sets]
    words = max(1, (len(vocabulary) + 63) // 64)
    bits = np.zeros((len(sets), words), dtype=np.uint64)
    item = np.repeat(np.arange(len(sets)), [len(row) for row in rows])
    column = np.fromiter((c for row in rows for c in row), dtype=np.int64, count=len(item))
    np.bitwise_or.at(bits, (item, column // 64),
                     np.left_shift(np.uint64(1), (column % 64).astype(np.uint64)))
    sizes = np.array([len(row) for row in rows], dtype=np.float64)
    shared = np.empty(len(pairs.lefts), dtype=np.float64)
    step = max(1, _CHUNK // words)
    for start in range(0, len(shared), step):
        left, right = pairs.lefts[start:start + step], pairs.rights[start:start + step]
        shared[start:start + step] = np.bitwise_count(bits[left] & bits[right]).sum(axis=1)
    return shared, sizes[pairs.lefts], sizes[pairs.rights]


def _shared_of(counts: _Counts) -> np.ndarray:
    return (counts[0] > 0).astype(np.float64)


def _conflict_of(counts: _Counts) -> np.ndarray:
    shared, left, right = counts
    return ((left > 0) & (right > 0) & (shared == 0)).astype(np.float64)


def _overlap_of(counts: _Counts) -> np.ndarray:
    shared, left, right = counts
    scale = np.sqrt(left * right)
    return np.divide(shared, scale, out=np.zeros_like(shared), where=scale > 0)
