"""Value objects shared by the pipeline stages.

They are frozen dataclasses so a stage can hand them on without fearing that a later stage
changes them under its feet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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
