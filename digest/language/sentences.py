"""Rule-based sentence splitting for English, Ukrainian and Russian news text.

NLTK's Punkt models need a data download that fails offline, so the splitter is a small set
of explicit rules. A full stop, ``!``, ``?`` or an ellipsis ends a sentence when the next
word starts like a sentence (capital letter, digit, opening quote or dash), unless the word
before the stop is an initial or a known abbreviation:

>>> split_sentences('J. R. R. Tolkien wrote it. He said: "We are ready." Then he left.')
['J. R. R. Tolkien wrote it.', 'He said: "We are ready."', 'Then he left.']
>>> split_sentences("В. Зеленський прибув у м. Київ о 9.30. Зустріч триває.")
['В. Зеленський прибув у м. Київ о 9.30.', 'Зустріч триває.']

Paragraphs (blank-line separated) always end a sentence; a single line break ends one
unless the next line starts in lower case (a soft wrap). Text with no capital letters at
all (lower-cased corpora) is split at every stop that is not after an abbreviation, since
case carries no signal there. Sentences come back whitespace-normalised, so each one is a
substring of ``" ".join(text.split())``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a sentence never ends: titles before names, "for example",
# street and place markers. Lower case, without the final dot.
_NEVER_FINAL = frozenset(
    """
    mr mrs ms dr prof gen col lt sgt capt cpt gov sen rep rev st sr jr messrs mme mlle
    e.g i.e cf vs approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec
    ім ім'я вул просп пл бул пров м с смт обл р-н ген проф акад д-р докт св о т.е т.зв т.ч
    т.к им ул пер г пос корр тов напр див див.також пор см тыс т.н
    """.split()
)
# Abbreviations that often end a sentence too ("in the U.S. The…"): a sentence ends after
# them only when the next word is a typical sentence opener, not a name ("U.S. Army").
_MAYBE_FINAL = frozenset("inc ltd co corp jr al u.s u.k u.n e.u p.m a.m".split())
# Units after a number ("у 2024 р.", "100 грн.", "XIX ст.") and list endings ("etc.", "т.д."):
# mid-sentence a lower-case word follows them, so a capital after them starts a sentence.
_UNITS = frozenset("р рр г гг в вв грн млн млрд тис коп руб долл ст".split())
_LIST_ENDINGS = frozenset("etc т.д т.п і.т.д и.т.д др".split())
_NUMBER = re.compile(r"(?:\d[\d.,]*|[IVXLC]+)$")
# Abbreviations that take a number: "No. 5", "ст. 15", "п. 3".
_BEFORE_NUMBER = frozenset("no nos art p pp vol ch sec ст ч п стор стр гл рис табл".split())

# Words that commonly open a sentence; after a _MAYBE_FINAL abbreviation they signal a new
# sentence ("…in the U.S. The talks…"), while a name or noun ("U.S. Army") does not.
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

_OPENING_PUNCT = "\"'«„“‘‚([—–-"
_CLOSING_PUNCT = "\"'»”’)]"
# A run of terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"(?:[.!?…]+)[\"'»”’)\]]*(?=\s+\S)")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_LOOKAHEAD = 80


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence and where it was found.

    ``index`` counts sentences from the start of the text; ``paragraph`` counts paragraphs.
    """

    text: str
    index: int
    paragraph: int


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into whitespace-normalised sentences, in reading order.

    >>> split_sentences("Prices rose 2.5% in May... Analysts expected less! Why?")
    ['Prices rose 2.5% in May...', 'Analysts expected less!', 'Why?']
    >>> split_sentences("")
    []
    """
    return [sentence.text for sentence in iter_sentences(text)]


def iter_sentences(text: str) -> list[Sentence]:
    """Like :func:`split_sentences`, but keep each sentence's index and paragraph number.

    >>> [(s.index, s.paragraph) for s in iter_sentences("One here.\\n\\nTwo. Three.")]
    [(0, 0), (1, 1), (2, 1)]
    """
    caseless = not any(char.isupper() for char in text)
    sentences: list[Sentence] = []
    for paragraph_number, paragraph in enumerate(_paragraphs(text)):
        for line in _lines(paragraph):
            for piece in _split_line(line, caseless=caseless):
                sentences.append(Sentence(piece, len(sentences), paragraph_number))
    return sentences


def _paragraphs(text: str) -> list[str]:
    return [part for part in _PARAGRAPH_BREAK.split(text) if part.strip()]


def _lines(paragraph: str) -> list[str]:
    """Join soft-wrapped lines; a line break before a lower-case word is not a boundary."""
    groups: list[list[str]] = []
    for raw in paragraph.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if groups and line[0].islower():
            groups[-1].append(line)
        else:
            groups.append([line])
    return [" ".join(group) for group in groups]


def _split_line(line: str, *, caseless: bool) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(line):
        end = match.end()
        # The words either side of the stop decide; short windows keep long lines linear.
        following = line[end : end + _LOOKAHEAD].lstrip()
        preceding = line[max(start, end - _LOOKAHEAD) : end]
        if _is_boundary(preceding, following, caseless=caseless):
            pieces.append(line[start:end].strip())
            start = end
    tail = line[start:].strip()
    if tail:
        pieces.append(tail)
    return [piece for piece in pieces if piece]


def _is_boundary(before: str, after: str, *, caseless: bool) -> bool:
    """Decide whether the stop that ends ``before`` ends a sentence, given what follows."""
    next_word = after.lstrip(_OPENING_PUNCT).split(" ", 1)[0]
    if not next_word or not _starts_like_sentence(after, next_word, caseless=caseless):
        return False
    core = before.rstrip(_CLOSING_PUNCT)
    if not core.endswith(".") or core.endswith(".."):
        return True  # "!", "?", "…" and "..." carry no abbreviation ambiguity
    words = core[:-1].split()
    if not words:
        return True
    previous = words[-2] if len(words) > 1 else ""
    return not _is_abbreviation(words[-1].lstrip(_OPENING_PUNCT), previous, next_word)


def _starts_like_sentence(after: str, next_word: str, *, caseless: bool) -> bool:
    first = next_word[0]
    if first.isupper() or first.isdigit() or after[0] in "—–-\"«„“":
        return True
    return caseless and first.isalpha()


def _is_abbreviation(word: str, previous: str, next_word: str) -> bool:
    """Is ``word`` (the token before a full stop) an initial or abbreviation here?

    >>> _is_abbreviation("р", "2024", "Це"), _is_abbreviation("Dr", "", "Jones")
    (False, True)
    >>> _is_abbreviation("ст", "1", "259"), _is_abbreviation("ст", "XIX", "Тогда")
    (True, False)
    """
    key = word.lower()
    if key in _BEFORE_NUMBER and next_word[:1].isdigit():
        return True  # "ч. 1 ст. 259": a number follows, so "ст." is an article, not a century
    if key in _LIST_ENDINGS or (key in _UNITS and _NUMBER.match(previous)):
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial ("J. R. R. Tolkien", "В. Зеленський") or "м.", "с."
    if key in _NEVER_FINAL or (key in _BEFORE_NUMBER and next_word[0].isdigit()):
        return True
    if key in _MAYBE_FINAL or re.fullmatch(r"(?:\w\.)+\w", key):
        return next_word.lower().strip(_CLOSING_PUNCT + ",;:") not in _OPENERS
    return False
