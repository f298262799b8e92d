"""Language-blind matching keys for English, Ukrainian and Russian news text.

Story clustering has to see that «Харкові», «Харькова» and "Kharkiv" are one place and that
«поранені», «ранены» and "injured" say one thing, without a model. Every word becomes one
:class:`Term`:

* a **gazetteer** id (``@kharkiv``, ``@injured``) when the word starts with one of a few
  hundred en/uk/ru stems of war places, people, organisations and event words, read from
  the shared lexicon (:mod:`digest.language.lexicon`);
* a **number** (``#12``), from digits or from a small-number word («п'ятеро» → ``#5``);
* otherwise a **key**: the word transliterated to Latin, folded so that the usual English,
  Ukrainian and Russian spellings of a name coincide (``kh``/``х``/``h`` → ``g``,
  ``y``/``и``/``і``/``ы`` → ``i``, doubled letters once), cut to a prefix that absorbs
  case endings ("Терехов", "Терехова" and "Terekhov" all give ``teregov``[:6]).

>>> [term.text for term in terms("Атака дронів на Харків: п'ятеро поранених")]
['@attack', '@drone', '@kharkiv', '#5', '@injured']
>>> [term.text for term in terms("Drones hit Kharkiv overnight, five hurt, Terekhov says")]
['@drone', '@attack', '@kharkiv', '@overnight', '#5', '@injured', 'tereg']
>>> phonetic_key("Синєгубов") == phonetic_key("Syniehubov") == phonetic_key("Синегубов")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from digest.language import lexicon
from digest.language.words import words


class Kind(Enum):
    """What a term stands for; clustering weighs the kinds differently."""

    PLACE = "place"  # cities and regions (where it happened)
    ENTITY = "entity"  # countries, people, organisations (who)
    CONCEPT = "concept"  # event words (strike, drone, exchange) shared across languages
    NUMBER = "number"
    NAME = "name"  # a capitalised word inside a sentence that the gazetteer does not know
    WORD = "word"  # anything else; matches only within one language


@dataclass(frozen=True, slots=True)
class Term:
    """One matching key and its kind.

    >>> Term("@kyiv", Kind.PLACE).universal, Term("atak", Kind.WORD).universal
    (True, False)
    """

    text: str
    kind: Kind

    @property
    def universal(self) -> bool:
        """True when the key means the same in every language (so cross-language evidence)."""
        return self.kind is not Kind.WORD


_NUMBER_WORDS = """
1: one$ один$ одна$ одного$ одну$
2: two$ два$ дві$ две$ двоє$ двое$ двох$ двух$
3: three$ три$ троє$ трое$ трьох$ трех$ трёх$
4: four$ чотири$ четыре$ четверо$ чотирьох$ четырех$
5: five$ пять$ п'ять$ пятеро$ п'ятеро$ п'ятьох$ пятерых$
6: six$ шість$ шесть$ шестеро$ шести$
7: seven$ сім$ семь$ семеро$
8: eight$ вісім$ восемь$ восьмеро$ восьми$
9: nine$ дев'ять$ девять$ дев'ятеро$ девятеро$ девяти$
10: ten$ десять$ десятеро$
"""

_STOPWORDS = frozenset(
    """
    the and for with from that this was were are has have had its his her their they
    said says say after over into about amid more than not but who which what when where
    will would could been also new said according two-day per
    про від для при під над після через щодо який яка які якого що як але або та також вже
    щоб його її їх цей ця це ці там тут було були буде може понад ще лише
    для при под над после через который которая которые что как или также уже его ее их
    этот эта это эти там тут было были будет может более еще лишь сообщил сообщила
    повідомив повідомила повідомили заявив заявила сообщили заявил заявила
    """.split()
)

# Multi-letter spellings first, so that "shch" is not read as "s" + "h" + ...
_LATIN_FOLDS = (
    ("shch", "S"), ("sch", "S"), ("tsch", "C"), ("sh", "S"), ("ch", "C"), ("zh", "Z"),
    ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ck", "k"), ("x", "ks"), ("w", "v"), ("q", "k"),
    ("ce", "se"), ("ci", "si"), ("cy", "si"), ("c", "k"), ("h", "g"), ("y", "i"), ("j", "i"),
    ("iu", "u"), ("ia", "a"), ("ie", "e"), ("ii", "i"),
)
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "ie", "э": "e",
    "ё": "io", "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "ы": "i", "й": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "",
    "ю": "iu", "я": "ia", "'": "",
})
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ʹ": "'"})
_NUMBER = re.compile(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_DOUBLED = re.compile(r"(.)\1+")
KEY_LENGTH = 5  # long enough to tell words apart, short enough to drop case endings


def _parse_table(table: str, kind: Kind) -> dict[str, tuple[str, Kind]]:
    """``"id: stem stem"`` lines → {stem: (term text, kind)}; ids get ``@`` (numbers ``#``)."""
    sigil = "#" if kind is Kind.NUMBER else "@"
    entries: dict[str, tuple[str, Kind]] = {}
    for line in table.strip().splitlines():
        name, stems = line.split(":", 1)
        for stem in stems.split():
            entries[stem] = (sigil + name.strip(), kind)
    return entries


_CLUSTER_KINDS = {"place": Kind.PLACE, "entity": Kind.ENTITY, "concept": Kind.CONCEPT}


def _lexicon_stems() -> dict[str, tuple[str, Kind]]:
    """{stem: (``@id``, kind)} from the shared lexicon's entries that clustering uses.

    Gazetteer stems are matched word by word, so a form ``харків*`` becomes the prefix stem
    ``харків`` and a whole-word form ``суми`` becomes ``суми$``; forms of several words
    (which only the relevance cues can match) are left out.
    """
    stems: dict[str, tuple[str, Kind]] = {}
    for item in lexicon.entries():
        kind = _CLUSTER_KINDS.get(item.cluster or "")
        if kind is None:
            continue
        for form in item.all_forms():
            if " " not in form:
                stem = form[:-1] if form.endswith("*") else form + "$"
                stems[stem] = ("@" + item.id, kind)
    return stems


_GAZETTEER = _lexicon_stems() | _parse_table(_NUMBER_WORDS, Kind.NUMBER)


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """Fold a word (any of the three alphabets) to a spelling-blind Latin key.

    >>> phonetic_key("Харьков"), phonetic_key("Запоріжжя"), phonetic_key("Zaporizhzhia")
    ('garkov', 'zaporiZa', 'zaporiZa')
    """
    latin = word.lower().translate(_CYRILLIC_TO_LATIN)
    for spelling, folded in _LATIN_FOLDS:
        latin = latin.replace(spelling, folded)
    return _DOUBLED.sub(r"\1", latin)


@lru_cache(maxsize=65536)
def gazetteer_term(word: str) -> Term | None:
    """The gazetteer term of a lower-case word: exact stems first, then the longest prefix.

    >>> gazetteer_term("харкові"), gazetteer_term("погода")
    (Term(text='@kharkiv', kind=<Kind.PLACE: 'place'>), None)
    """
    exact = _GAZETTEER.get(word + "$")
    if exact:
        return Term(*exact)
    for end in range(len(word), 2, -1):
        hit = _GAZETTEER.get(word[:end])
        if hit:
            return Term(*hit)
    return None


def number_term(word: str) -> Term | None:
    """``#n`` for a number written with digits (thousand separators dropped), else None.

    >>> [number_term(word) for word in ("1,000", "15.5", "17th")]
    [Term(text='#1000', ...), Term(text='#15.5', ...), None]
    """
    if not _NUMBER.fullmatch(word):
        return None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", word):
        return Term("#" + re.sub(r"[.,]", "", word), Kind.NUMBER)
    return Term("#" + word.replace(",", "."), Kind.NUMBER)


@lru_cache(maxsize=131072)  # news vocabulary repeats heavily: most words are cache hits
def word_term(word: str, *, capitalised: bool) -> Term | None:
    """The term of one word, or None for stop words and words too short to mean much."""
    lower = word.lower()
    found = number_term(word) or gazetteer_term(lower)
    if found:
        return found
    if len(lower) < 3 or lower in _STOPWORDS or lower.isdigit():
        return None
    digits = re.match(r"\d+", lower)  # "17th", "17-й" → the number
    if digits:
        return Term("#" + digits.group(), Kind.NUMBER)
    key = phonetic_key(lower)[:KEY_LENGTH]
    return Term(key, Kind.NAME if capitalised else Kind.WORD)


def terms(text: str) -> list[Term]:
    """The terms of ``text`` in order (repeats kept); see the module docstring.

    A capitalised word counts as a name unless it opens a sentence, or the text is in
    headline Title Case (where capitals say nothing).
    """
    tokens = words(text.translate(_APOSTROPHES), whole_numbers=True)  # П’ятеро = П'ятеро
    title_case = _is_title_case(tokens)
    found: list[Term] = []
    for position, token in enumerate(tokens):
        capitalised = (
            token[:1].isupper()
            and not title_case
            and position > 0
            and not _opens_sentence(text, token)
        )
        term = word_term(token, capitalised=capitalised)
        if term:
            found.append(term)
    return found


def _is_title_case(tokens: list[str]) -> bool:
    alphabetic = [t for t in tokens if t[:1].isalpha() and len(t) > 3]
    return len(alphabetic) >= 3 and sum(t[:1].isupper() for t in alphabetic) > 0.6 * len(alphabetic)


def _opens_sentence(text: str, token: str) -> bool:
    # Cheap: the first occurrence of the token follows ". " or starts the text.
    index = text.find(token)
    return index <= 0 or text[:index].rstrip().endswith((".", "!", "?", ":", "—", "–", "«", '"'))
