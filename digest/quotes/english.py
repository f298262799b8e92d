"""Who said a quote in English news copy: the sentence around the quote, read as tokens.

:mod:`digest.quotes.find` finds the quoted spans; this module reads each quote's sentence
with every quote in it collapsed to one token, and finds the *cue* (a speech verb,
"according to", a colon) and its *source* (the noun phrase that speaks):

>>> text = '"We are ready," Rep. Jane Doe (D-Wis.) said Friday.'
>>> [a.speaker for a in attribute(text, [((1, 14),)])]
['Rep. Jane Doe']
>>> text = 'A Nato official told reporters that the plan was "a mistake".'
>>> [a.speaker for a in attribute(text, [((50, 59),)])]
['A Nato official']
>>> text = 'Since Nato said it was "a mistake", talks stalled.'
>>> [a.speaker for a in attribute(text, [((24, 33),)])]
['Nato']

What the sentence looks like decides where the source is:

* after the quote: ``"…," X said``, ``"…," said X``, ``"…," X, who …, said Friday``;
* before it: ``X said: "…"``, ``X called the plan "a scheme"`` (a partial quote), ``According
  to X, "…"``, ``X: "…"``; the subject of the cue is read leftwards past adverbs, a
  parenthesis ("(D-Wis.)") or an appositive (", the party's chairman,");
* a pronoun ("he said") comes back as it is; :func:`digest.quotes.english_speakers.resolve`
  settles it against the text.

Everything is one pass over the paragraph's tokens, so the cost per quote is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from digest.language.abbreviations import abbreviation_before
from digest.quotes.titles import is_title

# A word (with inner apostrophes, hyphens and abbreviation dots) or one punctuation mark.
# A party-and-state tag ("D-N.Y.", "R-Fla.") is one token, so its full stops end nothing.
_TOKEN = re.compile(
    r"[A-Z]-(?:[A-Z][a-z]{0,3}\.)+(?=\))|(?:[^\W\d_]\.){2,}|[^\W_][\w'’\-]*\.?|\n|[^\w\s]"
)
_SPEECH = frozenset(
    """said says say told tells added adds asked asks wrote writes tweeted tweets posted
    declared declares explained explains noted insisted insists argued argues claimed
    stated warned warns continued continues replied replies responded responds recalled
    recalls acknowledged acknowledges admitted admits conceded concedes stressed stresses
    emphasized emphasised emphasizes urged urges announced announces promised promises
    vowed vows pledged pledges predicted predicts suggested suggests complained complains
    joked jokes quipped quips called described describes labeled labelled dubbed dubs
    branded characterized characterised praised praises blasted blasts slammed slams
    criticized criticised criticizes mocked mocks accused accuses charged countered
    counters shouted yelled yells chanted cried exclaimed exclaims remarked commented
    observed observes reiterated reiterates confirmed confirms denied denies concluded
    concludes assured assures agreed agrees disagreed boasted boasts bragged thundered
    scoffed sniped snapped fumed lamented laments recounted recounts read wondered wonders
    mused muses marveled marvelled pointed pleaded pleads testified testifies answered
    began begins sang sings proclaimed proclaims repeated repeats referred refers cautioned
    cautions demanded offered saying telling adding asking writing tweeting noting arguing
    calling describing declaring explaining insisting warning urging stating quipping
    joking predicting promising vowing suggesting reported barked beamed pressed answers
    remembered remembers""".split()
)
# Auxiliaries and adverbs that may stand between a subject and its cue ("has also said").
_BETWEEN = frozenset(
    """has had have also then later earlier previously once repeatedly again publicly
    privately often simply just flatly further reportedly initially recently quickly
    bluntly angrily frankly firmly told would will could might may did does do is was
    were are been being not never even still already separately subsequently herself
    himself themselves itself last week weekend month year morning afternoon evening
    night today yesterday tonight on this that recently however though""".split()
)
_DAYS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan. feb. mar. apr.
    aug. sept. sep. oct. nov. dec. today yesterday tonight""".split()
)
_MEDIA = frozenset(
    """statement interview email e-mail tweet speech release letter post video call
    conference briefing memo op-ed note message radio television podcast rally event
    appearance""".split()
)
_DETERMINERS = frozenset(
    """a an the one two three four some several many another his her their its our my
    this these those both each""".split()
)
_PRONOUNS = frozenset("he she they i we it".split())
# Words that end a noun phrase read leftwards or rightwards.
_STOP = frozenset(
    """that and but or who whom whose which when where while if because as than to for
    with by in on at from into about after before since until during over under against
    without through between among per via so yet nor not is was were are be been has had
    have will would could should can may might must do did does said says told of
    whether though although also just only even there here it it's this what how why""".split()
)
_OPENERS = frozenset(
    """in on at after before when while asked speaking during although though since as if
    because despite unlike like following earlier later still meanwhile instead yet however
    also then now here even upon with without from for to by once under over according
    responding reacting writing addressing along among amid across around throughout within
    inside outside behind toward towards beyond nonetheless nevertheless moreover furthermore
    thus therefore indeed instead perhaps likewise similarly besides otherwise first second
    third finally lastly next ultimately overall initially""".split()
)
_CONJUNCTIONS = frozenset("but and so yet or also then now still".split())
_TIME_AFTER = frozenset("later earlier ago before after afterward afterwards".split())
# Openers that are adverbs, not prepositions: a capitalised word right after one is the
# subject, not the object of an opening phrase ("In Boston, she said").
_SENTENCE_ADVERBS = frozenset(
    """meanwhile still instead nonetheless nevertheless moreover furthermore thus therefore
    indeed perhaps likewise similarly besides otherwise later earlier""".split()
)
_AFTER_CLAUSE_TOKENS = 12
_MAX_SENTENCE = 120
_CLAUSE_TOKENS = 45
_LEFT_NP_TOKENS = 8
_RIGHT_NP_TOKENS = 12


class Token(NamedTuple):
    """A word, a mark, or a whole quote (``quote`` ≥ 0); the tests the readers ask all the
    time are worked out once, when the token is made (see :func:`_token`)."""

    text: str
    start: int
    end: int
    quote: int  # index of the quote this token stands for, -1 for a word or mark
    lower: str
    is_cue: bool  # a speech verb, in lower case ("States" is a name, not a verb)
    is_word: bool
    is_capitalised: bool


def _token(text: str, start: int, end: int, quote: int = -1) -> Token:
    lower = text.lower()
    plain = quote < 0
    return Token(
        text, start, end, quote, lower,
        plain and text[:1].islower() and lower in _SPEECH,
        plain and text[:1].isalnum(),
        plain and text[:1].isupper(),
    )


@dataclass(frozen=True, slots=True)
class Attribution:
    """The source a quote's sentence names (as written: a name, a phrase or a pronoun) and
    whether a cue ties the quote to it (``cue``); ``side`` says where it was found."""

    speaker: str | None
    cue: bool
    side: str
    sentence_start: int


def attribute(text: str, quotes: list[tuple[tuple[int, int], ...]]) -> list[Attribution]:
    """One :class:`Attribution` per quote (each given as its pieces' inner offsets)."""
    return read_sources(text, quotes).attributions


@dataclass(frozen=True, slots=True)
class Sources:
    """What :func:`read_sources` reads: one attribution per quote, every sentence's subject
    (see :func:`sentence_subjects`), and the gender the text gives people by pronouns
    ("Koval said her team …" → f), by surname in lower case."""

    attributions: list[Attribution]
    subjects: list[tuple[int, str]]
    genders: dict[str, str]


def read_sources(text: str, quotes: list[tuple[tuple[int, int], ...]]) -> Sources:
    """Attributions, subjects and genders from one tokenisation of the text."""
    tokens = _tokenise(text, quotes)
    ends = [_is_boundary(tokens, index) for index in range(len(tokens))]
    places: dict[int, list[int]] = {}
    for position, token in enumerate(tokens):
        if token.quote >= 0:
            places.setdefault(token.quote, []).append(position)
    starts = _sentence_starts(ends)
    found = [_attribute_one(tokens, starts, places.get(i, [])) for i in range(len(quotes))]
    # Two quotes in one sentence ("called it "a" and "b," Doe said"): one source for both.
    by_sentence = {a.sentence_start: a for a in found if a.speaker and a.cue}
    found = [
        by_sentence.get(a.sentence_start, a) if not (a.speaker and a.cue) else a for a in found
    ]
    subjects, sightings = _subjects(tokens, ends)
    genders = {name: seen[0] for name, seen in sightings.items()
               if len(seen) >= 2 and len(set(seen)) == 1}
    return Sources(found, subjects, genders)


def _tokenise(text: str, quotes: list[tuple[tuple[int, int], ...]]) -> list[Token]:
    """Words and marks of the whole text, each quote piece (with its marks) one token."""
    cuts = sorted(
        (max(0, a - 1), min(len(text), b + 1), index)
        for index, pieces in enumerate(quotes)
        for a, b in pieces
    )
    tokens: list[Token] = []
    cursor = 0
    for start, end, index in cuts:
        if start < cursor:
            continue  # overlapping pieces: keep the first
        tokens.extend(_words(text, cursor, start))
        tokens.append(_token(text[start:end], start, end, index))
        cursor = end
    tokens.extend(_words(text, cursor, len(text)))
    return tokens


def _words(text: str, start: int, end: int) -> list[Token]:
    found: list[Token] = []
    for match in _TOKEN.finditer(text, start, end):
        word = match.group(0)
        if word.endswith(".") and len(word) > 1 and not abbreviation_before(text, match.end() - 1):
            found.append(_token(word[:-1], match.start(), match.end() - 1))
            found.append(_token(".", match.end() - 1, match.end()))
        else:
            found.append(_token(word, match.start(), match.end()))
    return found


def _is_boundary(tokens: list[Token], at: int) -> bool:
    """A sentence ends after token ``at``: . ! ? or a line break; a quote ending so ends
    one too unless its attribution follows ("…?" Sanders asked, "…!" he said)."""
    token = tokens[at]
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    if token.quote < 0:
        if following is not None and following.text == ")":
            return False  # "(D-Wis.)"
        # Every stop that is not an abbreviation's ends the sentence, even before a comma
        # ("Aspen, Colo., the …"): the attribution reader leans on that cut, and
        # digest.language.sentences' stricter verdict lost a held-out PolNeAR speaker.
        return token.text in {".", "!", "?", "\n"}
    inner = token.text.rstrip("\"”’'» ")
    if inner[-1:] not in {".", "!", "?"}:
        return False
    if following is None or following.quote >= 0 or following.text == "\n":
        return True
    if following.is_cue or following.text[:1].islower():
        return False
    if inner[-1:] == ".":
        return True  # "…." Bernie Sanders called …: a new sentence ("…," X said has a comma)
    return _after(tokens[at + 1 : at + 1 + _AFTER_CLAUSE_TOKENS + 8]) is None


def _sentence_starts(ends: list[bool]) -> list[int]:
    """For every token, where its sentence starts; a sentence is cut after _MAX_SENTENCE
    tokens, so a text without full stops (a wall of quote marks) stays linear."""
    starts: list[int] = []
    start = 0
    for index, is_end in enumerate(ends):
        if index - start >= _MAX_SENTENCE:
            start = index
        starts.append(start)
        if is_end:
            start = index + 1
    return starts


def _sentence_end(starts: list[int], at: int) -> int:
    end = at + 1
    while end < len(starts) and starts[end] == starts[at]:
        end += 1
    return end


def _attribute_one(tokens: list[Token], starts: list[int], places: list[int]) -> Attribution:
    if not places:
        return Attribution(None, False, "none", 0)
    first, last = places[0], places[-1]
    # Attributions sit close to their quote; the caps keep long sentences cheap.
    start = max(starts[first], first - _CLAUSE_TOKENS)
    end = min(_sentence_end(starts, last), last + 1 + _CLAUSE_TOKENS)
    sentence_start = tokens[starts[first]].start
    # The author's words between the pieces ("…," he said, "…") come first.
    for a, b in zip(places, places[1:], strict=False):
        found = _after(tokens[a + 1 : b])
        if found:
            return Attribution(found, True, "gap", sentence_start)
    before = tokens[start:first]
    after = tokens[last + 1 : end]
    leads_in = _leads_in(before)
    if leads_in is not None:
        return Attribution(leads_in, True, "before", sentence_start)
    found = _after(after) or _dash_credit(tokens, last)
    if found:
        return Attribution(found, True, "after", sentence_start)
    found = _cue_before(before)
    if found:
        return Attribution(found, True, "before", sentence_start)
    found = _cue_later(after)
    if found:
        return Attribution(found, True, "after", sentence_start)
    colon = _colon_speaker(before)
    if colon:
        return Attribution(colon, True, "colon", sentence_start)
    cue = _has_cue(before) or _has_cue(after[:4])
    # No speech verb, yet words quoted inside a sentence ("saw the deal as "a trap"") are
    # its subject's: the phrase that opens the clause.
    subject = _clause_subject(before) if any(t.is_word for t in before) else None
    return Attribution(subject, cue, "subject" if subject else "none", sentence_start)


def _dash_credit(tokens: list[Token], last: int) -> str | None:
    """A quote paragraph credited on the next line: "— Jane Doe, Kyiv.", "-President X"."""
    rest = tokens[last + 1 : last + 4]
    if len(rest) < 3 or rest[0].text != "\n" or rest[1].text not in {"-", "—", "–"}:
        return None
    phrase, _ = _np_rightwards(tokens[last + 2 : last + 12], 0)
    return phrase if phrase and phrase[:1].isupper() else None


def _has_cue(tokens: list[Token]) -> bool:
    return any(t.is_cue or t.lower == "according" for t in tokens)


def _leads_in(before: list[Token]) -> str | None:
    """The clause ends in its cue ("X said:", "X told reporters that", "according to X,"):
    the quote is what the cue introduces."""
    words = [t for t in before if t.text not in {",", ":", "—", "–", "-"}]
    while words and words[-1].lower in {"that", "simply", "only", "flatly"}:
        words.pop()
    if not words:
        return None
    for index in range(len(words) - 1, max(-1, len(words) - 5), -1):
        lower = words[index].lower
        if lower == "according" and index + 1 < len(words) and words[index + 1].lower == "to":
            return _np_right(words, index + 2)
        if lower in _SPEECH:
            tail = words[index + 1 :]
            if lower.endswith("ing") and words[index].is_cue:
                # "Sanders started the debate saying "…"": the clause's subject speaks.
                return _participle_subject(before, before.index(words[index]))
            inverted_order = index == 0 or words[index - 1].lower in {"but", "and"}
            if inverted_order and tail and tail[0].is_capitalised:
                inverted = _np_right(words, index + 1)  # "But, said Solovey, "…""
                if inverted:
                    return inverted
            if lower in {"told", "tells", "telling", "asked", "asking"} or not tail or all(
                not t.is_capitalised or t.lower in _DAYS for t in tail
            ) or _media_phrase(tail):
                return _subject_left(before, before.index(words[index]))
            return None
    return _according_to(before)


def _participle_subject(before: list[Token], index: int) -> str | None:
    """Who the participle at ``index`` is about: a name right before it ("– Ryan saying he
    was "…" and Trump calling it "…""), else the subject of its clause."""
    if index and before[index - 1].is_capitalised and not _is_function(before[index - 1]):
        named, start = _np_leftwards(before, index - 1)
        # Its own clause: after a dash, a comma or "and", not an object ("wrote to X asking").
        free = start == 0 or before[start - 1].text in {"–", "—", "-", ",", "and"}
        if named and free and named.split()[0].lower() not in _DETERMINERS:
            return named
    return _clause_subject(before[:index])


def _according_to(tokens: list[Token]) -> str | None:
    for index, token in enumerate(tokens[:-1]):
        if token.lower == "according" and tokens[index + 1].lower == "to":
            return _np_right(tokens, index + 2)
    return None


def _media_phrase(tail: list[Token]) -> bool:
    """"said in a statement", "wrote on Twitter", "told CNN on Sunday": no new subject."""
    return len(tail) <= 6 and tail[0].lower in {"in", "on", "at", "during", "to"}


def _after(tokens: list[Token]) -> str | None:
    """``"…," X said`` / ``"…," said X`` / ``"…," X, the party's chairman, said Friday``."""
    words = [t for t in tokens if t.quote < 0]
    while words and words[0].text in {",", "—", "–", "-", ":"}:
        words = words[1:]
    if not words or words[0].text in {".", "\n"}:
        return None
    words = words[:_AFTER_CLAUSE_TOKENS + 8]
    if words[0].lower in _SPEECH:
        return _np_right(words, 1)
    if words[0].lower == "according" and len(words) > 1 and words[1].lower == "to":
        return _np_right(words, 2)
    phrase, end = _np_rightwards(words, 0, lower_start=True)
    if not phrase:
        return None
    cue = _skip_to_cue(words, end)
    if cue is None and _bare_verb_ends(words, end) and phrase[:1].isupper():
        return phrase  # "…?" Hannity pressed. — a verb of any kind, then the sentence ends
    return phrase if cue is not None else None


def _bare_verb_ends(words: list[Token], index: int) -> bool:
    if index >= len(words) or not _verbish(words[index].text) or words[index].is_capitalised:
        return False
    following = words[index + 1] if index + 1 < len(words) else None
    return following is None or following.text in {".", ",", "\n", "!"}


def _skip_to_cue(words: list[Token], index: int) -> int | None:
    """Past a parenthesis, an appositive or relative clause and adverbs to the cue verb."""
    steps = 0
    while index < len(words) and steps < _AFTER_CLAUSE_TOKENS + 8:
        token = words[index]
        if token.is_cue:
            return index
        if token.text == "(":
            index = _closing(words, index, "(", ")") + 1
        elif token.text == ",":
            index = _next_comma(words, index) + 1
        elif token.lower in _BETWEEN or token.lower in _DAYS:
            index += 1
        else:
            return None
        steps += 1
    return None


def _closing(words: list[Token], index: int, opener: str, closer: str) -> int:
    for other in range(index + 1, min(len(words), index + 12)):
        if words[other].text == closer:
            return other
    return index


def _next_comma(words: list[Token], index: int) -> int:
    for other in range(index + 1, min(len(words), index + 30)):
        if words[other].text in {",", ".", "\n"}:
            return other - 1 if words[other].text != "," else other
    return len(words)


def _cue_before(before: list[Token]) -> str | None:
    """A partial quote: the last cue before it ("X called the plan "a scheme"")."""
    for index in range(len(before) - 1, -1, -1):
        token = before[index]
        if token.is_cue and token.lower.endswith("ing"):
            # "…, saying "…"": the participle's subject is the clause's.
            return _participle_subject(before, index)
        if token.is_cue and (not _used_as_verb(before, index) or _reported_only(before, index)):
            continue
        if token.lower == "according" and index + 1 < len(before) and (
            before[index + 1].lower == "to"
        ):
            return _np_right(before, index + 2)
        if token.is_cue and _interrupting(before, index):
            # "The paradox of Nancy, says Carl Anthony, historian …, is that "…"".
            return _np_right(before, index + 1)
        if token.is_cue:
            return _subject_left(before, index)
    return None


def _interrupting(words: list[Token], index: int) -> bool:
    """", says X," set off by commas inside a sentence with no quote before it."""
    if not index or words[index - 1].text != "," or any(t.quote >= 0 for t in words[:index]):
        return False
    phrase, end = _np_rightwards(words, index + 1)
    return phrase is not None and end < len(words) and words[end].text == ","


_MODALS = frozenset("will would could should might may can must to not".split())


def _reported_only(tokens: list[Token], index: int) -> bool:
    """"said Americans will say "no"": a cue after a modal is what someone else reports."""
    return index > 0 and tokens[index - 1].lower in _MODALS


def _cue_later(after: list[Token]) -> str | None:
    """A quote opening its sentence with the attribution further on: "Trump's "excesses"
    are sickening, Hollande said Tuesday"."""
    for index, token in enumerate(after):
        if token.quote >= 0:
            return None
        if not token.is_cue or index == 0 or after[index - 1].text in {",", "—"}:
            if token.is_cue and index and after[index - 1].text == ",":
                return _np_right(after, index + 1)  # ", said Hollande"
            continue
        phrase, start = _np_leftwards(after, index - 1)
        if phrase and start > 0 and after[start - 1].text == "," and phrase[:1].isupper():
            return phrase
    return None


def _used_as_verb(tokens: list[Token], index: int) -> bool:
    """"his call for", "Trump's remarks": after a determiner or a possessive it is a noun."""
    if index == 0:
        return True
    previous = tokens[index - 1]
    return previous.lower not in _DETERMINERS and not previous.lower.endswith(("’s", "'s"))


def _colon_speaker(before: list[Token]) -> str | None:
    """``Peskov: "…"``: a short name and a colon introduce the quote."""
    words = [t for t in before if t.quote < 0]
    if len(words) < 2 or words[-1].text != ":" or len(words) > 8:
        return None
    end = len(words) - 2
    # "Here’s Clinton in December 1992: "…"": past a date to the name.
    while end >= 2 and (words[end].text.isdigit() or words[end].lower in _DAYS):
        end -= 1
    if end < len(words) - 2 and words[end].lower in {"in", "on", "at"}:
        end -= 1
    phrase, _ = _np_leftwards(words, end)
    if phrase and any(t[:1].isupper() for t in phrase.split()):
        return phrase
    # "Kasich resisted: "…"": a short clause whose verb introduces the quote.
    if len(words) <= 6 and _verbish(words[-2].text) and not words[-2].is_capitalised:
        opening = _clause_subject(words[:-2])
        return opening if opening and opening[:1].isupper() else None
    return None


def _np_right(words: list[Token], index: int) -> str | None:
    """The source after an inverted cue: "said Friday Sen. X" → "Sen. X"."""
    while index < len(words) and (
        words[index].lower in _DAYS or words[index].lower in _BETWEEN - {"this", "that"}
        or words[index].text == ","
    ):
        index += 1
    if index < len(words) and words[index].lower in {"in", "on", "at", "during"}:
        index = _skip_media(words, index)
    phrase, _ = _np_rightwards(words, index)
    return phrase


def _skip_media(words: list[Token], index: int) -> int:
    """"in a statement", "on Monday", "in an interview with X" → past it."""
    for other in range(index + 1, min(len(words), index + 4)):
        if words[other].lower in _MEDIA or words[other].lower in _DAYS:
            after = other + 1
            if after < len(words) and words[after].lower == "with":
                return len(words)  # "in an interview with CNN" names the listener
            return after
    return index


def _np_rightwards(
    words: list[Token], index: int, *, lower_start: bool = False
) -> tuple[str | None, int]:
    """A noun phrase starting at ``index``: a pronoun, a capitalised name with its titles,
    or a determiner phrase ("a senior White House official"); and where it ends.
    ``lower_start`` lets it open with a lower-case title ("campaign manager Robby Mook")."""
    if index >= len(words):
        return None, index
    first = words[index]
    if first.lower in _PRONOUNS:
        return first.text, index + 1
    opens = first.is_capitalised or first.lower in _DETERMINERS
    if not opens and not (lower_start and first.is_word and not _is_function(first)):
        return None, index
    taken: list[Token] = []
    cursor = index
    while cursor < len(words) and len(taken) < _RIGHT_NP_TOKENS:
        token = words[cursor]
        if not (_np_word(token, taken) or _joins_names(words, cursor, taken)):
            break
        taken.append(token)
        cursor += 1
    # "the Obama administration officials": keep going only within the phrase.
    while taken and (taken[-1].lower in _DETERMINERS or taken[-1].lower in _STOP):
        taken.pop()
        cursor -= 1
    if not taken or not _has_head(taken) or all(t.lower in _DAYS for t in taken):
        return None, index  # "said Tuesday": a day is nobody
    if len(taken) == 1 and len(first.text) >= 5 and first.text.isupper() and first.text.isalpha():
        return None, index  # "WASHINGTON, Dec. 8 —": a dateline, not a source
    return " ".join(t.text for t in taken), cursor


def _joins_names(words: list[Token], index: int, taken: list[Token]) -> bool:
    """A lower-case noun inside a name phrase: "Kyiv resident Svitlana …" (a name follows),
    "TNO's report" (after a possessive)."""
    token = words[index]
    if not taken or not token.is_word or token.is_capitalised or _is_function(token):
        return False
    if _verbish(token.text) or token.lower in _DETERMINERS:
        return False
    if taken[-1].lower.endswith(("’s", "'s")):
        return True
    # "White House press secretary Josh Earnest": lower-case nouns up to the name.
    for following in words[index + 1 : index + 3]:
        if following.is_capitalised:
            return not _is_function(following)
        if not following.is_word or _is_function(following) or _verbish(following.text):
            return False
    return False


def _is_function(token: Token) -> bool:
    return token.lower in _STOP or token.is_cue or token.lower in _BETWEEN


def _np_word(token: Token, taken: list[Token]) -> bool:
    if not token.is_word:
        # "Clinton’s" is one token; "(D-Wis.)" ends the phrase.
        return False
    lower = token.lower
    # "a spokesman for the House Armed Services Committee": "for" after a role noun.
    for_role = lower == "for" and bool(taken) and (
        taken[-1].lower in _ROLE_NOUNS or is_title(taken[-1].text)
    )
    if lower in _SPEECH or lower in _STOP and not (lower == "of" and taken) and not for_role:
        return False
    if lower in _DETERMINERS:
        return not taken or taken[-1].lower in {"of", "for"}
    if token.is_capitalised or not taken:
        return True
    # Lower-case words inside a phrase: adjectives and nouns ("senior", "official"), but
    # not a verb after a finished name ("Trump assured", "Clinton won").
    previous = taken[-1]
    if previous.is_capitalised and previous.lower not in _DETERMINERS:
        # "Federation of Government Employees": "of" inside a name; a role noun after one.
        return lower == "of" or is_title(token.text) or token.lower in _ROLE_NOUNS
    return not _verbish(token.text)


_ROLE_NOUNS = frozenset(
    """official officials aide aides adviser advisers advisor advisors staffer staffers
    spokesman spokeswoman spokesperson source sources strategist strategists lawmaker
    lawmakers campaign supporter supporters voter voters operative operatives executive
    executives analyst analysts pollster pollsters organizer organizers member members
    representative representatives candidate leader leaders officer officers agent agents
    activist activists lawyer lawyers attorney attorneys staff team""".split()
)


def _verbish(word: str) -> bool:
    lower = word.lower()
    return lower.endswith(("ed", "ing")) and lower not in _ROLE_NOUNS and len(lower) > 4


def _has_head(taken: list[Token]) -> bool:
    """A phrase must hold a name or a noun, not only determiners and adjectives."""
    return any(t.is_capitalised and t.lower not in _DETERMINERS for t in taken) or (
        taken[0].lower in _DETERMINERS and len(taken) >= 2
    )


def _np_leftwards(words: list[Token], index: int) -> tuple[str | None, int]:
    """A noun phrase ending at ``index`` (inclusive), read leftwards; and where it starts."""
    taken: list[Token] = []
    cursor = index
    while cursor >= 0 and len(taken) < _LEFT_NP_TOKENS:
        token = words[cursor]
        if token.lower in _PRONOUNS and not taken:
            return token.text, cursor
        if not token.is_word or token.lower in _STOP and token.lower != "of":
            break
        if token.lower in _DETERMINERS:
            taken.insert(0, token)
            cursor -= 1
            if cursor >= 0 and words[cursor].lower == "of":
                continue  # "the head of the Kremlin"
            break
        if not token.is_capitalised and taken and taken[0].is_capitalised and (
            token.lower != "of"
        ):
            # "policy aide Jake Sullivan": lower-case words before a name are its titles
            # only when they look like nouns and adjectives, not like verbs.
            if _verbish(token.text) or token.is_cue:
                break
        taken.insert(0, token)
        cursor -= 1
    while taken and taken[0].lower == "of":
        taken.pop(0)
    if not taken or not (_has_head(taken) or any(is_title(t.text) for t in taken)):
        return None, index
    if not taken[0].is_capitalised and taken[0].lower not in _DETERMINERS and not any(
        t.is_capitalised for t in taken
    ):
        # A bare lower-case phrase ("the court ruled and said") needs its determiner.
        return None, index
    return " ".join(t.text for t in taken), cursor + 1


def _subject_left(tokens: list[Token], verb: int) -> str | None:
    """The subject of the cue at ``verb`` (see :func:`_nearest_subject`); a work that
    speaks ("released a video that said", "a new ad that urges") is its author's voice, the
    clause's subject, when that is a name."""
    found = _nearest_subject(tokens, verb)
    if found and found.split()[-1].lower() in _WORKS:
        author = _clause_subject(tokens[:verb])
        if author and author != found and author[:1].isupper():
            return author
    return found


_WORKS = frozenset(
    """statement video ad ads commercial spot release letter memo email tweet post message
    report documentary film book""".split()
)


def _nearest_subject(tokens: list[Token], verb: int) -> str | None:
    """The phrase right before the cue at ``verb``, past adverbs, a parenthesis or an
    appositive; else the subject of the clause."""
    words = tokens[:verb]
    index = len(words) - 1
    while index >= 0 and (words[index].lower in _BETWEEN or words[index].lower in _DAYS):
        index -= 1
    if index >= 1 and words[index].lower in _DAYS and words[index - 1].lower == "on":
        index -= 2
    if index >= 0 and words[index].text == ")":
        index = _opening(words, index) - 1
    if index >= 0 and words[index].text == ",":
        return _clause_subject(words[:index])
    if index >= 0 and words[index].quote >= 0:
        return _clause_subject(words[:index])
    if index < 0:
        return None
    if words[index].lower in {"and", "but", "then"}:
        # "Lazar said he … and added, "…"": the subject of the earlier cue.
        earlier = [
            i for i in range(index)
            if words[i].is_cue and _used_as_verb(words, i) and not words[i].lower.endswith("ing")
        ]
        if earlier:
            return _subject_left(words, earlier[0])
        return _clause_subject(words[:index])
    phrase, _ = _np_leftwards(words, index)
    return phrase or _clause_subject(words[: index + 1])


def _opening(words: list[Token], index: int) -> int:
    for other in range(index - 1, max(-1, index - 12), -1):
        if words[other].text == "(":
            return other
    return index


def _clause_subject(words: list[Token]) -> str | None:
    """The noun phrase that opens the clause, after an opening phrase ("Asked about it,",
    "In a statement,") or a conjunction ("But")."""
    index = 0
    while index < len(words) and not words[index].is_word:
        index += 1
    if index < len(words) and words[index].lower in _CONJUNCTIONS:
        index += 1
        while index < len(words) and words[index].text == ",":
            index += 1
    comma = next((i for i in range(index, len(words)) if words[i].text == ","), None)
    following = words[index + 1] if index + 1 < len(words) else None
    if (
        index < len(words) and words[index].lower in _SENTENCE_ADVERBS
        and following is not None and following.is_capitalised
    ):
        index += 1  # "Meanwhile Rihanna, who was honored …, spoke": no comma after the adverb
    elif index < len(words) and (
        words[index].lower in _OPENERS or words[index].lower.endswith(("ing", "ly"))
        or words[index].lower == "ever"
    ):
        if comma is None:
            return None
        index = comma + 1
    elif comma is not None and 0 < comma - index <= 4 and words[comma - 1].lower in _TIME_AFTER:
        index = comma + 1  # "Hours later, she issued …", "Two days earlier, …"
    elif comma is not None and comma - index <= 6 and all(
        t.lower in _OPENERS or t.lower in _BETWEEN or t.lower.endswith("ly") or t.lower == "most"
        or (i == 0 and t.lower in _DETERMINERS)
        or (i > 0 and (not t.is_capitalised or is_function_word(t.text)))
        for i, t in enumerate(words[index:comma])
    ):
        index = comma + 1  # "Most recently, Trump called …", "Lately, he has …"
    phrase, _ = _np_rightwards(words, index)
    return phrase


def sentence_subjects(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """``(offset, phrase)`` for every sentence whose subject can be read: the source of its
    cue when it has one, else the noun phrase that opens it. What "he said" may point to."""
    return read_sources(text, [((a, b),) for a, b in quotes]).subjects


_MALE = frozenset("he his him himself".split())
_FEMALE = frozenset("she her hers herself".split())


def _subjects(
    tokens: list[Token], ends: list[bool]
) -> tuple[list[tuple[int, str]], dict[str, str]]:
    found: list[tuple[int, str]] = []
    genders: dict[str, str] = {}
    start = 0
    for index, is_end in enumerate(ends):
        if is_end or index + 1 == len(tokens):
            sentence = tokens[start : min(index + 1, start + _MAX_SENTENCE)]
            subject = _subject_of(sentence)
            if subject:
                # A subject without a speech verb ("Ukraine expects …") is marked "~":
                # it may be a place, so a person's pronoun prefers a speaker.
                cued = any(t.is_cue for t in sentence)
                found.append((tokens[start].start, subject if cued else "~" + subject))
                if cued:
                    _pronoun_gender(subject, sentence, genders)
            start = index + 1
    return found, genders


def _pronoun_gender(subject: str, sentence: list[Token], genders: dict[str, str]) -> None:
    """"Koval said her team …", "Doe said he would …": a pronoun right after the named
    speaker's verb is, in news copy, nearly always the speaker, and shows their gender."""
    words = subject.split()
    # Keyed by the whole name: "Barack Obama said he …" says nothing about Michelle Obama.
    name = " ".join(w for w in words if w[:1].isupper() and w.lower() not in _DETERMINERS)
    if len(name.split()) < 2:
        return
    for index, token in enumerate(sentence[:-1]):
        if not token.is_cue:
            continue
        following = sentence[index + 1]
        if following.lower == "that" and index + 2 < len(sentence):
            following = sentence[index + 2]
        if following.lower in _MALE or following.lower in _FEMALE:
            # Two sightings are needed ("m", "mm"): one "said he" may be a typo or another
            # man; a contradiction ("mf") settles nothing.
            seen = genders.get(name.lower(), "") + ("m" if following.lower in _MALE else "f")
            genders[name.lower()] = seen
        return


def _subject_of(sentence: list[Token]) -> str | None:
    for index, token in enumerate(sentence):
        if token.is_cue and _used_as_verb(sentence, index):
            before = [t for t in sentence[:index] if t.text not in {",", "—", "–"}]
            if before and before[-1].quote >= 0:  # ""…," said X"
                found = _np_right(sentence, index + 1)
                if found:
                    return found
            return _subject_left(sentence, index)
    return _clause_subject(sentence)


def is_function_word(word: str) -> bool:
    """Words that open a sentence capitalised without being a name ("Along", "Does")."""
    lower = word.lower().removesuffix("’s").removesuffix("'s")
    return lower in _STOP or lower in _OPENERS or lower in _CONJUNCTIONS or lower in _DAYS or (
        lower in _DETERMINERS or lower in _BETWEEN
    )
