"""Scores for article extraction, shared by ``bench_extract`` and the gate test.

Body text is scored the way the article-extraction-benchmark does it: ``\\w+`` tokens,
4-token shingles counted as multisets, precision and recall per page, averaged over pages,
and F1 taken from the two means.

>>> scores = shingle_scores(expected="a b c d e", predicted="a b c d")
>>> scores.precision, scores.recall
(1.0, 0.5)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import lxml.html
from dateutil import parser as date_parser

_TOKEN = re.compile(r"\w+", re.UNICODE)
_SHINGLE = 4
# Inline tags whose text runs on with its neighbours; every other tag ends a word.
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub sup"
    " time u var wbr".split()
)


@dataclass(frozen=True, slots=True)
class PrecisionRecall:
    """Precision and recall of one prediction (or the means over many)."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def tokens(text: str | None) -> list[str]:
    """Word tokens as the benchmark counts them.

    >>> tokens("Kyiv, 5 May — it's quiet.")
    ['Kyiv', '5', 'May', 'it', 's', 'quiet']
    """
    return _TOKEN.findall(text or "")


def _shingles(text: str | None) -> Counter[str]:
    words = tokens(text)
    count = max(1, len(words) - _SHINGLE + 1)
    return Counter(" ".join(words[i : i + _SHINGLE]) for i in range(count) if words)


def shingle_scores(expected: str | None, predicted: str | None) -> PrecisionRecall:
    """Multiset shingle precision/recall of ``predicted`` against ``expected``.

    Two empty texts agree perfectly; one empty side scores zero.
    """
    truth, guess = _shingles(expected), _shingles(predicted)
    hits = sum((truth & guess).values())
    misses, extras = sum(truth.values()) - hits, sum(guess.values()) - hits
    if misses == extras == 0:
        return PrecisionRecall(1.0, 1.0)
    if hits == 0:
        return PrecisionRecall(0.0, 0.0)
    return PrecisionRecall(hits / (hits + extras), hits / (hits + misses))


def mean_scores(scores: Iterable[PrecisionRecall]) -> PrecisionRecall:
    """Average precision and recall separately (F1 then comes from the two means)."""
    items = list(scores)
    if not items:
        return PrecisionRecall(0.0, 0.0)
    return PrecisionRecall(
        sum(s.precision for s in items) / len(items), sum(s.recall for s in items) / len(items)
    )


def html_text(markup: str) -> str:
    """Visible text of an HTML fragment, with block boundaries kept as line breaks.

    >>> html_text("<div><p>One</p><p>Two <b>three</b></p></div>")
    'One\\nTwo three'
    """
    if not markup.strip():
        return ""
    root = lxml.html.fromstring(markup)
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag not in _INLINE:
            node.tail = "\n" + (node.tail or "")
    text = "".join(root.itertext()) if isinstance(root.tag, str) else ""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _normal_words(text: str | None) -> list[str]:
    return [word.lower() for word in tokens(text)]


def title_matches(expected: str, predicted: str | None) -> bool:
    """Lenient title match: equal after case/space folding, or one is a contiguous
    word run of the other covering at least half of the longer one.

    >>> title_matches("Kyiv hit by drones | Example News", "Kyiv hit by drones")
    True
    >>> title_matches("Kyiv hit by drones", "Drones")
    False
    """
    want, got = _normal_words(expected), _normal_words(predicted)
    if want == got:
        return True
    short, long_ = sorted((want, got), key=len)
    if not short or len(short) * 2 < len(long_):
        return False
    width = len(short)
    return any(long_[i : i + width] == short for i in range(len(long_) - width + 1))


def author_matches(expected: str | None, predicted: str | None) -> bool:
    """Token-F1 of at least 0.5 between bylines; no expected byline wants no author.

    >>> author_matches("By Jane Doe", "Jane Doe")
    True
    >>> author_matches(None, None), author_matches(None, "Jane Doe")
    (True, False)
    """
    want, got = Counter(_normal_words(expected)), Counter(_normal_words(predicted))
    if not want:
        return not got
    hits = sum((want & got).values())
    if not hits:
        return False
    precision, recall = hits / sum(got.values()), hits / sum(want.values())
    return 2 * precision * recall / (precision + recall) >= 0.5


def same_day(expected: str, predicted: datetime | None) -> bool:
    """True when ``predicted`` falls on the expected calendar day, read in the expected
    time zone when it names one.

    >>> same_day("2019-01-03T07:00:02.000Z", datetime.fromisoformat("2019-01-03T09:00+02:00"))
    True
    """
    if predicted is None:
        return False
    want = date_parser.parse(expected)
    if want.tzinfo is not None and predicted.tzinfo is not None:
        predicted = predicted.astimezone(want.tzinfo)
    return predicted.date() == want.date()


@dataclass(frozen=True, slots=True)
class LabelledPage:
    """One readability test page: its HTML and what Readability.js pulled out of it."""

    name: str
    html: str
    text: str
    title: str
    byline: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class Prediction:
    """The fields an extractor is scored on."""

    title: str | None
    author: str | None
    published: datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class Report:
    """Averages over a page set; each ``*_accuracy`` counts only pages where it applies."""

    body: PrecisionRecall
    title_accuracy: float
    author_accuracy: float
    date_accuracy: float
    pages: int


PAGE_URL = "http://fakehost/test/page.html"  # the URL the upstream tests parse every page with


def load_pages(root: Path) -> list[LabelledPage]:
    """Every ``<root>/<name>/{source.html,expected.html,expected-metadata.json}`` page."""
    pages = []
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").is_file()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        pages.append(
            LabelledPage(
                name=folder.name,
                html=(folder / "source.html").read_text(encoding="utf-8", errors="replace"),
                text=html_text((folder / "expected.html").read_text(encoding="utf-8")),
                title=meta.get("title") or "",
                byline=meta.get("byline") or None,
                published=meta.get("publishedTime") or None,
            )
        )
    return pages


def _share(hits: Iterable[bool]) -> float:
    flags = list(hits)
    return sum(flags) / len(flags) if flags else 0.0


def evaluate(pages: list[LabelledPage], predictions: list[Prediction]) -> Report:
    """Score ``predictions`` (same order as ``pages``).

    Title counts pages with an expected title; date counts pages with an expected
    published time; author counts every page (no expected byline wants no author).
    """
    pairs = list(zip(pages, predictions, strict=True))
    return Report(
        body=mean_scores(shingle_scores(page.text, guess.text) for page, guess in pairs),
        title_accuracy=_share(
            title_matches(page.title, guess.title) for page, guess in pairs if page.title
        ),
        author_accuracy=_share(author_matches(page.byline, guess.author) for page, guess in pairs),
        date_accuracy=_share(
            same_day(page.published, guess.published) for page, guess in pairs if page.published
        ),
        pages=len(pairs),
    )
