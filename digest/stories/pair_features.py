"""The inputs of the story pair model: the cosine and what lexical evidence still adds.

Each item's evidence is read once (:func:`evidence`): its numbers, places, countries/people/
organisations, unknown capitalised names, event words and plain words, as language-blind
terms (:mod:`digest.language.textnorm`). A pair's features (:func:`pair_features`) come from
the two items alone, with no batch statistics, so a pair scores the same in any batch.

>>> a = evidence("Russian drones hit Kharkiv overnight, five injured", "")
>>> b = evidence("Атака дронів на Харків: п'ятеро поранених", "")
>>> f = dict(zip(FEATURES, pair_features(a, b, cosine=0.9, cross=True, hours=1.0)))
>>> f["place_shared"], f["number_shared"], f["number_conflict"]
(1.0, 1.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from digest.language.textnorm import Kind, terms

FEATURES = (
    "cosine",
    "cross_language",
    "cosine_cross",
    "number_shared",
    "number_conflict",
    "place_shared",
    "place_conflict",
    "entity_overlap",
    "name_shared",
    "concept_overlap",
    "word_overlap",
    "title_overlap",
    "log_hours",
)


@dataclass(frozen=True, slots=True)
class ItemEvidence:
    """The language-blind terms of one item, by kind."""

    numbers: frozenset[str]
    places: frozenset[str]
    entities: frozenset[str]
    names: frozenset[str]
    concepts: frozenset[str]
    words: frozenset[str]
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
        names=of(Kind.NAME), concepts=of(Kind.CONCEPT), words=of(Kind.WORD),
        title=frozenset(term.text for term in title_terms),
    )


def overlap(left: frozenset[str], right: frozenset[str]) -> float:
    """Shared terms over the geometric mean of the two sizes (0 when either is empty).

    >>> overlap(frozenset("ab"), frozenset("bc"))
    0.5
    """
    if not left or not right:
        return 0.0
    return len(left & right) / math.sqrt(len(left) * len(right))


def _shared(left: frozenset[str], right: frozenset[str]) -> float:
    return float(bool(left & right))


def _conflict(left: frozenset[str], right: frozenset[str]) -> float:
    """Both name some, none in common: a strike on Kharkiv and one on Odesa."""
    return float(bool(left) and bool(right) and not left & right)


def pair_features(left: ItemEvidence, right: ItemEvidence, *, cosine: float, cross: bool,
                  hours: float) -> list[float]:
    """The :data:`FEATURES` of one pair, in order.

    Plain words only match within one language, so ``word_overlap`` is 0 across languages
    (the model then leans on the cosine and the language-blind kinds).
    """
    return [
        cosine,
        float(cross),
        cosine * float(cross),
        _shared(left.numbers, right.numbers),
        _conflict(left.numbers, right.numbers),
        _shared(left.places, right.places),
        _conflict(left.places, right.places),
        overlap(left.entities, right.entities),
        _shared(left.names, right.names),
        overlap(left.concepts, right.concepts),
        0.0 if cross else overlap(left.words, right.words),
        overlap(left.title, right.title),
        math.log1p(abs(hours)),
    ]
