"""Today's digest in the terminal: fetch the feeds, plan, enrich, and print plain text.

This is the bot's digest pipeline (:func:`digest.stories.daily.plan` and :func:`digest.stories.daily.enrich`)
without SQLite or Telegram: feeds are fetched concurrently through the one network module,
items published within ``since`` are kept, and the chosen stories' articles are read with
:func:`digest.reader.gist.read_article` through the same injected client. Progress and per-feed
failures go to a callback (the command line prints them on stderr).

>>> parse_since("6h"), parse_since("2d"), parse_since("90m")
(datetime.timedelta(seconds=21600), datetime.timedelta(days=2), datetime.timedelta(seconds=5400))
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from digest.errors import DigestError
from digest.feeds.parse import FeedItem, parse_feed
from digest.feeds.sources import Source
from digest.language.embedding import item_text, load_encoder
from digest.models import NewsItem
from digest.reader.fetch import FetchOptions, HttpClient, fetch
from digest.reader.gist import read_article
from digest.render.compose import (
    POINT_LINE_LIMIT,
    QUOTE_LIMIT,
    SHOWN_OUTLETS,
    SHOWN_POINTS,
    STORY_LEAD_LIMIT,
    TITLE_LIMIT,
    PointView,
    StoryView,
)
from digest.render.telegram_html import clean_text, truncate
from digest.stories.daily import DigestOptions, enrich, plan
from digest.urls import normalize_url

Progress = Callable[[str], None]
"""Receives one line of progress or failure, e.g. ``fetching 12/37 feeds…``."""

_SINCE = re.compile(r"^\s*(\d{1,9}(?:\.\d{1,6})?)\s*([mhd])\s*$", re.IGNORECASE | re.ASCII)
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
#: The longest look-back window: feeds rarely reach further, and a bound keeps date
#: arithmetic in range (``--since 1000000d`` would overflow ``datetime``).
MAX_SINCE = timedelta(days=365)
#: The most stories a preview shows.
MAX_STORIES = 50


class AllFeedsFailed(DigestError):
    """Every feed of the preview failed, so there is no digest to show."""


def parse_since(text: str) -> timedelta:
    """A look-back window written as a number and a unit: ``45m``, ``6h``, ``24h``, ``2d``.

    Raises ValueError for anything else, and beyond :data:`MAX_SINCE` (argparse turns
    that into a usage error).

    >>> parse_since("1000000d")
    Traceback (most recent call last):
    ValueError: expected a duration like 6h, 24h or 2d, at most 365d, not '1000000d'
    """
    match = _SINCE.match(text)
    if match:
        window = timedelta(**{_UNITS[match.group(2).lower()]: float(match.group(1))})
    if not match or not timedelta(0) < window <= MAX_SINCE:
        shown = text if len(text) <= 40 else f"{text[:38]}…"
        raise ValueError(f"expected a duration like 6h, 24h or 2d, at most 365d, not {shown!r}")
    return window


@dataclass(frozen=True, slots=True)
class PreviewOptions:
    """What to preview and how hard to hit the network."""

    since: timedelta = timedelta(hours=24)
    limit: int = 7
    debug: bool = False
    feeds_at_once: int = 8
    timezone: str = "Europe/Kyiv"
    fetch: FetchOptions = field(default_factory=FetchOptions)


def digest_items(entries: Iterable[FeedItem], source: Source, *, now: datetime) -> list[NewsItem]:
    """Feed entries with a link, as news items; an undated entry counts as published now,
    as the bot counts it from when it first saw it."""
    return [
        NewsItem(e.url, e.title, e.summary, e.published or now, source.name,
                    source.kind.value, e.language or source.language)
        for e in entries if e.url
    ]


def recent_unique(items: Iterable[NewsItem], *, since: datetime) -> list[NewsItem]:
    """Items published at or after ``since``, one per normalised URL (the first seen wins),
    just as the bot stores an article once however many feeds carry it."""
    kept: dict[str, NewsItem] = {}
    for item in items:
        try:
            key = normalize_url(item.url)
        except DigestError:
            continue
        if item.published >= since:
            kept.setdefault(key, item)
    return list(kept.values())


@dataclass
class _FeedRun:
    """Shared state of one concurrent fetch of all feeds (counts feed the progress line)."""

    client: HttpClient
    options: PreviewOptions
    progress: Progress
    total: int
    now: datetime
    done: int = 0
    failed: list[str] = field(default_factory=list)


async def _one_feed(run: _FeedRun, source: Source, gate: asyncio.Semaphore) -> list[NewsItem]:
    """One feed's items; a failure is reported on its own line and costs only that feed."""
    try:
        async with gate:
            result = await fetch(run.client, source.feed_url, run.options.fetch, kind="feed")
        parsed = parse_feed(result.content, url=result.url, source=source.name,
                            language=source.language)
        items = digest_items(parsed.items, source, now=run.now)
    except DigestError as error:
        run.failed.append(source.name)
        run.progress(f"feed {source.name} failed: {type(error).__name__}: {error}")
        items = []
    run.done += 1
    run.progress(f"fetching {run.done}/{run.total} feeds…")
    return items


async def fetch_recent_items(client: HttpClient, sources: Sequence[Source], options: PreviewOptions,
                             *, now: datetime, progress: Progress) -> list[NewsItem]:
    """Fetch every feed (at most ``options.feeds_at_once`` at a time) and keep the items
    published within ``options.since`` of ``now``.

    Failed feeds are named in one summary line; when every feed failed this raises
    :class:`AllFeedsFailed` instead of returning nothing (which would read as a quiet day).
    """
    run = _FeedRun(client, options, progress, len(sources), now)
    gate = asyncio.Semaphore(options.feeds_at_once)
    batches = await asyncio.gather(*(_one_feed(run, source, gate) for source in sources))
    failures = f"{len(run.failed)} of {run.total} feeds failed: {', '.join(sorted(run.failed))}"
    if run.failed and len(run.failed) == run.total:
        raise AllFeedsFailed(failures)
    if run.failed:
        progress(failures)
    items = recent_unique((item for batch in batches for item in batch), since=now - options.since)
    progress(f"{len(items)} items from {run.total - len(run.failed)}/{run.total} feeds since "
             f"{(now - options.since).isoformat(timespec='minutes')}")
    return items


def with_vectors(items: Sequence[NewsItem]) -> list[NewsItem]:
    """The items with sentence vectors, as the bot stores them (unchanged without the engine)."""
    encoder = load_encoder()
    if encoder is None or not items:
        return list(items)
    vectors = encoder.encode([item_text(item.title, item.summary) for item in items])
    return [replace(item, vector=vector) for item, vector in zip(items, vectors, strict=True)]


async def preview_stories(client: HttpClient, items: Sequence[NewsItem], options: PreviewOptions,
                          *, now: datetime, progress: Progress) -> list[StoryView]:
    """Plan the digest from ``items`` and read each chosen story's article."""
    digest = DigestOptions(max_stories=options.limit)
    items = await asyncio.to_thread(with_vectors, items)
    planned = plan(items, now=now, options=digest)
    progress(f"reading {len(planned)} articles…")
    return await enrich(planned, lambda url: read_article(client, url, options.fetch), digest)


async def preview(client: HttpClient, sources: Sequence[Source], options: PreviewOptions,
                  *, now: datetime, progress: Progress) -> str:
    """The whole preview: fetch, plan, enrich, and render as plain text."""
    items = await fetch_recent_items(client, sources, options, now=now, progress=progress)
    stories = await preview_stories(client, items, options, now=now, progress=progress)
    label = now.astimezone(ZoneInfo(options.timezone)).strftime("%a %-d %b %Y")
    return render_text(stories, label, debug=options.debug)


def render_story_text(number: int, story: StoryView, *, debug: bool = False) -> str:
    """One story as plain text: the fields and limits of :func:`digest.render.compose.render_story`,
    with the named outlets' links written out on their own lines. Every string passes
    :func:`clean_text`, so a feed cannot smuggle terminal control sequences into the output.

    >>> view = StoryView("Drones hit Odesa", "https://a.example/1", "Power is out.", None,
    ...                  (("Alpha", "https://a.example/1"), ("Beta", "https://b.example/2"),
    ...                   ("Gamma", "https://c.example/3")), debug="outlets 3")
    >>> print(render_story_text(1, view, debug=True))
    1. Drones hit Odesa
    Power is out.
    Reported by Alpha, Beta +1
      https://a.example/1
      https://b.example/2
      [score] outlets 3
    """
    lines = [f"{number}. {truncate(story.headline, TITLE_LIMIT)}"]
    if story.lead:
        lines.append(truncate(story.lead, STORY_LEAD_LIMIT))
    if story.quote is not None:
        body = f"“{truncate(story.quote.text, QUOTE_LIMIT // 2)}”"  # as in the Telegram digest
        speaker = clean_text(story.quote.speaker or "")
        lines.append(f"💬 {speaker}: {body}" if speaker else f"💬 {body}")
    lines += [point_text(point) for point in story.points[:SHOWN_POINTS]]
    named = story.outlets[:SHOWN_OUTLETS]
    more = len(story.outlets) - len(named)
    names = ", ".join(clean_text(name) for name, _ in named)
    lines.append(f"Reported by {names}" + (f" +{more}" if more > 0 else ""))
    lines += [f"  {clean_text(url)}" for _, url in named]
    if debug and story.debug:
        score, *members = story.debug.split("\n")
        lines.append(f"  [score] {score}")
        lines += [f"  [member] {member}" for member in members]
    return "\n".join(lines)


def point_text(point: PointView) -> str:
    """A story's further point as plain text, as :func:`digest.render.compose.render_point`
    shows it in Telegram.

    >>> point_text(PointView("Aid package of €650m", None))
    '• Aid package of €650m'
    """
    line = f"• {clean_text(truncate(point.text, POINT_LINE_LIMIT))}"
    if point.quote is not None:
        speaker = clean_text(point.quote.speaker or "")
        body = f"“{clean_text(truncate(point.quote.text, POINT_LINE_LIMIT))}”"
        line += f" — 💬 {speaker}: {body}" if speaker else f" — 💬 {body}"
    return line


def render_text(stories: Sequence[StoryView], day_label: str, *, debug: bool = False) -> str:
    """The digest as terminal text: a header, then the stories separated by blank lines.

    >>> render_text([], "Wed 25 Nov 2026")
    'War digest — Wed 25 Nov 2026\\n\\nA quiet day: no war stories in this window.'
    """
    header = f"War digest — {day_label}"
    if not stories:
        return f"{header}\n\nA quiet day: no war stories in this window."
    blocks = [render_story_text(n, story, debug=debug) for n, story in enumerate(stories, 1)]
    return "\n\n".join([header, *blocks])
