"""Held-apart gate for article extraction: title and published day on the article pages of
../shared/corpus/articles, which the rules were never written against (skips without them).

The rules were tuned on the readability test pages (tests/gate/test_extract_gate.py). No
commit to the extraction rules, their benchmark or their tests names these pages or their
manifest before this gate; the folder appears in the history only in the fetch, quote,
relevance (manifest titles as headlines to label) and word-form tests. Which pages count,
and how a cut manifest title is compared, is fixed in ``extract_metrics.load_articles``:
byte copies of readability test pages are left out, no page is left out by hand.

Measured with ``python -m bench extract`` (102 pages; 102 titles, 69 dates): ours title 0.853,
day 0.971; trafilatura 0.912 and 0.957; readability-lxml 0.784 and none (it reads no date).
Floors sit just under ours. What is not claimed: ours does not beat trafilatura on titles
(the manifest's title is the page's og:title or <title>, which trafilatura reads first; ours
prefers the JSON-LD headline), so the title margin is over readability-lxml alone, the
library the reader builds on. On the published day ours leads trafilatura by one page of 69,
too little to call a margin: the test asks for at least level.
"""

from __future__ import annotations

import pytest

from bench.bench_extract import ours, with_readability, with_trafilatura
from bench.extract_metrics import (
    FieldReport,
    ManifestPage,
    Prediction,
    evaluate_fields,
    load_articles,
)
from tests.shared_corpus import CORPUS, require_shared

pytestmark = pytest.mark.corpus

TITLE_FLOOR = 0.84  # 87 of 102
DATE_FLOOR = 0.95  # 67 of 69
TITLE_MARGIN_OVER_READABILITY = 0.04  # measured +0.069 (7 pages)
DATE_MARGIN_OVER_TRAFILATURA = 0.0  # measured +0.014 (one page): level, not a margin


def _predict(html: str) -> Prediction:
    """Ours without the quote finder, which these fields do not depend on."""
    return ours(html, quotes=False)


@pytest.fixture(scope="module")
def pages() -> list[ManifestPage]:
    return load_articles(require_shared(CORPUS / "articles"),
                         require_shared(CORPUS / "readability-test-pages"))


@pytest.fixture(scope="module")
def report(pages: list[ManifestPage]) -> FieldReport:
    return evaluate_fields(pages, [_predict(page.html) for page in pages])


def test_the_held_apart_set_is_what_was_measured(report: FieldReport) -> None:
    assert (report.pages, report.titles, report.dates) == (102, 102, 69)


def test_title_floor(report: FieldReport) -> None:
    assert report.title_accuracy >= TITLE_FLOOR, report


def test_published_day_floor(report: FieldReport) -> None:
    assert report.date_accuracy >= DATE_FLOOR, report


def test_title_beats_readability_and_day_keeps_level_with_trafilatura(
    report: FieldReport, pages: list[ManifestPage]
) -> None:
    readability = evaluate_fields(pages, [with_readability(page.html) for page in pages])
    trafilatura = evaluate_fields(pages, [with_trafilatura(page.html) for page in pages])
    assert report.title_accuracy >= readability.title_accuracy + TITLE_MARGIN_OVER_READABILITY, (
        f"title: ours {report.title_accuracy:.3f} vs readability-lxml "
        f"{readability.title_accuracy:.3f} (margin {TITLE_MARGIN_OVER_READABILITY})")
    best_day = max(readability.date_accuracy, trafilatura.date_accuracy)
    assert report.date_accuracy >= best_day + DATE_MARGIN_OVER_TRAFILATURA, (
        f"day: ours {report.date_accuracy:.3f} vs the better anchor {best_day:.3f}")
