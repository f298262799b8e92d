"""Speech verbs for English, Ukrainian and Russian, built from stems rather than listed forms.

Russian and Ukrainian verbs of saying share their past-tense stems across gender and number
("заяви-л / заяви-ла / заяви-ли", "заяви-в / заяви-ла"), so each stem is written once and
the inflections are generated; present-tense forms follow from the stem's conjugation class
("вспомина-" → "вспоминает", "комментирова-" → "комментирует", "говори-" → "говорит").
English verbs get their -s/-ed forms the same way. A word is tested against a set, so the
cost per clause is one pass over its words however long the lists grow.

>>> [hit.text for hit in find_speech_verbs("— запротестовал Анвар Ибрагим.", "ru")]
['запротестовал']
>>> [hit.text for hit in find_speech_verbs("— пообіцяла вона.", "uk")]
['пообіцяла']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from digest.language.words import WORD

# Past-tense stems (the form before -л / -в). Perfective and imperfective both count.
_RU_STEMS = """
    сказа заяви заявля отмети отмеча подчеркну подчеркива доба добави добавля сообщи сообща
    поясни поясня объясни объясня написа рассказа рассказыва ответи отвеча завери заверя
    увери уверя напомни напомина замети замеча призна признава продолжи продолжа попроси
    проси уточни уточня закончи заключи объяви объявля прокомментирова комментирова
    констатирова пообеща обеща запротестова протестова возрази возража предупреди
    предупрежда призва призыва подтверди подтвержда опроверга резюмирова подытожи указа
    указыва пожалова сетова посетова парирова настаива настоя утвержда говори вспомина
    вспомни подели высказа выступи цитирова процитирова заговори пошути воскликну
    пригрози потребова отреагирова возмути повтори повторя анонсирова доложи докладыва
    обвини обвиня
""".split()
_UK_STEMS = """
    сказа заяви заявля наголоси наголошува зазначи зазнача дода додава повідоми повідомля
    поясни пояснюва написа розпові розповіда відпові відповіда запевни запевня нагада
    нагадува зауважи зауважува продовжи продовжува попроси проси уточни уточнюва визна
    визнава прокоментува коментува констатува пообіця обіця запротестува протестува
    заперечи заперечува попереди попереджа заклика підтверди підтверджува
    спростува резюмува підсумува відзначи вислови поскаржи зізна пригада згада вигукну
    підкресли підкреслюва пожартува пригрози вимага відреагува повтори повторю
    цитува процитува говори виступи анонсува оголоси оголошува допові доповіда
    звинувати звинувачува
""".split()
_EN_BASES = """
    add state declare note stress explain warn insist argue claim assert announce reply
    respond recall continue conclude acknowledge admit post tweet remark comment emphasise
    emphasize urge ask report pledge promise vow assure protest caution predict concede
    counter complain reiterate confirm quote answer recount observe suggest add
""".split()
# Irregular or stem-less forms, and multi-word leads ("по словам", "according to").
_EXTRA = {
    "en": "said says say told tells wrote writes began",
    "ru": "пишет передаёт передает уверен уверена считает считают считал считала считали говорит опроверг опровергла"
    " начал начала сказано говорится отмечается отмечено заявлено подчеркивается указано"
    " поясняется",
    "uk": "каже пише вважає вважають вважав вважала вважали говорить переконаний переконана застеріг застерегла сказано"
    " йдеться зазначається зазначено наголошується заявлено пояснюється",
}
_LEADS = {
    "en": r"according to|quote from|statement from|words of|put it|pointed out",
    "ru": r"по(?: (?:его|её|ее|их))? словам|со слов|по мнению|по данным|по информации"
    r"|(?:приводит|приводят|цитирует)? ?слова(?= [А-ЯЁ])",
    "uk": r"за(?: (?:його|її|їхніми))? словами|зі слів|на думку|за даними|за інформацією"
    r"|(?:наводить|наводять|цитує)? ?слова(?= [А-ЯЇІЄҐ])",
}
# English forms that are as often nouns ("EU states will meet", "the notes"): they count as
# verbs only when the clause turns to what was said right after them.
_NOUN_LIKE = frozenset("states notes claims reports comments remarks posts tweets quotes".split())
# Prepositions that take the genitive or instrumental: a word right after one is a noun
# ("до начала" is "before the start", never "she began").
_GOVERNING = re.compile(
    r"(?<!\w)(?:до|после|після|от|від|для|без|из|із|перед|через)\s+$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class SpeechVerb:
    """One speech verb (or lead such as "по словам") found in a clause."""

    text: str
    start: int
    end: int


def find_speech_verbs(clause: str, language: str) -> list[SpeechVerb]:
    """Speech verbs and leads in ``clause``, in order; other languages' lists as a fallback.

    >>> [v.text for v in find_speech_verbs("EU states will meet, Kallas said.", "en")]
    ['said']
    """
    found = _find(clause, language)
    if found:
        return found
    for other in ("en", "uk", "ru"):
        if other != language and (found := _find(clause, other)):
            return found
    return []


def _find(clause: str, language: str) -> list[SpeechVerb]:
    lexicon = _lexicon(language if language in _LEADS else "en")
    hits = [
        SpeechVerb(m.group(0), m.start(), m.end())
        for m in WORD.finditer(clause)
        if m.group(0).lower() in lexicon and _is_verb_use(clause, m)
    ]
    hits += [SpeechVerb(m.group(0), m.start(), m.end()) for m in _lead(language).finditer(clause)]
    return sorted(hits, key=lambda hit: hit.start)


def _is_verb_use(clause: str, match: re.Match[str]) -> bool:
    if _GOVERNING.search(clause, max(0, match.start() - 10), match.start()):
        return False  # "до начала", "после заявления": a noun a preposition governs
    if match.group(0).lower() not in _NOUN_LIKE:
        return True
    following = clause[match.end() :].lstrip()
    return not following or following[:1] in ',:."“«' or following.startswith("that ")


@cache
def _lead(language: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)(?:{_LEADS.get(language, _LEADS['en'])})(?!\w)", re.IGNORECASE)


# Verbs of naming ("назвала это «провокацией»") report someone's word only in the singular:
# the plural is as often impersonal ("его назвали «черным»", "его называют …").
_NAMING_STEMS = ("назва", "называ", "назива")
_PLURAL = re.compile(r"(?:ли|лись|ют|ят|ють|ять)$")


@cache
def _lexicon(language: str) -> frozenset[str]:
    """Every inflected form of the language's speech verbs, in lower case."""
    extra = set(_EXTRA[language].split())
    if language == "ru":
        naming = {f for stem in _NAMING_STEMS for f in russian_forms(stem) if not _PLURAL.search(f)}
        return frozenset(extra | naming | {f for stem in _RU_STEMS for f in russian_forms(stem)})
    if language == "uk":
        naming = {f for stem in _NAMING_STEMS for f in ukrainian_forms(stem) if not _PLURAL.search(f)}
        return frozenset(extra | naming | {f for stem in _UK_STEMS for f in ukrainian_forms(stem)})
    return frozenset(extra | {f for base in _EN_BASES for f in english_forms(base)})


def russian_forms(stem: str) -> set[str]:
    """Past tense in all genders (reflexive too) and the third-person present.

    >>> sorted(russian_forms("констатирова"))[:3]
    ['констатировал', 'констатировала', 'констатировалась']
    >>> "вспоминает" in russian_forms("вспомина"), "говорят" in russian_forms("говори")
    (True, True)
    """
    past = {stem + ending for ending in ("л", "ла", "ли", "ло")}
    forms = past | {form + ("ся" if form.endswith("л") else "сь") for form in past}
    return forms | _present(stem, ("ует", "уют"), ("ет", "ют"), ("ит", "ят"))


def ukrainian_forms(stem: str) -> set[str]:
    """Past tense in all genders (reflexive too) and the third-person present.

    >>> sorted(ukrainian_forms("пообіця"))[:3]
    ['пообіцяв', 'пообіцявся', 'пообіцяла']
    """
    past = {stem + ending for ending in ("в", "ла", "ли", "ло")}
    forms = past | {form + "ся" for form in past}
    return forms | _present(stem, ("ує", "ують"), ("є", "ють"), ("ить", "ять"))


def _present(
    stem: str, ova: tuple[str, str], a_class: tuple[str, str], i_class: tuple[str, str]
) -> set[str]:
    """Third-person present from the past stem's conjugation class (each: singular, plural)."""
    if stem.endswith(("ова", "ува", "ева")):
        return {stem[:-3] + ending for ending in ova}
    if stem.endswith(("а", "я")):
        return {stem + ending for ending in a_class}
    if stem.endswith("и"):
        return {stem[:-1] + ending for ending in i_class}
    return set()


def english_forms(base: str) -> set[str]:
    """Third person and past: "reply" → replies, replied. The bare base is left out, as it
    is mostly a noun in news copy ("the state", "a report").

    >>> sorted(english_forms("vow")), sorted(english_forms("reply"))
    (['vowed', 'vows'], ['replied', 'replies'])
    """
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {base[:-1] + "ies", base[:-1] + "ied"}
    third = base + ("es" if base.endswith(("s", "sh", "ch")) else "s")
    return {third, base + ("d" if base.endswith("e") else "ed")}
