"""Titles and other words that stand next to a name without being part of it.

>>> strip_titles(["Russian", "Foreign", "Minister", "Sergei", "Lavrov"])
'Sergei Lavrov'
>>> is_title("президенту"), is_title("Kremlin")
(True, False)
"""

from __future__ import annotations

import re

from digest.quotes.morph import is_no_name, is_person_noun

# Words that may start a capitalised run but are not part of a name: titles, nationality
# adjectives, sentence openers. Compared in lower case.
NOT_NAME = frozenset(
    """the a an but and however meanwhile also then now in on at this that it its his her
    president prime minister foreign defense defence secretary general chancellor spokesman
    spokeswoman spokesperson senator sen. rep. dr. mr. mrs. ms. gov. governor mayor chief
    head commander lt. col. gen. adm. king queen pope prince former deputy acting
    russian ukrainian american british german french chinese polish us u.s. uk dictator
    але але й а і й однак тоді також проте но и однако тогда также при этом
    про це так у в во на із из об as asked when while if after so there here these those
    what why how we i you our my it's first lady
    президент прем'єр-міністр міністр глава речник голова посол депутат генсек спікер
    премьер-министр министр пресс-секретарь спикер диктатор господин пані пан
    прем'єр-міністерка речниця губернатор мэр мер генеральний генеральный секретар
    director editor-in-chief editor manager chairman chairwoman ceo rep sen gov""".split()
)
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овна|евна|ична|івна|ївна)$")
_SUFFIXES = frozenset("sr. jr. sr jr md. md".split())
_MAX_NAME_TOKENS = 4
# Nouns naming an office or a job; matched as prefixes so case forms count ("президенту").
_TITLE_STEMS = tuple(
    """president minister secretary chancellor spokes governor mayor ambassador official
    chief leader premier senator envoy commander
    президент министр міністр премьер прем'єр глава голов пресс-секретар представител
    губернатор мэр мер посол послу генсек канцлер председател представни командующ депутат советник
    радник директор руководител керівник лидер лідер речни очільни чиновни посадов
    источник джерел собеседник співрозмовни""".split()
)


# Short English titles that would match too much as prefixes ("head" → "headline").
_TITLE_WORDS = frozenset("head heads boss pm".split())


def is_title(word: str) -> bool:
    """An office or job noun in any case form: "president", "президенту", "речниця"."""
    lower = word.lower()
    if lower in _TITLE_WORDS or lower.startswith(_TITLE_STEMS):
        return True
    # Any other Ukrainian or Russian word for a person ("зампред", "соціолог",
    # "собеседник"), as pymorphy3 tags it: an animate common noun.
    # Honorifics ("господин", "пані") stand before a name without being an office.
    return word[:1].islower() and lower not in NOT_NAME and is_person_noun(word)


def strip_titles(words: list[str]) -> str:
    """Drop titles and sentence openers from a capitalised run; "" when only those remain.

    Everything up to the last title word goes ("AFP News Director Phil Chetwynd"), and
    so do suffixes such as "Sr.".

    >>> strip_titles(["The", "Kremlin"])
    'Kremlin'
    >>> strip_titles(["Rep.", "Steny", "H.", "Hoyer"])
    'Steny H. Hoyer'
    """
    cleaned = [_drop_possessive(word) for word in words if word.lower() not in _SUFFIXES]
    titles = [i for i, word in enumerate(cleaned) if _not_name(word)]
    if titles and titles[-1] < len(cleaned) - 1:
        cleaned = cleaned[titles[-1] + 1 :]
    elif titles:
        cleaned = [word for word in cleaned if not _not_name(word)]
    return " ".join(_drop_domain(cleaned)[-_MAX_NAME_TOKENS:])


def _not_name(word: str) -> bool:
    """A title or opener of the list, or a Ukrainian or Russian word pymorphy3 reads only as
    a conjunction, particle, adverb or the like, with no name reading ("Хоча", "Впрочем",
    "Зокрема"); a lone letter may be an initial, so it is left to the list."""
    return word.lower() in NOT_NAME or (len(word) > 1 and word.isalpha() and is_no_name(word))


def _drop_domain(words: list[str]) -> list[str]:
    """"Беларуси Александр Лукашенко" → "Александр Лукашенко": in Russian and Ukrainian the
    office's domain (a genitive) sits between the title and the name, and a person's name
    is two words, or three with a patronymic in the middle.

    >>> _drop_domain(["МИД", "Венгрии", "Петер", "Сийярто"])
    ['Петер', 'Сийярто']
    >>> _drop_domain(["Касым-Жомарт", "Кемелевич", "Токаев"])
    ['Касым-Жомарт', 'Кемелевич', 'Токаев']
    """
    if len(words) <= 2 or not _CYRILLIC.search(words[-1]):
        return words
    keep = 3 if _PATRONYMIC.search(words[-2].lower()) else 2
    return words[-keep:]


def _drop_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)
