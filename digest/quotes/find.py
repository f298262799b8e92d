"""Direct quotes in an article body and who said them.

:func:`find_quotes` returns every *key* direct quote, in reading order;
:func:`best_quotes` keeps the one to three worth showing in a digest.

>>> text = 'Talks stalled. "We are ready," he said, "but not at any price." Putin said so.'
>>> [q.text for q in find_quotes(text, language="en")]
['We are ready, but not at any price.']

What counts as a key quote (the rule the labelled set follows too):

* the words sit between quote marks — “…”, "…", «…», „…“, ‘…’, ``…'' — or form a dash-led
  paragraph of direct speech in Ukrainian/Russian ("— Мы готовы, — сказал он.");
* they hold at least :data:`MIN_WORDS` words, so scare quotes ("voluntarily"), quoted terms
  («спецоперация») and names of papers ("Kommersant") are left out; only a quote followed
  by its attribution may be shorter (``"That was it," Roof said``);
* they are *free-standing*: the quote opens a paragraph or a sentence, follows a colon, a
  dash, a speech verb or an attributing lead-in ("said: …", "за словами X, «…»"), or is
  followed by an attribution (``"…," he said``) — or it is long (:data:`LONG_WORDS` words
  or more). A short phrase quoted inside someone else's sentence ("called it "a disaster
  for all"") is a partial quote, not a key quote;
* titles are left out: a string right after a work noun ("the headline", "у матеріалі"),
  and, when no attribution is in sight, a capitalised title or words that do not end a
  sentence (a headline or a slogan).

Quotes split around the attribution ("We are ready," he said, "but …") come out as one, as
do quotes running over several paragraphs (reopened “ each paragraph, or » only at the
end). Only the outermost pair of marks counts, so a quote quoting someone is one quote.
Speakers: see :mod:`digest.quotes.speakers`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from digest.language.detect import guess_language, normalize_language
from digest.language.sentences import first_sentence, last_sentence, sentence_ends
from digest.language.words import words as split_words
from digest.models import Quote
from digest.quotes.english import Attribution, read_sources
from digest.quotes.english_speakers import resolve_english
from digest.quotes.morph import (
    is_present,
    is_quoted_name,
    is_shown_speaker,
    speaker_form,
    verb_gender,
)
from digest.quotes.names import stem
from digest.quotes.speakers import is_pronoun, resolve_speakers, speaker_in_clause, speech_verb

MIN_WORDS = 4
LONG_WORDS = 10
_MAX_NESTING = 8
_CLAUSE_CHARS = 200

_PARAGRAPH = re.compile(r"[^\n]+")
_HYPHEN_SPEECH = re.compile(r"\s*-\s+([^\n]+?)[,.!?…]?\s+-\s+(\w[^\n]*)")
_DASH_LINE = re.compile(r"\s*[—–]\s+")  # used with .match(), so anchored
# Kommersant-style ",— сказал он" has no space before the dash, so punctuation may stand
# in for it.
_DASH_SPLIT = re.compile(r"(?:\s+|(?<=[,.!?…]))[—–]\s+")
_MAX_CARRIED_PARAGRAPHS = 6
_MAX_GAP_WORDS = 7
# Nouns after which a quoted string is the name of a work or a headline, not speech.
_WORK_NOUNS = re.compile(
    r"(?<!\w)(?:headline|titled|article|book|film|newspaper|матеріал\w*|новин[аіу]"
    r"|заголов\w*|стат(?:ья|ье|тю)|материал\w*|газет\w*|книг\w*)\s*:?\s*$",
    re.IGNORECASE,
)
# Right before the marks, a word about words: «брейнрот» after "слово" is a term, not speech.
_TERM_NOUNS = re.compile(
    r"(?<!\w)(?:слов[оау]|термин\w*|термін\w*|выражени\w*|вираз\w*|фраз[аиуы]"
    r"|хештег\w*|хэштег\w*|понятие|поняття)\s*$",
    re.IGNORECASE,
)
_TITLE_NOUNS = re.compile(
    r"(?<!\w)(?:закон|законопроект|фильм|фільм|сериал|серіал|программ|програм|операци|операці"
    r"|указ|постановлени|постанов|проект|проєкт|передач|шоу|кампани|кампані|документ"
    r"|выставк|виставк|спектакл|роман|альбом|песн|пісн)\w*\s*$",
    re.IGNORECASE,
)
_WORK_NOUN_ANYWHERE = re.compile(_WORK_NOUNS.pattern.removesuffix(r"\s*:?\s*$"), re.I)


@dataclass(frozen=True, slots=True)
class _Span:
    """A quote as one or more pieces of the full text (``(start, end)`` offsets).

    A quote interrupted by its attribution ("…," he said, "…") has two pieces; the gaps
    between pieces are the author's words.
    """

    pieces: tuple[tuple[int, int], ...]
    paragraph_start: int
    paragraph_end: int

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]

    def gaps(self, text: str) -> list[str]:
        return [text[a[1] : b[0]] for a, b in pairwise(self.pieces)]


def find_quotes(text: str, *, language: str | None = None) -> list[Quote]:
    """Every direct quote in ``text``, in order, with its speaker when one is named.

    A quote that stands on its own is ``kind="full"``; words quoted inside reported speech
    (``called the plan "a reckless scheme"``) are ``kind="partial"``. Quoted titles,
    headlines and scare quotes no one is credited with are left out.
    ``language`` ("en", "uk", "ru"; guessed when None) picks the speech-verb list and
    turns on dash-led direct speech for Ukrainian and Russian.

    >>> find_quotes('«Мы готовы к диалогу», — заявил Песков.', language="ru")[0].speaker
    'Песков'
    >>> [(q.kind, q.speaker) for q in find_quotes(
    ...     'Jane Doe called the plan "a reckless scheme" on Friday.', language="en")]
    [('partial', 'Jane Doe')]
    """
    lang = normalize_language(language) or guess_language(text) or "en"
    spans = _merge_split_quotes(text, _spans(text, lang))
    if lang == "en":
        return _english_quotes(text, spans)
    found: list[Quote] = []
    for span in spans:
        clauses = _clauses(text, span)
        attribution = _attribution(clauses, lang)
        kind = _kind(text, span, attribution)
        one_word = len(split_words(_quote_text(text, span))) < 2
        if kind == "partial" and one_word and not _reported_word(text, span, lang):
            continue  # a quoted term («спецоперація»), not someone's words
        if kind is not None and (_names_a_thing(text, span, lang) or _titled(text, span)):
            continue  # «Північний потік-2», закон «Об охране …»: the name of a thing
        if kind is not None:
            speaker = _speaker(clauses, lang, gaps=len(span.pieces) - 1)
            quote = Quote(_quote_text(text, span), speaker, span.start)
            found.append(replace(quote, kind=kind, end=span.end))
    # Dictionary forms last, once pronouns and short names are settled against the text.
    return [replace(q, speaker=speaker_form(q.speaker, lang)) for q in resolve_speakers(text, found, lang)]


def _reported_word(text: str, span: _Span, lang: str) -> bool:
    """A single lower-case word quoted inside reported speech ("заявила, что продаст
    «возрастные» суда") is the speaker's word, not the reporter's term."""
    if not _quote_text(text, span)[:1].islower():
        return False
    before = last_sentence(text[max(span.paragraph_start, span.start - _CLAUSE_CHARS) : span.start])
    verb = speech_verb(before, lang)
    if verb is not None and _NAMING.match(verb.text) and len(before[verb.end :].split()) <= 4:
        # "назвала это «провокацией»": the word someone calls it by; the impersonal plural
        # ("его назвали «черным»") is the reporter's own label.
        return verb_gender(verb.text, lang) in {"m", "f"}
    return verb is not None and _REPORTED.search(before, verb.end) is not None


_REPORTED = re.compile(r",\s*(?:что|що|чтобы|щоб)(?!\w)")
_NAMING = re.compile(r"(?:назва|называ|назива)", re.IGNORECASE)


def _names_a_thing(text: str, span: _Span, lang: str) -> bool:
    """Quoted words that name a thing, unless "…», — сказал X" attributes them as speech
    (dash-led dialogue has no marks and is always speech)."""
    if not _MARK_CHARS.match(text, max(0, span.start - 1)):
        return False
    # Right after the closing mark, not after a space: "«…» , ни одна" is a name mid-sentence.
    if re.match(r"[»”“\"']?\s?(?:,\s?[—–-]|[—–-]\s)", text[span.end : span.end + 5]):
        return False
    if _introduced_by_speech(text, span, lang):
        return False  # "отметил: «Это переломный момент»": said, however short
    after = _text_after(text, span)
    quoted = _quote_text(text, span)
    if after[:1] == "," and speech_verb(" ".join(after[1:].split()[:2]), lang) is not None:
        # "«…», заявив він" quotes someone; "«Яндекс Такси», сообщил …" still names a firm.
        return _all_capitalised(quoted) and is_quoted_name(quoted, lang)
    return is_quoted_name(quoted, lang)


def _introduced_by_speech(text: str, span: _Span, lang: str) -> bool:
    """A colon right before the marks, after a speech verb among the last few words
    ("отметил: «Это переломный момент»")."""
    before = text[max(span.paragraph_start, span.start - 80) : max(0, span.start - 1)].rstrip()
    if not before.endswith(":"):
        return False
    if _speaker_heading(last_sentence(before[:-1])) and _closes_its_sentence(text, span):
        # "Кличко: «Столиця готова до зими»", a headline's way to quote; "Нафтогаз:
        # «Північний потік-2» зупинено" goes on after the marks and names a thing.
        return True
    return speech_verb(" ".join(before[:-1].split()[-4:]), lang) is not None


def _closes_its_sentence(text: str, span: _Span) -> bool:
    """Nothing but a sentence end or a line end follows the closing mark."""
    rest = text[span.end : span.end + 3].lstrip("\"”»’'“ ")
    return not rest or rest[0] in ".!?…\n"


def _speaker_heading(lead: str) -> bool:
    """The whole sentence before the colon is a name of one to three capitalised words."""
    words = lead.split()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words)


def _titled(text: str, span: _Span) -> bool:
    """A capitalised quote right after a noun for a law, a film, a programme or an
    operation is its title (закон «Об охране здоровья…», фильма «Как вырастить…»); a
    lower-case one may be a verdict on it (назвал закон «драконовским»)."""
    quoted = _quote_text(text, span)
    return quoted[:1].isupper() and bool(_TITLE_NOUNS.search(text, 0, max(0, span.start - 1)))


def _all_capitalised(quoted: str) -> bool:
    words = split_words(quoted)
    return len(words) <= 3 and all(word[:1].isupper() for word in words)


def _kind(text: str, span: _Span, attribution: _Attribution) -> str | None:
    """"full", "partial" (quoted words inside attributed speech) or None (not speech)."""
    if _is_key(text, span, attribution):
        return "full"
    if not attribution.anywhere or _in_markup(text, span):
        return None
    before = text[max(span.paragraph_start, span.start - _CLAUSE_CHARS) : span.start]
    return None if _names_a_work(before.rstrip(" \"“„«‘`")) else "partial"


def _loose_partial(text: str, span: _Span) -> str | None:
    """English copy quotes people mid-sentence after verbs of every kind ("saw it as "a
    mistake"", "the lawsuit contends that "…""): several quoted words that are not a title
    or a work's name are someone's words even without a speech verb; a single word is not."""
    quoted = _quote_text(text, span)
    words = split_words(quoted)
    if len(words) < 2 or _in_markup(text, span) or _looks_like_title(words, quoted):
        return None
    before = text[max(span.paragraph_start, span.start - _CLAUSE_CHARS) : span.start]
    return None if _names_a_work(before.rstrip(" \"“„«‘`")) else "partial"


_TITLE_LEAD = frozenset("on of in at for from with by titled named dubbed star host".split())


def _names_a_title(text: str, span: _Span) -> bool:
    """Quoted words that name a show, a book or a headline rather than quote anyone:
    title-case words after "on", "of", "CNN's" … ("on CNN's "State of the Union""), a
    headline credited ""…," by X", or any quote inside a title-case line (a headline)."""
    quoted = _quote_text(text, span)
    words = split_words(quoted)
    # A headline is short, and only a short line is read: a long paragraph stays linear.
    line = text[span.paragraph_start : min(span.paragraph_end, span.paragraph_start + 300)]
    line_words = split_words(line) if span.paragraph_end - span.paragraph_start <= 300 else []
    capitalised = sum(1 for word in line_words if word[0].isupper())
    if 4 <= len(line_words) <= 30 and capitalised >= 0.7 * len(line_words):
        return True  # a headline line: "Gov Fallin: Trump Is 'Trying To …'"
    after = text[span.end : span.end + 8].lstrip("\"”’' ,")
    if after.startswith("by ") and text[span.end : span.end + 3].count(",") >= 1:
        return True
    if not words or not _looks_like_title(words, quoted):
        return False
    before = text[max(span.paragraph_start, span.start - 40) : span.start].rstrip(" \"“‘«")
    previous = before.split()[-1:] or [""]
    return previous[0].lower() in _TITLE_LEAD or previous[0].endswith(("’s", "'s", "s’"))


def _in_markup(text: str, span: _Span) -> bool:
    """``author="…"`` inside a tag copied into the body is an attribute, not speech."""
    return text[max(0, span.start - 2) : span.start].startswith("=")


def _english_quotes(text: str, spans: list[_Span]) -> list[Quote]:
    read = read_sources(text, [span.pieces for span in spans])
    found: list[Quote] = []
    sources: list[Attribution] = []
    for span, source in zip(spans, read.attributions, strict=True):
        after = source.side in {"after", "gap"}
        attribution = _Attribution(anywhere=source.cue or bool(source.speaker), after=after)
        kind = _kind(text, span, attribution) or _loose_partial(text, span)
        if kind is None or _names_a_title(text, span):
            continue
        if source.speaker is None:
            # The clause reader also knows introductions in the previous paragraph ("It
            # includes a quote from Putin,") and Cyrillic names quoted in English copy.
            older = _speaker(_clauses(text, span), "en")
            if older is not None:
                source = replace(source, speaker=older, cue=True)
        found.append(Quote(_quote_text(text, span), source.speaker, span.start, kind, span.end))
        sources.append(source)
    return resolve_english(text, found, sources, read)


@dataclass(frozen=True, slots=True)
class _Carry:
    """A quote left open at the end of a paragraph, which the next one may continue."""

    kind: str
    pieces: tuple[tuple[int, int], ...]
    paragraph_start: int


def _spans(text: str, lang: str) -> list[_Span]:
    spans: list[_Span] = []
    carry: _Carry | None = None
    for paragraph in _PARAGRAPH.finditer(text):
        start, end = paragraph.span()
        if lang in {"uk", "ru"} and _DASH_LINE.match(paragraph.group(0)):
            spans.extend(_dash_speech(text, start, end))
            carry = None
            continue
        hyphen = _HYPHEN_SPEECH.match(paragraph.group(0)) if lang in {"uk", "ru"} else None
        if hyphen and speech_verb(" ".join(hyphen.group(2).split()[:3]), lang):
            # "- Ми не відступимо, - сказав міністр.": web copy types the dash as a hyphen;
            # only a line whose author's words follow counts, not a bulleted list.
            spans.append(_Span(((start + hyphen.start(1), start + hyphen.end(1)),), start, end))
            carry = None
            continue
        if carry is not None and not _continues(text, start, end, carry.kind):
            carry = None
        found, carry = _marked_spans(text, start, end, carry)
        spans.extend(found)
    return spans


def _continues(text: str, start: int, end: int, kind: str) -> bool:
    """Does this paragraph carry on a quote left open? Yes when it opens with the same mark
    (English: each paragraph of a long quote reopens it) or closes it before reopening
    (Ukrainian/Russian: the closing mark comes only at the end)."""
    body = text[start:end].lstrip()
    if body.startswith(kind):
        return True
    pretend_open = [(kind, start)]
    for index in range(start, min(end, start + 3000)):
        mark = _mark_at(text, index, pretend_open)
        if mark is not None and mark[1] and kind in _OPENERS_OF.get(mark[0], ""):
            return True
        if mark is not None and not mark[1] and mark[0] == kind:
            return False  # a new quote opens first: the old one was never closed
    return False


# Openers and the closers that end them. “ closes „ (Ukrainian/German style) but opens an
# English quote; the scanner decides by what is open.
_MARK_CHARS = re.compile("[«„“”»‘’\"`']")
_CLOSERS = {"“": "”", "„": "“”", "«": "»", "‘": "’", '"': '"', "``": "''"}
_OPENERS_OF = {"”": "“„", "“": "„", "»": "«", "’": "‘", '"': '"', "''": "``"}


def _marked_spans(
    text: str, start: int, end: int, carry: _Carry | None
) -> tuple[list[_Span], _Carry | None]:
    """Outermost quote-mark pairs inside one paragraph, by a single left-to-right scan.

    ``carry`` is a quote still open from earlier paragraphs; the returned carry is the
    quote this paragraph leaves open, if any.
    """
    stack, earlier, index = _resume(text, start, carry)
    spans: list[_Span] = []
    while index < end:
        mark = _mark_at(text, index, stack)
        if mark is None:
            # Jump to the next character that could be a mark: most text has none.
            following = _MARK_CHARS.search(text, index + 1, end)
            index = following.start() if following else end
            continue
        kind, is_closer = mark
        if is_closer and kind == '"' and not stack and _merged_opening(text, index, spans, start):
            # '"Газпром" свідомо … боргів ", - пояснюється': the opening mark merged with a
            # nested name's, so the lone closer before the attribution ends the whole quote.
            first = next(i for i, span in enumerate(spans) if _opens_sentence(text, span, start))
            pieces: tuple[tuple[int, int], ...] = ((spans[first].start, index - (text[index - 1] == " ")),)
            spans[first:] = [_Span(pieces, start, end)]
        elif is_closer:
            depth = _matching_opener(stack, kind)
            if depth is not None:
                opener_end = stack[depth][1]
                del stack[depth:]
                if depth == 0:
                    pieces = earlier + _split_inner_author(text, opener_end, index)
                    first = carry.paragraph_start if carry and earlier else start
                    spans.append(_Span(pieces, first, end))
                    earlier = ()
        elif _closes_unbalanced(text, index, kind, stack):
            # «Ясно, — говорит он. — …. «Второй ответ…»: the first » was never typed.
            close = stack[0][1] + len(text[stack[0][1] : index].rstrip())
            pieces = earlier + _split_inner_author(text, stack[0][1], close)
            spans.append(_Span(pieces, carry.paragraph_start if carry and earlier else start, end))
            earlier = ()
            stack[:] = [(kind, index + len(kind))]
        elif len(stack) < _MAX_NESTING:
            stack.append((kind, index + len(kind)))
        index += len(kind)
    return spans, _left_open(stack, earlier, carry, (start, end))


_ATTRIBUTED_AFTER = re.compile(r"\s*,\s*[—–-]\s")


def _merged_opening(text: str, index: int, spans: list[_Span], paragraph_start: int) -> bool:
    """A straight " with nothing open, right before ", —", after a quoted name that opens
    a sentence of this paragraph."""
    return _ATTRIBUTED_AFTER.match(text, index + 1) is not None and any(
        _opens_sentence(text, span, paragraph_start) for span in spans
    )


def _opens_sentence(text: str, span: _Span, paragraph_start: int) -> bool:
    opener = span.start - 1
    if span.paragraph_start != paragraph_start or text[opener] != '"':
        return False
    before = text[paragraph_start:opener].rstrip()
    return not before or before[-1] in ".!?…:"


def _closes_unbalanced(text: str, index: int, kind: str, stack: list[tuple[str, int]]) -> bool:
    """A « that opens a new sentence while another « is still open ends the open quote: a
    nested quotation sits inside a sentence, a forgotten » is far likelier than one opening a
    sentence of its own."""
    if kind != "«" or len(stack) != 1 or stack[0][0] != "«":
        return False
    before = text[max(stack[0][1], index - 3) : index].rstrip()
    return before[-1:] in {".", "!", "?", "…"}


def _resume(
    text: str, start: int, carry: _Carry | None
) -> tuple[list[tuple[str, int]], tuple[tuple[int, int], ...], int]:
    """Initial scanner state: empty, or the carried quote reopened past its repeated mark."""
    if carry is None:
        return [], (), start
    index = start + len(text[start:]) - len(text[start:].lstrip())
    if text.startswith(carry.kind, index):
        index += len(carry.kind)
    return [(carry.kind, index)], carry.pieces, index


def _left_open(
    stack: list[tuple[str, int]],
    earlier: tuple[tuple[int, int], ...],
    carry: _Carry | None,
    paragraph: tuple[int, int],
) -> _Carry | None:
    if not stack or len(earlier) >= _MAX_CARRIED_PARAGRAPHS:
        return None
    kind, opened_at = stack[0]
    first = carry.paragraph_start if carry and earlier else paragraph[0]
    return _Carry(kind, earlier + ((opened_at, paragraph[1]),), first)


def _mark_at(text: str, index: int, stack: list[tuple[str, int]]) -> tuple[str, bool] | None:
    """The quote mark at ``index`` and whether it closes, or None for any other character."""
    char = text[index]
    pair = text[index : index + 2]
    if pair in {"``", "''"}:
        return pair, pair == "''"
    if char in "«„":
        return char, False
    if char in "»”":
        return char, True
    if char == "“":
        return char, bool(stack) and stack[-1][0] == "„"
    if char in "‘’":
        return _single_quote(text, index, stack)
    if char == '"':
        return char, _straight_closes(text, index, stack)
    return None


def _single_quote(text: str, index: int, stack: list[tuple[str, int]]) -> tuple[str, bool] | None:
    """‘ opens only before a word start; ’ closes only an open ‘ and not inside a word (don’t)."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if text[index] == "‘":
        return ("‘", False) if not before.isalnum() and not after.isspace() else None
    open_single = any(kind == "‘" for kind, _ in stack)
    return ("’", True) if open_single and not after.isalnum() else None


def _straight_closes(text: str, index: int, stack: list[tuple[str, int]]) -> bool:
    """A straight " opens after a space or bracket and before a letter; else it closes."""
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    if (before.isspace() or before in "([{—–-/:") and not after.isspace():
        # ' ", - пояснюється': a stray space before a closer, which a comma follows.
        return after in ",;" and not stack
    closes_here = not before.isspace() and (after.isspace() or not after.isalnum())
    return closes_here or any(kind == '"' for kind, _ in stack)


def _matching_opener(stack: list[tuple[str, int]], closer: str) -> int | None:
    for depth in range(len(stack) - 1, -1, -1):
        if closer in _CLOSERS[stack[depth][0]]:
            return depth
    return None


# Russian/Ukrainian typography keeps the author's words inside one pair of guillemets:
# «Мы готовы, — сказал он, — но не любой ценой».
_INNER_AUTHOR = re.compile(r"(?<=[,.!?…])\s*[—–]\s+([^—–«»\n]{1,100}?)[,.:]?\s*[—–]\s+")


def _split_inner_author(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    pieces: list[tuple[int, int]] = []
    cursor = start
    for author in _INNER_AUTHOR.finditer(text, start, end):
        if speech_verb(author.group(1), "ru") is not None:
            pieces.append((cursor, author.start()))
            cursor = author.end()
    pieces.append((cursor, end))
    return tuple(pieces)


def _dash_speech(text: str, start: int, end: int) -> list[_Span]:
    """Ukrainian/Russian dialogue: "— Quote, — said X. — More quote." → one quote.

    Segments between " — " alternate speech and author's words; the author's words are
    recognised by a speech verb, so a dash used as punctuation inside speech stays put.
    """
    body = _DASH_LINE.match(text, start, end)
    cursor = body.end() if body else start
    pieces: list[tuple[int, int]] = []
    after_author = False
    for seg_start, seg_end in _dash_segments(text, cursor, end):
        segment = text[seg_start:seg_end]
        # Author's words and speech alternate, so the segment after the author's is speech
        # even when it has a verb of its own ("…,— продолжил он,— не задумываясь, ответил").
        is_author = bool(pieces) and not after_author and speech_verb(segment, "ru") is not None
        after_author = is_author and len(split_words(segment)) <= 12
        if after_author:
            continue
        if pieces and not _is_gap_author(text, pieces[-1][1], seg_start):
            pieces[-1] = (pieces[-1][0], seg_end)
        else:
            pieces.append((seg_start, seg_end))
    return [_Span(tuple(pieces), start, end)] if pieces else []


def _is_gap_author(text: str, previous_end: int, next_start: int) -> bool:
    return speech_verb(text[previous_end:next_start], "ru") is not None


def _dash_segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    segments = []
    cursor = start
    for dash in _DASH_SPLIT.finditer(text, start, end):
        segments.append((cursor, dash.start()))
        cursor = dash.end()
    segments.append((cursor, end))
    return [(a, b) for a, b in segments if b > a]


def _merge_split_quotes(text: str, spans: list[_Span]) -> list[_Span]:
    """Join "…," he said, "…" into one quote of two pieces."""
    merged: list[_Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if previous and _is_interruption(text, previous, span):
            pieces = previous.pieces + span.pieces
            merged[-1] = _Span(pieces, previous.paragraph_start, span.paragraph_end)
        else:
            merged.append(span)
    return merged


def _is_interruption(text: str, first: _Span, second: _Span) -> bool:
    """The gap is a short attribution and the first half ends mid-sentence with a comma."""
    if first.paragraph_start != second.paragraph_start:
        return False
    between = text[first.end : second.start].strip(" \"”»’'“„«‘`")
    first_text = text[first.start : first.end].rstrip()
    return (
        0 < len(split_words(between)) <= _MAX_GAP_WORDS
        and first_text[-1:] in {",", "—", "–"}
        and speech_verb(between, "en") is not None
        and not sentence_ends(between)
        # "…," he said, "…" resumes the quote; "…," he said, calling it "a trap" quotes
        # other words inside his own sentence.
        and between.rstrip()[-1:] in {",", ":", "—", "–", "-"}
    )


def _quote_text(text: str, span: _Span) -> str:
    """The words of the quote, pieces joined, trailing comma of a cut-off half dropped."""
    parts = [text[a:b].strip().rstrip("—– ") for a, b in span.pieces]
    parts = [part for part in parts if part]
    # "— Готові, — сказав він. — Але…": the cut-off first half ends a sentence.
    parts = [
        part[:-1] + "." if part.endswith(",") and following[:1].isupper() else part
        for part, following in pairwise([*parts, ""])
    ]
    joined = " ".join(parts)
    return joined.strip().rstrip(",").strip()


def _is_key(text: str, span: _Span, attribution: _Attribution) -> bool:
    """The key-quote rule of the module docstring."""
    quoted = _quote_text(text, span)
    words = split_words(quoted)
    # Only the sentence before matters; the cap keeps a huge one-paragraph text linear.
    before = text[max(span.paragraph_start, span.start - _CLAUSE_CHARS) : span.start]
    before = before.rstrip(" \"“„«‘`")
    if len(words) < (2 if attribution.after else MIN_WORDS) or _names_a_work(before):
        return False
    unattributed = not attribution.anywhere
    if unattributed and (_looks_like_title(words, quoted) or not _ends_sentence(text, span)):
        return False
    return len(words) >= LONG_WORDS or _is_free_standing(text, span, before)


def _names_a_work(before: str) -> bool:
    """"у матеріалі “…”", "the headline "…"": the quoted words are a title or headline.

    A work noun right before the marks decides it; one earlier in the sentence does when
    the sentence has no speech verb ("Така новина зацікавить любителів: “…”").
    """
    sentence = last_sentence(before)
    if _WORK_NOUNS.search(sentence) or _TERM_NOUNS.search(sentence):
        return True
    return _WORK_NOUN_ANYWHERE.search(sentence) is not None and speech_verb(sentence, "en") is None


def _looks_like_title(words: list[str], quoted: str) -> bool:
    capitalised = sum(1 for word in words if word[0].isupper())
    return capitalised >= 0.7 * len(words) and quoted.rstrip()[-1:] not in ".!?,…"


def _ends_sentence(text: str, span: _Span) -> bool:
    """Speech ends in . ! ? … inside the marks or right after them; headlines do not."""
    inside = text[span.start : span.end].rstrip()[-2:]
    outside = text[span.end : span.end + 3].lstrip("\"”»’'“ ")[:1]
    return any(char in ".!?…" for char in inside + outside)


def _text_after(text: str, span: _Span) -> str:
    """The rest of the paragraph after the closing mark (which may be “ after „)."""
    closer = 2 if text.startswith("''", span.end) else 1
    # Bounded slice: copying the whole rest of a long paragraph per quote would be quadratic.
    stop = min(span.paragraph_end, span.end + closer + 2 * _CLAUSE_CHARS)
    return text[span.end + closer : stop].lstrip(" \"”»’'")


def _ends_sentence_inside(text: str, span: _Span) -> bool:
    return text[span.start : span.end].rstrip()[-1:] in {".", "!", "?", "…"}


def _is_free_standing(text: str, span: _Span, before: str) -> bool:
    """Opens a paragraph or sentence, follows a colon/dash/speech verb, or is attributed after."""
    after = _text_after(text, span)
    if not before or before[-1] in ".!?…:—–" or len(span.pieces) > 1:
        return True
    if _ends_with_speech_verb(before[-40:]) or _is_introduction(before):
        return True
    attributed_after = speech_verb(_first_sentence(after), "en") is not None
    return after[:1] in {",", "—", "–", "-"} and attributed_after


def _is_introduction(before: str) -> bool:
    """"According to Peskov, «…»", "За словами міністра, «…»": an attributing lead-in."""
    sentence = last_sentence(before)
    return sentence.endswith(",") and speech_verb(sentence, "en") is not None


def _ends_with_speech_verb(text: str) -> bool:
    tail = text.rstrip(", ").split()[-1:] or [""]
    return speech_verb(tail[0], "en") is not None


@dataclass(frozen=True, slots=True)
class _Attribution:
    anywhere: bool  # some clause names a speaker or has a speech verb ("— отметили в совете")
    after: bool  # the words right after the quote do ("…," he said)


def _attribution(clauses: list[tuple[str, str]], lang: str) -> _Attribution:
    # "«сотрудника МТС», который попросил …": a relative clause tells what the quoted
    # words did, not who said them.
    verbs = [
        (side, speech_verb(clause, lang) is not None and not _RELATIVE_OPENING.match(clause))
        for clause, side in clauses
    ]
    after = any(has_verb for side, has_verb in verbs if side == "after")
    anywhere = after or any(has_verb for _, has_verb in verbs) or bool(_speaker(clauses, lang))
    return _Attribution(anywhere=anywhere, after=after)


_RELATIVE_OPENING = re.compile(
    r"\s*,?\s*(?:котор|яки|яко|яка|які|who\b|which\b)", re.IGNORECASE
)


def _speaker(clauses: list[tuple[str, str]], lang: str, gaps: int = 0) -> str | None:
    """The speaker of the nearest clause that names one. ``gaps``: how many of the first
    clauses are the author's words between the quote's pieces."""
    for index, (clause, side) in enumerate(clauses):
        if side == "after" and _RELATIVE_OPENING.match(clause):
            continue
        speaker = speaker_in_clause(clause, side=side, language=lang)
        if speaker and is_pronoun(speaker) and index < gaps:
            # "«…, — продолжает он. — … — сказал сотрудник банка. — …»": a long quote
            # broken more than once; the insertion that describes the speaker says who
            # "он" is.
            speaker = _described_in_gaps(clauses[index + 1 : gaps], lang) or speaker
        if speaker:
            return (_reported_by(clauses, lang, clause) if lang != "en" else None) or speaker
    return None


def _described_in_gaps(gaps: list[tuple[str, str]], lang: str) -> str | None:
    for clause, side in gaps:
        speaker = speaker_in_clause(clause, side=side, language=lang)
        if speaker and not is_pronoun(speaker) and speaker.split()[0] != "it":  # no placeholder
            return speaker
    return None


def _reported_by(clauses: list[tuple[str, str]], lang: str, after: str) -> str | None:
    """"X заявил, что «…», пишет Интерфакс" / "В Госдепартаменте считают, что «…»,
    говорится в письме": the quote sits in what the verb before "что" reports, so that
    verb's subject said it; the present-tense verb after the quote only relays (an outlet
    writing, a letter saying). A past verb after it ("— добавил он") still attributes."""
    verb = speech_verb(after, lang)
    if verb is None or not is_present(verb.text, lang):
        return None
    before = [clause for clause, side in clauses if side == "before" and clause != after]
    if not before or not _REPORTED_TAIL.search(before[0]):
        return None
    return speaker_in_clause(before[0], side="before", language=lang)


# The lead-in ends in "что/що" and at most a few words of the reported clause.
_REPORTED_TAIL = re.compile(r",\s*(?:что|що)(?:\s+[^\s,.;:!?«»\"]+){0,4}\s*$", re.IGNORECASE)


def _clauses(text: str, span: _Span) -> list[tuple[str, str]]:
    """Where to look for the speaker, nearest first: the author's words between pieces, the
    rest of the sentence after the quote, its start before the quote, and an introducing
    previous paragraph ("It includes a quote from Putin,")."""
    after = _text_after(text, span)[:_CLAUSE_CHARS]
    if _ends_sentence_inside(text, span) and after[:1].isupper():
        after = ""  # "…journalists." A day later… — the quote's sentence is over.
    after = _first_sentence(_unquote_names(after))
    before = text[max(span.paragraph_start, span.start - _CLAUSE_CHARS) : span.start]
    before = last_sentence(before.rstrip(" \"“„«‘`—–"))
    clauses = [(gap, "after") for gap in span.gaps(text)]
    clauses += [(after, "after"), (before, "before")]
    if not before.strip():
        clauses.append((_previous_paragraph_intro(text, span.paragraph_start), "before"))
    return clauses


_QUOTED_NAME = re.compile(r'["«“„]([A-ZА-ЯЁІЇЄҐ][\w\-]*)["»”“]')


def _unquote_names(clause: str) -> str:
    """"в "Автодоре"" → "в Автодоре": a one-word name in quotes is a name, not a new quote."""
    return _QUOTED_NAME.sub(r"\1", clause)


def _first_sentence(clause: str) -> str:
    opener = re.search(r'["“«„]', clause)
    return first_sentence(clause[: opener.start()] if opener else clause)


def _previous_paragraph_intro(text: str, paragraph_start: int) -> str:
    """The last sentence of the previous paragraph when it introduces a quote (ends in : or ,)."""
    previous = text[max(0, paragraph_start - _CLAUSE_CHARS) : paragraph_start].rstrip()
    if not previous.endswith((":", ",")):
        return ""
    return last_sentence(previous.split("\n")[-1])


def best_quotes(quotes: list[Quote], *, limit: int = 3) -> list[Quote]:
    """The ``limit`` quotes most worth showing, in reading order; only quotes whose speaker
    is a name, an organisation or a described source (:func:`is_shown_speaker`).

    Attributed, mid-length quotes win; a second quote by a speaker already picked counts
    less, so the digest shows different voices when it can.

    >>> qs = [Quote("No school will stay shut.", None, 0),
    ...       Quote("We will rebuild every school we lost.", "Zelensky", 30)]
    >>> [q.text for q in best_quotes(qs)]
    ['We will rebuild every school we lost.']
    """
    chosen: list[Quote] = []
    # Partial quotes ("called it "a disaster"") and one-word terms are context, not quotes
    # a reader can take in on their own; a quote with no one certain to credit it to is
    # left out rather than shown with a wrong or empty name.
    pool = [
        q for q in quotes
        if q.kind == "full" and len(split_words(q.text)) >= 2 and is_shown_speaker(q.speaker)
        and not _names_its_speaker(q)
    ]
    while pool and len(chosen) < limit:
        speakers = {quote.speaker for quote in chosen}
        best = max(pool, key=lambda q: _score(q) - (2.0 if q.speaker in speakers else 0.0))
        chosen.append(best)
        pool.remove(best)
    return sorted(chosen, key=lambda quote: quote.position)


def _names_its_speaker(quote: Quote) -> bool:
    """Does the quote name its own speaker in full («Сергій Череватий про виклики …»
    credited to Сергій Череватий)? People do not speak of themselves by first name and
    surname: such a "quote" is a headline about them, or the speaker is wrong. A body
    ("Нафтогаз вимагає…" in Naftogaz's own statement) may name itself, so only a person's
    full name counts.

    >>> _names_its_speaker(Quote("Іван Петренко про виклики війни", "Іван Петренко", 0))
    True
    >>> _names_its_speaker(Quote("Нафтогаз вимагає оплати", "Нафтогаз", 0))
    False
    """
    names = (quote.speaker or "").split()
    if len(names) < 2 or not all(name[:1].isupper() for name in names):
        return False
    said = {stem(word) for word in split_words(quote.text) if word[:1].isupper()}
    return all(stem(name) in said for name in names)


def _score(quote: Quote) -> float:
    words = len(split_words(quote.text))
    score = 3.0 if quote.speaker else 0.0
    if 8 <= words <= 60:
        score += 2.0
    elif words < MIN_WORDS or words > 120:
        score -= 2.0
    return score - (0.0 if quote.text.rstrip()[-1:] in ".!?…" else 0.5)
