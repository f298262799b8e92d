"""Cheap, offline language guesses for the three languages the digest cares about.

The pipeline only needs to tell English, Ukrainian and Russian apart (to pick stemmers,
sentence rules and quote patterns); a character-class vote does that reliably on a headline
or a paragraph, with no model to load.

>>> guess_language("Russian forces struck Kharkiv overnight")
'en'
>>> guess_language("Російські війська вдарили по Харкову")
'uk'
>>> guess_language("Российские войска нанесли удар по Харькову")
'ru'
"""

from __future__ import annotations

import re

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")
# Letters that exist in only one of the two alphabets.
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")


def normalize_language(code: str | None) -> str | None:
    """Reduce a tag such as ``en-GB`` or ``uk_UA`` to its primary subtag, lower case.

    >>> normalize_language("uk-UA")
    'uk'
    >>> normalize_language("")
    """
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()
    return primary or None


def guess_language(text: str) -> str | None:
    """Guess ``en``, ``uk`` or ``ru`` from the letters used; ``None`` when there are none."""
    sample = text[:5000]
    cyrillic = len(_CYRILLIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic == 0 and latin == 0:
        return None
    if latin > cyrillic:
        return "en"
    uk = len(_UKRAINIAN_ONLY.findall(sample))
    ru = len(_RUSSIAN_ONLY.findall(sample))
    return "uk" if uk > ru else "ru"
