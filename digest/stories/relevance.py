"""Is a news item about the Russia–Ukraine war? A transparent, weighted-lexicon answer.

Every cue of the lexicon is one concept in English, Ukrainian and Russian stem patterns (see
:mod:`digest.language.stems`) with a kind and a weight:

* ``core``: means this war on its own (ЗСУ/ВСУ, Shahed, counteroffensive, Bakhmut, grain
  corridor, "special military operation");
* ``theatre``: where or who (Ukraine, Russia, Kharkiv, Zelensky, NATO) — weak alone, since
  Ukraine and Russia also have football, weather and central banks;
* ``action``: what war does (missile, shelling, sanctions, mobilisation, prisoners of war,
  ceasefire) — weak alone, since Gaza and Sudan have missiles too;
* ``negative``: what pulls an item away (sport, show business, other wars, weather,
  interest rates).

The evidence is ``core + theatre + action − negative`` when a theatre cue and an action cue
meet, and only a third of ``theatre + action`` when one of them is missing: "strike on
Kharkiv" is strong, "Kharkiv zoo" or "strikes on Gaza" are not. Several cues of one kind add
with diminishing returns; cues in the summary count 60 % of cues in the title. A logistic
turns the evidence into a 0..1 score; :func:`is_about_war` cuts at 0.5, and
:func:`explain_relevance` shows which cues fired (for a debug view).

>>> is_about_war("Missile strike on Kharkiv apartment block")
True
>>> is_about_war("Kharkiv zoo welcomes a baby giraffe")
False
>>> is_about_war("Росіяни обстріляли Херсон з артилерії")
True
>>> is_about_war("Шахтер обыграл Динамо в Киеве")
False
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from digest.language import lexicon
from digest.language.detect import guess_language, normalize_language
from digest.language.stems import compile_patterns, normalize

THRESHOLD = 0.5
SUMMARY_FACTOR = 0.6
"""Cues found only in the summary weigh this much of a title cue: leads wander off-topic."""

LONE_KIND_FACTOR = 0.35
"""Theatre without action (or action without theatre) counts this share of its weight."""

MIDPOINT = 1.5
"""Evidence at which the score is 0.5: about one theatre cue plus one light action cue."""

STEEPNESS = 2.0
_SUMMARY_CHARS = 600


class CueKind(StrEnum):
    CORE = "core"
    THEATRE = "theatre"
    ACTION = "action"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class Cue:
    """One concept of the lexicon: a label, its kind, weight and stem patterns.

    ``latin`` holds only the Latin-script patterns (None when there are none), which is all
    an English text can match.
    """

    label: str
    kind: CueKind
    weight: float
    pattern: re.Pattern[str]
    latin: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class CueHit:
    """A cue that fired: which one, the text it matched, and the weight it contributed."""

    label: str
    kind: CueKind
    weight: float
    matched: str
    field: str


@dataclass(frozen=True, slots=True)
class RelevanceReport:
    """Score, decision and the evidence behind them.

    >>> report = explain_relevance("Russia and Ukraine exchange prisoners of war")
    >>> report.is_war, [hit.label for hit in report.hits]
    (True, ['prisoners of war', 'Ukraine', 'Russia'])
    """

    score: float
    evidence: float
    hits: tuple[CueHit, ...]

    @property
    def is_war(self) -> bool:
        return self.score >= THRESHOLD

    def describe(self) -> str:
        """One line per cue, for a debug view.

        >>> print(explain_relevance("Shelling of Kherson").describe())
        score 0.88 (evidence 2.50)
          + action   shelling (1.5) 'shelling' in title
          + theatre  Kherson (1.0) 'kherson' in title
        """
        lines = [f"score {self.score:.2f} (evidence {self.evidence:.2f})"]
        for hit in self.hits:
            sign = "-" if hit.kind is CueKind.NEGATIVE else "+"
            lines.append(
                f"  {sign} {hit.kind.value:<8} {hit.label} ({hit.weight:.1f}) "
                f"{hit.matched!r} in {hit.field}"
            )
        return "\n".join(lines)


def war_relevance(title: str, summary: str = "", *, language: str | None = None) -> float:
    """Score 0..1 that the item is about the Russia–Ukraine war.

    >>> war_relevance("Russia's central bank raises key rate") < 0.2
    True
    """
    return explain_relevance(title, summary, language=language).score


def is_about_war(title: str, summary: str = "", *, language: str | None = None) -> bool:
    """True when :func:`war_relevance` reaches ``THRESHOLD``."""
    return explain_relevance(title, summary, language=language).is_war


@lru_cache(maxsize=32768)  # every digest build and alert tick of the day judges the same items
def explain_relevance(
    title: str, summary: str = "", *, language: str | None = None
) -> RelevanceReport:
    """Score an item and list the cues that fired, strongest first.

    ``language`` (``en``/``uk``/``ru``, guessed when absent) only picks the script of the
    cues: English text is matched against Latin-script cues alone, Ukrainian and Russian
    text against both (their news writes "F-16" and "HIMARS" in Latin letters).
    """
    language = normalize_language(language) or guess_language(f"{title} {summary}")
    hits = _hits(title, summary[:_SUMMARY_CHARS], latin_only=language == "en")
    evidence = _evidence(hits)
    score = 1.0 / (1.0 + math.exp(-STEEPNESS * (evidence - MIDPOINT)))
    return RelevanceReport(score=round(score, 4), evidence=round(evidence, 4), hits=hits)


def _hits(title: str, summary: str, *, latin_only: bool) -> tuple[CueHit, ...]:
    """Each cue at most once, from the title when it is there, else from the summary.

    Heavier cues claim their words first, so "prisoners of war" is not also counted as
    "war", nor "war in Ukraine" as "Ukraine".
    """
    fields = (
        _Field("title", normalize(title), 1.0),
        _Field("summary", normalize(summary), SUMMARY_FACTOR),
    )
    hits: list[CueHit] = []
    for cue in _BY_WEIGHT:
        pattern = cue.latin if latin_only else cue.pattern
        hit = _first_hit(cue, pattern, fields) if pattern is not None else None
        if hit is not None:
            hits.append(hit)
    return tuple(hits)


@dataclass(slots=True)
class _Field:
    """One text field being scanned, with the spans earlier cues have claimed."""

    name: str
    text: str
    factor: float
    claimed: list[tuple[int, int]] = field(default_factory=list)

    def free_match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        for match in pattern.finditer(self.text):
            if all(match.end() <= start or match.start() >= end for start, end in self.claimed):
                self.claimed.append(match.span())
                return match
        return None


def _first_hit(cue: Cue, pattern: re.Pattern[str], fields: tuple[_Field, ...]) -> CueHit | None:
    for text_field in fields:
        match = text_field.free_match(pattern)
        if match is not None:
            return CueHit(cue.label, cue.kind, cue.weight * text_field.factor, match.group(0),
                          text_field.name)
    return None


def _evidence(hits: tuple[CueHit, ...]) -> float:
    """Combine hits by kind; see the module docstring for the rule."""
    by_kind = {kind: _diminishing([h.weight for h in hits if h.kind is kind]) for kind in CueKind}
    theatre, action = by_kind[CueKind.THEATRE], by_kind[CueKind.ACTION]
    paired = theatre + action if theatre and action else LONE_KIND_FACTOR * (theatre + action)
    return by_kind[CueKind.CORE] + paired - by_kind[CueKind.NEGATIVE]


def _diminishing(weights: list[float]) -> float:
    """Sum with halving returns: the strongest cue counts fully, the next half, and so on.

    >>> _diminishing([1.0, 2.0, 1.0])
    2.75
    """
    return sum(weight / 2**rank for rank, weight in enumerate(sorted(weights, reverse=True)))


_LATIN = re.compile(r"[a-z]")


def _cue(kind: CueKind, weight: float, label: str, *patterns: str) -> Cue:
    latin = [pattern for pattern in patterns if _LATIN.search(pattern)]
    return Cue(label, kind, weight, compile_patterns(patterns),
               compile_patterns(latin) if latin else None)


def _lexicon_cues() -> tuple[Cue, ...]:
    """One :class:`Cue` per cue of the shared lexicon, with the forms of every entry feeding it.

    The order is the lexicon's cue order, which breaks ties between cues of equal weight.
    """
    forms: dict[str, list[str]] = {label: [] for label in lexicon.cue_specs()}
    for item in lexicon.entries():
        if item.cue is not None:
            forms[item.cue].extend(item.all_forms())
    return tuple(
        _cue(CueKind(spec.kind), spec.weight, label, *dict.fromkeys(forms[label]))
        for label, spec in lexicon.cue_specs().items()
    )


# The lexicon (digest/language/lexicon.json): each cue is one concept with English, Ukrainian
# and Russian stems side by side. Stems are cut so that inflection stays inside the ``*`` but
# unrelated words stay out (``росі*``/``росс*`` rather than ``рос*``, which would also match
# "growth" and "dew").
_LEXICON: tuple[Cue, ...] = _lexicon_cues()

# Heavier cues first (core before theatre on ties), so they claim shared words.
_BY_WEIGHT = tuple(sorted(_LEXICON, key=lambda cue: (-cue.weight, cue.kind is not CueKind.CORE)))
