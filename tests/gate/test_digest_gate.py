"""Gate: the digest as a reader meets it, one digest planned from each whole labelled window.

Every figure is held out: the pair, war and event models, the rank weights and the fold cut
are fitted without the window they are checked on (``python -m bench digest`` prints the
same table). Floors sit at what that run reaches; the issue's goals are higher (7/7
distinct, ≥ 6/7 of the biggest, 0 non-war). Skipped without ../shared or the embedding engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.shared_corpus import CORPUS, require_shared

if TYPE_CHECKING:
    from bench.bench_digest import HeldOut

pytestmark = pytest.mark.corpus

# window: (distinct war stories in 7 slots, of the 7 biggest shown, most non-war slots,
#          most shown points from another story, events B-cubed F1)
FLOORS = {
    # Measured 2026-12-08 with the stated-source features in the event model
    # (speaker_within_hour, speaker_conflict): 6/6/1/1/0.907, 6/5/0/1/0.915, 7/7/0/0/0.865,
    # 7/7/0/1/0.877. The same commit has given other figures on another machine (B-cubed up
    # to 0.03 apart on ru-2024-11-21, a slot apart on en-2022-06-20; cause not found), so
    # the floors leave one stray point, about 0.02 of B-cubed and, on ru-2024-11-21, whose
    # figures moved most, one slot.
    "ru-2024-12-02": (6, 6, 1, 2, 0.88),
    "en-2022-06-20": (6, 5, 0, 2, 0.89),
    "ru-2024-11-21": (6, 6, 0, 1, 0.84),
    "en-2022-06-28": (7, 6, 0, 2, 0.86),
}


@pytest.fixture(scope="module")
def held_out() -> dict[str, HeldOut]:
    require_shared(CORPUS / "realnews")
    require_shared(CORPUS / "stories" / "semeval2022-t8")
    from bench import bench_digest, realdata
    from digest.stories.daily import DigestOptions

    if not realdata.available_engine():
        pytest.skip("embedding engine unavailable")
    return dict(bench_digest.held_out_rows(DigestOptions(max_stories=7)))


@pytest.mark.parametrize("window", sorted(FLOORS))
def test_digest_of_a_real_window(held_out: dict[str, HeldOut], window: str) -> None:
    row = held_out[window].score
    distinct, biggest, non_war, stray, bcubed = FLOORS[window]
    assert row.distinct >= distinct
    assert row.biggest >= biggest
    assert row.non_war <= non_war
    assert row.stray <= stray
    assert row.bcubed[0] >= bcubed


def test_the_gate_fails_a_digest_that_does_not_group(held_out: dict[str, HeldOut]) -> None:
    """The anchor with no grouping at all (every report its own story, same held-out war
    model and ranking) shows far fewer of each day's biggest stories (3, 1, 6 and 1 of 7
    against 6, 5, 7 and 7) and groups worse on every window: the floors above reject it."""
    from bench import bench_digest
    from digest.stories.daily import DigestOptions

    alone = bench_digest.anchor_rows(DigestOptions(max_stories=7), reports_alone=True)
    assert sum(row.biggest for row in alone.values()) + 8 <= sum(
        held_out[w].score.biggest for w in alone)
    for window, row in alone.items():
        assert row.bcubed[0] + 0.03 <= held_out[window].score.bcubed[0], window
    assert any(row.biggest < FLOORS[window][1] for window, row in alone.items())


def test_events_and_fold_beat_statements_as_stories(held_out: dict[str, HeldOut]) -> None:
    """The previous method, each statement-level group its own story (no event merging, no
    fold; same held-out pair and war models and ranking), groups worse in sum: B-cubed
    summed over the windows 3.489 against 3.564. Events gain most where one briefing or one
    strike was posted piecemeal (ru-2024-11-21: 0.787 against 0.865) and lose at most 0.007
    on a window (en-2022-06-20: 0.922 against 0.915, one merge of two reactions)."""
    from bench import bench_digest
    from digest.stories.daily import DigestOptions

    statements = bench_digest.anchor_rows(DigestOptions(max_stories=7), reports_alone=False)
    for window, row in statements.items():
        assert held_out[window].score.bcubed[0] >= row.bcubed[0] - 0.015, window
    ours = sum(held_out[w].score.bcubed[0] for w in statements)
    anchor = sum(row.bcubed[0] for row in statements.values())
    assert ours >= anchor + 0.05, (ours, anchor)
