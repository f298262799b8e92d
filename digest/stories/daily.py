"""The daily digest as pure stages: relevant items → stories → ranked → enriched → views.

Network access is injected: :func:`enrich` takes an async ``read`` callable (the bot passes
one that goes through the article cache and :mod:`digest.reader.fetch`), so this module can be
tested, benchmarked and previewed without Telegram and without the internet.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice
from typing import Protocol, TypeVar

from digest.errors import DigestError
from digest.language.sentences import split_sentences
from digest.models import Article, Quote
from digest.quotes.find import best_quotes, find_quotes
from digest.reader.summarize import lead
from digest.render.compose import StoryView
from digest.render.telegram_html import truncate
from digest.stories.cluster import ClusterOptions, default_similarity, group_stories
from digest.stories.rank import Score, Weights, explain, rank_stories
from digest.stories.relevance import is_about_war
from digest.stories.similarity import item_vector
from digest.stories.war_model import judge

log = logging.getLogger(__name__)

ReadArticle = Callable[[str], Awaitable[Article]]


class DigestItem(Protocol):
    """What the digest reads from a stored feed item."""

    # Read-only members, so frozen dataclasses (stored and preview items) satisfy it.
    @property
    def url(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def published(self) -> datetime: ...
    @property
    def source(self) -> str: ...
    @property
    def source_kind(self) -> str: ...
    @property
    def language(self) -> str | None: ...


T = TypeVar("T", bound=DigestItem)


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


@dataclass(frozen=True, slots=True)
class PlannedStory:
    """A ranked story before enrichment: its items (earliest first) and why it ranks so."""

    items: Sequence[DigestItem]
    score: Score
    members: tuple[str, ...] = ()
    """One debug line per report (see :func:`member_lines`), made while planning: planning
    runs in the CPU pool, enrichment on the event loop."""


def war_items(items: Sequence[T]) -> list[T]:
    """The items about the war: on meaning plus lexicon when they carry a vector
    (:mod:`digest.stories.war_model`), on the lexicon alone otherwise."""
    return [i for i in items if is_war_item(i)]


def is_war_item(item: DigestItem) -> bool:
    vector = item_vector(item)
    if vector is None:
        return is_about_war(item.title, item.summary, language=item.language)
    return judge(item.title, item.summary, language=item.language, vector=vector).is_war


def plan(items: Sequence[DigestItem], *, now: datetime, options: DigestOptions = DigestOptions()) -> list[PlannedStory]:
    """Keep the war items, group them into stories, rank, and keep the top few."""
    return ranked_pool(items, now=now, options=options)[: options.max_stories]


def ranked_pool(items: Sequence[DigestItem], *, now: datetime,
                options: DigestOptions = DigestOptions()) -> list[PlannedStory]:
    """The war stories in rank order, the first ``options.pool`` of them; the debug member
    lines are made for the top ``max_stories`` only (the rest rarely show)."""
    stories = group_stories(war_items(items), options=options.cluster)
    ranked = rank_stories(stories, now=now, weights=options.rank)
    pool = [PlannedStory(list(group), score) for score, group in ranked[: options.pool]]
    return [replace(story, members=tuple(member_lines(story, options.cluster)))
            if index < options.max_stories else story for index, story in enumerate(pool)]


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


def representative(story: PlannedStory, language: str) -> DigestItem:
    """The item whose headline is shown: the first report in the reader's language, if any."""
    return in_language(story.items, language)


def in_language(items: Sequence[T], language: str) -> T:
    """The first of ``items`` in ``language``, else the first of all."""
    return next((i for i in items if (i.language or "") == language), items[0])


def outlets(items: Sequence[DigestItem], first: DigestItem) -> tuple[tuple[str, str], ...]:
    """Distinct outlets with one article link each, the shown item's outlet first."""
    seen: dict[str, str] = {first.source: first.url}
    for item in items:
        seen.setdefault(item.source, item.url)
    return tuple(seen.items())


def story_view(story: PlannedStory, article: Article | None, options: DigestOptions) -> StoryView:
    """What to show for a story: the article's lead and key quote when it could be read,
    else the feed's own summary (a story whose page fails still appears)."""
    first = representative(story, options.prefer_language)
    quote: Quote | None = None
    if article is not None and article.text:
        summary = lead(article.text, language=article.language, sentences=2)
        quotes = best_quotes(article.quotes, limit=1)
    else:
        summary = lead(first.summary, language=first.language, sentences=2) or first.summary
        quotes = best_quotes(find_quotes(first.summary, language=first.language), limit=1)
    quote = quotes[0] if quotes else None
    if quote is not None:
        summary = without_quote(summary, quote) or summary
    return StoryView(
        headline=first.title, url=first.url, lead=truncate(summary, 420), quote=quote,
        outlets=outlets(story.items, first),
        debug="\n".join([explain(story.score), *story.members]),
    )


def member_lines(story: PlannedStory, options: ClusterOptions) -> list[str]:
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
        war = judge(item.title, item.summary, language=item.language, vector=item_vector(item))
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


async def enrich(stories: Sequence[PlannedStory], read: ReadArticle,
                 options: DigestOptions = DigestOptions()) -> list[StoryView]:
    """Fetch each story's shown article (bounded concurrency) and build the views."""
    gate = asyncio.Semaphore(options.enrich_concurrency)

    async def one(story: PlannedStory) -> StoryView:
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
