"""Organisations named in the locative after "в"/"у": "в городском совете" → "городской совет".

Russian and Ukrainian credit a statement to an office with a place phrase ("отметили в
министерстве", "розповіли у міській раді"). The head noun is looked up among office nouns,
whose locative forms are generated from the nominative; adjectives before it agree with it.

>>> organisation_in_locative(["городском", "совете"], "ru")
'городской совет'
>>> organisation_in_locative(["департаменті", "міського", "господарства"], "uk")
'департамент міського господарства'
"""

from __future__ import annotations

OFFICES = {
    "ru": """совет министерство ведомство правительство служба пресс-служба администрация
        мэрия дума штаб департамент управление офис комитет посольство полиция прокуратура
        суд минздрав ассоциация компания партия фонд центр агентство генштаб минфин
        канцелярия секретариат комиссия
        Кремль Пентагон""".split(),
    "uk": """рада міськрада облрада міністерство відомство уряд служба пресслужба
        адміністрація штаб департамент управління офіс комітет посольство поліція
        прокуратура суд мерія компанія партія фонд центр агентство генштаб комісія""".split(),
}
# Bodies named by an adjective and one of these nouns ("Воздушные силы", "Сухопутные
# войска", "Національна гвардія", "Британская военная разведка", "Арбитражный суд",
# "Антимонопольний комітет", "Счётная палата"): dictionary forms, matched by the words'
# lemmas, so every case is covered. The adjectives belong to the name: the noun alone
# ("суд") is only a common noun.
INSTITUTION_HEADS = {
    "ru": frozenset(
        """сила войско гвардия флот армия разведка суд комитет совет министерство служба
        комиссия прокуратура палата дума рада управление инспекция агентство банк""".split()
    ),
    "uk": frozenset(
        """сила військо гвардія флот армія розвідка суд комітет рада міністерство служба
        комісія прокуратура палата управління інспекція агентство банк""".split()
    ),
}
_MAX_AFTER_HEAD = 3
# Stressed -ой adjectives cannot be told from -ый ones by spelling; these stems take -ой.
_STRESSED_OI = ("городск", "мировск", "морск", "донск", "людск", "мирск")


def _locatives(noun: str, language: str) -> set[str]:
    """Locative singular forms of an office noun ("совет" → "совете")."""
    rules: tuple[tuple[str, str], ...]
    if language == "uk":
        rules = (("ія", "ії"), ("ння", "нні"), ("о", "і"), ("а", "і"), ("", "і"))
    else:
        rules = (("ия", "ии"), ("ие", "ии"), ("о", "е"), ("а", "е"), ("ь", "е"), ("", "е"))
    for ending, locative in rules:
        if noun.endswith(ending):
            return {noun[: len(noun) - len(ending)] + locative, noun}
    return {noun}


_HEADS = {
    lang: {form.lower(): noun for noun in nouns for form in _locatives(noun, lang)}
    for lang, nouns in OFFICES.items()
}


def organisation_in_locative(words: list[str], language: str) -> str | None:
    """The office named by ``words`` (the words after "в"/"у"), in the nominative; None
    when no office noun is among the first three words."""
    heads = _HEADS["uk" if language == "uk" else "ru"]
    for index, word in enumerate(words[:3]):
        noun = heads.get(word.lower())
        if noun is None:
            continue
        if word[:1].isupper():
            noun = noun[:1].upper() + noun[1:]  # "в Минфине" → "Минфин", as the text writes it
        adjectives = [_adjective(w, noun.lower(), language) for w in words[:index]]
        return " ".join([*adjectives, noun, *words[index + 1 : index + 1 + _MAX_AFTER_HEAD]])
    return None


def _gender(noun: str) -> str:
    if noun.endswith(("а", "я")):
        return "f"
    return "n" if noun.endswith(("о", "е")) else "m"


def _adjective(word: str, noun: str, language: str) -> str:
    """A locative adjective put into the nominative, agreeing with its noun."""
    lower, gender = word.lower(), _gender(noun)
    if language == "uk":
        if lower.endswith("ому"):
            return word[:-3] + ("е" if gender == "n" else "ий")
        return word[:-2] + "а" if lower.endswith("ій") and gender == "f" else word
    if lower.endswith(("ом", "ем")):
        base, soft = word[:-2], lower.endswith("ем")
        if gender == "n":
            return base + ("ее" if soft else "ое")
        stressed = base.lower().endswith(_STRESSED_OI)
        return base + ("ой" if stressed else "ий" if soft or base[-1:] in "кгхжшчщ" else "ый")
    if lower.endswith(("ой", "ей")) and gender == "f":
        return word[:-2] + ("яя" if lower.endswith("ей") else "ая")
    return word
