"""The one table of English, Ukrainian and Russian abbreviations: after which full stop a
sentence does not end.

Whether "Gen." or "U.S." ends a sentence depends on the words around it, so the table is
read through :func:`is_abbreviation`, which takes the word before the stop and the word
after it. The sentence splitter (:mod:`digest.language.sentences`) and the quote readers'
tokenisers (a full stop that belongs to its word is not a token of its own) all ask here.

>>> is_abbreviation("Gen", next_word="Hale"), is_abbreviation("U.S", next_word="The")
(True, False)
"""

from __future__ import annotations

import re

# Abbreviations after which a sentence never ends: titles before names, "for example",
# months, street and place markers. Lower case, without the final dot.
_NEVER_FINAL = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt cpt maj adm gov sen rep rev st sr jr messrs mme
    mlle e.g i.e cf vs v approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec
    ім ім'я вул просп пл бул пров м с смт обл р-н ген проф акад д-р докт св о т.е т.зв т.ч
    т.к им ул пер г пос корр тов напр див див.також пор см т.н
    """.split()
)
# Abbreviations that often end a sentence too ("in the U.S. The…"): a sentence ends after
# them only when the next word is a typical sentence opener, not a name ("U.S. Army").
_MAYBE_FINAL = frozenset("inc ltd co corp jr al u.s u.k u.n e.u d.c md p.m a.m".split())
# Units after a number ("у 2024 р.", "100 грн.", "XIX ст.") and list endings ("etc.", "т.д."):
# mid-sentence a lower-case word follows them, so a capital after them starts a sentence.
_UNITS = frozenset("р рр г гг в вв грн млн млрд тис тыс коп руб долл ст".split())
_LIST_ENDINGS = frozenset("etc т.д т.п і.т.д и.т.д др".split())
_NUMBER = re.compile(r"(?:\d[\d.,]*|[IVXLC]+)$")
# Abbreviations that take a number: "No. 5", "ст. 15", "п. 3".
_BEFORE_NUMBER = frozenset("no nos art p pp vol ch sec c ст ч п д т стор стр гл рис табл".split())
_DOTTED = re.compile(r"(?:\w\.)+\w")  # "u.s", "d.c", "т.е": letters joined by full stops

# Words that commonly open a sentence; after a _MAYBE_FINAL abbreviation they signal a new
# sentence ("…in the U.S. The talks…"), while a name or noun ("U.S. Army") does not.
# Marks that may stand before a word and after a full stop: the word is read without them.
OPENING_MARKS = "\"'«„“‘‚([—–-"
CLOSING_MARKS = "\"'»”’)]"
_OPENERS = frozenset(
    """
    the a an it he she they we i this that these those there but and so yet however meanwhile
    in on at after before when while if as his her their its our earlier later also
    це цей ця ці він вона вони ми я та але і й а у в на за після до коли якщо як його її їх
    також тоді потім раніше згодом водночас проте однак
    это этот эта эти он она они мы я но и а в во на за после до когда если как его ее их
    также тогда потом ранее позже при этом однако
    """.split()
)


def is_abbreviation(word: str, previous: str = "", next_word: str = "") -> bool:
    """Is ``word`` (the token before a full stop, without it) an initial or abbreviation?

    ``previous`` is the word before it and ``next_word`` the word after the stop; either may
    be empty when unknown (the stop ends the text, or a tokeniser reads no further).

    >>> is_abbreviation("р", "2024", "Це"), is_abbreviation("Dr", "", "Jones")
    (False, True)
    >>> is_abbreviation("ст", "1", "259"), is_abbreviation("ст", "XIX", "Тогда")
    (True, False)
    """
    key = word.lower()
    if key in _BEFORE_NUMBER and next_word[:1].isdigit():
        return True  # "ч. 1 ст. 259": a number follows, so "ст." is an article, not a century
    if key in _LIST_ENDINGS or (key in _UNITS and _NUMBER.match(previous)):
        return False
    if len(word) == 1 and word.isalpha() and (word.isupper() or not next_word[:1].isupper()):
        # An initial ("J. R. R. Tolkien", "В. Зеленський", "george w. bush" in lower-cased
        # copy); a lower-case letter before a capital is a word ("…, как и я. Он …").
        return True
    if key in _NEVER_FINAL:
        return True
    if key in _MAYBE_FINAL or _DOTTED.fullmatch(key):
        return next_word.lower().strip(CLOSING_MARKS + ",;:") not in _OPENERS
    return False


_WINDOW = 80  # characters either side of the stop: enough for two words, linear on long lines


def abbreviation_before(text: str, stop: int, start: int = 0) -> bool:
    """Does the full stop at ``text[stop]`` belong to an abbreviation, given the words around
    it? ``start`` bounds how far back the word before may be read (a sentence's start).

    >>> text = "Rep. Smith met Gen. Hale in the U.S. The talks went on."
    >>> [abbreviation_before(text, at) for at, char in enumerate(text) if char == "."]
    [True, True, True, False, False]
    """
    before = text[max(start, stop - _WINDOW) : stop].split()
    if not before:
        return False
    after = text[stop + 1 : stop + 1 + _WINDOW].lstrip(CLOSING_MARKS).lstrip()
    following = after.lstrip(OPENING_MARKS).split(None, 1)
    return is_abbreviation(
        before[-1].lstrip(OPENING_MARKS),
        before[-2] if len(before) > 1 else "",
        following[0] if following else "",
    )
