"""Rule-based sentence splitting for English, Ukrainian and Russian news text.

NLTK's Punkt models need a data download that fails offline, so the splitter is a small set
of explicit rules. A full stop, ``!``, ``?`` or an ellipsis ends a sentence when the next
word starts like a sentence (capital letter, digit, opening quote or dash, a pictograph or
an @handle as posts have them), unless the word before the stop is an initial or a known
abbreviation:

>>> split_sentences('J. R. R. Tolkien wrote it. He said: "We are ready." Then he left.')
['J. R. R. Tolkien wrote it.', 'He said: "We are ready."', 'Then he left.']
>>> split_sentences("В. Зеленський прибув у м. Київ о 9.30. Зустріч триває.")
['В. Зеленський прибув у м. Київ о 9.30.', 'Зустріч триває.']

Paragraphs (blank-line separated) always end a sentence; a single line break ends one
unless the next line starts in lower case (a soft wrap). Text with no capital letters at
all (lower-cased corpora) is split at every stop that is not after an abbreviation, since
case carries no signal there. Sentences come back whitespace-normalised, so each one is a
substring of ``" ".join(text.split())``.

The abbreviations are the one table of :mod:`digest.language.abbreviations`. Readers that
work on offsets (the quote finder's clauses around a quotation) take the same ends from
:func:`sentence_ends`, :func:`first_sentence`, :func:`last_sentence` and :func:`end_within`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from digest.language.abbreviations import CLOSING_MARKS, OPENING_MARKS, abbreviation_before

# A run of terminal punctuation, optional closing quotes/brackets, then whitespace; or a
# stop glued to the next sentence, as scraped Cyrillic copy often has it ("…Гарвал.Гарвал,
# назначенный"): between a lower-case word and a capitalised one it ends a sentence too.
_BOUNDARY = re.compile(
    r"[.!?…]+[\"'»”’)\]]*(?=\s+\S)"
    r"|(?<=[а-яёіїєґ]{2})[.!?…](?=[«\"„“]?[А-ЯЁІЇЄҐ][а-яёіїєґ])"
)
_TEXT_END = re.compile(r"[.!?…]+[\"'»”’)\]]*$")
# Whitespace holding a line break: two or more breaks make a paragraph break.
_LINE_BREAK = re.compile(r"[^\S\n]*\n\s*")
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
    sentences: list[Sentence] = []
    start, paragraph = 0, 0
    for end, closes_paragraph in [*_boundaries(text), (len(text), True)]:
        piece = " ".join(text[start:end].split())
        if piece:
            sentences.append(Sentence(piece, len(sentences), paragraph))
        if closes_paragraph and sentences and sentences[-1].paragraph == paragraph:
            paragraph += 1  # only a paragraph that held a sentence is counted
        start = end
    return sentences


def sentence_ends(text: str) -> list[int]:
    """Offsets just past each sentence end in ``text`` (after its stop and closing marks).

    A stop that ends the text counts when it is not an abbreviation's, so a clause cut off
    before a quotation tells whether the quotation opens a sentence.

    >>> sentence_ends("Dr. Hale left. He said:\\nWe stay. In the U.S.")
    [14, 23, 32]
    """
    return [end for end, _ in _boundaries(text)]


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (all of it when none ends).

    >>> first_sentence(", Gen. Hale said. Then he left")
    ', Gen. Hale said.'
    """
    ends = sentence_ends(text)
    return text[: ends[0]] if ends else text


def last_sentence(text: str) -> str:
    """What follows the last sentence end of ``text``: ``""`` when the text ends one.

    >>> last_sentence("He left. Then Gen. Hale said:"), last_sentence("He left. ")
    ('Then Gen. Hale said:', '')
    """
    ends = sentence_ends(text)
    return text[ends[-1] :].lstrip() if ends else text


def end_within(text: str, limit: int) -> int:
    """Where the longest run of whole leading sentences of ``text`` that fits in ``limit``
    characters ends: 0 when the first sentence is already longer.

    >>> text = "Gen. Hale arrived. Talks began at noon and went on."
    >>> text[: end_within(text, 30)], end_within(text, 10)
    ('Gen. Hale arrived.', 0)
    """
    # The next word decides a stop near the limit; nothing further away does.
    ends = [end for end in sentence_ends(text[: limit + _LOOKAHEAD]) if end <= limit]
    return ends[-1] if ends else 0


def _boundaries(text: str) -> list[tuple[int, bool]]:
    """Every sentence end as ``(offset, closes a paragraph)``, in order.

    Paragraphs (blank-line separated) always end a sentence; a single line break ends one
    unless the next line starts in lower case (a soft wrap).
    """
    # islower() first: a C-speed answer for lower-cased corpora, which have no early capital.
    caseless = text.islower() or not any(char.isupper() for char in text)
    found: list[tuple[int, bool]] = []
    start = 0
    for match in _LINE_BREAK.finditer(text):
        paragraph = match.group().count("\n") > 1
        if not paragraph and text[match.end() : match.end() + 1].islower():
            continue  # a soft wrap: the sentence goes on
        found += [(end, False) for end in _line_ends(text, start, match.start(), caseless)]
        if text[start : match.start()].strip():
            found.append((match.start(), paragraph))
        start = match.end()
    found += [(end, False) for end in _line_ends(text, start, len(text), caseless)]
    end = len(text.rstrip())
    tail = _TEXT_END.search(text, max(start, end - _LOOKAHEAD), end)
    if tail and _stop_ends(text, tail.start(), tail.group()):
        found.append((end, False))
    return found


def _line_ends(text: str, start: int, stop: int, caseless: bool) -> list[int]:
    """Sentence ends inside ``text[start:stop]``, a line with its soft wraps."""
    ends: list[int] = []
    for match in _BOUNDARY.finditer(text, start, stop):
        # The words either side of the stop decide; short windows keep long lines linear.
        following = text[match.end() : min(stop, match.end() + _LOOKAHEAD)].lstrip()
        if _is_boundary(text, match, following, start, caseless=caseless):
            ends.append(match.end())
            start = match.end()
    return ends


def _is_boundary(text: str, match: re.Match[str], after: str, start: int, *, caseless: bool) -> bool:
    """Decide whether the stop ``match`` ends a sentence, given what follows."""
    # Only a word right after the opening marks counts: "— " or "'' " followed by a space
    # (a list dash, a closing quote in tokenised copy) does not open a sentence.
    rest = after.lstrip(OPENING_MARKS)
    if not rest or rest[0].isspace() or not _starts_like_sentence(after, rest[0], caseless=caseless):
        return False
    return _stop_ends(text, match.start(), match.group(), start)


def _stop_ends(text: str, at: int, stops: str, start: int = 0) -> bool:
    """The run of ``stops`` at ``at`` ends a sentence unless its full stop is an
    abbreviation's ("!", "?", "…" and "..." carry no such ambiguity)."""
    stops = stops.rstrip(CLOSING_MARKS)
    if not stops.endswith(".") or stops.endswith(".."):
        return True
    return not abbreviation_before(text, at + len(stops) - 1, start)


def _starts_like_sentence(after: str, first: str, *, caseless: bool) -> bool:
    if first.isupper() or first.isdigit() or after[0] in "—–-\"«„“@":
        return True
    if unicodedata.category(first) == "So":
        return True  # a pictograph opens a post's next sentence ("… налогов. 👉В Тбилиси")
    return caseless and first.isalpha()
