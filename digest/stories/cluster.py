"""Group news items about the same event into stories, across outlets and languages.

:func:`group_stories` takes :class:`digest.models.NewsItem` values (stored and labelled items are
subclasses) and returns a partition, of the caller's own type: every item in exactly one
story. Pairs are scored through the :class:`digest.stories.similarity.Similarity` seam: when
every item carries a stored sentence vector, by the fitted pair model of
:class:`~digest.stories.similarity.EmbeddingSimilarity`; otherwise (no embedding engine) by
:class:`LexicalSimilarity`, the term-vector method described here, offline and without a model:

1. **Terms.** Title and summary become language-blind terms (:mod:`digest.language.textnorm`):
   gazetteer ids for places, people, organisations and event words, numbers, transliterated
   names, and plain word stems that only match within one language.
2. **Weights.** Each term weighs its inverse document frequency in the batch, times a weight
   for its kind (places and numbers count most) and a boost when it is in the title.
   Every item gets two unit vectors: all its terms, and only the language-blind ones, so an
   English and a Russian report can score on what they can share.
3. **Candidates.** Only items published within :attr:`ClusterOptions.window` of each other
   and sharing at least one *rare* term are compared (an inverted index over time-ordered
   postings), so the work grows with the number of plausible pairs, not with n².
4. **Average-link clustering.** Exact duplicates (same normalised URL, or same normalised
   title) start out together; then the two groups with the highest *average* pairwise
   similarity merge, while that average stays above :attr:`ClusterOptions.threshold`.
   Pairs never compared count as 0, so one bridging item cannot chain two stories.

Output order: stories by importance (distinct outlets, then items), ties by earliest
publication; inside a story, earliest first. Naive datetimes are read as UTC.

>>> from datetime import UTC, datetime
>>> from digest.models import NewsItem
>>> def item(url, title, hour, source, lang):
...     when = datetime(2025, 3, 3, hour, tzinfo=UTC)
...     return NewsItem(url, title, "", when, source, "international", lang)
>>> stories = group_stories([
...     item("https://a.example/1", "Russian drones injure five in Kharkiv", 6, "A", "en"),
...     item("https://b.example/2", "Атака дронів на Харків: п'ятеро поранених", 5, "B", "uk"),
...     item("https://c.example/3", "Дроны атаковали Одессу, в порту пожар", 7, "C", "ru"),
... ])
>>> [[story_item.source for story_item in story] for story in stories]
[['B', 'A'], ['C']]
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar

from digest.errors import InvalidURL
from digest.instants import aware
from digest.language.textnorm import Kind, Term, terms
from digest.language.words import words
from digest.models import NewsItem
from digest.stories.similarity import EmbeddingSimilarity, Similarity, has_vectors
from digest.urls import normalize_url

ItemT = TypeVar("ItemT", bound=NewsItem)

_DEFAULT_KIND_WEIGHTS = MappingProxyType(
    {
        Kind.PLACE: 1.5,
        Kind.ENTITY: 1.5,
        Kind.NUMBER: 2.0,
        Kind.NAME: 1.0,
        Kind.CONCEPT: 1.5,
        Kind.WORD: 1.0,
    }
)


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Knobs of :func:`group_stories`; the defaults are tuned on tests/data/stories_labelled.

    ``blocking_share`` and ``blocking_floor`` decide which terms may *propose* a pair: a term
    found in more than ``max(blocking_floor, blocking_share * n)`` items is too common to
    block on (it still counts in the similarity of pairs proposed by rarer terms).
    ``place_conflict`` multiplies the similarity of two items that both name places (cities,
    regions) but no place in common: a strike on Kharkiv and one on Odesa the same night.
    At 0.25 no such pair reaches the threshold on its own.
    """

    window: timedelta = timedelta(hours=36)
    threshold: float = 0.375
    title_boost: float = 2.0
    place_conflict: float = 0.25
    blocking_share: float = 0.02
    blocking_floor: int = 40
    kind_weights: Mapping[Kind, float] = field(default_factory=lambda: _DEFAULT_KIND_WEIGHTS)


@dataclass(frozen=True, slots=True)
class _Profile:
    """One item as clustering sees it: a time, the places it names, two term vectors."""

    time: float  # POSIX seconds
    places: frozenset[str]
    full: dict[str, float]  # unit length
    universal: dict[str, float]  # language-blind terms, scaled by sqrt(|universal|·|full|)


def group_stories(
    items: Iterable[ItemT],
    options: ClusterOptions = ClusterOptions(),
    similarity: Similarity | None = None,
) -> list[list[ItemT]]:
    """Partition ``items`` into stories; see the module docstring for the method and order.

    ``similarity`` scores the pairs (:mod:`digest.stories.similarity`); by default the
    embedding method when every item carries a vector, else the lexical one.
    """
    ordered = sorted(items, key=_chronological_key)
    if not ordered:
        return []
    method = similarity or default_similarity(ordered, options)
    atoms = _duplicate_atoms(ordered)
    groups = average_link(atoms, method.pair_scores(ordered), method.threshold)
    stories = [[ordered[index] for index in sorted(group)] for group in groups]
    return sorted(stories, key=_importance_key)


def _chronological_key(item: NewsItem) -> tuple[datetime, str, str, str]:
    return (aware(item.published), item.url, item.title, item.source)


def _importance_key(story: Sequence[NewsItem]) -> tuple[int, int, datetime, str]:
    outlets = len({item.source for item in story})
    return (-outlets, -len(story), aware(story[0].published), story[0].url)


def default_similarity(items: Sequence[NewsItem], options: ClusterOptions) -> Similarity:
    """Embeddings when every item has a stored vector; the batch's term vectors otherwise."""
    if has_vectors(items):
        return EmbeddingSimilarity()
    return LexicalSimilarity(options)


class LexicalSimilarity:
    """The term-vector method below, behind the :class:`Similarity` seam.

    Its term weights are inverse document frequencies over the batch, so a pair's score can
    change with the batch; it is the fallback for a bot without the embedding engine.
    """

    def __init__(self, options: ClusterOptions = ClusterOptions()) -> None:
        self._options = options

    @property
    def threshold(self) -> float:
        return self._options.threshold

    def pair_scores(self, items: Sequence[NewsItem]) -> dict[tuple[int, int], float]:
        return _candidate_similarities(_profiles(items, self._options), self._options)


# --- terms and weights -------------------------------------------------------------------


def _item_terms(item: NewsItem) -> tuple[set[Term], set[Term]]:
    """(title terms, summary terms) as sets: a word repeated says little more."""
    return set(terms(item.title or "")), set(terms(item.summary or ""))


def _profiles(items: Sequence[NewsItem], options: ClusterOptions) -> list[_Profile]:
    per_item = [_item_terms(item) for item in items]
    document_frequency = Counter(
        term.text for title, summary in per_item for term in title | summary
    )
    count = len(items)
    idf = {text: math.log((1 + count) / (1 + df)) + 1.0 for text, df in document_frequency.items()}
    profiles = []
    for item, (title, summary) in zip(items, per_item, strict=True):
        weights = _weights(title, summary, idf, options)
        universal_texts = {term.text for term in title | summary if term.universal}
        universal = {text: w for text, w in weights.items() if text in universal_texts}
        profiles.append(
            _Profile(
                aware(item.published).timestamp(),
                frozenset(term.text for term in title | summary if term.kind is Kind.PLACE),
                _scaled(weights, _norm(weights)),
                _scaled(universal, math.sqrt(_norm(universal) * _norm(weights))),
            )
        )
    return profiles


def _weights(
    title: set[Term], summary: set[Term], idf: Mapping[str, float], options: ClusterOptions
) -> dict[str, float]:
    weights: dict[str, float] = {}
    for term in title | summary:
        boost = options.title_boost if term in title else 1.0
        weight = idf[term.text] * options.kind_weights[term.kind] * boost
        weights[term.text] = max(weights.get(term.text, 0.0), weight)
    return weights


def _norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(value * value for value in vector.values()))


def _scaled(vector: Mapping[str, float], divisor: float) -> dict[str, float]:
    return {key: value / divisor for key, value in vector.items()} if divisor else {}


def _cosine(left: Mapping[str, float], right: Mapping[str, float]) -> float:
    return sum(left[key] * right[key] for key in left.keys() & right.keys())


def _similarity(left: _Profile, right: _Profile, options: ClusterOptions) -> float:
    """Cosine of the full vectors, or of the language-blind views when that is higher.

    The language-blind score is damped by how much of each item is language-blind at all,
    so two items whose only shared, translatable term is "Ukraine" do not look identical.
    """
    score = max(_cosine(left.full, right.full), _cosine(left.universal, right.universal))
    if left.places and right.places and not left.places & right.places:
        score *= options.place_conflict
    return score


# --- candidates --------------------------------------------------------------------------


def _candidate_similarities(
    profiles: Sequence[_Profile], options: ClusterOptions
) -> dict[tuple[int, int], float]:
    """Similarity of every pair that shares a rare term and falls inside the time window."""
    frequency = Counter(text for profile in profiles for text in profile.full)
    limit = max(options.blocking_floor, options.blocking_share * len(profiles))
    window = options.window.total_seconds()
    postings: dict[str, list[int]] = defaultdict(list)
    pairs: dict[tuple[int, int], float] = {}
    for index, profile in enumerate(profiles):  # profiles are in time order
        rare = [text for text in profile.full if frequency[text] <= limit]
        for other in _earlier_partners(index, rare, postings, profiles, window):
            score = _similarity(profiles[other], profile, options)
            if score > 0.0:
                pairs[(other, index)] = score
        for text in rare:
            postings[text].append(index)
    return pairs


def _earlier_partners(
    index: int,
    rare: Iterable[str],
    postings: Mapping[str, list[int]],
    profiles: Sequence[_Profile],
    window: float,
) -> set[int]:
    """Earlier items sharing a rare term with item ``index``, at most ``window`` s before it."""
    time = profiles[index].time
    partners: set[int] = set()
    for text in rare:
        for other in reversed(postings.get(text, ())):
            if time - profiles[other].time > window:
                break  # postings are in time order: everything further back is older still
            partners.add(other)
    return partners


# --- duplicates and average-link -----------------------------------------------------------


def _duplicate_atoms(items: Sequence[NewsItem]) -> list[list[int]]:
    """Indices grouped by same normalised URL or same normalised title (union-find)."""
    parent = list(range(len(items)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_seen: dict[str, int] = {}
    for index, item in enumerate(items):
        for key in _duplicate_keys(item):
            if key in first_seen:
                parent[root(index)] = root(first_seen[key])
            else:
                first_seen[key] = index
    atoms: dict[int, list[int]] = defaultdict(list)
    for index in range(len(items)):
        atoms[root(index)].append(index)
    return list(atoms.values())


def _duplicate_keys(item: NewsItem) -> list[str]:
    keys = []
    url = _url_key(item.url)
    if url:
        keys.append("url " + url)
    title = " ".join(words((item.title or "").lower()))
    if title:
        keys.append("title " + title)
    return keys


@lru_cache(maxsize=32768)  # the same items come back in every digest build of the day
def _url_key(url: str) -> str:
    try:
        return normalize_url(url)
    except InvalidURL:
        return (url or "").strip()


def average_link(
    atoms: list[list[int]], similarities: Mapping[tuple[int, int], float], threshold: float
) -> list[list[int]]:
    """Merge groups greedily by highest average pairwise similarity, down to ``threshold``."""
    owner = {index: group for group, members in enumerate(atoms) for index in members}
    members = {group: list(indices) for group, indices in enumerate(atoms)}
    links: dict[int, dict[int, float]] = defaultdict(dict)  # group → group → summed similarity
    for (left, right), score in similarities.items():
        a, b = owner[left], owner[right]
        if a != b:
            links[a][b] = links[a].get(b, 0.0) + score
            links[b][a] = links[a][b]
    heap = [(-_average(members, links, a, b), a, b) for a in links for b in links[a] if a < b]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if -negative < threshold:
            break
        if a not in members or b not in members or b not in links[a]:
            continue  # stale: one side has merged since this entry was pushed
        if abs(_average(members, links, a, b) + negative) > 1e-12:
            continue
        _merge(a, b, members, links)
        for c in links[a]:
            heapq.heappush(heap, (-_average(members, links, a, c), min(a, c), max(a, c)))
    return [sorted(indices) for indices in members.values()]


def _average(
    members: Mapping[int, list[int]], links: Mapping[int, Mapping[int, float]], a: int, b: int
) -> float:
    return links[a][b] / (len(members[a]) * len(members[b]))


def _merge(
    a: int, b: int, members: dict[int, list[int]], links: dict[int, dict[int, float]]
) -> None:
    """Fold group ``b`` into group ``a``, adding up their similarity sums to every neighbour."""
    members[a].extend(members.pop(b))
    for c, score in links.pop(b).items():
        del links[c][b]
        if c == a:
            continue
        links[a][c] = links[a].get(c, 0.0) + score
        links[c][a] = links[a][c]
