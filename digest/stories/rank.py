"""Ranking stories for the digest, with the reasons kept for a debug view.

A story matters more when more distinct outlet families report it, when the war model is
surer it is war news, and when it is recent. Agreement across kinds of source and an
official statement are kept as parts a deployment may weigh; on the labelled real windows
the fit gives them no weight (see :class:`Weights`).

>>> from datetime import UTC, datetime
>>> now = datetime(2026, 11, 25, 6, tzinfo=UTC)
>>> a = NewsItem("https://bbc.example/1", "Zelensky says talks", "", now, "BBC", "international", "en")
>>> b = NewsItem("https://kyiv.example/2", "Talks", "", now, "Kyiv Independent", "ukrainian_media", "en")
>>> explain(score_story([a, b], now=now))
'outlets 2: log2(1+2)×3.0=4.8 + recency 1.00×0.0=0.0 + kinds 2×0.0=0.0 + official 1×0.0=0.0 + war 1.00×3.0=3.0 → 7.75'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from digest.language import lexicon
from digest.language.stems import compile_patterns, normalize
from digest.models import NewsItem

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


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each part of a story's importance counts.

    ``outlets`` counts outlet *families* (:func:`outlet_family`: a channel's reposts on its
    sister channels, or ``edition.cnn.com`` beside ``cnn.com``, are one voice), as
    ``log2(1 + families)``: the fifth outlet adds less than the second. ``war`` weighs the
    story's mean war probability (:mod:`digest.stories.war_model`), so a borderline item
    the war filter let through ranks under plain war news. The defaults were fitted on the
    labelled real windows by ``python -m bench digest --fit`` (the day's biggest stories by
    outlets as the target, each window checked with weights fitted on the others).
    """

    outlets: float = 3.0
    recency: float = 0.0
    kinds: float = 0.0
    official: float = 0.0
    war: float = 3.0
    half_life_hours: float = 12.0


@dataclass(frozen=True, slots=True)
class Score:
    """A story's score and its parts (count, weight), so a debug view can show why."""

    outlets: int
    recency: float
    kinds: int
    official: int
    weights: Weights
    war: float = 1.0

    @property
    def total(self) -> float:
        w = self.weights
        return (math.log2(1 + self.outlets) * w.outlets + self.recency * w.recency
                + self.kinds * w.kinds + self.official * w.official + self.war * w.war)


def outlet_family(source: str) -> str:
    """The outlet family a source belongs to: a web domain's registered name, or a
    channel name's first word (a channel family shares its brand: "Топор Live", "Топор+").

    >>> outlet_family("edition.cnn.com"), outlet_family("bbc.co.uk"), outlet_family("Топор+")
    ('cnn', 'bbc', 'топор')
    >>> outlet_family("ТОПОР – Горячие новости"), outlet_family("BBC News | Русская служба")
    ('топор', 'bbc')
    """
    text = source.strip().casefold()
    if " " not in text and "." in text:
        labels = [label for label in text.split(".") if label]
        while len(labels) > 2 and (labels[-2] in _SECOND_LEVEL or len(labels[-1]) == 2
                                   and labels[-2] in _SECOND_LEVEL):
            labels = labels[:-1]
        core = [label for label in labels[:-1] if label not in _SECOND_LEVEL]
        return core[-1] if core else text
    words = _WORDS.findall(text)
    return words[0] if words else text


_EDITION_TAG = re.compile(r"\s*\([^()]*\)\s*$")


def outlet_name(source: str) -> str:
    """The outlet behind a source name: without the edition tag the built-in list gives a
    newsroom's other feeds and its channel ("(uk)", "(Telegram)").

    >>> {outlet_name(s) for s in ("Meduza", "Meduza (ru)", "Meduza (Telegram)")}
    {'Meduza'}
    >>> outlet_name("Kyiv Post") == outlet_name("Kyiv Independent")
    False
    """
    return _EDITION_TAG.sub("", source).strip() or source


# Second-level labels under a country code ("co.uk", "com.au"): not the outlet's name.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac"})
_WORDS = re.compile(r"[^\W_]+")


def score_story(items: Sequence[NewsItem], *, now: datetime, weights: Weights = Weights(),
                war: float = 1.0) -> Score:
    """Score one story (a group of items about the same event); ``war`` is its reports'
    mean war probability."""
    newest = max(item.published for item in items)
    age_hours = max((now - newest).total_seconds() / 3600, 0.0)
    official = any(_is_official(f"{i.title} {i.summary}") for i in items)
    official = official or any(i.source_kind == "ukrainian_official" for i in items)
    return Score(
        outlets=len({outlet_family(item.source) for item in items}),
        recency=round(math.pow(0.5, age_hours / weights.half_life_hours), 2),
        kinds=len({item.source_kind for item in items}),
        official=int(official),
        weights=weights,
        war=round(war, 2),
    )


def explain(score: Score) -> str:
    """One line saying how the total came about."""
    w = score.weights
    return (
        f"outlets {score.outlets}: log2(1+{score.outlets})×{w.outlets}="
        f"{math.log2(1 + score.outlets) * w.outlets:.1f}"
        f" + recency {score.recency:.2f}×{w.recency}={score.recency * w.recency:.1f}"
        f" + kinds {score.kinds}×{w.kinds}={score.kinds * w.kinds:.1f}"
        f" + official {score.official}×{w.official}={score.official * w.official:.1f}"
        f" + war {score.war:.2f}×{w.war}={score.war * w.war:.1f}"
        f" → {score.total:.2f}"
    )


def rank_stories(stories: Sequence[Sequence[NewsItem]], *, now: datetime, weights: Weights = Weights(),
                 war: Sequence[float] | None = None) -> list[tuple[Score, int]]:
    """Each non-empty story's score and its index in ``stories``, best first (ties: the
    newer story first). ``war`` is each story's mean war probability, in the same order
    (1.0 for every story when omitted)."""
    known = list(war) if war is not None else [1.0] * len(stories)
    scored = [(score_story(items, now=now, weights=weights, war=probability), index)
              for index, (items, probability) in enumerate(zip(stories, known, strict=True))
              if items]
    newest = [max((i.published for i in items), default=None) for items in stories]
    scored.sort(key=lambda pair: (-pair[0].total, -_stamp(newest[pair[1]])))
    return scored


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else 0.0
