"""Value objects shared by the pipeline stages.

They are frozen dataclasses so a stage can hand them on without fearing that a later stage
changes them under its feet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # storage imports this module: numpy is needed for the annotation only
    import numpy as np


@dataclass(frozen=True, slots=True)
class NewsItem:
    """One news report as every stage reads it: feeds' items in the preview, stored items,
    the benchmarks' labelled items (those three add their own ids or labels by subclassing,
    so a generic stage hands the caller's own type back).

    ``published`` is always set: an undated report counts from when the bot first saw it.
    ``source`` is the outlet's name, ``source_kind`` its kind (a
    :class:`digest.feeds.sources.SourceKind` value). ``vector`` is the report's sentence
    embedding when it has one: the stored float16 blob or the encoder's array (see
    :func:`digest.stories.similarity.item_vector`).

    >>> from datetime import UTC
    >>> NewsItem("https://o.example/a", "Drones hit Odesa", "", datetime(2026, 1, 1, tzinfo=UTC),
    ...          "Outlet", "international", "en").vector is None
    True
    """

    url: str
    title: str
    summary: str
    published: datetime
    source: str
    source_kind: str
    language: str | None
    vector: bytes | np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote and, when it could be found, who said it.

    >>> Quote(text="We are open to dialogue.", speaker="Vladimir Putin")
    Quote(text='We are open to dialogue.', speaker='Vladimir Putin', position=0, kind='full', end=0)

    ``position`` is the character offset of the quote in the text it was found in, so that
    quotes can be shown in reading order after ranking; ``end`` is where its last quoted
    character ends (``text`` joins the pieces of a quote split by its attribution, so it
    may be shorter than the span). ``kind`` is ``"full"`` for a quote that stands on its
    own (a sentence or more of speech) and ``"partial"`` for words quoted inside reported
    speech (``called the plan "a reckless scheme"``).
    """

    text: str
    speaker: str | None
    position: int = 0
    kind: str = "full"
    end: int = 0

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)`` character offsets of the quoted words in the text given."""
        return self.position, self.end or self.position + len(self.text)


@dataclass(frozen=True, slots=True)
class Article:
    """What the reader pulls out of one web page.

    ``text`` is the main body only, paragraphs separated by blank lines. ``published`` is
    timezone-aware or None. ``quotes`` holds every direct quote found in the body, in order;
    :func:`digest.quotes.find.best_quotes` picks the ones worth showing.
    """

    url: str
    canonical_url: str
    title: str
    author: str | None
    published: datetime | None
    site_name: str | None
    language: str | None
    text: str
    description: str | None = None
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Gist:
    """What the bot replies to a link: the article plus its key points and best quotes."""

    article: Article
    key_points: list[str]
    quotes: list[Quote]
    reading_minutes: int
