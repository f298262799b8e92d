"""Who said a quote: speech-verb patterns and name clean-up for English, Ukrainian, Russian.

:mod:`digest.quotes` finds the quoted spans and hands this module the words around each one
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

import re
from dataclasses import dataclass

from digest.models import Quote

# Verbs (and verb-like phrases) that introduce or close direct speech. Kept as one alternation
# per language; `\b` is Unicode-aware, so it works for Cyrillic words too.
_SPEECH_WORDS = {
    "en": (
        "said|says|say|told|tells|added|adds|stated|states|declared|wrote|writes|noted|notes"
        "|stressed|explained|warned|insisted|argued|claimed|asserted|announced|replied"
        "|responded|recalled|continued|concluded|acknowledged|admitted|posted|tweeted"
        "|remarked|commented|emphasi[sz]ed|urged|asked|according to|quoted|quote from"
        "|statement from|words of|put it|reported|continued|began|explained"
    ),
    "uk": (
        "сказа(?:в|ла|ли|ло)|заяви(?:в|ла|ли|ло)|наголоси(?:в|ла|ли|ло)|зазначи(?:в|ла|ли|ло)"
        "|дода(?:в|ла|ли|ло)|повідоми(?:в|ла|ли|ло)|поясни(?:в|ла|ли|ло)|написа(?:в|ла|ли)"
        "|підкресли(?:в|ла|ли|ло)|розпові(?:в|ла|ли)|відпові(?:в|ла|ли)|запевни(?:в|ла|ли)"
        "|нагада(?:в|ла|ли)|зауважи(?:в|ла|ли)|переконан(?:ий|а)|вважає|каже|говорить"
        "|заявляє|наголошує|пише|цитує|за словами|зі слів|повідомляє|продовжи(?:в|ла)"
        "|попроси(?:в|ла)|уточни(?:в|ла)|визна(?:в|ла)|прокоментува(?:в|ла|ли)"
    ),
    "ru": (
        "сказа(?:л|ла|ли|ло)|заяви(?:л|ла|ли|ло)|отмети(?:л|ла|ли|ло)|подчеркну(?:л|ла|ли|ло)"
        "|доба(?:вил|вила|вили)|сообщи(?:л|ла|ли|ло)|поясни(?:л|ла|ли|ло)|написа(?:л|ла|ли)"
        "|рассказа(?:л|ла|ли)|ответи(?:л|ла|ли)|завери(?:л|ла|ли)|напомни(?:л|ла|ли)"
        "|замети(?:л|ла|ли)|уверен(?:а)?|считает|говорит|заявляет|пишет|цитирует"
        "|переда[её]т|по словам|со слов|сообщает|признал(?:ся|ась|а)?|продолжи(?:л|ла)"
        "|продолжал(?:а)?|попроси(?:л|ла)|уточни(?:л|ла)|закончи(?:л|ла)|начал(?:а)?"
        "|объяви(?:л|ла|ли)"
        "|прокомментирова(?:л|ла|ли)"
    ),
}
_SPEECH = {
    lang: re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)
    for lang, words in _SPEECH_WORDS.items()
}
# After these the name is in the genitive case ("по словам Дмитрия Пескова").
_GENITIVE_TRIGGER = re.compile(r"(?:по словам|за словами|со слов|зі слів|слова)$", re.I)

_PRONOUNS = frozenset("he she they it він вона вони воно он она они оно".split())
# "…," the statement said / йдеться в повідомленні: the source was named earlier.
_STATEMENT = re.compile(
    r"(?<!\w)(?:йдеться (?:в|у)|говорится в|the statement said|said in a statement)(?!\w)",
    re.IGNORECASE,
)
# Words that may start a capitalised run but are not part of a name: titles, nationality
# adjectives, sentence openers. Compared in lower case.
_NOT_NAME = frozenset(
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
    director editor-in-chief editor manager chairman chairwoman ceo rep sen gov""".split()
)
_SUFFIXES = frozenset("sr. jr. sr jr md. md".split())
_TITLE_ABBREVIATIONS = frozenset(
    "rep. sen. gov. dr. mr. mrs. ms. st. jr. sr. gen. col. lt. adm.".split()
)
# Lower-case words that end the stretch of text searched after a verb: "said Putin in
# an interview with Xinhua" must not credit Xinhua.
_STOP_AFTER = frozenset(
    """in on at during after before to with while when who which that as adding
    according from for about of in, в у на під час після до з із у для про що який
    яка во на после при из для о что который которая""".split()
)
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|[,;:.!?()—–]")
_MAX_NAME_TOKENS = 4


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


def _keeps_full_stop(word: str) -> bool:
    return len(word) == 2 or "." in word[:-1] or word.lower() in _TITLE_ABBREVIATIONS


def is_pronoun(speaker: str | None) -> bool:
    """True for "he", "вона", "они"…: a speaker the caller must resolve from context.

    >>> is_pronoun("він"), is_pronoun("Putin")
    (True, False)
    """
    return speaker is not None and speaker.lower() in _PRONOUNS


_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def speech_verb(clause: str, language: str) -> re.Match[str] | None:
    """The first speech verb in ``clause`` (any of the three languages' lists as fallback).

    >>> speech_verb("— заявил Песков.", "ru").group(0)
    'заявил'
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
    if _STATEMENT.search(clause):
        return "it"
    verbs = list(_verbs(clause, language))
    if verbs:
        return _speaker_near_verb(clause, verbs[-1] if side == "before" else verbs[0])
    if side == "before" and clause.rstrip().endswith(":"):
        # "Песков: «…»" — a bare name and a colon introduce the quote.
        return _name_before(_tokens(clause), len(clause.rstrip()) - 1, strict=True)
    return None


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
    full_names = [run for run in runs if " " in run and not is_pronoun(run)]
    if full_names:
        return full_names[0]
    pronoun = by_verb or (runs[0] if runs else None)
    return pronoun if is_pronoun(pronoun) else None


def _name_by_verb(sentence: str, tokens: list[_Token], language: str) -> str | None:
    verbs = list(_verbs(sentence, language))
    if not verbs:
        return None
    before = _name_before(tokens, verbs[0].start())
    after = _name_after(tokens, verbs[0].end())
    # "Про це повідомляє пресслужба Мінцифри": the name after the verb beats a lone
    # capitalised word that merely opens the sentence.
    ordered = (before, after) if before and " " in before else (after, before)
    named = [name for name in ordered if name and not is_pronoun(name)]
    return named[0] if named else (before or after)


def _verbs(clause: str, language: str) -> list[re.Match[str]]:
    if not _TWO_LETTERS.search(clause):
        return []  # nothing to find, and the verb alternation is costly to try
    pattern = _SPEECH.get(language, _SPEECH["en"])
    found = list(pattern.finditer(clause))
    if found:
        return found
    return next((list(p.finditer(clause)) for p in _SPEECH.values() if p.search(clause)), [])


def _speaker_near_verb(clause: str, verb: re.Match[str]) -> str | None:
    tokens = _tokens(clause)
    after = _name_after(tokens, verb.end())
    before = _name_before(tokens, verb.start())
    # "X said" is the norm, but an explicit name after the verb ("said Peskov",
    # "заявил Песков") is the inverted order and wins; after "told" the name that
    # follows is the listener ("Peskov told Reuters").
    speaker = after or before
    if before and verb.group(0).lower() in {"told", "tells"}:
        speaker = before
    if speaker and speaker is after and _GENITIVE_TRIGGER.search(verb.group(0)):
        return to_nominative(speaker)
    return speaker


def _tokens(clause: str) -> list[_Token]:
    """Words and punctuation; a full stop stays on initials and short abbreviations only
    ("H.", "Rep."), so "Peskov." is the word "Peskov" and a full stop."""
    tokens = []
    for match in _TOKEN.finditer(clause):
        word = match.group(0)
        if word.endswith(".") and not _keeps_full_stop(word):
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
        # "отметили в Нацполиции": an organisation, in the locative case.
        if following[1].is_capitalised:
            return _locative_to_nominative(following[1].text)
    for token in following:
        if not token.is_word or token.text.lower() in _STOP_AFTER:
            break
        stretch.append(token)
    if stretch and is_pronoun(stretch[0].text):
        return stretch[0].text
    runs = _capitalised_runs(stretch)
    return runs[-1] if runs else None


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
    runs = _capitalised_runs(stretch)
    return runs[-1] if runs else None


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


def strip_titles(words: list[str]) -> str:
    """Drop titles and sentence openers from a capitalised run; "" when only those remain.

    Everything up to the last title word goes ("AFP News Director Phil Chetwynd"), and
    so do suffixes such as "Sr.".

    >>> strip_titles(["Russian", "Foreign", "Minister", "Sergei", "Lavrov"])
    'Sergei Lavrov'
    >>> strip_titles(["The", "Kremlin"])
    'Kremlin'
    >>> strip_titles(["Rep.", "Steny", "H.", "Hoyer"])
    'Steny H. Hoyer'
    """
    cleaned = [_drop_possessive(word) for word in words if word.lower() not in _SUFFIXES]
    titles = [i for i, word in enumerate(cleaned) if word.lower() in _NOT_NAME]
    if titles and titles[-1] < len(cleaned) - 1:
        cleaned = cleaned[titles[-1] + 1 :]
    elif titles:
        cleaned = [word for word in cleaned if word.lower() not in _NOT_NAME]
    return " ".join(cleaned[-_MAX_NAME_TOKENS:])


def _locative_to_nominative(word: str) -> str:
    """"Нацполиции" → "Нацполиция", "Автодоре" → "Автодор": orgs after "в"."""
    for ending, nominative in (("ии", "ия"), ("ії", "ія"), ("ции", "ция"), ("е", ""), ("і", "")):
        if word.endswith(ending) and len(word) > len(ending) + 3:
            return word[: -len(ending)] + nominative
    return word


def _drop_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


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


# Up to five capitalised words; a full stop only after an initial ("Steny H. Hoyer"), so a
# run never crosses a sentence end ("January. She").
_CAPITALISED_RUN = re.compile(
    r"(?:(?:[A-ZА-ЯЁІЇЄҐ]\.|[A-ZА-ЯЁІЇЄҐ][\w'’\-]+)\s){0,4}[A-ZА-ЯЁІЇЄҐ][\w'’\-]+"
)
_SENTENCE_OR_LINE = re.compile(r"(?<=[.!?…])\s+|\n+")
_MENTION_WINDOW = 500


def resolve_speakers(text: str, quotes: list[Quote], language: str) -> list[Quote]:
    """Settle what the clauses left open, in reading order.

    * a pronoun ("he said", "вона зазначила") or "the statement said" → the person the text
      named last: the subject of the sentences since the previous quote if there is one,
      else the previous named speaker;
    * no attribution at all → the previous quote's speaker when that quote is in the same
      or the preceding paragraph (a speaker's quotes often run on without repeating "said");
    * a name → its fullest form in the text ("Putin" → "Vladimir Putin").

    >>> text = ('Vladimir Putin spoke.\\n"We are ready to talk," Putin said.\\n'
    ...         '"Now," he said, "or never."')
    >>> [q.speaker for q in resolve_speakers(text, [Quote("We are ready", "Putin", 23),
    ...                                             Quote("Now or never.", "he", 58)], "en")]
    ['Vladimir Putin', 'Vladimir Putin']
    """
    names = _name_index(text)
    resolved: list[Quote] = []
    for quote in quotes:
        previous = resolved[-1] if resolved else None
        speaker = quote.speaker
        if is_pronoun(speaker):
            speaker = _antecedent(text, quote, previous, language, names)
        elif speaker is None and previous and _near(text, previous, quote):
            speaker = previous.speaker
        elif speaker is not None:
            speaker = _fullest(speaker, names)
        resolved.append(Quote(quote.text, speaker, quote.position))
    return resolved


def _antecedent(
    text: str, quote: Quote, previous: Quote | None, language: str, names: dict[str, set[str]]
) -> str | None:
    since = previous.position + len(previous.text) if previous else 0
    window = text[max(since, quote.position - _MENTION_WINDOW) : quote.position]
    for sentence in reversed(_SENTENCE_OR_LINE.split(window)):
        subject = subject_of(sentence, language)
        if subject and is_pronoun(subject):
            break  # the sentence continues about the same person as the previous quote
        if subject:
            return _fullest(subject, names)
    named = [q for q in ([previous] if previous else []) if q.speaker]
    return named[0].speaker if named else None


def _near(text: str, previous: Quote, quote: Quote) -> bool:
    """Same paragraph or the next one: at most one line break between the two quotes."""
    between = text[previous.position : quote.position].strip("\n")
    return between.count("\n") <= 1 + previous.text.count("\n")


def _name_index(text: str) -> dict[str, set[str]]:
    """Distinct names seen in the text (titles stripped), keyed by last word in lower case."""
    index: dict[str, set[str]] = {}
    for match in _CAPITALISED_RUN.finditer(text):
        name = strip_titles(match.group(0).split())
        if name:
            index.setdefault(name.split()[-1].lower(), set()).add(name)
    return index


def _fullest(speaker: str, names: dict[str, set[str]]) -> str:
    """The longest name (at most three words) in the text ending in the speaker's surname."""
    surname = speaker.split()[-1].lower()
    forms = sorted(name for name in names.get(surname, ()) if len(name.split()) <= 3)
    return max([speaker, *forms], key=lambda name: len(name.split()))
