"""Who a headline says its news comes from: the stated source of a short report.

News posts name their source in a handful of fixed places, and only there does a name mean
"this is X's statement" rather than "this is about X":

* a lead-in before a colon: "Песков: …", "ВВС Украины: …", "Другие заявления Пескова:";
* a dash signature at the end: "… — Минобороны РФ", "… - defence chief";
* a speech verb closing the first clause: "Минобороны России сообщило, что …", "EU says …";
* a last clause opened by a speech verb: "…, сказал Песков", "…, says UK Defence secretary".

The event stage (:mod:`digest.stories.events`) uses it to tell one briefing's several
statements (one source, one hour) from statements that only mention the same person.

>>> stated_source("Путин ничего не передавал Зеленскому через Шольца — Песков", "ru")
'Песков'
>>> stated_source("Минобороны России сообщило, что были сбиты 2 ракеты", "ru")
'Минобороны России'
>>> stated_source("EU says Lithuania acted by the book", "en")
'EU'
>>> stated_source("Ракетный удар по Днепру", "ru") is None
True
"""

from __future__ import annotations

import re

from digest.quotes.speakers import dash_signature
from digest.quotes.verbs import find_speech_verbs

# A lead-in is short: a longer run before a colon is a sentence with a list after it.
MAX_LEAD_WORDS = 6
# "X сообщило, что", "…, сказал X": a source is a name or a short role, not a clause.
MAX_SOURCE_WORDS = 5
_LEAD = re.compile(r"^\s*(?P<lead>[^:.!?]{2,70}?):(?:\s|$)")
_LAST_DASH = re.compile(r"\s[—–-]\s(?=[^—–]*$)")
_FIRST_CLAUSE = re.compile(r",\s|\s(?:that|что|що)\s")
_CLAUSE = re.compile(r",\s")


def stated_source(title: str, language: str) -> str | None:
    """The source a headline states for its news (see the module docstring), or None."""
    lead = _LEAD.match(title)
    if lead and len(lead.group("lead").split()) <= MAX_LEAD_WORDS:
        return lead.group("lead").strip()
    dash = _LAST_DASH.search(title)
    if dash and (signature := dash_signature(title[dash.start():])):
        return signature
    return _verb_first(title, language) or _verb_last(title, language)


def _verb_first(title: str, language: str) -> str | None:
    """"Минобороны России сообщило, что …": the words before the first clause's verb."""
    first = _FIRST_CLAUSE.split(title, maxsplit=1)[0]
    verbs = find_speech_verbs(first, language)
    subject = first[:verbs[0].start].strip() if verbs else ""
    return subject if 0 < len(subject.split()) <= MAX_SOURCE_WORDS else None


def _verb_last(title: str, language: str) -> str | None:
    """"…, сказал Песков": the words after a speech verb that opens the last clause."""
    clauses = _CLAUSE.split(title)
    if len(clauses) < 2:
        return None
    last = clauses[-1]
    verbs = find_speech_verbs(last, language)
    if not verbs or verbs[0].start > 1:
        return None
    source = last[verbs[0].end:].strip(" .!")
    return source if 0 < len(source.split()) <= MAX_SOURCE_WORDS else None
