"""Quality gate for the quote finder on PolNeAR (real US political reporting, ../shared).

Floors sit just under the figures measured when they were set (``python -m bench quotes
--polnear``): dev F1 0.956 / speakers 0.858, held-out F1 0.959 / speakers 0.846. The test
skips when the corpus is absent.
"""

from __future__ import annotations

import pytest

from bench import polnear
from bench.bench_quotes import polnear_finder
from tests.shared_corpus import require_shared

FLOORS = {"dev": (0.95, 0.853), "heldout": (0.95, 0.842)}


@pytest.fixture(scope="module")
def articles() -> list[polnear.Article]:
    require_shared(polnear.ROOT)
    return polnear.load()


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_polnear_floor(articles: list[polnear.Article], split: str) -> None:
    f1, speakers = FLOORS[split]
    score = polnear.score([a for a in articles if a.split == split], polnear_finder)
    assert score.f1 >= f1
    assert score.speaker_accuracy >= speakers


def test_the_finder_beats_the_quote_mark_anchor(articles: list[polnear.Article]) -> None:
    """The anchor is what a reader might write by hand: quote marks, and the nearest
    capitalised name before the quote as its speaker (held out: F1 0.936, speakers 0.244;
    the finder 0.959 and 0.841)."""
    part = [a for a in articles if a.split == "heldout"]
    finder, plain = polnear.score(part, polnear_finder), polnear.score(part, polnear.anchor)
    assert finder.f1 >= plain.f1 + 0.015
    assert finder.speaker_accuracy >= plain.speaker_accuracy + 0.4
