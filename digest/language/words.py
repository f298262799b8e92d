"""What one word is in English, Ukrainian and Russian news text: the tokeniser every stage
shares (key-point terms, speech verbs, quote lengths, clustering terms, follow topics).

A word is a run of letters and digits with its inner apostrophes ("don't", "п'ять",
"Куп’янськ"). A hyphen splits words ("Shahed-type" is two) except in :data:`NAME_WORD`,
the word as a name writes it ("Нью-Йорк", "потік-2").

>>> words("П’ятеро поранених, 1,000 for 2.5; Shahed-type don't")
['П’ятеро', 'поранених', '1', '000', 'for', '2', '5', 'Shahed', 'type', "don't"]
>>> words("1,000 for 2.5", whole_numbers=True)
['1,000', 'for', '2.5']
>>> NAME_WORD.findall("«Північний потік-2» у Нью-Йорку")
['Північний', 'потік-2', 'у', 'Нью-Йорку']
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_NUMBER_OR_WORD = re.compile(r"\d+(?:[.,]\d+)*|" + WORD.pattern)
# Starts with a letter; apostrophes and hyphens inside.
NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


def words(text: str, *, whole_numbers: bool = False) -> list[str]:
    """The words of ``text`` in order (see the module docstring).

    ``whole_numbers`` keeps a number's digit groups one word ("1,000", "2.5") for callers
    that match numbers (clustering terms). Key-point terms split them: read whole, key
    points lost 0.04 ROUGE-1 on ``python -m bench summaries``.
    """
    return (_NUMBER_OR_WORD if whole_numbers else WORD).findall(text)
