"""Names in an article: their fullest form, grammatical gender, and who holds a named role.

:mod:`digest.quotes.speakers` reads a speaker out of one clause; this module settles it against
the whole text. Cyrillic names are grouped by the surname's first letters, so the case
forms of Russian and Ukrainian names meet ("Пескова", "Песковым", "Песков"):

>>> names = NameIndex.build("Президент Беларуси Александр Лукашенко выступил. "
...                         "Речь Александра Григорьевича была короткой.")
>>> names.canonical("Александр Григорьевич")
'Александр Лукашенко'
>>> names.canonical("президент Беларуси")
'Александр Лукашенко'
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass

from digest.language.words import NAME_WORD
from digest.quotes.morph import is_common_word, is_oblique_person, is_person_name
from digest.quotes.titles import is_title, strip_titles

# Up to five capitalised words; a full stop only after an initial ("Steny H. Hoyer"), so a
# run never crosses a sentence end ("January. She").
_CAPITALISED_RUN = re.compile(
    r"(?:(?:[A-ZА-ЯЁІЇЄҐ]\.|[A-ZА-ЯЁІЇЄҐ][\w'’\-]+)\s){0,4}[A-ZА-ЯЁІЇЄҐ][\w'’\-]+"
)
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
# Case endings stripped to find a Cyrillic surname's stem, longest first.
_CASE_ENDINGS = tuple(
    "ого ому ими ыми ій ий ый ой ей ом ем ым им ою ею ую ая яя их ых а я у ю е и ы і ї".split()
)
_PATRONYMIC = re.compile(r"(?:ович|евич|ьич|овн|евн|ичн|івн|ївн)\w{0,3}$")
_FEMALE_SURNAME = re.compile(r"(?:ова|ева|єва|ина|іна|ая|ська|цька|зька)$")
_MALE_FIRST_IN_A = frozenset("никита илья фома кузьма лука микола сава данила".split())
_MALE_SURNAME = re.compile(r"(?:ов|ев|єв|ин|ін|ий|ій|ой|ич)$")
_MAX_WORDS = 3


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Every capitalised name in a text, grouped by surname stem."""

    by_stem: dict[str, tuple[str, ...]]
    text: str

    @classmethod
    def build(cls, text: str) -> NameIndex:
        groups: dict[str, set[str]] = {}
        for match in _CAPITALISED_RUN.finditer(text):
            lead = text[max(0, match.start() - 12) : match.start()]  # room for one preposition
            for line in _lines_of_run(match.group(0)):
                name = strip_titles(_ungoverned(line.split(), lead))
                if name:
                    groups.setdefault(_key(name.split()[-1]), set()).add(name)
                lead = "\n"
        return cls({key: tuple(sorted(forms)) for key, forms in groups.items()}, text)

    def canonical(self, speaker: str) -> str:
        """The fullest nominative form of ``speaker``; a role becomes the person named in
        it ("the US President" → "Donald Trump") when the text says who that is."""
        if is_role(speaker):
            if tied_to_person(speaker):
                return speaker  # "представитель Ивана Сорокина": his spokesman, not he
            return self.holder_of(speaker) or speaker
        words = speaker.split()
        if len(words) == 2 and _PATRONYMIC.search(words[1].lower()):
            return self._by_first_name(words[0]) or speaker
        group = self.by_stem.get(_key(words[-1]), ())
        # The fullest form with this very surname ("Putin" → "Vladimir Putin") …
        exact = [f for f in group if f.split()[-1].lower() == words[-1].lower()]
        best = _best_form([speaker, *[f for f in exact if _same_first(f, words)]])
        # … then its nominative, when the text has it: "Анвара Ибрагима" → "Анвар Ибрагим".
        size = len(best.split())
        variants = [
            f for f in group
            if len(f.split()) == size and all(map(same_word, f.split(), best.split()))
        ]
        return _undo_dative(min([best, *variants], key=len))

    def _by_first_name(self, first: str) -> str | None:
        forms = [
            form
            for group in self.by_stem.values()
            for form in group
            if len(form.split()) == 2 and same_word(form.split()[0], first)
            and not _PATRONYMIC.search(form.split()[1].lower())
        ]
        return _best_form(forms) if forms else None

    def holder_of(self, role: str) -> str | None:
        """The person the text names right after the role's words ("президенту Франции
        Эммануэлю Макрону"), in the nominative form it also uses."""
        words = [w for w in role.split() if not is_article(w)]
        if not words:
            return None
        head = next((w for w in words if is_title(w)), words[0])
        others = [stem(w)[:5] for w in words if w is not head]
        pattern = re.compile(rf"(?<!\w){re.escape(stem(head))}\w*", re.IGNORECASE)
        for match in pattern.finditer(self.text):
            window = self.text[max(0, match.start() - 40) : match.end() + 60]
            if all(other in window.lower() for other in others):
                person = self._name_following(match.end())
                if person and not set(person.split()) <= set(role.split()):
                    return person  # not the body the role already names ("… Positive Technologies")
        return None

    def _name_following(self, offset: int) -> str | None:
        """A name of two or more words starting within the next three words ("Франции
        Эммануэлю Макрону" → "Эммануэль Макрон")."""
        # The name stays within the sentence and the paragraph ("Donald Trump.\nHe…").
        tail = re.split(r"[\n.,;:!?()]", self.text[offset : offset + 80], maxsplit=1)[0]
        words = NAME_WORD.findall(tail)[:6]
        start = next((i for i, w in enumerate(words[:3]) if w[:1].isupper()), None)
        if start is None:
            return None
        run = list(itertools.takewhile(lambda w: w[:1].isupper(), words[start:]))
        name = strip_titles(run)
        if _CYRILLIC.search(name) and not is_person_name(name):
            return None  # "председатель Совета Федерации": a body, not who holds the office
        return self.canonical(name) if len(name.split()) >= 2 else None


def _lines_of_run(run: str) -> list[str]:
    """A name runs across a line break only where a lone first name was wrapped ("Борис\n
    Руге"), not from one line to the next ("Олександра Юрченка\nЧому Венедіктова")."""
    lines = run.split("\n")
    joined = [lines[0]]
    for line in lines[1:]:
        if " " not in joined[-1].strip() and is_person_name(joined[-1].strip()):
            joined[-1] = f"{joined[-1].strip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


# Cyrillic prepositions that govern the capitalised word after them ("в Кремле Песков").
_GOVERNING = frozenset("в у во на из із з с со к до від от для про о об по під при".split())


def _ungoverned(words: list[str], before: str) -> list[str]:
    """A run without a leading word a preposition governs, or a common word: "[в]
    Кремле Песков" and "В Кремле Песков" are Песков, where he spoke aside."""
    previous = before.split()[-1:]
    if len(words) >= 2 and previous and previous[0].lower() in _GOVERNING and _CYRILLIC.search(words[0]):
        return words[1:]
    if len(words) >= 3 and words[0].lower() in _GOVERNING:
        return words[2:]
    if len(words) >= 2 and is_common_word(words[0]) and is_person_name(" ".join(words[1:])):
        return words[1:]  # "Чому Венедіктова …": a headline's word before the name
    return words


def _same_first(form: str, words: list[str]) -> bool:
    """A longer form may add a first name; a different first name is someone else."""
    other = form.split()
    return len(other) <= _MAX_WORDS and (
        len(words) < 2 or len(other) < 2 or same_word(other[0], words[0])
    )


def _best_form(forms: list[str]) -> str:
    """Most words (at most three), then the shortest: a nominative is rarely longer than
    the case forms of the same name."""
    fitting = [form for form in forms if len(form.split()) <= _MAX_WORDS] or forms
    return min(fitting, key=lambda f: (-len(f.split()), len(f)))


def _undo_dative(name: str) -> str:
    """"Эммануэлю Макрону" → "Эммануэль Макрон" when the text never gives the nominative;
    only a whole first-and-last name in -у/-ю counts, as single names may end so ("Шойгу")."""
    words = name.split()
    if len(words) < 2 or not all(_CYRILLIC.search(w) and w.endswith(("у", "ю")) for w in words):
        return name
    return " ".join(w[:-1] + ("ь" if w.endswith("лю") else "й" if w.endswith("ю") else "")
                    for w in words)


def _key(word: str) -> str:
    """Index key: Cyrillic names by their first five letters, so that every case form of a
    name lands in one group ("Ибрагим", "Ибрагимом"); :func:`same_word` then checks."""
    lower = word.lower()
    return lower[:5] if _CYRILLIC.search(lower) else re.sub(r"['’]s$", "", lower)


def same_word(one: str, other: str) -> bool:
    """Two case forms of one name: they differ only in an ending of up to three letters.

    >>> same_word("Ибрагимом", "Ибрагим"), same_word("Зеленського", "Зеленський")
    (True, True)
    >>> same_word("Петров", "Петренко"), same_word("Kallas", "Kalla")
    (False, False)
    """
    a, b = one.lower(), other.lower()
    if not _CYRILLIC.search(a + b):
        return re.sub(r"['’]s$", "", a) == re.sub(r"['’]s$", "", b)
    common = len(os.path.commonprefix([a, b]))
    return common >= max(3, min(len(a), len(b)) - 2) and max(len(a), len(b)) - common <= 3


def stem(word: str) -> str:
    """A surname without its case ending: "Пескова", "Песковым" → "песков".

    >>> stem("Зеленського"), stem("Зеленський"), stem("Kallas")
    ('зеленськ', 'зеленськ', 'kallas')
    """
    lower = re.sub(r"['’]s$", "", word.lower())
    if not _CYRILLIC.search(lower):
        return lower
    for ending in _CASE_ENDINGS:
        if lower.endswith(ending) and len(lower) - len(ending) >= 3:
            return lower[: -len(ending)]
    return lower


def is_article(word: str) -> bool:
    return word.lower() in {"the", "a", "an"}


def tied_to_person(role: str) -> bool:
    """A role whose capitalised words name a person in an oblique case ("представитель
    Ивана Сорокина"): the role belongs to that person, who is someone else."""
    names = [w for w in role.split()[1:] if w[:1].isupper()]
    return bool(names) and is_person_name(" ".join(names)) and any(map(is_oblique_person, names))


def is_role(speaker: str) -> bool:
    """A role instead of a name: lower-case words ("президент Франции", "чиновник") or
    titles only ("US President").

    >>> is_role("президент Франции"), is_role("US President"), is_role("Песков")
    (True, True, False)
    """
    words = speaker.split()
    if not words:
        return False
    if words[0][:1].islower():
        return True
    return any(is_title(w) for w in words) and not strip_titles(words)


def gender(name: str) -> str | None:
    """"f" or "m" from Slavic surname endings and first names in -a, "o" for an acronym;
    None when unsure (most foreign names).

    >>> gender("Мария Захарова"), gender("Дмитрий Песков"), gender("Kaja Kallas")
    ('f', 'm', 'f')
    >>> gender("Лукашенко") is None
    True
    """
    words = [w.lower() for w in name.split() if w[:1].isupper()]
    if not words:
        return None
    first, last = words[0], words[-1]
    if len(words) >= 2 and first.endswith(("a", "а", "я")) and first not in _MALE_FIRST_IN_A:
        return "f"
    if len(words) == 1 and name.isupper():
        return "o"  # an acronym: an organisation ("ППО", "NATO"), never "he" or "she"
    if _FEMALE_SURNAME.search(last):
        return "f"
    return "m" if _MALE_SURNAME.search(last) else None


# Genitive → nominative endings for Ukrainian and Russian names, most specific first.
# Each ending may yield several candidates; the one seen elsewhere in the text wins.
_NOMINATIVE_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ського", ("ський",)), ("цького", ("цький",)), ("ского", ("ский",)),
    ("цкого", ("цкий",)), ("ого", ("ий", "ой")), ("ього", ("ій",)), ("его", ("ий",)),
    ("ської", ("ська",)), ("ской", ("ская",)), ("ової", ("ова",)), ("овой", ("ова",)),
    ("евой", ("ева",)), ("иной", ("ина",)), ("ої", ("а",)), ("ой", ("а",)),
    ("ія", ("ій",)), ("ия", ("ий",)), ("ея", ("ей",)), ("ії", ("ія",)), ("ии", ("ия",)),
    ("ова", ("ов",)), ("ева", ("ев",)), ("єва", ("єв",)), ("ина", ("ин",)),
    ("іна", ("ін",)), ("ра", ("р", "ро")), ("ла", ("л", "ло")), ("ка", ("к", "ко")),
    ("ря", ("р", "рь")), ("ля", ("ль", "ля")), ("я", ("й", "ь")),
    ("ому", ("ий",)), ("ему", ("ий",)), ("ю", ("ь",)), ("у", ("",)),
    ("ки", ("ка",)), ("ги", ("га",)), ("хи", ("ха",)), ("и", ("а",)), ("ы", ("а",)),
    ("а", ("",)),
)


def to_nominative(name: str, seen_words: frozenset[str] = frozenset()) -> str:
    """Undo the genitive on a Cyrillic name; Latin names come back unchanged.

    ``seen_words`` (words found elsewhere in the text) settles ambiguous endings:
    "Дмитра" is "Дмитро" when the text also says "Дмитро", else the rule's first guess.

    >>> to_nominative("Володимира Зеленського")
    'Володимир Зеленський'
    >>> to_nominative("Дмитра Кулеби", frozenset({"Дмитро"}))
    'Дмитро Кулеба'
    >>> to_nominative("Марии Захаровой")
    'Мария Захарова'
    """
    return " ".join(_word_to_nominative(word, seen_words) for word in name.split())


def _word_to_nominative(word: str, seen_words: frozenset[str]) -> str:
    if not re.fullmatch(r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’\-]+", word) or word in seen_words:
        return word
    for ending, replacements in _NOMINATIVE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            candidates = [word[: -len(ending)] + new for new in replacements]
            return next((c for c in candidates if c in seen_words), candidates[0])
    return word
