"""Light normalisation and stem-prefix patterns for English, Ukrainian and Russian.

Snowball has no Ukrainian stemmer, and full stemming is more than a keyword lexicon needs.
Instead a lexicon entry is written as a *stem pattern*: words separated by spaces, where a
trailing ``*`` lets the word continue with any letters. ``обстріл*`` covers обстріл,
обстрілу, обстріли and обстрілом. Where the stem itself changes (Ukrainian і/о alternation:
Харків but Харкова, Харкові) the lexicon lists both stems, ``харків*`` and ``харков*``.

Text and patterns go through the same :func:`normalize`, so case, ``ё``/``е``, apostrophes
(``Куп'янськ``/``Купʼянськ``) and hyphens (``F-16``, ``Russia-Ukraine``) never matter.

>>> pattern = compile_patterns(["харків*", "харков*", "kharkiv*", "air defen*"])
>>> text = normalize("Харківщина, Харкові; Kharkiv's air defence")
>>> [match.group(0) for match in pattern.finditer(text)]
['харківщина', 'харкові', 'kharkivs', 'air defence']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_APOSTROPHES = re.compile(r"(?<=\w)['’ʼ`´](?=\w)")
_SEPARATORS = re.compile(r"[-‐‑‒–—/]+")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, fold ``ё`` to ``е``, drop in-word apostrophes, turn hyphens into spaces.

    >>> normalize("Куп’янськ — F-16 і ЗАЕС, Ёлка")
    'купянськ f 16 і заес, елка'
    """
    text = text.casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", text)
    text = _SEPARATORS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def compile_patterns(patterns: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any of ``patterns`` as whole words in normalised text.

    A word ending in ``*`` matches any continuation; words are separated by any whitespace.

    >>> bool(compile_patterns(["prisoner* of war"]).search("prisoners of war"))
    True
    >>> bool(compile_patterns(["war"]).search("warsaw"))
    False
    """
    alternatives = sorted({_pattern_regex(pattern) for pattern in patterns}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")


def _pattern_regex(pattern: str) -> str:
    words = normalize(pattern).split(" ")
    return r"\s+".join(
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) for word in words
    )
