"""Ukrainian and Russian speakers in dictionary form, and words that cannot be speakers.

The clause reader (:mod:`digest.quotes.speakers`) picks the words next to a speech verb;
real copy puts adverbs ("Ранее"), places in an oblique case ("После Украине"), lone
adjectives ("Воздушные") and case forms ("Пескова") there. pymorphy3 and its uk/ru
dictionaries know each word's part of speech, case and name tags (Name, Surn, Patr, Orgn,
Geox), which is what this needs:

>>> speaker_form("Дмитрия Пескова", "ru")
'Дмитрий Песков'
>>> speaker_form("Учора Нафтогаз", "uk")
'Нафтогаз'
>>> speaker_form("После Украине", "ru") is None, speaker_form("Воздушные", "ru") is None
(True, True)
>>> speaker_form("прес-службі компанії", "uk")
'прес-служба компанії'
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pymorphy3

from digest.language.lexicon import entries
from digest.language.morphology import analyzer as _analyzer
from digest.language.morphology import guess_language
from digest.language.morphology import parses as _parses
from digest.language.stems import compile_patterns, normalize
from digest.language.words import NAME_WORD
from digest.quotes.organisations import INSTITUTION_HEADS, OFFICES

# Words that open a clause but never name anyone ("Ранее", "Водночас", "За", "Як").
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ"})
_ADVERB_POS = frozenset({"ADVB", "PRED", "COMP", "NUMR", "GRND"})
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
_NAME_TAGS = _PERSON_TAGS | {"Orgn", "Abbr"}
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_ADJECTIVE_POS = frozenset({"ADJF", "PRTF"})


def speaker_form(speaker: str | None, language: str) -> str | None:
    """``speaker`` as a reader should see it (nominative, leading adverbs dropped), or None
    when it is no speaker at all: an adverb, a place in an oblique case, a lone adjective.
    Speakers without Cyrillic letters ("CNN", "Joe Biden") come back unchanged."""
    if speaker is None or language not in {"uk", "ru"} or not _CYRILLIC.search(speaker):
        return speaker
    words = [_bare_acronym(w) for w in speaker.split()]
    while words and _is_function_word(words[0], language):
        words.pop(0)
    if not words or not _can_head(words[0], len(words), language):
        return None
    while len(words) > 1 and _is_label(words[0]) and all(_is_person_word(w, language) for w in words[1:]):
        words.pop(0)  # "генсек НАТО Столтенберг", "интервью Kyodo News Зеленский": not the name
    while len(words) > 1 and _is_label(words[-1]) and all(_is_person_word(w, language) for w in words[:-1]):
        words.pop()  # "приводит слова Марии Захаровой ТАСС": the agency after the name
    if _is_person_run(words, language):
        return _person_nominative(words, language)
    return _phrase_nominative(words, language)


_ACRONYM_CASE = re.compile(r"([А-ЯЁІЇЄҐ]{2,})(?:а|у|ом|е|і|ові|ы|ов)")


def _bare_acronym(word: str) -> str:
    """"МУСа", "МИДе", "НАКу" → the acronym itself, which Russian and Ukrainian decline only
    in speech."""
    match = _ACRONYM_CASE.fullmatch(word)
    return match.group(1) if match else word


def _is_person_run(words: list[str], language: str) -> bool:
    """Capitalised words naming a person: all person words, or a first name beside words
    the dictionary does not know ("Кая Лаас"), which are then left as written."""
    if all(_is_person_word(w, language) for w in words):
        return True
    return len(words) <= 3 and all(w[:1].isupper() for w in words) and any(
        _is_person_word(w, language) for w in words
    ) and all(_is_person_word(w, language) or not _analyzer(language).word_is_known(w.lower()) for w in words)


def _is_label(word: str) -> bool:
    """An acronym ("НАТО") or a Latin word ("News") ahead of a Cyrillic name."""
    return (word.isupper() and len(word) > 1) or not _CYRILLIC.search(word)


def _is_function_word(word: str, language: str) -> bool:
    if not _CYRILLIC.search(word):
        return False
    if len(word) == 1:
        return True  # "В", "С": a preposition, never an initial standing alone
    parses = _parses(word, language)
    if any((_NAME_TAGS | {"Geox"}) & set(p.tag.grammemes) for p in parses):
        return False  # a reading as a name or a place keeps the word
    if _is_pronoun_not_person(parses[0]):
        return True  # "Это", "Кто", "Нам"
    return parses[0].tag.POS in _ADVERB_POS or any(p.tag.POS in _FUNCTION_POS for p in parses)


def _is_pronoun_not_person(parse: pymorphy3.analyzer.Parse) -> bool:
    """A pronoun that is no one a speech verb could stand for: all but a personal pronoun
    in the nominative ("он", "вона", "мы"), which the caller resolves to whom it means."""
    personal = {"1per", "2per", "3per", "pers"} & set(parse.tag.grammemes)
    return parse.tag.POS == "NPRO" and not (personal and parse.tag.case == "nomn")


def _can_head(word: str, size: int, language: str) -> bool:
    """A place in an oblique case ("Украине", "Страсбурзі") or a lone adjective
    ("Воздушные") never speaks; an unknown or foreign word may."""
    if not _CYRILLIC.search(word):
        return True
    parses = _parses(word, language)
    grammemes = [set(p.tag.grammemes) for p in parses]
    if any(_NAME_TAGS & g for g in grammemes):
        return True
    if word[:1].isupper() and all("nomn" not in g for g in grammemes) and _is_place(word, language):
        return False
    if size == 1 and all(p.tag.POS in _ADJECTIVE_POS for p in parses):
        return False
    if size == 1 and language == "ru" and word[:1].isupper() and _is_common_thing(word):
        # "Государство", "Мир", "Ёлка": a sentence-opening noun, not a name. Russian only:
        # pymorphy3's Ukrainian dictionary leaves out the Orgn tags ("Газпром") this needs.
        return False
    if size == 1 and parses[0].tag.POS == "NPRO" and parses[0].tag.case not in {"nomn", None}:
        return False  # "Его шокирует …": a pronoun in an oblique case is nobody
    return not (word[:1].isupper() and parses[0].tag.POS in _ADVERB_POS | _FUNCTION_POS)


def _is_common_thing(word: str, language: str = "ru") -> bool:
    """A word the dictionary knows only as an inanimate common noun ("государство", "мир"),
    not a body that speaks ("суд", "Кремль": office nouns) nor a name of any kind."""
    lower = word.lower()
    if not _analyzer(language).word_is_known(lower) or is_office_noun(lower, language):
        return False
    parses = _parses(word, language)
    # Only a nominative reading can open a sentence as its subject; a surname the dictionary
    # mistakes for a rare plural genitive ("Арчаков") is left alone.
    return any(p.tag.case == "nomn" for p in parses) and all(
        p.tag.POS == "NOUN" and "anim" not in p.tag.grammemes
        and not (_NAME_TAGS | {"Geox"}) & set(p.tag.grammemes)
        for p in parses
    )


def is_office_noun(word: str, language: str) -> bool:
    """A noun for a body that issues statements ("суд", "правительство", "штаб"), any case."""
    lemmas = {p.normal_form for p in _parses(word.lower(), language)}
    return bool(lemmas & _OFFICE_NOUNS["uk" if language == "uk" else "ru"])


_OFFICE_NOUNS = {
    language: frozenset(noun.lower() for noun in nouns) for language, nouns in OFFICES.items()
}


# pymorphy3's Ukrainian dictionary has no Geox tag; the Russian one knows most places under
# a near-identical spelling ("Страсбург", "Європа" → "Европа"), and the lexicon the rest.
_TO_RUSSIAN = str.maketrans({"є": "е", "і": "и", "ї": "и", "ґ": "г", "'": "", "’": ""})


def _is_place(word: str, language: str) -> bool:
    if _place_patterns(language).search(normalize(word)):
        return True
    lemmas = {p.normal_form for p in _parses(word, language)}
    if language == "uk":
        lemmas = {lemma.translate(_TO_RUSSIAN) for lemma in lemmas}
    return any("Geox" in p.tag.grammemes for lemma in lemmas for p in _parses(lemma, "ru")[:2])


@cache
def _place_patterns(language: str) -> re.Pattern[str]:
    forms = [
        form for entry in entries() if entry.type in {"place", "country"}
        for form in entry.forms.get(language, ()) if not form.startswith("кремл")
    ]
    return compile_patterns(forms)



def _is_person_word(word: str, language: str) -> bool:
    # "Білорусі" has a rare surname reading too: a word whose likeliest reading is not a
    # person's and that the lexicon knows as a place is none ("Белова" stays a surname).
    parses = _parses(word, language)
    if not word[:1].isupper() or not any(_PERSON_TAGS & set(p.tag.grammemes) for p in parses):
        return False
    return bool(_PERSON_TAGS & set(parses[0].tag.grammemes)) or not _is_place(word, language)


def _person_nominative(words: list[str], language: str) -> str:
    """"Дмитрия Пескова" → "Дмитрий Песков": the case and gender all the words share,
    nominative preferred, then every word put in the nominative of that gender."""
    options = [
        {(p.tag.case, p.tag.gender) for p in _parses(w, language) if _PERSON_TAGS & set(p.tag.grammemes)}
        for w in words
    ]
    shared = set.intersection(*options)
    # A word the dictionary does not know ("Автодор") is only guessed at: left as written,
    # unless a known first name beside it settles the case ("Алексея Кричевского").
    known = [w for w in words if _analyzer(language).word_is_known(w.lower())]
    unknown = [w for w in words if w not in known]
    # "Алексея Кричевского": the unknown word carries a case ending too ("Кая Лаас" does not).
    settled = bool(known) and all(_oblique_name(w, language) for w in known) and all(
        _OBLIQUE_ENDING.search(w.lower()) for w in unknown
    )
    unsure = bool(unknown) and not settled
    if not shared or unsure or any(case == "nomn" for case, _ in shared):
        return " ".join(words)
    _, gender = min(shared, key=lambda pair: (pair[0] != "gent", str(pair[0])))
    return " ".join(_inflect(w, language, gender) for w in words)


def _unknown_first_name(words: list[str], head: int, language: str) -> bool:
    """"Ллойд Остин": a capitalised word the dictionary does not know before a surname is a
    first name it lacks, not a noun to decline ("Ллойды")."""
    word = words[head]
    if head == 0 and len(words) == 1 and word[:1].isupper() and _SURNAME_SHAPE.search(word):
        # "Арчаков настаивал": a surname, which the dictionary reads only as a thing in the
        # plural ("арчак"); a plural of people ("Демократов") is declined as usual.
        nouns = [p for p in _parses(word, language) if p.tag.POS == "NOUN"]
        return all(p.tag.number == "plur" and p.tag.animacy == "inan" for p in nouns)
    return (
        word[:1].isupper() and not _analyzer(language).word_is_known(word.lower())
        and head + 1 < len(words) and _is_person_word(words[head + 1], language)
    )


_SURNAME_SHAPE = re.compile(r"(?:ов|ев|ёв|ин|ын)$")


_OBLIQUE_ENDING = re.compile(r"(?:ого|его|ому|ему|ой|ей|ым|им|ом|ем|ова|ева|ина|ына|ову|еву|ину)$")


def _oblique_name(word: str, language: str) -> bool:
    """A known first name or surname with no nominative reading ("Алексея", not "Остин")."""
    parses = [p for p in _parses(word, language) if _PERSON_TAGS & set(p.tag.grammemes)]
    return bool(parses) and all(p.tag.case != "nomn" for p in parses)


def _inflect(word: str, language: str, gender: str | None, number: str | None = None) -> str:
    """``word`` in the nominative (of ``gender``/``number`` when given), casing kept; an
    acronym is not declined ("МУС" is no plural of "муса")."""
    if word.isupper() and len(word) > 1:
        return word
    for parse in _parses(word, language):
        if gender and parse.tag.gender not in {gender, None}:
            continue
        wanted = {"nomn"} | ({number} if number else set())
        inflected = parse.inflect(wanted)
        if inflected is not None:
            return _same_casing(word, inflected.word)
    return word


def _same_casing(original: str, new: str) -> str:
    capitals = len(original) - len(original.lstrip("АБВГҐДЕЁЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"))
    if original.isupper() or capitals >= 2:
        # "МИДе" → "МИД": an acronym with a case ending keeps its capitals.
        return new[:capitals].upper() + new[capitals:]
    parts = new.split("-")
    old_parts = original.split("-")
    if len(parts) == len(old_parts):
        parts = [p[:1].upper() + p[1:] if o[:1].isupper() else p for p, o in zip(parts, old_parts, strict=True)]
    return "-".join(parts)


def _phrase_nominative(words: list[str], language: str) -> str:
    """An office or organisation with its head noun in an oblique case ("прес-службі
    компанії", "Нафтогазі"): the head and the adjectives before it go to the nominative,
    the words it governs stay as they are."""
    head = next((i for i, w in enumerate(words[:3]) if _is_noun(w, language)), None)
    if head is None or _is_nominative(words[head], language) or _unknown_first_name(words, head, language):
        return " ".join(words)
    if _agrees_in_nominative(words[: head + 1], language):
        return " ".join(words)  # "Воздушные силы ВСУ": a plural name, already nominative
    parse = next(p for p in _parses(words[head], language) if p.tag.POS == "NOUN")
    gender, number = parse.tag.gender, parse.tag.number
    changed = [_inflect(w, language, gender, number) for w in words[:head]]
    changed.append(_inflect(words[head], language, None, number))
    return " ".join(changed + words[head + 1 :])


def _agrees_in_nominative(words: list[str], language: str) -> bool:
    """Adjectives and their head noun all read as nominative of one number ("Воздушные
    силы", "Повітряні сили"): a plural head alone ("министерства") proves nothing, its
    nominative plural is also a genitive singular."""
    if len(words) < 2:
        return False
    numbers = [{p.tag.number for p in _parses(w, language) if p.tag.case == "nomn"} for w in words]
    return bool(set.intersection(*numbers) - {None})


def is_institution(words: list[str], language: str) -> bool:
    """Words naming a body by adjectives and an institution noun (:data:`INSTITUTION_HEADS`),
    in any case: "Воздушных силах", "Сухопутные войска", "Національна гвардія". Words with
    no letter only Ukrainian writes ("Державна прикордонна служба") are read in both
    languages, ``language`` first."""
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    ukrainian = guess_language("".join(words)) == "uk"
    languages = dict.fromkeys([language] if ukrainian else [language, "uk", "ru"])
    return any(_institution_in(words, lang) for lang in languages)


def _institution_in(words: list[str], language: str) -> bool:
    head = {p.normal_form for p in _parses(words[-1].lower(), language) if p.tag.POS == "NOUN"}
    return bool(head & INSTITUTION_HEADS["uk" if language == "uk" else "ru"]) and all(
        is_adjective(w, language) for w in words[:-1])


def _is_noun(word: str, language: str) -> bool:
    return bool(_CYRILLIC.search(word)) and _parses(word, language)[0].tag.POS == "NOUN"


def _is_nominative(word: str, language: str) -> bool:
    """Its likeliest reading, or a singular noun reading, is nominative: "рада" stays,
    "министерства" (genitive singular before nominative plural) does not. A plural of
    people stays too ("синоптики", not the genitive of "синоптика"): speakers are people."""
    parses = _parses(word, language)
    return parses[0].tag.case == "nomn" or any(
        p.tag.POS == "NOUN" and p.tag.case == "nomn"
        and (p.tag.number != "plur" or "anim" in p.tag.grammemes)
        for p in parses
    )


# A short adjective is a predicate too ("Анкара готова к посредничеству" says something).
_VERB_POS = frozenset({"VERB", "INFN", "PRTS", "GRND", "PRED", "ADJS"})


def is_quoted_name(quoted: str, language: str) -> bool:
    """«Північний потік-2», «Нафтогаз України», «Инфраструктурные решения»: a few words
    in quotation marks, the first capitalised, no verb and no sentence end, name a thing
    (a pipeline, a company, a programme, a paper) rather than quote anyone.

    >>> is_quoted_name("Північний потік-2", "uk"), is_quoted_name("Будут массовые увольнения", "ru")
    (True, False)
    """
    words = NAME_WORD.findall(quoted)
    if not words or len(words) > 4 or not words[0][:1].isupper():
        return False
    if quoted.rstrip()[-1:] in {".", "!", "?", "…"}:
        return False
    return not any(
        p.tag.POS in _VERB_POS for w in words if _CYRILLIC.search(w) for p in _parses(w, language)[:1]
    )


def is_person_noun(word: str) -> bool:
    """An animate common noun in the nominative (not a name): "зампред", "соціолог"; an
    object such as "попросил коллегу" is no one's title."""
    if not _CYRILLIC.search(word):
        return False
    language = guess_language(word)
    first = _parses(word.lower(), language)[0]
    grammemes = set(first.tag.grammemes)
    return (
        first.tag.POS == "NOUN" and "anim" in grammemes and first.tag.case == "nomn"
        and not _NAME_TAGS & grammemes
    )


@lru_cache(maxsize=65_536)  # asked of every capitalised run of every article
def is_person_name(name: str) -> bool:
    """Capitalised words, one of them a first name, surname or patronymic by pymorphy3."""
    words = name.split()
    language = guess_language(name)
    return all(w[:1].isupper() for w in words) and any(_is_person_word(w, language) for w in words)


def is_shown_speaker(speaker: str | None) -> bool:
    """A speaker a reader may see: a name, an organisation or a described source, and for
    Ukrainian and Russian already in dictionary form; never None, a pronoun, an adverb, an
    oblique-case place or a lone adjective.

    >>> is_shown_speaker("Дмитрий Песков"), is_shown_speaker("Пескову"), is_shown_speaker("он")
    (True, False, False)
    """
    if not speaker or not speaker[:1].isalpha():
        return False
    if not _CYRILLIC.search(speaker):
        return speaker.lower() not in _ENGLISH_PRONOUNS
    language = guess_language(speaker)
    pronoun = any(p.tag.POS == "NPRO" for lang in ("uk", "ru") for p in _parses(speaker, lang))
    if speaker[:1].islower() and pronoun:
        return False  # "вона" (also a rare surname in the dictionary, but not in lower case)
    return speaker_form(speaker, language) == speaker


_ENGLISH_PRONOUNS = frozenset("he she they it we i you".split())


@lru_cache(maxsize=65_536)  # asked of every capitalised word a name is built from
def is_no_name(phrase: str) -> bool:
    """A Ukrainian or Russian phrase that names no one at all: only adverbs, conjunctions,
    prepositions or particles ("Как", "Як", "Ранее")."""
    words = phrase.split()
    return bool(words) and bool(_CYRILLIC.search(phrase)) and all(
        _is_function_word(w, "uk") or _is_function_word(w, "ru") for w in words
    )


def is_locative(word: str) -> bool:
    """A noun in the locative ("ведомстве", "Минобороны" aside): where a source sits, as
    opposed to a time ("в среду" is accusative)."""
    language = guess_language(word)
    return bool(_CYRILLIC.search(word)) and any(
        p.tag.POS == "NOUN" and p.tag.case in {"loct", "loc2"} for p in _parses(word, language)[:1]
    )


def is_verb(word: str) -> bool:
    """A finite verb, infinitive or gerund by its likeliest reading ("заявила", not "сил")."""
    language = guess_language(word)
    return bool(_CYRILLIC.search(word)) and _parses(word.lower(), language)[0].tag.POS in {
        "VERB", "INFN", "GRND"
    }


def is_organisation(name: str, language: str) -> bool:
    """A body in the nominative: pymorphy3 tags it Orgn, or an animate plural noun
    ("Демократи", "Парламентарі") opens it; an acronym of capitals counts too."""
    words = name.split()
    if not words or not _CYRILLIC.search(name) or speaker_form(name, language) != name:
        return False
    if words[0].isupper() and len(words[0]) > 1:
        return True
    parses = _parses(words[0], language)
    grammemes = set(parses[0].tag.grammemes)
    # An indeclinable body ("Минобороны") reads as genitive first but is nominative too.
    organisation = any(p.tag.case == "nomn" and "Orgn" in p.tag.grammemes for p in parses)
    return organisation or (
        parses[0].tag.case == "nomn" and "anim" in grammemes and parses[0].tag.number == "plur"
    )


def is_place(word: str, language: str) -> bool:
    """A capitalised place in an oblique case ("Страсбурзі", "Украине")."""
    return word[:1].isupper() and bool(_CYRILLIC.search(word)) and _is_place(word, language)


_GENDERS = {"masc": "m", "femn": "f"}


def person_gender(name: str) -> str | None:
    """"m" or "f" from pymorphy3's first-name tags ("Андрей Клишас" → "m", "Мария Бутина" →
    "f"); a first name read only in an oblique case counts when the surname beside it agrees
    ("Игоря Соболева" → "m", but "Кая Каллас" is no "Кай" in the genitive). None when no
    word is a first name or the dictionary gives it both genders ("Саша")."""
    if not _CYRILLIC.search(name):
        return None
    language = guess_language(name)
    words = name.split()
    for word in words:
        names = [p for p in _parses(word, language) if "Name" in p.tag.grammemes]
        nominative = {p.tag.gender for p in names if p.tag.case == "nomn"}
        if nominative:
            genders = nominative
        else:
            others = [w for w in words if w != word]
            genders = {p.tag.gender for p in names if _agrees(others, p, language)}
        if len(genders) == 1 and (found := _GENDERS.get(str(genders.pop()))):
            return found
    return None


def _agrees(others: list[str], first: pymorphy3.analyzer.Parse, language: str) -> bool:
    """A surname among ``others`` read in the first name's case and gender."""
    return any(
        "Surn" in p.tag.grammemes and p.tag.case == first.tag.case and p.tag.gender == first.tag.gender
        for word in others for p in _parses(word, language)
    )


def verb_gender(word: str, language: str) -> str | None:
    """Whom a past-tense speech verb agrees with: "m" (заявил, заявив), "f" (заявила), "p"
    (заявили), None for a present or a form it cannot tell."""
    if language not in {"uk", "ru"} or not _CYRILLIC.search(word):
        return None
    parse = _parses(word.lower(), language)[0]
    if parse.tag.POS != "VERB" or parse.tag.tense != "past":
        return None
    return "p" if parse.tag.number == "plur" else _GENDERS.get(str(parse.tag.gender))


def is_dative_noun(word: str) -> bool:
    """A common noun in the dative or instrumental ("телеканалу", "агентству", "газетой")."""
    language = guess_language(word)
    first = _parses(word.lower(), language)[0] if _CYRILLIC.search(word) else None
    return first is not None and first.tag.POS == "NOUN" and first.tag.case in {"datv", "ablt"}


def is_oblique_person(name: str) -> bool:
    """A person's name only in an oblique case ("Макрона", "Марии Захаровой"), by pymorphy3."""
    last = name.split()[-1]
    language = guess_language(name)
    return bool(_CYRILLIC.search(last)) and _oblique_name(last, language)



def agrees_as_subject(word: str, verb: str, language: str) -> bool:
    """``word`` has a nominative noun reading that agrees with ``verb`` in number, and in
    the past singular in gender ("правительство считает", "суд посчитал", "речниця
    повідомила"; not "экспертов сказал", "мир сказала")."""
    if not (_CYRILLIC.search(word) and _CYRILLIC.search(verb)):
        return False
    finite = [p.tag for p in _parses(verb.lower(), language) if p.tag.POS == "VERB"]
    if not finite:
        return False
    # pymorphy3's Ukrainian tags leave out the number of singular forms.
    number = finite[0].number or ("sing" if finite[0].gender else None)
    past_singular = finite[0].tense == "past" and number == "sing"
    return any(
        p.tag.POS == "NOUN" and p.tag.case == "nomn" and (p.tag.number or "sing") == number
        and (not past_singular or p.tag.gender == finite[0].gender or "Ms-f" in p.tag.grammemes)
        for p in _parses(word.lower(), language)
    )


def can_speak(word: str, language: str) -> bool:
    """A noun for someone or some body: animate, an office noun, or a name or acronym."""
    if is_office_noun(word, language):
        return True
    first = _parses(word.lower(), language)[0]
    return first.tag.POS == "NOUN" and (
        "anim" in first.tag.grammemes or bool(_NAME_TAGS & set(first.tag.grammemes))
    )

def is_plural_verb(word: str) -> bool:
    """A third-person plural or past plural form ("считают", "заявили"): with no subject
    of its own, an impersonal "they" whose body the sentence names ("В Кремле считают")."""
    language = guess_language(word)
    return bool(_CYRILLIC.search(word)) and any(
        p.tag.POS == "VERB" and p.tag.number == "plur" for p in _parses(word.lower(), language)[:1]
    )


def is_present(word: str, language: str) -> bool:
    """A present-tense verb ("пишет", "говорится", "передає"), as a relaying outlet or a
    document uses, unlike the past of someone speaking ("заявил")."""
    if not _CYRILLIC.search(word):
        return False
    return any(
        p.tag.POS == "VERB" and p.tag.tense == "pres" for p in _parses(word.lower(), language)[:1]
    )


def is_genitive(word: str, language: str) -> bool:
    """A noun or adjective whose likeliest reading is genitive ("ведомства", "Кремля")."""
    first = _parses(word.lower(), language)[0] if _CYRILLIC.search(word) else None
    return first is not None and first.tag.POS in {"NOUN", "ADJF"} and first.tag.case == "gent"


def is_adjective(word: str, language: str | None = None) -> bool:
    """A full adjective or participle by its likeliest reading, in ``language`` when given
    ("Державна" has no letter only Ukrainian writes), else as its letters suggest."""
    language = language or guess_language(word)
    return bool(_CYRILLIC.search(word)) and _parses(word.lower(), language)[0].tag.POS in _ADJECTIVE_POS


def is_animate_noun(word: str) -> bool:
    """A common noun for a person in any case ("богослова", "співрозмовника")."""
    language = guess_language(word)
    if not _CYRILLIC.search(word):
        return False
    first = _parses(word.lower(), language)[0]
    grammemes = set(first.tag.grammemes)
    return first.tag.POS == "NOUN" and "anim" in grammemes and not _NAME_TAGS & grammemes


def place_disagrees(name: str, verb: str) -> bool:
    """A one-word place ("Мичиган", "Флорида") whose gender the past-tense verb does not
    share ("…, штат Мичиган, которая … сказала"), so it is not the verb's subject."""
    if " " in name or not (_CYRILLIC.search(name) and _CYRILLIC.search(verb)):
        return False
    language = guess_language(name + verb)
    places = [p for p in _parses(name, language) if "Geox" in p.tag.grammemes and p.tag.case == "nomn"]
    finite = [p.tag for p in _parses(verb.lower(), language) if p.tag.POS == "VERB"]
    if not places or not finite or finite[0].tense != "past" or not finite[0].gender:
        return False
    return all(p.tag.gender != finite[0].gender for p in places)


def is_plural_noun(word: str, language: str) -> bool:
    """A noun whose likeliest reading is a nominative plural ("Журналисты", "Демократи")."""
    if not _CYRILLIC.search(word):
        return False
    first = _parses(word.lower(), language)[0]
    return first.tag.POS == "NOUN" and first.tag.case == "nomn" and first.tag.number == "plur"


@lru_cache(maxsize=65_536)
def is_common_word(word: str) -> bool:
    """A Cyrillic word both dictionaries read without any name tag, where they know it
    ("Чому", "Прокурори"), unlike "Дональд" or "Нафтогаз"."""
    if not _CYRILLIC.search(word) or word.isupper():
        return False
    known = [lang for lang in ("uk", "ru") if _analyzer(lang).word_is_known(word.lower())]
    return bool(known) and not any(
        (_NAME_TAGS | {"Geox"}) & set(p.tag.grammemes) for lang in known for p in _parses(word, lang)
    )
