"""Article extraction quality and speed, ours beside trafilatura and readability-lxml.

``python -m bench extract`` scores every extractor on the readability test pages in
``../shared/corpus`` (body shingle P/R/F1, title, author, published day), times each one
over all pages (best of two passes, same process) and prints ratios against each anchor.
The rules were written against those pages, so a second table scores title and published
day on the held-apart pages of ``../shared/corpus/articles`` (never read while the rules
were written; which pages count is fixed by ``extract_metrics.load_articles``), overall and
per source repository, since trafilatura's and htmldate's own test pages are among them.
``--pages`` also prints the per-page body F1 of each extractor; ``--misses`` lists the pages
where our title, author or published day is wrong (expected beside found), on both page
sets; ``--no-quotes``
scores and times ours without the quote finder (``digest.reader.extract._extract_fields``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import trafilatura
from readability import Document

from bench.extract_metrics import (
    PAGE_URL,
    LabelledPage,
    ManifestPage,
    Prediction,
    Report,
    author_matches,
    evaluate,
    evaluate_fields,
    html_text,
    load_articles,
    load_pages,
    same_day,
    shingle_scores,
    title_matches,
)
from digest.errors import NoArticleFound
from digest.reader.extract import _extract_fields, extract_article

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PAGES_DIR = CORPUS / "readability-test-pages"
ARTICLES_DIR = CORPUS / "articles"
PASSES = 2

Extractor = Callable[[str], Prediction]


@dataclass(frozen=True, slots=True)
class Run:
    """One extractor's predictions, scores and speed."""

    name: str
    predictions: list[Prediction]
    report: Report
    pages_per_second: float


def ours(html: str, *, quotes: bool = True) -> Prediction:
    """``digest.reader.extract.extract_article``; a page it rejects scores as empty."""
    try:
        article = (extract_article if quotes else _extract_fields)(html, PAGE_URL)
    except NoArticleFound:
        return Prediction(title=None, author=None, published=None, text="")
    return Prediction(article.title, article.author, article.published, article.text)


def with_trafilatura(html: str) -> Prediction:
    """trafilatura with metadata extraction (its default precision/recall balance)."""
    document = trafilatura.bare_extraction(html, url=PAGE_URL, with_metadata=True)
    if document is None:
        return Prediction(title=None, author=None, published=None, text="")
    published = datetime.fromisoformat(document.date) if document.date else None
    return Prediction(document.title, document.author, published, document.text or "")


# Characters XML forbids: lxml refuses them in a link's text, and readability-lxml raises
# ValueError on a page that has one (one of the article pages does) instead of reading it.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def with_readability(html: str) -> Prediction:
    """readability-lxml: ``short_title()``, ``author()`` and the text of ``summary()``
    (characters XML forbids are dropped first, so a page with one is read, not lost)."""
    document = Document(_XML_UNSAFE.sub("", html), url=PAGE_URL)
    title, author = document.short_title(), document.author()
    text = html_text(document.summary(html_partial=True))
    return Prediction(title, None if author == "[no-author]" else author, None, text)


EXTRACTORS: dict[str, Extractor] = {
    "ours": ours,
    "trafilatura": with_trafilatura,
    "readability": with_readability,
}


def run(name: str, extractor: Extractor, pages: list[LabelledPage]) -> Run:
    """Predict every page ``PASSES`` times; keep the fastest pass's speed."""
    best = float("inf")
    predictions: list[Prediction] = []
    for _ in range(PASSES):
        start = time.perf_counter()
        predictions = [extractor(page.html) for page in pages]
        best = min(best, time.perf_counter() - start)
    return Run(name, predictions, evaluate(pages, predictions), len(pages) / best)


def print_table(runs: list[Run]) -> None:
    print("| extractor | body P | body R | body F1 | title | author | date | pages/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for item in runs:
        r = item.report
        print(
            f"| {item.name} | {r.body.precision:.3f} | {r.body.recall:.3f} | {r.body.f1:.3f}"
            f" | {r.title_accuracy:.3f} | {r.author_accuracy:.3f} | {r.date_accuracy:.3f}"
            f" | {item.pages_per_second:.1f} |"
        )


def print_ratios(mine: Run, anchors: list[Run]) -> None:
    print("\n| ours ÷ anchor | body F1 | title | author | date | speed |")
    print("|---|---:|---:|---:|---:|---:|")
    for anchor in anchors:
        a, m = anchor.report, mine.report
        cells = [
            (m.body.f1, a.body.f1),
            (m.title_accuracy, a.title_accuracy),
            (m.author_accuracy, a.author_accuracy),
            (m.date_accuracy, a.date_accuracy),
            (mine.pages_per_second, anchor.pages_per_second),
        ]
        text = " | ".join(f"{x / y:.3f}" if y else "n/a" for x, y in cells)
        print(f"| ÷ {anchor.name} | {text} |")


def print_pages(runs: list[Run], pages: list[LabelledPage]) -> None:
    print("\n| page | " + " | ".join(item.name for item in runs) + " |")
    for index, page in enumerate(pages):
        scores = [shingle_scores(page.text, item.predictions[index].text).f1 for item in runs]
        print(f"| {page.name} | " + " | ".join(f"{s:.3f}" for s in scores) + " |")


def page_misses(page: LabelledPage | ManifestPage, guess: Prediction) -> list[str]:
    """``field: expected → found`` for each field scored wrong on ``page`` (the article
    pages have no expected author)."""
    misses = []
    if page.title and not title_matches(page.title, guess.title):
        misses.append(f"title: {page.title!r} → {guess.title!r}")
    if isinstance(page, LabelledPage) and not author_matches(page.byline, guess.author):
        misses.append(f"author: {page.byline!r} → {guess.author!r}")
    if page.published and not same_day(page.published, guess.published):
        found = guess.published.isoformat() if guess.published else None
        misses.append(f"date: {page.published!r} → {found!r}")
    return misses


def print_misses(
    heading: str, pages: Sequence[LabelledPage | ManifestPage], mine: list[Prediction]
) -> None:
    print(f"\n| {heading} | ours: misses (expected → found) |\n|---|---|")
    for page, guess in zip(pages, mine, strict=True):
        misses = page_misses(page, guess)
        if misses:
            print(f"| {page.name} | " + "; ".join(misses).replace("|", "\\|") + " |")


def held_apart(
    extractors: dict[str, Extractor], pages: list[ManifestPage]
) -> dict[str, list[Prediction]]:
    """Every extractor's predictions on the held-apart article pages (one untimed pass)."""
    return {name: [extract(page.html) for page in pages] for name, extract in extractors.items()}


def _rate(share: float, counted: int) -> str:
    return f"{share:.3f}" if counted else "–"


def print_held_apart(predictions: dict[str, list[Prediction]], pages: list[ManifestPage]) -> None:
    sources = sorted({page.source for page in pages})
    print(f"\nHeld apart: {len(pages)} pages of {ARTICLES_DIR} (title and published day"
          " from its MANIFEST.tsv)\n")
    print("| pages from | pages | titles | dates | "
          + " | ".join(f"{name} title | {name} date" for name in predictions) + " |")
    print("|---|---:|---:|---:|" + "---:|---:|" * len(predictions))
    for source in ["all", *sources]:
        chosen = [i for i, page in enumerate(pages) if source in {"all", page.source}]
        part = [pages[i] for i in chosen]
        reports = [evaluate_fields(part, [guesses[i] for i in chosen])
                   for guesses in predictions.values()]
        cells = " | ".join(f"{_rate(r.title_accuracy, r.titles)} | {_rate(r.date_accuracy, r.dates)}"
                           for r in reports)
        print(f"| {source} | {len(part)} | {reports[0].titles} | {reports[0].dates} | {cells} |")


def main(argv: list[str]) -> None:
    if not PAGES_DIR.is_dir():
        print(f"skipped: {PAGES_DIR} is absent (the ../shared corpus is not beside this clone)")
        return
    pages = load_pages(PAGES_DIR)
    print(f"{len(pages)} pages from {PAGES_DIR}, best of {PASSES} timed passes\n")
    extractors = dict(EXTRACTORS)
    if "--no-quotes" in argv:
        extractors["ours"] = lambda html: ours(html, quotes=False)
    runs = [run(name, extractor, pages) for name, extractor in extractors.items()]
    print_table(runs)
    print_ratios(runs[0], runs[1:])
    if "--pages" in argv:
        print_pages(runs, pages)
    if "--misses" in argv:
        print_misses("page", pages, runs[0].predictions)
    if not ARTICLES_DIR.is_dir():
        print(f"\nheld-apart table skipped: {ARTICLES_DIR} is absent")
        return
    articles = load_articles(ARTICLES_DIR, PAGES_DIR)
    predictions = held_apart(extractors, articles)
    print_held_apart(predictions, articles)
    if "--misses" in argv:
        print_misses("held-apart page", articles, predictions["ours"])
