"""Quality gate for the quote finder on the hand-labelled pages (tests/data/quotes_labelled.jsonl).

Floors sit just under the figures measured when they were set (``python -m bench quotes``),
so a change that loses quotes, invents them or misnames speakers fails here. Corpus pages
are read from ../shared; the test skips when it is absent.
"""

from __future__ import annotations

import pytest

from bench.bench_quotes import Tally, evaluate, load_pages
from tests.shared_corpus import CORPUS, require_shared

# group: (precision, recall, speaker accuracy) floors, on full quotes (partial quotes are
# scored on PolNeAR, tests/gate/test_quotes_polnear_gate.py). Measured: all 0.97/1.00/0.95,
# en 1.00/1.00/0.96, uk 0.92/1.00/0.92, ru 0.97/1.00/0.97; the Russian/Ukrainian held-out
# pages (split "heldout2", written before the speaker rules were reworked) 1.00/1.00/0.96.
FLOORS = {
    "all": (0.94, 0.96, 0.92),
    # en speaker: 0.98 before the English attribution rework, 0.96 after it (2 of 51 wrong:
    # a witness named where the label credits the reporter, a nested newspaper quote).
    "en": (0.95, 0.95, 0.93),
    "uk": (0.88, 0.95, 0.88),
    "ru": (0.93, 0.95, 0.90),
    "split:heldout2": (0.95, 0.95, 0.90),
}


@pytest.fixture(scope="module")
def tallies() -> dict[str, Tally]:
    require_shared(CORPUS / "articles")
    return evaluate(load_pages())


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_quote_quality_floor(tallies: dict[str, Tally], group: str) -> None:
    precision, recall, speaker = FLOORS[group]
    tally = tallies[group]
    assert tally.precision >= precision, tally.misses
    assert tally.recall >= recall, tally.misses
    assert tally.speaker_accuracy >= speaker, tally.misses


def test_labelled_set_size(tallies: dict[str, Tally]) -> None:
    assert tallies["all"].labels >= 60
    assert {"en", "uk", "ru", "split:heldout2"} <= set(tallies)
