"""Settle English speakers against the whole article: pronouns, carried quotes, full names.

:mod:`digest.quotes.english` reads the source out of each quote's own sentence, as written.
Here, in reading order:

* a pronoun ("he said") becomes the person the text last made the subject of a sentence
  (or credited with a quote) whose gender fits, so "Ms. Doe … he said" skips Ms. Doe;
* a quote with no source in its sentence takes the speaker of the quote before it when it
  follows in the same or the next paragraph (a speaker's quotes run on without "said");
* a name becomes its fullest form in the article ("Putin" → "Vladimir Putin"), titles
  dropped ("Rep. Jane Doe (D-Wis.)" → "Jane Doe"); a role becomes the person the article
  names in it ("the Russian president" → "Vladimir Putin"), else stays a phrase
  ("a Nato official").

>>> from digest.models import Quote
>>> from digest.quotes.english import read_sources
>>> text = 'Russian President Vladimir Putin spoke.\\n"We are ready," he said.'
>>> quotes = [Quote("We are ready", "he", 41, "full", 53)]
>>> read = read_sources(text, [((41, 53),)])
>>> [q.speaker for q in resolve_english(text, quotes, read.attributions, read)]
['Vladimir Putin']
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from digest.language import lexicon
from digest.models import Quote
from digest.quotes.english import Attribution, Sources, is_function_word
from digest.quotes.names import NameIndex
from digest.quotes.titles import NOT_NAME, is_title, strip_titles

_PRONOUN_GENDER = {"he": "m", "she": "f", "they": "p", "i": None, "we": "p", "it": "p", "the": None}
_WINDOW = 2500
_EARLIER_QUOTES = 8
_ALONE_WINDOW = 600
_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+([A-Z][\w'’\-]+)")
_POSSESSIVE_DOCUMENT = re.compile(
    r"(.+?)['’]s (?:report|statement|release|letter|email|e-mail|website|account|memo|"
    r"filing|complaint|lawsuit|post|tweet|ad|book|request)"
)
_OFFICE_OF = re.compile(r"(?:[Tt]he )?(?:[a-z\-]+ )?(\w+) of (?:the )?[A-Z]")
_HONOURS = frozenset(
    """professor prof judge pastor rev sgt capt maj dr mr mrs ms miss councillor councilor
    councilman councilwoman commissioner""".split()
)
_DETERMINERS = frozenset("a an the one some several another his her their its our".split())


def resolve_english(
    text: str, quotes: list[Quote], sources: list[Attribution], read: Sources
) -> list[Quote]:
    """``quotes`` with speakers settled (see the module docstring); ``read`` is what
    :func:`digest.quotes.english.read_sources` found in the text (subjects, genders)."""
    names = NameIndex.build(text)
    genders = {**read.genders, **_honorific_genders(text)}
    subjects = read.subjects
    common = _lower_case_words(text)
    resolved: list[Quote] = []
    for quote, source in zip(quotes, sources, strict=True):
        speaker = quote.speaker
        if speaker and speaker.lower() in _PRONOUN_GENDER:
            speaker = _antecedent(speaker.lower(), source.sentence_start, subjects, resolved,
                                  _Context(genders, names, common))
        elif speaker is None and not source.cue:
            # A quote standing alone: the previous quote's speaker when it is close, else
            # the person the text was just about ("Trump was quick to add …" / "…").
            context = _Context(genders, names, common)
            since = resolved[-1].span[1] if resolved else 0
            # Someone the text turned to after the previous quote speaks now …
            between = _antecedent("the", source.sentence_start, subjects, [], context,
                                  window=min(_ALONE_WINDOW, source.sentence_start - since),
                                  named_only=True)
            speaker = between or _carried(text, resolved, quote) or _antecedent(
                "the", source.sentence_start, subjects, resolved, context,
                window=_ALONE_WINDOW, named_only=True)
        elif speaker is not None and _is_role_phrase(speaker):
            # "the dictator said", "the Russian president said": the person named before.
            shown = display_name(speaker, names)
            found = _antecedent("the", source.sentence_start, subjects, resolved,
                                _Context(genders, names, common),
                                head=speaker.split()[-1].lower()) if shown == speaker else None
            # A lone surname the text's sentence opens with stands for the office too
            # ("Obama defended the process. "…," the president told …").
            lone = found is not None and found[:1].isupper() and is_title(speaker.split()[-1])
            speaker = found if found and (" " in found or lone) else shown
        elif speaker is not None:
            speaker = display_name(speaker, names)
        resolved.append(replace(quote, speaker=speaker))
    return resolved


def display_name(phrase: str, names: NameIndex) -> str:
    """The name to show for a source phrase: the person's fullest name when the phrase
    holds one, the holder of a role the article names, else the phrase itself."""
    if _OFFICE_OF.match(phrase):
        return phrase[0].lower() + phrase[1:]  # "the head of the Kremlin" is an office
    owner = _POSSESSIVE_DOCUMENT.fullmatch(phrase)
    if owner:
        phrase = owner.group(1)  # "TNO's report said": the institute speaks
    name = person_in(phrase)
    if name:
        return names.canonical(name)
    words = phrase.split()
    if words[0].lower() == "the" and any(is_title(w) for w in words):
        holder = _holder(words[1:], names) or _known_holder(words[1:], names)
        if holder:
            return holder
    return phrase


def _holder(role: list[str], names: NameIndex) -> str | None:
    """The person the text names right after the role's words ("Russian President Vladimir
    Putin" for "the Russian president"); English puts the name straight after the title."""
    words = "\\s+".join(re.escape(w) for w in role)
    name = r"([A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+)){1,2})"
    match = re.search(rf"(?i:\b{words})\s+{name}", names.text)
    return names.canonical(match.group(1)) if match else None


_ROLE_FILLER = frozenset("of the s a an and".split())


def _known_holder(role: list[str], names: NameIndex) -> str | None:
    """The person the shared lexicon gives this role ("the Russian president" → the entry
    whose English role is "President of Russia"), when the article names them too; the
    name shown is the article's own fullest form."""
    said = [w.lower() for w in role if w.lower() not in _ROLE_FILLER]
    if len(said) < 2 or "former" in said:
        return None
    for person in lexicon.people():
        words = [w for w in re.findall(r"[a-z]+", person.role.get("en", "").lower())
                 if w not in _ROLE_FILLER]
        if not words or "former" in words or len(words) != len(said):
            continue
        if all(any(_same_stem(w, x) for x in said) for w in words):
            found = _named_in_text(person.forms["en"], names)
            if found:
                return found
    return None


def _same_stem(one: str, other: str) -> bool:
    """"russia" and "russian", "president" and "presidents": the first five letters."""
    return one[:5] == other[:5] and min(len(one), len(other)) >= 2


def _named_in_text(forms: tuple[str, ...], names: NameIndex) -> str | None:
    for form in forms:
        stem = re.escape(form.rstrip("*"))
        match = re.search(rf"\b({stem}\w*)", names.text, re.IGNORECASE)
        if match and match.group(1)[:1].isupper():
            return names.canonical(match.group(1))
    return None


def person_in(phrase: str) -> str | None:
    """The name in a source phrase: its last run of capitalised words, titles dropped;
    None for a phrase led by a determiner whose head is a common noun ("a Nato official")."""
    words = [w for w in re.split(r"\s+", phrase.strip()) if w]
    if not words:
        return None
    if words[0].lower() in _DETERMINERS and not words[-1][:1].isupper():
        return None
    run: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() and word.lower() != "of":
            break
        run.insert(0, word)
    while run and run[0].lower() == "of":
        run.pop(0)
    name = strip_titles(run) if run else ""
    words = [w for w in name.split() if not is_function_word(w)]  # "Tuesday", "However"
    while len(words) > 1 and words[0].lower().rstrip(".") in _HONOURS:
        words.pop(0)
    return " ".join(words) or None


def _honorific_genders(text: str) -> dict[str, str]:
    """"Mr. Sanders" → m, "Ms. Clinton" → f: English texts mark gender on honorifics."""
    found: dict[str, str] = {}
    for match in _HONORIFIC.finditer(text):
        found.setdefault("~" + match.group(2).lower(), "m" if match.group(1) == "Mr" else "f")
    return found


def _gender(name: str, genders: dict[str, str], names: NameIndex) -> str | None:
    """From pronouns after the full name, else from an honorific before the surname
    ("Mrs. Clinton") when the surname alone means this person in the text (so not for
    Bill Clinton in an article about Hillary Clinton)."""
    words = name.split()
    if not words:
        return None
    surname = words[-1].removesuffix("’s").removesuffix("'s")
    by_honorific = genders.get("~" + surname.lower())
    if by_honorific and len(words) > 1 and names.canonical(surname) != name:
        by_honorific = None
    return genders.get(name.lower()) or by_honorific


@dataclass(frozen=True, slots=True)
class _Context:
    genders: dict[str, str]
    names: NameIndex
    common: frozenset[str]


def _lower_case_words(text: str) -> frozenset[str]:
    """Words the text also writes in lower case: "Does", "Both", "Children" opening a
    sentence are such words, a surname is not."""
    return frozenset(re.findall(r"(?<![\w'’.-])[a-z][a-z'’\-]+", text))


def _person(subject: str, context: _Context) -> str | None:
    """The person a sentence's subject names, leading common words dropped ("Does
    Rubio" → "Rubio"); None when nothing name-like is left."""
    name = person_in(subject)
    if name is None:
        return None
    words = name.split()
    while words and (words[0].lower() in context.common or is_function_word(words[0])):
        words.pop(0)
    return " ".join(words) or None


def _antecedent(
    pronoun: str,
    sentence_start: int,
    subjects: list[tuple[int, str]],
    earlier: list[Quote],
    context: _Context,
    window: int = _WINDOW,
    named_only: bool = False,
    head: str | None = None,
) -> str | None:
    """The nearest person before the quote's sentence that the pronoun can stand for."""
    genders, names = context.genders, context.names
    wanted = _PRONOUN_GENDER[pronoun]
    # Only what lies within the window is read, so the cost per quote stays bounded.
    low = bisect_left(subjects, sentence_start - window, key=lambda item: item[0])
    high = bisect_right(subjects, sentence_start, key=lambda item: item[0])
    candidates = subjects[low:high] + [
        (q.position, q.speaker) for q in earlier[-_EARLIER_QUOTES:]
        if q.speaker and sentence_start - window <= q.position < sentence_start
    ]
    candidates.sort(key=lambda item: item[0])
    role: str | None = None
    for _offset, marked in reversed(candidates):
        subject = marked.removeprefix("~")
        if subject.lower() in _PRONOUN_GENDER:
            continue
        if marked.startswith("~") and wanted in {"m", "f"} and " " not in subject and (
            " " not in context.names.canonical(subject)
        ):
            continue  # "Ukraine expects …": a lone name the text never gives in full
        person = _person(subject, context)
        if person is None and (named_only or not _described(subject)):
            continue
        shown = display_name(person or subject, names)
        if head and person is None and shown.split()[-1].lower() == head and shown != f"the {head}":
            return shown  # "the spokesman said" after "the prime minister's spokesman said"
        if person is None and _is_role_phrase(shown):
            role = role or shown  # "the dictator" points further back, to a name
            continue
        if person is None and wanted in {"m", "f"} and not _person_noun(shown):
            continue  # "he" is a person, not "the Russian army"
        if wanted in {"m", "f"} and person and subject.split()[0].lower() == "the":
            continue  # nor "the Kremlin", "the Kyiv Security Forum": people have no "the"
        found = _gender(shown, genders, names)
        if wanted in {"m", "f"} and found is not None and found != wanted:
            continue
        return shown
    return role


def _is_role_phrase(phrase: str) -> bool:
    """"the dictator", "the Russian president": "the" and an office, no name."""
    words = phrase.split()
    office = _OFFICE_OF.match(phrase)
    if office and (is_title(office.group(1)) or office.group(1).lower() in NOT_NAME):
        return True
    return len(words) >= 2 and words[0].lower() == "the" and words[-1].islower() and (
        is_title(words[-1]) or words[-1].lower() in NOT_NAME
    )


_PEOPLE = frozenset(
    """woman man mother father wife husband son daughter friend voter resident candidate
    businessman businesswoman front-runner nominee lawmaker senator governor official
    spokesman spokeswoman aide adviser source pastor judge lawyer attorney professor
    analyst activist supporter veteran employee worker owner student teacher""".split()
)


def _person_noun(phrase: str) -> bool:
    last = phrase.split()[-1].lower()
    return last in _PEOPLE or is_title(last) or last in NOT_NAME


def _described(phrase: str) -> bool:
    """"the woman", "the front-runner", "a Nato official": someone the text describes
    instead of naming, which "she said" may point back to."""
    words = phrase.split()
    return len(words) >= 2 and words[0].lower() in {"the", "a", "an"} and words[-1].isalpha() and (
        words[-1].islower() and not is_function_word(words[-1])
    )


def _carried(text: str, earlier: list[Quote], quote: Quote) -> str | None:
    """The previous quote's speaker, when that quote is in this or the previous paragraph."""
    if not earlier or earlier[-1].speaker is None:
        return None
    previous = earlier[-1]
    between = text[previous.span[1] : quote.position]
    return previous.speaker if between.count("\n") <= 2 else None
