"""Ranking stories for the digest, with the reasons kept for a debug view.

A story matters more when more distinct outlets report it, when it is recent, when
different kinds of source (Ukrainian media, international, Russian independent…) agree it
is news, and when it carries an official statement.

>>> from datetime import UTC, datetime
>>> from types import SimpleNamespace as Item
>>> now = datetime(2026, 11, 25, 6, tzinfo=UTC)
>>> a = Item(source="BBC", source_kind="international", published=now, title="Zelensky says talks", summary="")
>>> b = Item(source="Kyiv Independent", source_kind="ukrainian_media", published=now, title="Talks", summary="")
>>> explain(score_story([a, b], now=now))
'outlets 2×3.0=6.0 + recency 1.00×2.0=2.0 + kinds 2×1.0=2.0 + official 1×1.5=1.5 → 11.50'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from digest.language import lexicon
from digest.language.stems import compile_patterns, normalize

# Statements by officials and institutions are what readers most want quoted first; who counts
# as official is marked in the shared lexicon (digest/language/lexicon.json).
_OFFICIAL = compile_patterns(
    form for entry in lexicon.entries() if entry.official for form in entry.all_forms()
)


def _is_official(text: str) -> bool:
    """True when ``text`` names an official person or institution.

    >>> _is_official("Peskov: the Kremlin has nothing to add"), _is_official("Мэр открыл парк")
    (True, False)
    """
    return _OFFICIAL.search(normalize(text)) is not None


class RankableItem(Protocol):
    """What ranking reads from an item (read-only, so frozen dataclasses fit)."""

    @property
    def source(self) -> str: ...
    @property
    def source_kind(self) -> str: ...
    @property
    def published(self) -> datetime: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...


T = TypeVar("T", bound=RankableItem)


@dataclass(frozen=True, slots=True)
class Weights:
    outlets: float = 3.0
    recency: float = 2.0
    kinds: float = 1.0
    official: float = 1.5
    half_life_hours: float = 12.0


@dataclass(frozen=True, slots=True)
class Score:
    """A story's score and its parts (count, weight), so a debug view can show why."""

    outlets: int
    recency: float
    kinds: int
    official: int
    weights: Weights

    @property
    def total(self) -> float:
        w = self.weights
        return (self.outlets * w.outlets + self.recency * w.recency + self.kinds * w.kinds
                + self.official * w.official)


def score_story(items: Sequence[RankableItem], *, now: datetime, weights: Weights = Weights()) -> Score:
    """Score one story (a group of items about the same event)."""
    newest = max(item.published for item in items)
    age_hours = max((now - newest).total_seconds() / 3600, 0.0)
    official = any(_is_official(f"{i.title} {i.summary}") for i in items)
    official = official or any(i.source_kind == "ukrainian_official" for i in items)
    return Score(
        outlets=len({item.source for item in items}),
        recency=round(math.pow(0.5, age_hours / weights.half_life_hours), 2),
        kinds=len({item.source_kind for item in items}),
        official=int(official),
        weights=weights,
    )


def explain(score: Score) -> str:
    """One line saying how the total came about."""
    w = score.weights
    return (
        f"outlets {score.outlets}×{w.outlets}={score.outlets * w.outlets:.1f}"
        f" + recency {score.recency:.2f}×{w.recency}={score.recency * w.recency:.1f}"
        f" + kinds {score.kinds}×{w.kinds}={score.kinds * w.kinds:.1f}"
        f" + official {score.official}×{w.official}={score.official * w.official:.1f}"
        f" → {score.total:.2f}"
    )


def rank_stories(stories: Sequence[Sequence[T]], *, now: datetime,
                                  weights: Weights = Weights()) -> list[tuple[Score, Sequence[T]]]:
    """Stories with their scores, best first (ties: the newer story first)."""
    scored = [(score_story(items, now=now, weights=weights), items) for items in stories if items]
    scored.sort(key=lambda pair: (-pair[0].total, -max(i.published for i in pair[1]).timestamp()))
    return scored
