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


def test_anchor_is_the_weaker_speaker_finder(articles: list[polnear.Article]) -> None:
    part = [a for a in articles if a.split == "heldout"]
    assert polnear.score(part, polnear.anchor).speaker_accuracy < 0.1
