"""Quality gate for article extraction on the readability test pages (../shared corpus).

Floors sit just under the figures measured when the extractor was written (see
``python -m bench extract``), so a regression fails here while ordinary noise does not. It scores the extraction
fields only (``_extract_fields``); the quote finder has its own tests.
"""

from __future__ import annotations

import pytest

from bench.extract_metrics import PAGE_URL, Prediction, Report, evaluate, load_pages
from digest.errors import NoArticleFound
from digest.reader.extract import _extract_fields
from tests.shared_corpus import CORPUS, require_shared

pytestmark = pytest.mark.corpus

BODY_F1_FLOOR = 0.97
TITLE_FLOOR = 0.95
AUTHOR_FLOOR = 0.87
DATE_FLOOR = 0.96


def _predict(html: str) -> Prediction:
    try:
        article = _extract_fields(html, PAGE_URL)
    except NoArticleFound:
        return Prediction(title=None, author=None, published=None, text="")
    return Prediction(article.title, article.author, article.published, article.text)


@pytest.fixture(scope="module")
def report() -> Report:
    pages = load_pages(require_shared(CORPUS / "readability-test-pages"))
    return evaluate(pages, [_predict(page.html) for page in pages])


def test_body_f1_floor(report: Report) -> None:
    assert report.body.f1 >= BODY_F1_FLOOR, report


def test_title_floor(report: Report) -> None:
    assert report.title_accuracy >= TITLE_FLOOR, report


def test_author_floor(report: Report) -> None:
    assert report.author_accuracy >= AUTHOR_FLOOR, report


def test_published_day_floor(report: Report) -> None:
    assert report.date_accuracy >= DATE_FLOOR, report
