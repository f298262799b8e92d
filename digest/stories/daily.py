"""The daily digest as pure stages: relevant items → stories → ranked → enriched → views.

Network access is injected: :func:`enrich` takes an async ``read`` callable (the bot passes
one that goes through the article cache and :mod:`digest.reader.fetch`), so this module can be
tested, benchmarked and previewed without Telegram and without the internet.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice
from typing import Generic, TypeVar

import numpy as np

from digest.errors import DigestError
from digest.language.sentences import split_sentences
from digest.models import Article, NewsItem, Quote
from digest.quotes.find import best_quotes, find_quotes
from digest.reader.summarize import lead
from digest.render.compose import SHOWN_POINTS, STORY_LEAD_LIMIT, PointView, StoryView
from digest.render.headline import after_title, headline, lead_line
from digest.render.telegram_html import truncate
from digest.stories.cluster import (
    ClusterOptions,
    default_similarity,
    group_stories,
)
from digest.stories.events import EventModel, link_points, point_size
from digest.stories.rank import Score, Weights, explain, outlet_name, rank_stories
from digest.stories.similarity import EmbeddingSimilarity, PairModel, has_vectors, item_vector
from digest.stories.war_model import WarModel, judge_item

log = logging.getLogger(__name__)

ReadArticle = Callable[[str], Awaitable[Article]]

POINT_LIMIT = 110
"""Characters of a point's line: a headline-length clause (see :func:`headline`)."""


T = TypeVar("T", bound=NewsItem)


@dataclass(frozen=True, slots=True)
class StoryModels:
    """The fitted models a build judges with; None is the model shipped with the code.
    Benchmarks pass models fitted without the window they check."""

    war: WarModel | None = None
    pairs: PairModel | None = None
    events: EventModel | None = None


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """Everything a digest build can be told, carried from settings down to the stages.

    One frozen value so that the service layer, the preview CLI and benchmarks build the
    same digest from the same settings, instead of each stage falling back to its defaults.
    """

    cluster: ClusterOptions = ClusterOptions()
    rank: Weights = Weights()
    max_stories: int = 7
    enrich_concurrency: int = 4
    prefer_language: str = "en"
    pool: int = 300
    """Ranked stories kept beyond ``max_stories``, so a chat's followed story can be brought
    forward from far down the ranking (a quiet place's one report on a busy day)."""
    models: StoryModels = StoryModels()
    fold_cut: float = 0.5
    """A lower-ranked story folds into a higher one as a point when any one of their points'
    pairs is at least this likely one event (:func:`digest.stories.events.point_links`):
    the event model's own "more likely than not", as its merge uses, but asked of the best
    pair rather than the average link, because a slot lost to a repeat costs the reader a
    whole story. Not fitted: fitted on three windows it went as low as 0.1-0.4 and showed
    other stories' statements as points (``bench/event_model.py``)."""


@dataclass(frozen=True, slots=True)
class PlannedStory(Generic[T]):
    """A ranked story (one event) before enrichment: every report it merges (``items``,
    earliest first), its statement-level groups (``points``, the one the headline comes
    from first) and why it ranks so. Typed by the caller's item, so a service gets its
    stored items (with their ids) back."""

    items: Sequence[T]
    score: Score
    members: tuple[str, ...] = ()
    """One debug line per report (see :func:`member_lines`), made while planning: planning
    runs in the CPU pool, enrichment on the event loop."""
    points: tuple[tuple[T, ...], ...] = ()


def war_items(items: Sequence[T]) -> list[T]:
    """The items about the war: on meaning plus lexicon when they carry a vector
    (:mod:`digest.stories.war_model`), on the lexicon alone otherwise."""
    return [i for i in items if is_war_item(i)]


def is_war_item(item: NewsItem) -> bool:
    return judge_item(item).is_war


def plan(items: Sequence[T], *, now: datetime,
         options: DigestOptions = DigestOptions()) -> list[PlannedStory[T]]:
    """Keep the war items, group them into events, rank, and keep the top few."""
    return ranked_pool(items, now=now, options=options)[: options.max_stories]


def ranked_pool(items: Sequence[T], *, now: datetime,
                options: DigestOptions = DigestOptions()) -> list[PlannedStory[T]]:
    """The war stories (events) in rank order, the first ``options.pool`` of them, each a
    distinct event (:func:`fold`); the debug member lines are made for the top
    ``max_stories`` only (the rest rarely show)."""
    return rank_grouped(group_war_items(items, options), now=now, options=options)


@dataclass(frozen=True, slots=True)
class Grouped(Generic[T]):
    """The war items of a build grouped into points and events, before ranking: the part
    of a build that does not depend on the rank weights (benchmarks fit those on it)."""

    points: tuple[tuple[T, ...], ...]
    links: Mapping[tuple[int, int], float]  # point pair → probability of one event
    events: tuple[tuple[int, ...], ...]
    war: tuple[float, ...]  # one per event: its reports' mean war probability


def group_war_items(items: Sequence[T], options: DigestOptions = DigestOptions()) -> Grouped[T]:
    """Judge every item, group the war items into points, and the points into events."""
    models = options.models
    verdicts = [(item, judge_item(item, models.war)) for item in items]
    kept = [item for item, verdict in verdicts if verdict.is_war]
    war = {id(item): verdict.probability for item, verdict in verdicts if verdict.is_war}
    embedded = bool(kept) and has_vectors(kept)
    similarity = EmbeddingSimilarity(models.pairs) if embedded and models.pairs else None
    points = tuple(tuple(group) for group in group_stories(kept, options.cluster, similarity))
    links, merged = link_points(points, model=models.events)
    events = tuple(tuple(event) for event in merged)
    return Grouped(points, links, events,
                   tuple(_mean(war[id(item)] for k in event for item in points[k])
                         for event in events))


def rank_grouped(grouped: Grouped[T], *, now: datetime,
                 options: DigestOptions = DigestOptions()) -> list[PlannedStory[T]]:
    """Rank the events, fold repeats into the slot above them, keep ``options.pool``."""
    stories = [tuple(item for k in event for item in grouped.points[k])
               for event in grouped.events]
    ranked = rank_stories(stories, now=now, weights=options.rank, war=grouped.war)
    slots = fold([(score, list(grouped.events[index])) for score, index in ranked],
                 grouped.links, options.fold_cut)
    pool = [_planned(grouped.points, members, score) for score, members in slots[: options.pool]]
    return [replace(story, members=tuple(member_lines(story, options.cluster)))
            if index < options.max_stories else story for index, story in enumerate(pool)]


def _mean(values: Iterable[float]) -> float:
    listed = list(values)
    return sum(listed) / len(listed) if listed else 0.0


def _planned(points: Sequence[tuple[T, ...]], members: Sequence[int],
             score: Score) -> PlannedStory[T]:
    """A slot's story, its points biggest first (most outlets, then most reports): the
    headline comes from the first. When a story folded into a slot (:func:`fold`) is the
    bigger one, it heads the slot: a summit reported by twelve channels must not read as a
    bullet under a smaller report that happened to rank above it."""
    ordered = tuple(sorted((points[k] for k in members), key=point_size))
    items = sorted((item for point in ordered for item in point), key=lambda i: i.published)
    return PlannedStory(items, score, points=ordered)


def fold(ranked: Sequence[tuple[Score, list[int]]], links: Mapping[tuple[int, int], float],
         cut: float) -> list[tuple[Score, list[int]]]:
    """One slot per event: walking the ranking from the top, a story with a point at least
    ``cut`` likely to be one event with a point of a slot's *own* story (the one that opened
    the slot) joins that slot as more points (it keeps its rank), instead of taking a slot
    of its own. Only the opening story attracts: a folded story's points do not, so slots
    cannot snowball through a chain of loosely related stories.

    >>> fold([(1, [0]), (2, [1]), (3, [2])], {(0, 2): 0.3}, 0.2)
    [(1, [0, 2]), (2, [1])]
    """
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (left, right), probability in links.items():
        if probability >= cut:
            neighbours[left].append((right, probability))
            neighbours[right].append((left, probability))
    owner: dict[int, int] = {}
    slots: list[tuple[Score, list[int]]] = []
    for score, members in ranked:
        near = [(p, owner[q]) for k in members for q, p in neighbours.get(k, ()) if q in owner]
        target = max(near)[1] if near else None
        if target is None:
            owner.update((k, len(slots)) for k in members)
            slots.append((score, list(members)))
        else:
            slots[target][1].extend(members)
    return slots


@dataclass(frozen=True, slots=True)
class Choice:
    """A story of the ranked pool picked for one chat: its index in the pool, the labels of
    the chat's follows it concerns, and whether the chat was alerted of it already."""

    index: int
    followed: tuple[str, ...] = ()
    alerted: datetime | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    chosen: tuple[Choice, ...]
    muted: int  # stories the chat would have seen but muted


def select_for_chat(pool_size: int, followed: Mapping[int, tuple[str, ...]],
                    muted: Set[int], alerted: Mapping[int, datetime],
                    max_stories: int) -> Selection:
    """Which pool stories a chat sees, in order: followed stories first (in rank order), then
    the rest, up to ``max_stories``; muted ones never (a mute beats a follow: it is the
    stronger wish), counted when they would have been among the top ``max_stories``.

    >>> select_for_chat(5, {3: ("Kharkiv",)}, {0}, {}, 3)
    Selection(chosen=(Choice(index=3, followed=('Kharkiv',), alerted=None), Choice(index=1, followed=(), alerted=None), Choice(index=2, followed=(), alerted=None)), muted=1)
    """
    first = sorted(i for i in followed if i not in muted and i < pool_size)[:max_stories]
    rest = (i for i in range(pool_size) if i not in followed and i not in muted)
    shown = first + list(islice(rest, max_stories - len(first)))
    hidden = sum(1 for i in muted if i < min(pool_size, max_stories))
    return Selection(tuple(Choice(i, followed.get(i, ()), alerted.get(i)) for i in shown), hidden)


def representative(story: PlannedStory[T], language: str) -> T:
    """The item whose headline is shown: the most representative report of the story's
    main point (:func:`central`), among those in the reader's language when there are any;
    when the main point has none in it but another report of the story is, that one (the
    headline is in the reader's language whenever one of the reports is)."""
    main = story.points[0] if story.points else story.items
    if not any((item.language or "") == language for item in main):
        own = [item for item in story.items if (item.language or "") == language]
        if own:
            return central(own, language)
    return central(main, language)


def central(items: Sequence[T], language: str) -> T:
    """The report closest in meaning to the others (the one they agree with), among those
    in ``language`` when any is; the earliest on a tie, or when items carry no vectors."""
    pool = [item for item in items if (item.language or "") == language] or list(items)
    vectors = [item_vector(item) for item in items]
    if len(items) < 3 or any(vector is None for vector in vectors):
        return pool[0]
    matrix = np.vstack([v for v in vectors if v is not None])
    closeness = (matrix @ matrix.T).sum(axis=1)
    rank = {id(item): float(value) for item, value in zip(items, closeness, strict=True)}
    return max(pool, key=lambda item: (rank[id(item)], -pool.index(item)))


def in_language(items: Sequence[T], language: str) -> T:
    """The first of ``items`` in ``language``, else the first of all."""
    return next((i for i in items if (i.language or "") == language), items[0])


def outlets(items: Sequence[NewsItem], first: NewsItem) -> tuple[tuple[str, str], ...]:
    """Distinct outlets with one article link each, the shown item's outlet first; a
    newsroom's feeds and channel are one outlet (:func:`outlet_name`)."""
    seen: dict[str, tuple[str, str]] = {outlet_name(first.source): (first.source, first.url)}
    for item in items:
        seen.setdefault(outlet_name(item.source), (item.source, item.url))
    return tuple(seen.values())


def story_view(story: PlannedStory[T], article: Article | None, options: DigestOptions) -> StoryView:
    """What to show for a story: the article's lead and key quote when it could be read,
    else the feed's own summary (a story whose page fails still appears)."""
    first = representative(story, options.prefer_language)
    quote: Quote | None = None
    if article is not None and article.text:
        summary = lead(article.text, language=article.language, sentences=2)
        quotes = best_quotes(article.quotes, limit=1)
    else:
        own = after_title(first.title, first.summary)
        summary = lead(own, language=first.language, sentences=2) or own
        quotes = best_quotes(feed_quotes(first), limit=1)
    quote = quotes[0] if quotes else None
    if quote is not None:
        summary = without_quote(summary, quote) or summary
    title = headline(first.title, first.summary)
    return StoryView(
        headline=title, url=first.url, lead=lead_line(summary, STORY_LEAD_LIMIT), quote=quote,
        outlets=outlets(story.items, first),
        debug="\n".join([explain(story.score), *story.members]),
        points=point_views(story, title, options.prefer_language),
    )


def point_views(story: PlannedStory[T], shown: str, language: str) -> tuple[PointView, ...]:
    """The story's other points (statements of one briefing, the tallies of one strike): one
    short line each, from its most representative report, with its quote where it has one."""
    views: list[PointView] = []
    for point in story.points[1:]:
        report = central(point, language)
        text = headline(report.title, report.summary, limit=POINT_LIMIT)
        if not text or text == shown or any(view.text == text for view in views):
            continue
        found = best_quotes(feed_quotes(report), limit=1)
        views.append(PointView(text, found[0] if found else None))
        if len(views) == SHOWN_POINTS:
            break
    return tuple(views)


def feed_quotes(item: NewsItem) -> list[Quote]:
    """The quotes of a feed item's summary, read with its title before it: a post names its
    speaker in the title and goes on with "— считает он" (the title's own quotes are its
    headline, already shown, and are left out).

    >>> [(q.text, q.speaker) for q in feed_quotes(NewsItem(
    ...     "u", "Столтенберг допустил уступки", "«Это тяжело», — считает он.",
    ...     datetime(2024, 12, 2), "Channel", "telegram", "ru"))]
    [('Это тяжело', 'Столтенберг')]
    """
    title = item.title or ""
    text = f"{title}\n{item.summary or ''}"
    return [q for q in find_quotes(text, language=item.language) if q.position > len(title)]


def member_lines(story: PlannedStory[T], options: ClusterOptions) -> list[str]:
    """One line per report: its mean similarity to the story's other reports (the pair
    scores grouping used, 0 for pairs it never compared), its war probability (see
    :func:`digest.stories.war_model.judge`), outlet and headline."""
    items = sorted(story.items, key=lambda item: item.published)
    if len(items) < 2:
        return []
    scores = default_similarity(items, options).pair_scores(items)
    lines = []
    for index, item in enumerate(items):
        mean = sum(scores.get((min(index, other), max(index, other)), 0.0)
                   for other in range(len(items)) if other != index) / (len(items) - 1)
        war = judge_item(item)
        lines.append(f"same {mean:.2f} war {war.probability:.2f} {item.source}: "
                     f"{truncate(item.title, 60)}")
    return lines


def without_quote(summary: str, quote: Quote) -> str:
    """The summary minus sentences that repeat the quote shown right under it.

    >>> without_quote('Power is back. "We fixed it overnight," he said.', Quote("We fixed it overnight", "Mayor"))
    'Power is back.'
    """
    probe = quote.text[:40].casefold()
    return " ".join(s for s in split_sentences(summary) if probe not in s.casefold())


async def enrich(stories: Sequence[PlannedStory[T]], read: ReadArticle,
                 options: DigestOptions = DigestOptions()) -> list[StoryView]:
    """Fetch each story's shown article (bounded concurrency) and build the views."""
    gate = asyncio.Semaphore(options.enrich_concurrency)

    async def one(story: PlannedStory[T]) -> StoryView:
        url = representative(story, options.prefer_language).url
        async with gate:
            try:
                article: Article | None = await read(url)
            except DigestError as error:
                log.info("enrichment of %s failed: %s: %s", url, type(error).__name__, error)
                article = None
            except Exception:  # a bug in a stage must not cost the story: log it loudly
                log.exception("enrichment of %s crashed; using the feed summary", url)
                article = None
        return story_view(story, article, options)

    return list(await asyncio.gather(*(one(s) for s in stories)))
