"""Who said a quote: speech-verb patterns and name clean-up for English, Ukrainian, Russian.

:mod:`digest.quotes.find` finds the quoted spans and hands this module the words around each one
(the *clause*: the rest of the sentence after the closing mark, or the start of the sentence
before the opening mark). :func:`speaker_in_clause` reads the speaker out of that clause:

>>> speaker_in_clause("he said.", side="after", language="en")
'he'
>>> speaker_in_clause("said Kremlin spokesman Dmitry Peskov.", side="after", language="en")
'Dmitry Peskov'
>>> speaker_in_clause("По словам Дмитрия Пескова,", side="before", language="ru")
'Дмитрий Песков'

Pronouns come back as they are (see :func:`is_pronoun`); the caller carries over the last
named speaker. Everything here is plain regular expressions over one short clause, so the
cost per quote is bounded no matter how long the article is.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from digest.language.abbreviations import abbreviation_before
from digest.language.morphology import can_be_locative, guess_language, parses
from digest.language.sentences import last_sentence, split_sentences
from digest.models import Quote
from digest.quotes.morph import (
    agrees_as_subject,
    can_speak,
    is_adjective,
    is_animate_noun,
    is_dative_noun,
    is_genitive,
    is_institution,
    is_locative,
    is_no_name,
    is_oblique_person,
    is_office_noun,
    is_organisation,
    is_person_name,
    is_person_noun,
    is_place,
    is_plural_noun,
    is_plural_verb,
    is_present,
    is_verb,
    person_gender,
    place_disagrees,
    speaker_form,
    verb_gender,
)
from digest.quotes.names import NameIndex, gender, is_role, tied_to_person, to_nominative
from digest.quotes.organisations import organisation_in_locative
from digest.quotes.titles import NOT_NAME, is_title, strip_titles
from digest.quotes.verbs import SpeechVerb, find_speech_verbs

__all__ = [
    "is_pronoun", "resolve_speakers", "speaker_in_clause", "speech_verb", "strip_titles",
    "subject_of", "to_nominative",
]

# After these the name is in the genitive case ("по словам Дмитрия Пескова").
_GENITIVE_TRIGGER = re.compile(
    r"(?:по словам|за словами|со слов|зі слів|слова|мнению|думку|данным|даними|информации"
    r"|інформацією)$",
    re.IGNORECASE,
)

_PRONOUNS = frozenset("he she they it він вона вони воно он она они оно".split())
# "по её словам", "за його словами": the lead holds the speaker as a possessive pronoun.
_POSSESSIVE_TO_PRONOUN = {
    "его": "он", "её": "она", "ее": "она", "их": "они",
    "його": "він", "її": "вона", "їхніми": "вони",
}
_PRONOUN_GENDER = {
    "he": "m", "он": "m", "він": "m", "she": "f", "она": "f", "вона": "f",
    "they": "p", "они": "p", "вони": "p",
}
# Words that end a role phrase: "президент України у вечірньому зверненні".
_ROLE_STOP = frozenset(
    "між между тем же також теж вже уже ещё ще зі свого своего боку позже пізніше".split()
)
_PREPOSITIONS = frozenset(
    "в у во на из із з с со к до від от для про о об по під при into to in at from"
    " после після перед через".split()
)
_ROLE_STOP = _ROLE_STOP | _PREPOSITIONS
# "…," the statement said / йдеться в повідомленні: the source was named earlier.
_STATEMENT = re.compile(
    r"(?<!\w)(?:йдеться (?:в|у)|говорится в|the statement said|said in a statement"
    # Impersonal attributions: "сказано у зверненні", "наголошується в повідомленні".
    r"|(?:сказано|зазначено|заявлено|указано|отмечено|наголошується|зазначається"
    r"|підкреслюється|отмечается|подчеркивается|сообщается|повідомляється|пояснюється"
    r"|поясняется) (?:в|у|во)"
    # "— уточнили там", "там пояснили": the body the previous sentence named.
    r"|[а-яіїєґ]+ли там|там [а-яіїєґ]+ли)(?!\w)",
    re.IGNORECASE,
)
# "В заявлении говорится, что", "У зверненні зазначено, що": the document leads, the
# impersonal verb follows (up to three words of the author's name between them).
_STATEMENT_INVERTED = re.compile(
    r"(?<!\w)(?:в|у|во)\s+(?P<document>\w+)(?:\s+[^\s,.;:]+){0,3}?\s+"
    r"(?:говорится|сказано|зазначено|заявлено|указано|отмечено|йдеться|наголошується"
    r"|зазначається|підкреслюється|отмечается|подчеркивается|сообщается|повідомляється)(?!\w)",
    re.IGNORECASE,
)
# "…, передає УНН": the agency relaying a statement is not its author.
_RELAY = re.compile(r"[,—–-]\s*(?:переда\w+|со ссылкой|з посиланням)[^.,;]*", re.IGNORECASE)
_NOT_NAME = NOT_NAME
# Lower-case words that end the stretch of text searched after a verb: "said Putin in
# an interview with Xinhua" must not credit Xinhua.
_STOP_AFTER = frozenset(
    """in on at during after before to with while when who which that as adding
    according from for about of in, в у на під час після до з із у для про що який
    яка во на после при из для о что который которая с со по к от за перед над через
    между між від""".split()
)
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|[,;:.!?()—–]")


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def is_capitalised(self) -> bool:
        # [:1], not [0]: a token can be empty after punctuation is stripped from it.
        return self.text[:1].isupper()


def is_pronoun(speaker: str | None) -> bool:
    """True for "he", "вона", "они"…: a speaker the caller must resolve from context.

    >>> is_pronoun("він"), is_pronoun("Putin")
    (True, False)
    """
    return speaker is not None and speaker.lower() in _PRONOUNS


_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def speech_verb(clause: str, language: str) -> SpeechVerb | None:
    """The first speech verb in ``clause`` (any of the three languages' lists as fallback).

    >>> speech_verb("— запротестовал Песков.", "ru").text
    'запротестовал'
    """
    verbs = _verbs(clause, language)
    return verbs[0] if verbs else None


def speaker_in_clause(clause: str, *, side: str, language: str) -> str | None:
    """The speaker named in an attribution clause, or None when the clause has no verb.

    ``side`` is ``"after"`` for text following the quote (``"…," he said``) and
    ``"before"`` for text leading into it (``Putin said: "…"``); before a quote the verb
    nearest the quote counts ("When she said no, Roof told her:" → Roof).

    >>> speaker_in_clause("Zelensky told reporters:", side="before", language="en")
    'Zelensky'
    >>> speaker_in_clause("за словами Володимира Зеленського,", side="before", language="uk")
    'Володимир Зеленський'
    """
    statement = _STATEMENT.search(clause)
    if statement:
        # "— говорится в сообщении Минобороны": the document names its author; else "it",
        # settled against the text.
        words = [t.text for t in _tokens(clause[statement.end() :])[:4] if t.is_word]
        return _document_author(words, language) or "it"
    inverted = _STATEMENT_INVERTED.search(clause)
    if inverted and _is_document(inverted.group("document")):
        # "В постановлении суда говорится, что …": the same, with the document first.
        words = [t.text for t in _tokens(clause[inverted.start("document") :])[:4] if t.is_word]
        return _document_author(words, language) or "it"
    # A verb inside an earlier quote is someone's words ("лідер "визнає поразку", якщо").
    verbs = [v for v in _verbs(clause, language) if not len(_MARK.findall(clause, 0, v.start)) % 2]
    if not verbs and side == "after":
        return dash_signature(clause)
    speaker = _speaker_by_verbs(clause, verbs, side, language)
    # "Издание отмечает", "— пишет агентство": the outlet the text named before, found as
    # a statement's author is.
    return _OUTLET if speaker and _is_outlet_noun(speaker, language) else speaker


# "«…» — Песков.", "«…», — глава МИД России Сергей Лавров": a dash, a few words ending the
# sentence, the last of them capitalised. Headlines sign quotes so, with no verb at all.
_SIGNATURE = re.compile(r"^\s*,?\s*[—–-]\s*(?P<words>[^\W\d_][\w'’ -]*?)\s*[.!…]?\s*$")


def dash_signature(clause: str) -> str | None:
    """The name that signs a quote after a dash, with no verb between them: the last run
    of capitalised words, or the person closing it.

    >>> dash_signature(" — Песков."), dash_signature(", — глава МИД России Сергей Лавров")
    ('Песков', 'Сергей Лавров')
    >>> dash_signature(" — Минобороны РФ"), dash_signature(" — источник Москвача.")
    ('Минобороны РФ', 'источник Москвача')
    >>> dash_signature(" — и это не всё.") is None
    True
    """
    match = _SIGNATURE.match(clause)
    words = match.group("words").split() if match else []
    if not words or len(words) > 7 or not words[-1][:1].isupper():
        return None
    run = list(itertools.takewhile(lambda w: w[:1].isupper(), reversed(words)))[::-1]
    if len(words) > len(run) and not words[0][:1].islower():
        return None
    person = list(itertools.takewhile(is_person_name, reversed(run)))[::-1]
    if person:
        return " ".join(person)
    if len(run) > 3:
        return None
    # "— источник Москвача": a described source of the body named, not the body.
    return " ".join(words if len(words) > len(run) else run)


def _is_outlet_noun(speaker: str, language: str) -> bool:
    if language not in {"uk", "ru"} or " " in speaker:
        return False
    return bool({p.normal_form for p in parses(speaker.lower(), language)} & _OUTLET_NOUNS)


_OUTLET = "it (outlet)"  # a clause's speaker that is the outlet the text named before
_OUTLET_NOUNS = frozenset(
    "издание агентство газета телеканал журнал портал видання агенція агентство газета"
    " телеканал журнал портал радиостанция радіостанція".split()
)


def _speaker_by_verbs(clause: str, verbs: list[SpeechVerb], side: str, language: str) -> str | None:
    if verbs and side == "before":
        # "Лавров добавил, что партнеры выступили против «…»": the quote sits in what the
        # verb before "что/що" reports, so that verb's subject speaks.
        that = [m.start() for m in _THAT.finditer(clause)]
        framing = [v for v in verbs if that and v.end <= that[-1]]
        return _speaker_near_verb(clause, (framing or verbs)[-1], side, language)
    if verbs and side == "after" and _own_clause(clause[: verbs[0].start]):
        # "«…» были брошены сразу после того, как Каллас назвала …": a verb inside a clause
        # of its own reports something else; "…«…» для обороны, заявил X" still attributes.
        return None
    if verbs:
        return _speaker_near_verb(clause, verbs[0], side, language)
    if side == "before" and clause.rstrip().endswith(":"):
        # "Песков: «…»" — a bare name and a colon introduce the quote; a place before the
        # colon ("…его в Москву:") does not, and then the sentence's subject speaks.
        tokens = _tokens(clause)
        topic = _speaker_on_topic(tokens, language)
        if topic:
            return topic
        name = _name_before(tokens, len(clause.rstrip()) - 1, strict=True)
        if name and not _after_preposition(tokens, name):
            return name  # put in the dictionary form with every speaker (speaker_form)
        if any(_is_verbish(t.text) and not t.is_capitalised for t in tokens):
            return _sentence_subject(tokens, len(clause))
        return None
    return None


def _speaker_on_topic(tokens: list[_Token], language: str) -> str | None:
    """"Песков о переговорах с Киевом:", "Шойгу — о ситуации на фронте:": a headline's
    person in the nominative, then "о/об/про" and the topic, then the colon."""
    run = [t.text for t in _run_from(tokens, 0)]
    rest = tokens[len(run) :]
    if rest and rest[0].text in {"—", "–"}:
        rest = rest[1:]
    if not run or not rest or rest[0].text.lower() not in {"о", "об", "про", "обо"}:
        return None
    name = " ".join(run)
    return name if is_person_name(name) and speaker_form(name, language) == name else None


def _after_preposition(tokens: list[_Token], name: str) -> bool:
    """The name closes a preposition's phrase: "в Telegram", or with the noun the
    preposition governs between them, "в интервью Kyodo", "в ефірі CNN"."""
    words = [t.text for t in tokens if t.is_word]
    size = len(name.split())
    if len(words) > size and words[-size - 1].lower() in _PREPOSITIONS:
        return True
    return (len(words) > size + 1 and words[-size - 1].islower()
            and words[-size - 2].lower() in _PREPOSITIONS)


def _governed(tokens: list[_Token], name: str) -> bool:
    """``name`` ends ``tokens`` right after a preposition, or after one and a lower-case
    word ("в своем Telegram-канале")."""
    words = [t.text for t in tokens if t.is_word]
    size = len(name.split())
    if words[-size:] == name.split():
        prior = words[:-size]
    else:
        # "в эфире «Первого канала» заявил": the name sits inside the last few words.
        starts = [i for i in range(max(0, len(words) - 4), len(words)) if words[i : i + size] == name.split()]
        prior = words[: starts[-1]] if starts else []
    return bool(prior) and (
        prior[-1].lower() in _PREPOSITIONS
        or (len(prior) >= 2 and prior[-2].lower() in _PREPOSITIONS and prior[-1].islower())
        # "в интервью телеканалу Sky News назвал": a medium the noun before it governs.
        or (prior[-1].islower() and is_dative_noun(prior[-1]) and not is_person_name(name))
    )


def _sentence_subject(tokens: list[_Token], offset: int) -> str | None:
    """The first name (or role) in the clause before ``offset`` that no preposition governs:
    "Анзоров успел опубликовать обращение к Макрону, в котором объяснил" → Анзоров."""
    words = [t for t in tokens if t.start < offset]
    person = _person_before_verb(words)
    if person:
        return person
    governed = _governed_flags(words)
    for index, token in enumerate(words):
        after_preposition = governed[index]
        function_word = token.text.lower() in _PREPOSITIONS or token.text.lower() in _NOT_NAME
        if not token.is_capitalised or after_preposition or is_no_name(token.text):
            continue
        if function_word and not is_title(token.text):
            continue
        if is_title(token.text):
            return _role_phrase(words[index:])
        if index and words[index - 1].is_word and is_title(words[index - 1].text):
            # "мав на увазі президент Білорусі, який оголосив": the office, not the country.
            return _role_phrase(words[index - 1 :])
        name = _body_from(words, index) or strip_titles([t.text for t in _run_from(words, index)])
        if name and not is_pronoun(name):
            return name
    return None


def _governed_flags(words: list[_Token]) -> list[bool]:
    """For each token: a preposition governs it, or the capitalised run it belongs to
    ("в Северном Остине": both words)."""
    flags: list[bool] = []
    for index, token in enumerate(words):
        flags.append(bool(index) and (
            words[index - 1].text.lower() in _PREPOSITIONS
            or (flags[-1] and words[index - 1].is_capitalised and token.is_capitalised)
        ))
    return flags


def _person_before_verb(words: list[_Token]) -> str | None:
    """"Державний секретар штату Аризона Кеті Хоббс назвала…" → Кеті Хоббс: a Ukrainian or
    Russian person's name (pymorphy3 name tags) ahead of the first verb, not after a
    preposition, is the subject even when a capitalised office opens the sentence."""
    run: list[str] = []
    governed = _governed_flags(words)
    for index, token in enumerate(words):
        if token.is_word and token.is_capitalised and not (governed[index] and not run):
            run.append(token.text)
            continue
        if run and is_person_name(" ".join(run[-3:])):
            return _person_part(run)
        run = []
        if is_verb(token.text) and not token.is_capitalised:
            return None
    return _person_part(run) if run and is_person_name(" ".join(run[-3:])) else None


def _person_part(run: list[str]) -> str:
    """The name at the end of a capitalised run ("Аризона Кеті Хоббс" → "Кеті Хоббс")."""
    for start in range(max(0, len(run) - 3), len(run)):
        if is_person_name(run[start]) or start == len(run) - 1:
            return " ".join(run[start:])
    return run[-1]


def _opening_name(tokens: list[_Token], offset: int) -> str | None:
    """The name (or office) that opens the sentence, when one does."""
    first = tokens[0] if tokens and tokens[0].start < offset else None
    if first is None or not first.is_capitalised or first.text.lower() in _PREPOSITIONS:
        return None
    person = _person_before_verb([t for t in tokens if t.start < offset])
    if person:
        return person  # "Военный эксперт Иван Петров в беседе с … объяснил" → the person
    if is_title(first.text):
        return _role_phrase(tokens)
    name = _body_from(tokens, 0) or strip_titles([t.text for t in _run_from(tokens, 0)])
    return name if name and not is_pronoun(name) else None


def _body_from(tokens: list[_Token], index: int) -> str | None:
    """The institution the words from ``index`` name ("Господарський суд Києва"), if any."""
    words = [t.text for t in itertools.takewhile(lambda t: t.is_word, tokens[index : index + 6])]
    return _institution_at(words, guess_language(" ".join(words))) if words else None


def _run_from(tokens: list[_Token], index: int) -> list[_Token]:
    run = []
    for token in tokens[index:]:
        if not (token.is_word and token.is_capitalised):
            break
        run.append(token)
    return run[:4]


def _role_phrase(tokens: list[_Token]) -> str | None:
    """"Глава администрации округа пообещал" → "глава администрации округа": an office
    and the lower-case words that complete it, up to the first verb or punctuation."""
    words: list[str] = []
    for token in tokens[:4]:
        lower = token.text.lower()
        if not token.is_word or (words and (_is_verbish(token.text) or lower in _ROLE_STOP)):
            break
        words.append(token.text)
    if not words:
        return None
    rest = tokens[len(words) : len(words) + 2]
    if len(words) == 1 and len(rest) == 2 and rest[0].text.lower() in {"в", "у", "во"} and is_locative(rest[1].text):
        words += [t.text for t in rest]  # "источник в ведомстве": where the source sits
    return words[0][:1].lower() + words[0][1:] + "".join(" " + w for w in words[1:])


def _is_verbish(word: str) -> bool:
    """Past-tense verbs and English finite verbs end so; names and genitive nouns rarely."""
    lower = word.lower()
    return lower.endswith(("л", "ла", "ли", "в", "ed", "s")) and not is_title(word) or (
        lower in {"said", "told", "has", "had", "was", "is"}
    )


def subject_of(sentence: str, language: str) -> str | None:
    """Who a non-quote sentence is about: the name before its speech verb, else its first
    name. Used to resolve "he said" after a sentence that introduces the speaker; a pronoun
    comes back as such ("She said her husband…" is still about the earlier "she").

    >>> subject_of("AFP news director Phil Chetwynd reiterated his call.", "en")
    'Phil Chetwynd'
    """
    tokens = _tokens(sentence)
    by_verb = _name_by_verb(sentence, tokens, language)
    if by_verb and not is_pronoun(by_verb):
        return by_verb
    runs = _capitalised_runs(tokens)
    # Without a speech verb only a full name will do: a lone capitalised word is as likely
    # a country or a city ("accused Ukraine") as a person.
    full_names = [
        run for run in runs
        if " " in run and not is_pronoun(run) and not _governed_in(sentence, run)
        and speaker_form(run, language) is not None  # "После Украине": no one
    ]
    if full_names:
        return full_names[0]
    pronoun = by_verb or (runs[0] if runs else None)
    return pronoun if is_pronoun(pronoun) else None


def _governed_in(sentence: str, run: str) -> bool:
    """Every mention of ``run`` follows a preposition ("в Северном Остине"): a place."""
    mentions = [m.start() for m in re.finditer(re.escape(run), sentence)]
    return bool(mentions) and all(
        (sentence[:at].split()[-1:] or [""])[0].lower() in _PREPOSITIONS for at in mentions
    )


def _name_by_verb(sentence: str, tokens: list[_Token], language: str) -> str | None:
    verbs = list(_verbs(sentence, language))
    if not verbs:
        return None
    # Only a sentence-initial name stands in as subject here: "In the White House, she
    # said" is about "she", not the place.
    before = _name_before(tokens, verbs[0].start)
    if before and not is_pronoun(before) and _governed([t for t in tokens if t.start < verbs[0].start], before):
        before = None
    before = before or _opening_name(tokens, verbs[0].start)
    # "назвал новые поставки ПВО «…»": what is named follows the verb, never who names it.
    after = None if _NAMING.match(verbs[0].text) else _name_after(tokens, verbs[0].end)
    # "Про це повідомляє пресслужба Мінцифри": a name right after the verb beats a lone
    # capitalised word that merely opens the sentence; one further on is an object.
    near = [t for t in tokens if t.start >= verbs[0].end][:2]
    # "Финляндия не планирует …, заявил посол Антти Хяккинен": a verb led by a comma or a
    # dash reports what came before it, and its subject follows it.
    led = [t.text for t in tokens if t.start < verbs[0].start][-1:]
    inverted = any(t.is_capitalised for t in near) or led in ([","], ["—"], ["–"])
    ordered = (before, after) if before and (" " in before or not inverted) else (after, before)
    named = [name for name in ordered if name and not is_pronoun(name)]
    return named[0] if named else (before or after)


def _verbs(clause: str, language: str) -> list[SpeechVerb]:
    if not _TWO_LETTERS.search(clause):
        return []  # nothing to find
    return find_speech_verbs(clause, language)


def _speaker_near_verb(
    clause: str, verb: SpeechVerb, side: str = "after", language: str = "en"
) -> str | None:
    lead_words = verb.text.lower().split()
    pronoun = next(
        (_POSSESSIVE_TO_PRONOUN[w] for w in lead_words if w in _POSSESSIVE_TO_PRONOUN), None
    )
    if pronoun:
        return pronoun
    tokens = _tokens(clause)
    # "Как заявила…", "Як повідомили…": a capitalised conjunction is nobody.
    after, before = (
        None if name is None or (not is_pronoun(name) and is_no_name(name)) else name
        for name in (_name_after(tokens, verb.end), _name_before(tokens, verb.start))
    )
    if _NAMING.match(verb.text):
        after = None  # "назвал поставки ПВО «…»": the thing named, not who names it
    # "X said" is the norm, but an explicit name after the verb ("said Peskov",
    # "заявил Песков") is the inverted order and wins; after "told" the name that
    # follows is the listener ("Peskov told Reuters").
    if after and verb.text.lower().startswith(_CITING):
        # "— цитирует Лаврова ТАСС": the one quoted, not the agency quoting him.
        quoted = [w for w in itertools.takewhile(is_person_name, after.split())]
        after = " ".join(quoted) or after
    body = _body_before(tokens, verb.start)
    if body and before and _inside_body(tokens, verb.start, before):
        before = body
    elif before and not is_pronoun(before) and _governed([t for t in tokens if t.start < verb.start], before):
        before = None  # "Смирнов в своем Telegram-канале написал": where, not who
    if language in {"uk", "ru"}:
        if before and not is_pronoun(before) and speaker_form(before, language) is None:
            before = None  # "Такое мнение высказал политолог …": no one
        before, after = _listener_aside(tokens, verb, language, before, after)
    if before and place_disagrees(before, verb.text):
        before = None  # "…, штат Мичиган, которая … сказала": an apposition's place, not her
    relative = _relative_antecedent(tokens, verb) if before is None else None
    if relative:
        return relative  # "…жителем Грегори Эндрюсом, который сказал 7NEWS": not the listener
    if after is None and _GENITIVE_TRIGGER.search(verb.text):
        after = _described_source(tokens, verb.end)
    speaker = after or before
    # Before a quote, words after a plain verb are often what was said ("Kallas said EU
    # states will meet"), so the name before the verb wins; leads ("по словам") differ.
    lead = len(verb.text.split()) > 1
    if before and (verb.text.lower() in {"told", "tells"} or (side == "before" and not lead)):
        speaker = before
    if speaker and speaker is after and _GENITIVE_TRIGGER.search(verb.text):
        return to_nominative(speaker)
    if speaker:
        return speaker
    if body:
        return body
    common = _common_subject(clause, verb, language) if language in {"uk", "ru"} else None
    if common:
        return common
    # No name next to the verb: the subject of its own comma-clause ("но Анвар Ибрагим
    # покачал головой и запротестовал"), else of the sentence ("Анзоров успел
    # опубликовать обращение…, в котором объяснил").
    commas = [i for i, t in enumerate(tokens) if t.text == "," and t.start < verb.start]
    own_clause = tokens[commas[-1] + 1 :] if commas else tokens
    return _sentence_subject(own_clause, verb.start) or _sentence_subject(tokens, verb.start)


# Verbs whose object follows them: what is named, whom one accuses ("звинуватив Газпром").
_NAMING = re.compile(r"(?:назва|называ|назива|обвин|звинува|звинувачу)", re.IGNORECASE)
_MARK = re.compile("[«»\"“”„]")


def _common_subject(clause: str, verb: SpeechVerb, language: str) -> str | None:
    """A source named by a common noun rather than a name, read by grammar: the noun next
    to the verb that agrees with it as its subject ("экипаж заявил", "как считает
    правительство", "— сообщил РИА Новости источник"), with the genitive words that
    complete it ("представитель ведомства"); else, for a plural verb with no subject, the
    body it is said in ("В Госдепартаменте считают" → Госдепартамент)."""
    tokens = _tokens(clause)
    before = _own_clause_before(tokens, verb)
    following = list(itertools.takewhile(lambda t: t.is_word, (t for t in tokens if t.start >= verb.end)))
    found = _subject_before(before, verb.text, language) or _subject_after(following, verb.text, language)
    if found is None and is_plural_verb(verb.text):
        where = [i for i, t in enumerate(before) if t.text.lower() in {"в", "у", "во"}]
        return _organisation(before[where[0] + 1 :]) if where else None
    return found


def _speaks(word: str, verb: str, language: str) -> bool:
    return agrees_as_subject(word, verb, language) and (can_speak(word, language) or is_title(word.lower()))


def _subject_before(words: list[_Token], verb: str, language: str) -> str | None:
    """"представитель ведомства также заявил": back over adverbs and up to two genitive
    words to the noun that agrees with the verb."""
    end = len(words)
    while end and is_no_name(words[end - 1].text):
        end -= 1
    for index in range(end - 1, max(end - 6, -1), -1):
        word = words[index]
        governed = index and words[index - 1].text.lower() in _PREPOSITIONS
        if is_person_name(word.text) or (word.is_capitalised and index and not governed):
            return None  # names are read as names, and a capital mid-clause is one
        if not governed and _speaks(word.text, verb, language):
            return _as_description([t.text for t in words[index:end]])
        # Only the subject's complement stands between: genitive words ("представитель
        # ведомства") or a prepositional phrase ("источник в силовых структурах").
        if not (is_genitive(word.text, language) or governed or word.text.lower() in _PREPOSITIONS
                or _after_preposition_word(words, index)):
            return None
    return None


def _after_preposition_word(words: list[_Token], index: int) -> bool:
    """The word is the noun of a preposition's phrase ("в силовых структурах")."""
    return index >= 2 and words[index - 2].text.lower() in _PREPOSITIONS


def _subject_after(words: list[_Token], verb: str, language: str) -> str | None:
    """"— сказал источник", "сообщил РИА Новости источник": the first noun after the verb
    that agrees with it, past capitalised words (the outlet told), up to four words on."""
    for index, token in enumerate(words[:4]):
        if token.is_capitalised:
            continue
        if not _speaks(token.text, verb, language):
            return None
        rest = words[index + 1 : index + 4]
        if rest and rest[0].text.lower() in {"в", "у", "во"} and is_title(token.text):
            return _as_description([token.text, *(t.text for t in rest)])  # "источник в ведомстве"
        kept = itertools.takewhile(lambda t: is_genitive(t.text, language), rest[:2])
        return _as_description([token.text, *(t.text for t in kept)])
    return None


def _listener_aside(
    tokens: list[_Token], verb: SpeechVerb, language: str, before: str | None, after: str | None
) -> tuple[str | None, str | None]:
    """"Источник в ведомстве рассказал ТАСС", "— рассказал ТАСС источник": a common noun
    agreeing with the verb is its subject, and the outlet beside it only listened."""
    own = _own_clause_before(tokens, verb)
    subject = None if before else _subject_before(own, verb.text, language)
    if subject:
        return subject, None  # whatever follows the verb only listened
    following = list(itertools.takewhile(lambda t: t.is_word, (t for t in tokens if t.start >= verb.end)))
    institution = after is not None and _institution_at(after.split(), language) is not None
    if after and not (is_person_name(after) or institution) and following and following[0].is_capitalised:
        rest = list(itertools.dropwhile(lambda t: t.is_capitalised, following))
        if is_plural_verb(verb.text) and len(rest) > 1 and rest[0].text.lower() in {"в", "у", "во"}:
            # "сообщили РИА Новости в пресс-службе ведомства": the body, not the outlet told
            return before, _organisation(rest[1:]) or after
        listener_then_subject = _subject_after(following, verb.text, language)
        if listener_then_subject:
            return before, listener_then_subject
    return before, after


def _own_clause_before(tokens: list[_Token], verb: SpeechVerb) -> list[_Token]:
    """The words between the last punctuation mark before the verb and the verb."""
    start = max((i + 1 for i, t in enumerate(tokens) if t.start < verb.start and not t.is_word), default=0)
    return [t for t in tokens[start:] if t.start < verb.start]


def _relative_antecedent(tokens: list[_Token], verb: SpeechVerb) -> str | None:
    """"…, который сказал": "который" stands for the name before its comma."""
    preceding = [t for t in tokens if t.start < verb.start]
    while preceding and is_no_name(preceding[-1].text):
        preceding.pop()  # "который также сказал"
    if len(preceding) < 3 or preceding[-1].text.lower() not in _RELATIVE or preceding[-2].text != ",":
        return None
    return _name_before(preceding[:-2], preceding[-2].start)


_RELATIVE = frozenset("который которая которые який яка які who".split())


def _described_source(tokens: list[_Token], offset: int) -> str | None:
    """"по словам ганского богослова", "за словами співрозмовника агентства": an unnamed
    source after a genitive lead, as the words that describe it (adjectives, then a
    person noun, then its genitive complement)."""
    words = list(itertools.takewhile(lambda t: t.is_word, (t for t in tokens if t.start >= offset)))[:4]
    language = guess_language(" ".join(t.text for t in words))
    if words and not words[0].is_capitalised and _is_outlet_noun(words[0].text, language):
        return _OUTLET  # "за інформацією телеканалу": the outlet named before
    # "по словам дипломата", and for data a body too: "за даними комісії", "по данным
    # ведомства".
    nouns = [
        i for i, t in enumerate(words)
        if not t.is_capitalised and (is_animate_noun(t.text) or is_office_noun(t.text, language))
    ]
    if not nouns or not all(is_adjective(t.text) for t in words[: nouns[0]]):
        return None
    end = nouns[0] + 1
    while end < len(words) and is_genitive(words[end].text, language):
        end += 1
    # In the nominative, so that a bare office ("дипломата") resolves to the person named.
    phrase = " ".join(t.text for t in words[:end])
    return speaker_form(phrase, language) or phrase




def _as_description(words: list[str]) -> str:
    """A common-noun source in lower case even where it opens a sentence ("Суд" → "суд")."""
    first = words[0]
    if first[1:2].islower() and not is_person_name(first):
        first = first[:1].lower() + first[1:]
    return " ".join([first, *words[1:]])


def _own_clause(lead: str) -> bool:
    """A subordinate clause with its own subject opens before the verb ("…, как новая глава
    службы Кая Каллас назвала"); "…, как заявил X" or "как ранее сообщил" is no such clause."""
    found = list(_SUBORDINATE.finditer(lead))
    return bool(found) and len(lead[found[-1].end() :].split()) >= 2


_SUBORDINATE = re.compile(
    r"(?<!\w)(?:как|когда|который|которая|которые|которого|пока|если|чтобы|як|коли|який|яка"
    r"|які|якого|поки|якщо|щоб)(?!\w)",
    re.IGNORECASE,
)
_THAT = re.compile(r",\s*(?:что|що)(?!\w)", re.IGNORECASE)
_CITING = ("цитир", "цитув", "процитир", "процитув", "quot")


def _tokens(clause: str) -> list[_Token]:
    """Words and punctuation; a full stop stays on initials and abbreviations ("H.",
    "Rep.", by the shared table), so "Peskov." is the word "Peskov" and a full stop."""
    tokens = []
    for match in _TOKEN.finditer(clause):
        word = match.group(0)
        if word.endswith(".") and not abbreviation_before(clause, match.end() - 1):
            tokens.append(_Token(word[:-1], match.start()))
            tokens.append(_Token(".", match.end() - 1))
        else:
            tokens.append(_Token(word, match.start()))
    return tokens


def _name_after(tokens: list[_Token], offset: int) -> str | None:
    """The last capitalised run (or a pronoun) in the stretch right after the verb."""
    stretch: list[_Token] = []
    following = [t for t in tokens if t.start >= offset]
    if len(following) >= 2 and following[0].text.lower() in {"в", "у", "во"}:
        # "написал в Telegram-канале губернатор области X": where it was said, then who.
        speaker = _speaker_past_place(following[1:])
        # "отметили в Нацполиции", "в городском совете": an organisation, in the locative.
        return speaker or _organisation(following[1:])
    if len(following) >= 2 and not following[0].is_capitalised and is_dative_noun(following[0].text):
        following = following[1:]  # "сообщил агентству источник": the listener, then who
    lead = following[:2] if following and not following[0].is_capitalised else []
    adjective_then_office = len(lead) == 2 and lead[0].is_word and is_title(lead[1].text)
    if lead and (is_title(lead[0].text) or adjective_then_office):
        # "объявил президент Франции", "заявил венгерский министр": a role, not a name,
        # unless the person holding it closes the phrase ("посол страны в Москве Мартин
        # Андерсен").
        return _holder_closing(following) or _role_phrase(following)
    for token in following:
        if not token.is_word or token.text.lower() in _STOP_AFTER:
            break
        stretch.append(token)
    if stretch and is_pronoun(stretch[0].text):
        return stretch[0].text
    words = [t.text for t in stretch]
    body = _institution_at(words, guess_language(" ".join(words)))
    if body:
        return body  # "— постановил Арбитражный суд": the whole name, not its adjective
    runs = _capitalised_runs(stretch)
    if runs and not stretch[0].is_capitalised and (
        is_oblique_person(runs[-1]) or _is_document(stretch[0].text)
    ):
        return None  # "прокомментировали заявление Макрона": whose statement, not who spoke
    return runs[-1] if runs else None


def _holder_closing(following: list[_Token]) -> str | None:
    words = list(itertools.takewhile(lambda t: t.is_word, following))
    runs = _capitalised_runs(words)
    run = runs[-1].split() if runs else []
    if len(run) < 2 or not words[-1].is_capitalised or not is_person_name(" ".join(run)):
        return None
    return _person_part(run)


def _body_before(tokens: list[_Token], offset: int) -> str | None:
    """"Позже в министерстве иностранных дел Казахстана пояснили": the body the verb's
    impersonal plural points to, in the locative right before it."""
    preceding = [t for t in tokens if t.start < offset]
    starts = [i for i, t in enumerate(preceding) if t.text.lower() in {"в", "у", "во"}]
    stretch = preceding[starts[-1] + 1 :] if starts else []
    # A body in the locative ("в министерстве …"), not a medium ("в Telegram") nor a run
    # that goes on past a missing full stop ("в Telegram Также он указал").
    if not stretch or len(stretch) > 5 or not is_locative(stretch[0].text):
        return None
    if any(is_place(t.text, "uk") or is_place(t.text, "ru") for t in stretch[:1]):
        return None  # "в Страсбурзі заявив": where, not who
    if not all(t.is_word and not is_pronoun(t.text) for t in stretch):
        return None
    if any(t.is_capitalised and is_person_name(t.text) for t in stretch[1:]):
        return None  # "В Кремле Песков заявил": where he said it, and he said it
    return _organisation(stretch)


def _inside_body(tokens: list[_Token], offset: int, name: str) -> bool:
    """Is ``name`` one of the words after the last "в/у" before the verb ("в министерстве
    … Казахстана пояснили": Казахстана belongs to the body)?"""
    preceding = [t for t in tokens if t.start < offset]
    starts = [i for i, t in enumerate(preceding) if t.text.lower() in {"в", "у", "во"}]
    return bool(starts) and name.split()[-1] in [t.text for t in preceding[starts[-1] + 1 :]]


def _speaker_past_place(tokens: list[_Token]) -> str | None:
    """A role or a person's name a few words after "в …" ("в своем Telegram-канале
    Вячеслав Гладков", "в ефірі телемарафону речник Повітряних сил"), before any comma."""
    for index, token in enumerate(tokens[:5]):
        if not token.is_word:
            return None
        run = [t.text for t in _run_from(tokens, index)]
        if token.is_capitalised and is_person_name(" ".join(run[-3:])):
            return _person_part(run)
        if index and not token.is_capitalised and is_title(token.text):
            # The office, or the person named right after it ("речник Повітряних сил Юрій Ігнат").
            return _person_before_verb(tokens[index : index + 7]) or _role_phrase(tokens[index:])
    return None


def _organisation(tokens: list[_Token]) -> str | None:
    words = []
    for token in tokens[:6]:
        if not token.is_word or token.text.lower() in _STOP_AFTER:
            break
        words.append(token.text)
    language = guess_language(" ".join(words))
    office = organisation_in_locative(words, language)
    if office:
        return office
    body = _institution_at(words, language)
    if body is not None:  # "в Воздушных силах ВСУ": the body, and the name it governs
        return body
    return _document_author(words, language) or (
        _locative_to_nominative(words[0]) if words and words[0][:1].isupper() else None
    )


def _institution_at(words: list[str], language: str) -> str | None:
    """The body that ``words`` open, named by adjectives and an institution noun, with the
    name or acronym it governs: "Воздушных силах ВСУ", "Арбитражный суд Москвы"."""
    body = next((size for size in range(2, 5) if is_institution(words[:size], language)), None)
    if body is None:
        return None
    tail = list(itertools.takewhile(lambda w: w[:1].isupper(), words[body : body + 2]))
    return " ".join(words[:body] + tail)


def _document_author(words: list[str], language: str) -> str | None:
    """"заявлении Минобороны России", "повідомленні Нафтогазу", "сообщении Службы внешней
    разведки": the document's author, with the words in the genitive it governs."""
    if len(words) >= 2 and words[0].islower() and words[1][:1].isupper() and _is_document(words[0]):
        tail = list(itertools.takewhile(lambda w: _governed_by_name(w, language), words[2:5]))
        return " ".join(words[1:2] + tail)
    return None


def _governed_by_name(word: str, language: str) -> bool:
    """A word that goes on a body's name: a capitalised one ("России", "ВСУ") or one in the
    genitive ("обороны", "внешней разведки", "безпеки")."""
    return word[:1].isupper() or is_genitive(word, language)


_DOCUMENT_STEMS = (
    "заявлени", "сообщени", "документ", "заяв", "повідомленн", "звернен", "обращени", "коментар",
    "комментари", "постановлени", "постанов", "решени", "рішенн", "ухвал", "письм", "листі",
    "записк", "резолюци", "резолюці", "доклад", "доповід", "отчет", "отчёт", "звіт",
)


def _is_document(word: str) -> bool:
    return word.lower().startswith(_DOCUMENT_STEMS)


def _name_before(tokens: list[_Token], offset: int, *, strict: bool = False) -> str | None:
    """The capitalised run (or pronoun) ending just before the verb, skipping appositions.

    "Dmitry Peskov, the Kremlin spokesman, said" credits Peskov, not the Kremlin.
    """
    preceding = [t for t in tokens if t.start < offset]
    preceding = _drop_trailing_apposition(preceding)
    if strict and not (preceding and preceding[-1].is_capitalised):
        return None
    stretch: list[_Token] = []
    for token in reversed(preceding):
        if not token.is_word or (stretch and not token.is_capitalised):
            break
        stretch.insert(0, token)
    if stretch and is_pronoun(stretch[-1].text):
        return stretch[-1].text
    stretch = _past_preposition(preceding[: len(preceding) - len(stretch)][-1:], stretch)
    body = _institution_before(preceding, stretch)
    if body:
        return body
    runs = _capitalised_runs(stretch)
    if runs and stretch[0].is_capitalised and is_title(stretch[0].text) and (
        _is_governed(runs[-1])
        # "Представитель Ивана Сорокина сказал": the spokesman of a person, not the person.
        or (is_person_noun(stretch[0].text.lower()) and _oblique(runs[-1]))
    ):
        # "Речник Пентагону зауважив": the office of a body, not the body.
        return stretch[0].text.lower() + " " + runs[-1]
    if len(stretch) >= 2 and is_title(stretch[0].text) and not any(
        is_person_name(t.text) for t in stretch[1:] if t.is_capitalised
    ):
        return _as_description([t.text for t in stretch])  # "Представник Білого дому сказав"
    if len(stretch) >= 2 and not stretch[-1].is_capitalised and is_title(stretch[-1].text) and all(
        is_adjective(t.text) for t in stretch[:-1]
    ):
        return _as_description([t.text for t in stretch])  # "Турецкий лидер заявил"
    if runs:
        return _office_of(preceding[: len(preceding) - len(stretch)], runs[-1])
    # "the US President said": titles only, so the role speaks.
    titles = [t.text for t in stretch if t.text.lower() not in {"the", "a", "an"}]
    return " ".join(titles) if any(is_title(t) for t in titles) else None


def _institution_before(preceding: list[_Token], stretch: list[_Token]) -> str | None:
    """A body named by adjectives and an institution noun, with the name or acronym it
    governs, ending just before the verb: "Сухопутные войска", "Британская военная
    разведка", "Воздушные силы ВСУ" (whose capitalised run alone would credit "ВСУ"),
    "Національна гвардія" (not "Національна")."""
    tail = [] if not stretch or not stretch[-1].is_capitalised or len(stretch) > 2 else stretch
    if tail and is_person_name(" ".join(t.text for t in tail)):
        return None  # "Речник Повітряних сил Юрій Ігнат": the person speaks
    end = len(preceding) - len(tail)
    for start in range(max(0, end - 4), end - 1):
        head = preceding[start:end]
        if all(t.is_word for t in head) and _is_institution([t.text for t in head]):
            return " ".join(t.text for t in head + tail)
    return None


def _is_institution(words: list[str]) -> bool:
    return is_institution(words, guess_language(" ".join(words)))


def _past_preposition(previous: list[_Token], stretch: list[_Token]) -> list[_Token]:
    """The name after a preposition and the word it governs ("в Раді Венедіктова", "В
    Кремле Песков" → the name); ``previous`` is the token before the run, if any."""
    words = previous + stretch
    cuts = [index + 2 for index, token in enumerate(words[:-2]) if token.text.lower() in _PREPOSITIONS]
    if not cuts:
        return stretch
    # A person's name, or anything after a place in the locative ("в Раді"), splits off;
    # "с РИА Новости" is one name the preposition governs.
    rest = words[cuts[-1] :]
    name = " ".join(t.text for t in rest)
    governed = words[cuts[-1] - 1].text
    split = is_person_name(name) or (
        not governed.isupper() and can_be_locative(governed)  # an acronym reads as any case
        and speaker_form(name, guess_language(name)) == name  # "в Минобороны России": one body
    )
    return rest if split else stretch


def _office_of(earlier: list[_Token], name: str) -> str:
    """"The head of the Kremlin" is an office, not the Kremlin: a name governed by "of"
    after an office noun makes the whole phrase the speaker."""
    words = [t.text for t in earlier[-3:]]
    while words and words[-1].lower() in {"the", "a", "an"}:
        words.pop()
    if len(words) >= 2 and words[-1].lower() == "of" and is_title(words[-2]):
        return f"{words[-2].lower()} of the {name}"
    if words and words[-1][:1].islower() and is_title(words[-1]) and _is_governed(name):
        # "президент Білорусі, який оголосив": the office of a country or body speaks.
        return f"{words[-1]} {name}"
    if words and is_person_noun(words[-1]) and _oblique(name):
        # "представитель Марка Макгоуэна сказал": his spokesman speaks, not he.
        return f"{words[-1][:1].lower()}{words[-1][1:]} {name}"
    return name


def _oblique(name: str) -> bool:
    """A person's name with a word read only in an oblique case ("Ивана Сорокина": the
    surname alone could be a woman's in the nominative, the first name cannot)."""
    return any(is_oblique_person(word) for word in name.split())


def _is_governed(name: str) -> bool:
    """A Cyrillic name that is no person and not in the nominative ("Білорусі", "Кремля")."""
    words = name.split()
    language = guess_language(name)
    return bool(re.search(r"[а-яёіїєґ]", name, re.IGNORECASE)) and not is_person_name(name) and (
        speaker_form(words[0], language) != words[0]
    )


def _drop_trailing_apposition(tokens: list[_Token]) -> list[_Token]:
    if len(tokens) < 3 or tokens[-1].text != ",":
        return tokens
    for index in range(len(tokens) - 2, max(len(tokens) - 12, -1), -1):
        if tokens[index].text == ",":
            return tokens[:index]
    return tokens[:-1]


def _capitalised_runs(tokens: list[_Token]) -> list[str]:
    """Runs of capitalised words with leading titles dropped: "President Zelensky" → Zelensky."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        if token.is_capitalised:
            runs[-1].append(token.text)
        elif runs[-1]:
            runs.append([])
    names = [strip_titles(run) for run in runs if run]
    return [name for name in names if name]


def _locative_to_nominative(word: str) -> str:
    """"Нацполиции" → "Нацполиция", "Автодоре" → "Автодор": orgs after "в"."""
    for ending, nominative in (("ии", "ия"), ("ії", "ія"), ("ции", "ция"), ("е", ""), ("і", "")):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + nominative
    return word


_MENTION_WINDOW = 500
_CLAUSE_TAIL = 200


def resolve_speakers(text: str, quotes: list[Quote], language: str) -> list[Quote]:
    """Settle what the clauses left open, in reading order.

    * a pronoun ("he said", "вона зазначила") or "the statement said" → the person the text
      named last whose gender fits the pronoun: the subject of the sentences since the
      previous quote if there is one, else the latest fitting speaker;
    * a bare office ("заявил министр") likewise; an office with its domain ("президент
      Франции") → the person the text names in it, else the office as it stands;
    * no attribution at all → the previous quote's speaker when that quote is in the same
      or the preceding paragraph (a speaker's quotes often run on without repeating "said");
    * a name → its fullest form in the text ("Putin" → "Vladimir Putin", "Александр
      Григорьевич" → "Александр Лукашенко").

    >>> text = ('Vladimir Putin spoke.\\n"We are ready to talk," Putin said.\\n'
    ...         '"Now," he said, "or never."')
    >>> [q.speaker for q in resolve_speakers(text, [Quote("We are ready", "Putin", 23),
    ...                                             Quote("Now or never.", "he", 58)], "en")]
    ['Vladimir Putin', 'Vladimir Putin']
    """
    names = NameIndex.build(text)
    resolved: list[Quote] = []
    for quote in quotes:
        previous = resolved[-1] if resolved else None
        speaker = quote.speaker
        if speaker == "it" and language in {"uk", "ru"}:
            # "— йдеться в повідомленні": the author of the statement the text has named.
            speaker = _statement_author(text, quote, previous, language, names)
        elif speaker == _OUTLET:
            # "Издание отмечает": the outlet named before, never a person it wrote about.
            outlet = _relaying_outlet(text, quote, language) or _statement_author(
                text, quote, previous, language, names
            )
            speaker = None if outlet is None or is_person_name(outlet) else outlet
        elif speaker and _GENERIC_BODY.match(speaker):
            # "зазначили у прес-службі компанії", "— пояснюється в коментарі НАК": the
            # company the text has named, as a statement's author is found.
            found = _statement_author(text, quote, previous, language, names)
            usable = found and not _GENERIC_BODY.match(found) and not is_person_name(found)
            speaker = found if usable else speaker
        elif is_pronoun(speaker) or (speaker and _is_bare_office(speaker)):
            found = _antecedent(text, quote, resolved, language, names)
            if speaker and _ANOTHER.match(speaker):
                found = None  # "другой менеджер": by its own words, not the one named before
            if speaker and not is_pronoun(speaker) and found and _is_bare_office(found):
                # "— говорит наш собеседник" after a quote by "другой менеджер": an
                # unnamed source points back to a name, never to another unnamed one.
                found = None
            speaker = found or (names.canonical(speaker) if speaker and not is_pronoun(speaker) else None)
        elif speaker is None and _answers_a_question(text, quote):
            # "— Как вы оцениваете …?\n— Перспективы туманные.": an interview's answer is
            # the interviewee's, the person the text has been about.
            speaker = _antecedent(text, quote, [], language, names)  # the question is no source
        elif speaker is None and previous and _near(text, previous, quote):
            speaker = previous.speaker
        elif speaker is None and quote.kind == "full":
            # "Силуанов отметил, что бюджет выполняется. «Дефицит не превысит …»": a quote
            # standing alone after a sentence of reported speech is its speaker's.
            speaker = _lead_in_speaker(text, quote, language, names)
        elif speaker is not None:
            speaker = names.canonical(speaker)
            if is_role(speaker) and _is_person_role(speaker):
                # "зампред Совбеза", "глава дипмиссии" with no name beside it: the person
                # the text has just been about, when there is one; else the role stays.
                named = _antecedent(text, replace(quote, speaker=None), resolved, language, names)
                if named and is_role(named):
                    # The role's own lead-in ("Глава МИД России сказал:"): look before it.
                    start = _sentence_start(text, quote.position)
                    earlier = replace(quote, speaker=None, position=start, end=quote.span[1])
                    named = _antecedent(text, earlier, resolved, language, names)
                close = previous.speaker if previous and _near(text, previous, quote) else None
                people = [p for p in (named, close) if p and is_person_name(p)]
                speaker = people[0] if people else speaker
        if (speaker is None or is_pronoun(speaker)) and language in {"uk", "ru"}:
            # "Он пояснил: «…». Об этом заявил президент Франции Эмманюэль Макрон.": the
            # sentence after the quote names who said it.
            speaker = _named_after(text, quote, language, names) or speaker
        resolved.append(replace(quote, speaker=speaker))
    return resolved


_ABOUT_THIS = re.compile(r"\s*(?:Об этом|О чём|О чем|Про це|Так|Такое мнение|Таку думку)\b", re.IGNORECASE)


def _named_after(text: str, quote: Quote, language: str, names: NameIndex) -> str | None:
    """The speaker of an "Об этом заявил X" / "Про це повідомив X" sentence right after
    the quote's own sentence, in the same paragraph."""
    end = quote.span[1]
    paragraph = text[end : text.find("\n", end) if "\n" in text[end:] else len(text)]
    sentences = split_sentences(paragraph)
    following = sentences[1] if len(sentences) > 1 else ""
    if not _ABOUT_THIS.match(following) or not _verbs(following, language):
        return None
    subject = subject_of(following, language)
    if subject is None or is_pronoun(subject) or not speaker_form(subject, language):
        return None
    return names.canonical(subject)


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence holding ``position`` starts."""
    window = text[max(0, position - _CLAUSE_TAIL) : position]
    return position - len(last_sentence(window))


def _statement_author(
    text: str, quote: Quote, previous: Quote | None, language: str, names: NameIndex
) -> str | None:
    """Who issued the statement a quote is read from: the source of the nearest earlier
    sentence with a speech verb ("Про це повідомляє прес-служба Нафтогазу", "Як зазначили
    в Газпромі"), else the previous quote's speaker when it is close."""
    since = previous.span[1] if previous else 0
    window = text[max(since, quote.position - _MENTION_WINDOW) : quote.position]
    for sentence in reversed(split_sentences(window)):
        sentence = _RELAY.sub("", sentence)
        if not _verbs(sentence, language):
            # "Демократи внесли проєкт резолюції…" / a headline: a person or body opening
            # the sentence is whose statement follows.
            opener = _opening_source(sentence, language)
            if opener:
                return names.canonical(opener)
            continue
        # "У суді заявили, що …", "В Минобороны сообщили": a body named by where the
        # statement came from has no subject in the nominative; the clause reader finds it.
        subject = subject_of(sentence, language) or _located_source(sentence, language)
        if subject and (_is_outlet_noun(subject, language) or _GENERIC_BODY.match(subject)):
            continue  # "Издание отмечает, что", "у заяві НАК": the body named further back
        if subject and not is_pronoun(subject):
            # An adverb read as the source ("повідомляє Як зазначили…") means this sentence
            # was misread: nobody rather than an older sentence's name.
            return names.canonical(subject) if speaker_form(subject, language) else None
    return previous.speaker if previous and _near(text, previous, quote) else None


def _located_source(sentence: str, language: str) -> str | None:
    """The body a "в/у X заявили" sentence credits, as the clause reader finds it."""
    found = speaker_in_clause(sentence, side="before", language=language)
    return None if found in {None, "it", _OUTLET} or is_pronoun(found) else found


# A company by its legal form only ("НАК", "ПАО") or by the common noun ("компания",
# "пресс-служба компании"): a reference back to the company named before, never a name.
_GENERIC_BODY = re.compile(
    r"^(?:(?:прес-служб|пресс-служб|пресслужб)\w*\s+)?(?:компані\w*|компани\w*"
    r"|НАК|ПАТ|ПрАТ|ПАО|ОАО|ЗАО|АО|АТ|ТОВ|ООО)$",
    re.IGNORECASE,
)


def _relaying_outlet(text: str, quote: Quote, language: str) -> str | None:
    """"…, повідомляє Fox News з посиланням на джерела. За інформацією телеканалу, …": the
    outlet a sentence before credits with a present-tense verb after a comma or a dash
    (the way copy relays a medium), when an "издание"/"телеканал" quote points back."""
    window = text[max(0, quote.position - _MENTION_WINDOW) : quote.position]
    for sentence in reversed(split_sentences(window)[:-1]):
        tokens = _tokens(sentence)
        for verb in reversed(_verbs(sentence, language)):
            led = [t.text for t in tokens if t.start < verb.start][-1:]
            if led not in ([","], ["—"], ["–"]) or not is_present(verb.text, language):
                continue
            name = _name_after(tokens, verb.end)
            if name and name[:1].isupper() and not is_person_name(name):
                return name
    return None


def _answers_a_question(text: str, quote: Quote) -> bool:
    """A dash-led line right after a dash-led line that ends in a question mark."""
    line_start = text.rfind("\n", 0, quote.position) + 1
    if not _DASH_OPENING.match(text, line_start):
        return False
    previous = text[: max(0, line_start - 1)].rstrip("\n").rsplit("\n", 1)[-1]
    return bool(_DASH_OPENING.match(previous)) and previous.rstrip().endswith("?")


_DASH_OPENING = re.compile(r"\s*[—–-]\s")


def _lead_in_speaker(text: str, quote: Quote, language: str, names: NameIndex) -> str | None:
    """The person or body of the sentence right before the quote (same or previous
    paragraph) when that sentence reports speech."""
    window = text[max(0, quote.position - 2 * _CLAUSE_TAIL) : quote.position]
    if window.count("\n") > 2:
        window = window[window.rfind("\n\n", 0, len(window.rstrip())) :]
    sentences = [s for s in split_sentences(window) if s.strip(" «“\"„")]
    if not sentences or not _verbs(sentences[-1], language):
        return None
    subject = subject_of(sentences[-1], language)
    if subject is None or is_pronoun(subject) or not speaker_form(subject, language):
        return None
    full = names.canonical(subject)
    return full if is_person_name(full) or is_organisation(full, language) else None


_ANOTHER = re.compile(r"(?:друг|інш|ещё од|еще од|ще од|another|other)\w*\s", re.IGNORECASE)


def _opening_source(sentence: str, language: str) -> str | None:
    """The capitalised name opening a sentence when it is a person or an organisation in
    the nominative by pymorphy3 (not a place, an adverb or an adjective)."""
    tokens = _tokens(sentence.lstrip(" «“\"„—–"))
    run = [t.text for t in _run_from(tokens, 0)]
    if not run or run[0].lower() in _NOT_NAME:
        return None
    name = " ".join(run[:3])
    # "Верховна Рада", "Генеральна прокуратура": an office noun heads the run.
    office = len(run) >= 2 and is_office_noun(run[1], language) and speaker_form(name, language) == name
    return name if is_person_name(name) or is_organisation(name, language) or office else None


def _is_person_role(speaker: str) -> bool:
    """A role held by one person ("зампред Совбеза"), not a body ("прес-служба компанії")."""
    words = speaker.split()
    if tied_to_person(speaker):
        return False  # "представитель Ивана Сорокина": someone else's spokesman, not him
    return is_title(words[0]) and not words[0].lower().endswith(("и", "і", "s"))


def _is_bare_office(speaker: str) -> bool:
    """"министр", "венгерский министр", "чиновник": an office without its domain, which
    points back to someone named, as a pronoun does."""
    words = speaker.split()
    return is_role(speaker) and words[-1][:1].islower() and is_title(words[-1]) and len(words) <= 2


def _antecedent(
    text: str, quote: Quote, earlier: list[Quote], language: str, names: NameIndex
) -> str | None:
    # "— сказала она", "— заявила председатель …": the pronoun's gender, else the verb's.
    by_pronoun = _PRONOUN_GENDER.get((quote.speaker or "").lower())
    wanted = by_pronoun or _verb_gender(text, quote, language)
    previous = earlier[-1] if earlier else None
    since = previous.position + len(previous.text) if previous else 0
    window = _before_own_pronoun(
        text[max(since, quote.position - _MENTION_WINDOW) : quote.position], quote.speaker or ""
    )
    for sentence in reversed(split_sentences(window)):
        subject = subject_of(sentence, language)
        if not _verbs(sentence, language):
            # No speech verb to anchor the subject: a sentence-initial person is it.
            subject = _initial_person(sentence, names, language) or subject
        if subject and is_pronoun(subject):
            if _fits(_PRONOUN_GENDER.get(subject.lower()), wanted):
                break  # the sentence continues about the same person as the previous quote
            continue
        full = names.canonical(subject) if subject else None
        if full and is_role(full) and by_pronoun is not None:
            full = None  # "The head of the Kremlin assures…" names no one "he" can be
        if full and _fits(_gender(full), wanted):
            # A subject of unknown gender ("…письма патриарха Кирилла… сообщила автор
            # Наталья Москвитина") yields to the one person of the sentence known to fit.
            sure = _other_person(sentence, wanted, names) if _gender(full) is None else None
            return sure or full
        other = _other_person(sentence, wanted, names)
        if other:
            return other
    fitting = [
        q.speaker for q in reversed(earlier) if q.speaker and _fits(_gender(q.speaker), wanted)
    ]
    return fitting[0] if fitting else None


def _gender(name: str) -> str | None:
    """By pymorphy3's first-name tags ("Андрей Клишас", "Игоря Соболева": a first name in
    -я is not always a woman's), else by the surname's ending; "p" for a plural body
    ("Журналисты", "Демократи"), which only "они/вони" can stand for."""
    if " " not in name and is_plural_noun(name, guess_language(name)):
        return "p"
    return person_gender(name) or gender(name)


def _other_person(sentence: str, wanted: str | None, names: NameIndex) -> str | None:
    """"Сенатор Андрей Клишас и депутат Мария Бутина обсудили закон. … — сказала она": when
    the subject is of the other gender, the one person of the sentence whose gender is
    known to fit (nobody when two fit: the pronoun is then ambiguous)."""
    if wanted not in {"m", "f"}:
        return None
    people = {
        names.canonical(run) for run in _capitalised_runs(_tokens(sentence))
        if " " in run and is_person_name(run)
    }
    fitting = [person for person in people if _gender(person) == wanted]
    return fitting[0] if len(fitting) == 1 else None


_VERB_GAP = re.compile(r"[\s,—–-]*(\w+)")


def _verb_gender(text: str, quote: Quote, language: str) -> str | None:
    """The gender of the speech verb right after the quote ("», — заявила …") or ending its
    lead-in ("… заявила: «"), which agrees with the speaker."""
    _, end = quote.span
    after = _VERB_GAP.match(text, end + 1)
    candidates = [after.group(1)] if after else []
    lead_in = text[max(0, quote.position - 60) : quote.position].rstrip(" :«“„\"")
    candidates += lead_in.split()[-2:][::-1]
    for word in candidates:
        if speech_verb(word, language):
            return verb_gender(word, language)
    return None


def _before_own_pronoun(window: str, speaker: str) -> str:
    """Cut the quote's own lead-in at its pronoun: in "Водночас він наголосив: «…»" the
    "він" is the word being resolved, not a mention of someone."""
    lead_in = last_sentence(window[-_CLAUSE_TAIL:])
    pronoun = re.search(rf"(?<!\w){re.escape(speaker)}(?!\w)", lead_in, re.I) if speaker else None
    if pronoun is None:
        return window
    return window[: len(window) - len(lead_in) + pronoun.start()]


def _initial_person(sentence: str, names: NameIndex, language: str) -> str | None:
    """A sentence opening with a surname the text elsewhere gives in full ("Хили в интервью
    телеканалу Sky News назвал…") is about that person, whatever else it names."""
    first = _tokens(sentence.lstrip(" «“\"„—–"))[:1]
    if not first or not first[0].is_capitalised or first[0].text.lower() in _NOT_NAME:
        return None
    full = names.canonical(first[0].text)
    if " " in full:
        return full
    # A person in the nominative opening the sentence ("Зеленский обратился к нации"), or a
    # body ("Демократи внесли проєкт резолюції, в якій вони звинувачують …").
    run = [t.text for t in _run_from(_tokens(sentence.lstrip(" «“\"„—–")), 0)]
    if first[0].text.lower() in _PREPOSITIONS or is_no_name(first[0].text):
        return None
    if len(run) == 1 and is_organisation(run[0], language):
        return run[0]
    if not is_person_name(" ".join(run[-3:])):
        # "Бывший генсек НАТО Столтенберг допустил …": the person in the subject phrase.
        person = _person_before_verb(_tokens(sentence))
        return names.canonical(person) if person and speaker_form(person, language) == person else None
    person = _person_part(run)
    return names.canonical(person) if speaker_form(person, guess_language(person)) == person else None


def _fits(found: str | None, wanted: str | None) -> bool:
    """Genders agree, or one of them is unknown; "they" fits organisations, not people."""
    if wanted == "p":
        return found in {None, "o", "p"}
    if found == "o":
        return wanted is None
    return found is None or wanted is None or found == wanted


def _near(text: str, previous: Quote, quote: Quote) -> bool:
    """Same paragraph or the next one: at most one line break between the two quotes."""
    between = text[previous.position : quote.position].strip("\n")
    # A blank line between paragraphs is one break, as a single newline is.
    breaks = len(_BREAKS.findall(between))
    return breaks <= 1 + len(_BREAKS.findall(previous.text))


_BREAKS = re.compile(r"\n(?:[ \t]*\n)*")
