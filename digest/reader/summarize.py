"""Extractive key points, a lead and a reading time for news articles (en, uk, ru), offline.

:func:`key_points` picks whole sentences from the article. Each candidate sentence (after
dropping datelines, bylines, captions, promos, questions, and too-short or too-long ones) is
scored by *directed centrality* in a TF-IDF sentence graph, as in PACSUM (Zheng & Lapata,
2019): a sentence matters when the sentences *after* it keep talking about what it says,
which is how news is written (inverted pyramid). A positional prior favours the lead, a
title (when given) adds its similarity, and a greedy pass drops sentences that repeat one
already chosen. The picks come back in reading order.

>>> text = (
...     "KYIV, Nov 24 (Reuters) - Russian drones struck the power grid in Kyiv overnight, "
...     "cutting electricity to thousands of homes.\\n\\n"
...     "Photo: a damaged substation.\\n\\n"
...     "Engineers restored power to most homes in Kyiv by morning, the operator said.\\n\\n"
...     "Subscribe to our Telegram channel for more news.")
>>> key_points(text, limit=3)  # doctest: +NORMALIZE_WHITESPACE
['Russian drones struck the power grid in Kyiv overnight, cutting electricity to thousands
  of homes.', 'Engineers restored power to most homes in Kyiv by morning, the operator said.']
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import snowballstemmer

from digest.language.detect import guess_language, normalize_language
from digest.language.morphology import analyzer as _analyzer
from digest.language.sentences import Sentence, iter_sentences
from digest.language.words import words as split_words

MAX_POINTS = 5
Vector = dict[str, float]


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    """Knobs of the ranking; the defaults are what the benchmark was run with.

    ``lead_decay`` sets the positional prior ``1 / (1 + rank) ** lead_decay``, where rank
    counts informative sentences from the top;
    ``forward_weight``/``backward_weight`` weigh similarity to later/earlier sentences
    (PACSUM's λ2/λ1); ``edge_threshold`` (β) keeps only edges above
    ``min + β·(max − min)``; ``redundancy`` is the cosine above which a sentence repeats one
    already chosen; ``max_sentences`` bounds the graph (news front-loads what matters).
    """

    min_words: int = 6
    max_words: int = 55
    lead_decay: float = 1.0
    forward_weight: float = 1.0
    backward_weight: float = 0.0
    edge_threshold: float = 0.0
    title_weight: float = 0.5
    redundancy: float = 0.5
    max_sentences: int = 120


DEFAULT_OPTIONS = SummaryOptions()


def key_points(
    text: str, *, title: str | None = None, language: str | None = None, limit: int = 3
) -> list[str]:
    """Return up to ``limit`` (capped at 5) key sentences of ``text``, in reading order.

    ``text`` is an article body with paragraphs separated by blank lines. Sentences are
    returned whitespace-normalised, each exactly as written in the text (a leading dateline
    such as ``"KYIV (Reuters) -"`` is cut off). Empty or noise-only text gives ``[]``.

    >>> key_points("")
    []
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    return summarize(text, title=title, language=language, limit=limit)


def summarize(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    limit: int = 3,
    options: SummaryOptions = DEFAULT_OPTIONS,
) -> list[str]:
    """:func:`key_points` with explicit :class:`SummaryOptions` (for benchmarks)."""
    language = _resolve_language(text, language)
    candidates = _candidates(text, options)
    if not candidates:
        return []
    terms = _term_extractor(language)
    vectors = _tfidf([terms(c.text) for c in candidates])
    scores = _scores(vectors, _title_vector(title, terms), options)
    chosen = _pick(scores, vectors, min(limit, MAX_POINTS), options.redundancy)
    return [candidates[i].text for i in sorted(chosen)]


def lead(text: str, *, language: str | None = None, sentences: int = 2) -> str:
    """The first ``sentences`` informative sentences of ``text``, joined by a space.

    Datelines are cut and bylines, captions, promos and questions skipped, so this is the
    "what happened" line of a digest entry.

    >>> lead("By Jane Doe\\n\\nLONDON (AP) — Talks resumed on Monday in Geneva after a pause."
    ...      " Both delegations arrived early. A third sentence follows here.", sentences=2)
    'Talks resumed on Monday in Geneva after a pause. Both delegations arrived early.'
    """
    del language  # the noise rules cover en/uk/ru at once; kept for a uniform signature
    lenient = SummaryOptions(min_words=3, max_words=80)
    return " ".join(c.text for c in _candidates(text, lenient)[: max(sentences, 0)])


def reading_minutes(text: str, *, language: str | None = None) -> int:
    """Minutes a typical reader needs for ``text``: at least 1.

    English is read at about 230 words a minute; Ukrainian and Russian words are longer
    (rich inflection), so about 200 a minute.

    >>> reading_minutes("word " * 460, language="en"), reading_minutes("")
    (2, 1)
    """
    words = len(text.split())
    per_minute = 230 if _resolve_language(text, language) == "en" else 200
    return max(1, round(words / per_minute))


# --- candidates -------------------------------------------------------------------------

_AGENCIES = (
    r"reuters|ap|afp|cnn|bbc|bloomberg|upi|dpa|efe|ansa|xinhua|hln|ukrinform|unian|interfax"
    r"|tass|ria novosti|укрінформ|укринформ|уніан|униан|тасс|интерфакс|інтерфакс-україна"
    r"|риа новости|рбк-україна|рбк-украина"
)
# "KYIV, Nov 24 (Reuters) -", "(CNN) --", "LONDON (AP) —", "МОСКВА, 29 июня. /ТАСС/.": a
# short place/date prefix, the agency in brackets or slashes, then a dash or stop.
_AGENCY = rf"(?:\(\s*(?:{_AGENCIES})\s*\)|/\s*(?:{_AGENCIES})\s*/)"
_DATELINE = re.compile(rf"^[^()/]{{0,60}}?{_AGENCY}\s*(?:[-—–]+|[:.])?\s*", re.IGNORECASE)
_BYLINE = re.compile(
    r"^(?:by|from|автор(?:и)?|авторы|author|reporting by|editing by|written by)\b[\s:]",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\(?(?:photo|image|picture|video|caption|credit|illustration|getty images|фото|відео|"
    r"видео|ілюстрація|иллюстрация|джерело|источник|source)(?:\s+\w+)?\s*[:|—–-]",
    re.IGNORECASE,
)
# Calls to action, not news: "Subscribe to our Telegram channel", "Читайте також: …".
# A bare "Telegram" is news ("the air force said on Telegram"), so only the invitation counts.
_PROMO = re.compile(
    r"\bsubscribe\b|\bsign up\b|newsletter|follow us|join us|\bread (?:more|also)\b|"
    r"\bsee also\b|click here|^related:|^advertisement|our (?:telegram|whatsapp|youtube)|"
    r"підписуйтесь|підпишіться|подписывайтесь|подпишитесь|читайте (?:також|также|нас)|"
    r"дивіться також|смотрите также|приєднуйтесь|присоединяйтесь|^реклама|"
    r"новини партнерів|новости партнеров|наш(?:ому|ем)? (?:telegram|телеграм)",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?[\"'»”’)\]]*$")
_ENDED = re.compile(r"[.!…][\"'»”’)\]]*$")


def _candidates(text: str, options: SummaryOptions) -> list[Sentence]:
    """Informative, distinct sentences of ``text`` (datelines cut), with their index.

    Lines without a closing stop (headings, list items, captions) are dropped when the text
    also has properly ended sentences; a text of unpunctuated lines keeps them.
    """
    kept: list[Sentence] = []
    seen: set[str] = set()  # a repeated sentence (pull quote, syndication echo) counts once
    for sentence in iter_sentences(text)[: options.max_sentences]:
        body = _DATELINE.sub("", sentence.text, count=1)
        if body.casefold() not in seen and _is_informative(body, options):
            seen.add(body.casefold())
            kept.append(Sentence(body, sentence.index, sentence.paragraph))
    ended = [sentence for sentence in kept if _ENDED.search(sentence.text)]
    return ended or kept


def _is_informative(sentence: str, options: SummaryOptions) -> bool:
    """Drop bylines, captions, promos, questions and sentences of a bad length.

    >>> _is_informative("Read more: how the grid was rebuilt in six weeks", DEFAULT_OPTIONS)
    False
    """
    words = len(sentence.split())
    if not options.min_words <= words <= options.max_words:
        return False
    if _QUESTION.search(sentence) or not re.search(r"[^\W\d_]", sentence):
        return False
    noise = (_BYLINE, _CAPTION, _PROMO)
    return _quotes_balanced(sentence) and not any(p.search(sentence) for p in noise)


def _quotes_balanced(sentence: str) -> bool:
    """False for a piece of a multi-sentence quote, which makes no sense on its own.

    >>> _quotes_balanced('He said: "We are ready."'), _quotes_balanced('Come on, now!”')
    (True, False)
    """
    # „…“ (Ukrainian, German) and “…” (English) share “, so only the total must be even.
    curly = sum(sentence.count(mark) for mark in "„“”")
    return sentence.count('"') % 2 == 0 and curly % 2 == 0 and (
        sentence.count("«") == sentence.count("»")
    )


# --- terms ------------------------------------------------------------------------------

_STOP_WORDS = {
    "en": frozenset(
        """
        a about above after again against all also am an and any are as at be because been
        before being below between both but by can could did do does doing down during each
        few for from further had has have having he her here hers herself him himself his how
        i if in into is it its itself just me more most my myself no nor not now of off on
        once only or other our ours out over own same she should so some such than that the
        their theirs them themselves then there these they this those through to too under
        until up very was we were what when where which while who whom why will with would
        you your yours said says say told tell according would could may might must shall
        one two new also last first year years time people mr mrs ms s t n't 's 're 've 'd 'll
        """.split()
    ),
    "uk": frozenset(
        """
        а або але би б бо був була були було бути в у во вже ви від він вона вони воно всі
        все всього да для до є же з за зі і й її їх й як який яка які яке ж ми мене мені
        на над не ні них ну о об от по під при про та так також там те теж ти то тобто
        тоді того той ту тут у хоч хоча це цей ця ці цього цих чи що щоб якщо яких його
        йому ним нього неї нею між після через перед саме лише тільки ще понад щодо
        заявив заявила сказав сказала зазначив зазначила повідомив повідомила каже кажуть
        """.split()
    ),
    "ru": frozenset(
        """
        а без более бы был была были было быть в во вот все всё всех вы где да даже для до
        его ее её если есть еще ещё же за и из или им их к как какой когда кто ли либо меж
        между мне мы на над не нет ни них но ну о об однако он она они оно от по под после
        при про с со так также там те тем то того тоже той только том ты у уже хотя чего
        чем что чтобы чье эта эти это этот я через перед лишь сам сама само
        заявил заявила сказал сказала отметил отметила сообщил сообщила говорит
        """.split()
    ),
}
# Ukrainian and Russian words are reduced to their dictionary form with pymorphy3. On real
# uk/ru news words its grouping agrees with an independent lemmatiser (simplemma) at F1 0.89
# (uk) and 0.94 (ru), where the hand-written Ukrainian stemmer and Snowball's Russian one
# reached 0.77 and 0.81 (``python -m bench wordforms``). pymorphy3 was chosen over simplemma
# for memory: its dictionaries add about 45 MB for both languages, simplemma's about 225 MB.
# English keeps Snowball, which the key-point gate is tuned on.
_LEMMATIZED = frozenset({"uk", "ru"})


@lru_cache(maxsize=65_536)  # news reuses its words: most lookups are cache hits
def _lemma(word: str, language: str) -> str:
    return str(_analyzer(language).parse(word)[0].normal_form)


def word_key(word: str, language: str) -> str:
    """The form sentences are compared by: a lemma (uk, ru) or a Snowball stem (en).

    >>> [word_key(w, "uk") for w in ("підстанції", "підстанцією", "ракетами")]
    ['підстанція', 'підстанція', 'ракета']
    >>> word_key("strikes", "en")
    'strike'
    """
    return _stemmer(language)(word)


@lru_cache(maxsize=4)
def _stemmer(language: str) -> Callable[[str], str]:
    if language in _LEMMATIZED:
        return partial(_lemma, language=language)
    return _english_stem


_THREAD = threading.local()


def _english_stem(word: str) -> str:
    """Snowball's stem of ``word``. A Snowball stemmer keeps the word it works on in the
    object, so one shared by the CPU pool's threads (two links read at once) corrupts
    both words: each thread has its own."""
    stemmer = getattr(_THREAD, "english", None)
    if stemmer is None:
        stemmer = _THREAD.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


def _term_extractor(language: str) -> Callable[[str], list[str]]:
    """Stemmed content words of a sentence, stop words and one-letter tokens removed."""
    stop_words = _STOP_WORDS.get(language, _STOP_WORDS["en"])
    stem = _stemmer(language)

    def terms(sentence: str) -> list[str]:
        words = split_words(sentence.lower())
        return [stem(w) for w in words if len(w) > 1 and w not in stop_words]

    return terms


def _resolve_language(text: str, language: str | None) -> str:
    code = normalize_language(language) or guess_language(text) or "en"
    return code if code in _STOP_WORDS else "en"


# --- scoring ----------------------------------------------------------------------------


def _tfidf(documents: Sequence[list[str]]) -> list[Vector]:
    """Unit-length TF-IDF vectors, with IDF taken over the article's own sentences."""
    frequency = Counter(term for terms in documents for term in set(terms))
    size = len(documents)
    vectors = []
    for terms in documents:
        weights = {
            term: (1 + math.log(count)) * math.log((1 + size) / (1 + frequency[term]) + 1)
            for term, count in Counter(terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({term: w / norm for term, w in weights.items()})
    return vectors


def _cosine(left: Vector, right: Vector) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(weight * right.get(term, 0.0) for term, weight in left.items())


def _title_vector(title: str | None, terms: Callable[[str], list[str]]) -> Vector:
    if not title:
        return {}
    counts = Counter(terms(title))
    norm = math.sqrt(sum(c * c for c in counts.values())) or 1.0
    return {term: count / norm for term, count in counts.items()}


def _scores(vectors: Sequence[Vector], title: Vector, options: SummaryOptions) -> list[float]:
    """Directed centrality times the lead prior, plus similarity to the title.

    The prior counts informative sentences only, so a byline or caption above the lead
    does not push the lead down.
    """
    centrality = _directed_centrality(vectors, options)
    peak = max(centrality) or 1.0
    return [
        central / peak / (1 + rank) ** options.lead_decay
        + options.title_weight * _cosine(vector, title)
        for rank, (vector, central) in enumerate(zip(vectors, centrality, strict=True))
    ]


def _directed_centrality(vectors: Sequence[Vector], options: SummaryOptions) -> list[float]:
    """PACSUM: weigh edges to later sentences by λ2 and to earlier ones by λ1."""
    size = len(vectors)
    similarity = [[_cosine(vectors[i], vectors[j]) for j in range(size)] for i in range(size)]
    off_diagonal = [similarity[i][j] for i in range(size) for j in range(i + 1, size)]
    low, high = (min(off_diagonal), max(off_diagonal)) if off_diagonal else (0.0, 0.0)
    floor = low + options.edge_threshold * (high - low)
    centrality = []
    for i in range(size):
        edges = [max(0.0, similarity[i][j] - floor) for j in range(size)]
        centrality.append(
            options.backward_weight * sum(edges[:i])
            + options.forward_weight * sum(edges[i + 1 :])
        )
    return [max(0.0, c) for c in centrality]


def _pick(
    scores: Sequence[float], vectors: Sequence[Vector], limit: int, redundancy: float
) -> list[int]:
    """Best-scoring sentences first, skipping any too similar to one already picked."""
    chosen: list[int] = []
    for index in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if all(_cosine(vectors[index], vectors[other]) <= redundancy for other in chosen):
            chosen.append(index)
        if len(chosen) == limit:
            break
    return chosen
