"""Ukrainian and Russian word forms through pymorphy3: one analyzer per language for the
whole process (each holds its dictionaries in memory, about 15 MB), shared by key points,
quote speakers and follows.

>>> can_be_locative("Києві"), can_be_locative("Киева")
(True, False)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pymorphy3

_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_UKRAINIAN_LETTERS = re.compile(r"[іїєґ]", re.IGNORECASE)


@cache
def analyzer(language: str) -> pymorphy3.MorphAnalyzer:
    """The process's analyzer for ``language`` (``uk`` or ``ru``), loaded on first use."""
    return pymorphy3.MorphAnalyzer(lang=language)


@lru_cache(maxsize=65_536)  # news reuses its words: most lookups are cache hits
def parses(word: str, language: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """Every reading of ``word``, likeliest first."""
    return tuple(analyzer(language).parse(word))


def guess_language(word: str) -> str:
    """``uk`` when the word has a letter only Ukrainian writes, else ``ru``."""
    return "uk" if _UKRAINIAN_LETTERS.search(word) else "ru"


def can_be_locative(word: str) -> bool:
    """Any reading of the word is a noun in the locative («Києві», «Киеве»), unlike the
    genitive after a Russian «у» («у Киева нет…»: Kyiv has)."""
    return bool(_CYRILLIC.search(word)) and any(
        p.tag.POS == "NOUN" and p.tag.case in {"loct", "loc2"}
        for p in parses(word.lower(), guess_language(word))
    )
