"""Gate: follow matching on real labelled news (issues 14 and 21).

Every floor is on figures held out by window: each realnews window scored with the cuts and
the topic models (their penalty included) fitted on the other three (``bench follows``,
column "cuts + topic models, window left out"), pooled over the four windows per follow (10 follows x 194 gold war
stories of tests/data/follow_labels.tsv), so no floor rests on one window's one story. The
floors sit just under today's held-out figures; the issue's goal (P and R >= 0.90 for every
follow) is not reached: see the bench. The in-sample figures of the shipped weights are
printed by the bench, never gated. Skipped without ../shared/corpus or without the engine.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.shared_corpus import CORPUS, require_shared

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def data() -> tuple[Any, ...]:
    require_shared(CORPUS / "realnews")
    from bench import bench_follows, realdata

    if not realdata.available_engine():
        pytest.skip("embedding engine unavailable")
    found = bench_follows.labels()
    resolved = bench_follows.topics(found)
    grouped = bench_follows.stories()
    vectors = bench_follows.topic_vectors(resolved)
    return found, resolved, grouped, vectors


@pytest.fixture(scope="module")
def scores(data: tuple[Any, ...]) -> dict[str, Any]:
    from bench import bench_follows

    found = data[0]
    return bench_follows.table(found, bench_follows.methods(*data))


# key: (precision floor, recall floor, stories concerned) of the held-out method, pooled
FLOORS = {
    "kyiv": (0.95, 0.95, 3),
    "kursk": (0.95, 0.95, 10),
    "zelensky": (0.95, 0.95, 10),
    "text:scholz": (0.95, 0.95, 4),
    "putin": (0.75, 0.95, 14),
    "peace-talks": (0.85, 0.75, 9),
    "aid": (0.85, 0.70, 27),
    "air-strikes": (0.85, 0.65, 27),
    "front-line": (0.70, 0.60, 13),
    "sanctions": (0.85, 0.35, 19),
}


def pooled(scores: dict[str, Any], name: str, key: str) -> Any:
    from bench import bench_follows

    return bench_follows.pooled(scores[name], key)


@pytest.mark.parametrize("key", sorted(FLOORS))
def test_held_out_precision_and_recall_floors(scores: dict[str, Any], key: str) -> None:
    from bench.bench_follows import HELD_OUT

    score = pooled(scores, HELD_OUT, key)
    precision, recall, concerned = FLOORS[key]
    assert score.tp + score.fn == concerned, (key, score)  # the labels the floor rests on
    assert score.precision >= precision, (key, score)
    assert score.recall >= recall, (key, score)


def test_held_out_method_makes_fewer_errors_than_the_anchors(scores: dict[str, Any]) -> None:
    from bench.bench_follows import HELD_OUT

    errors = {name: sum(s.fp + s.fn for s in by_key.values()) for name, by_key in scores.items()}
    assert errors[HELD_OUT] <= 49  # 47 today (bench follows, 2026-12-08)
    assert errors[HELD_OUT] < errors["lexicon"] < errors["keyword"]
    # the topic models add to the cuts, held out the same way
    assert errors[HELD_OUT] < errors["lexicon + e5 cuts, window left out"]


def test_nothing_is_found_where_nothing_is_to_find(scores: dict[str, Any]) -> None:
    from bench.bench_follows import HELD_OUT

    score = scores[HELD_OUT][("en-2022-06-20", "kursk")]
    assert score.tp + score.fp + score.fn == 0


def test_the_body_cut_holds_when_each_story_is_left_out(data: tuple[Any, ...]) -> None:
    """Only summaries carry body-only hits (the English windows have none), so the body cut
    is checked story by story. It rests on 14 rows, two of them within 0.003 of the cut, so
    its held-out figure moves with the last digits of the vectors: fitted without each
    story it made 5 errors on one machine and 6 on the next (2026-12-07), against 5 with no
    body cut at all and 3 at the shipped cut. So it is pinned as a regression bound, not as
    a proven gain: held out no worse than one error above no body cut."""
    from bench import bench_follows

    found = data[0]
    rows, _, held, shipped, title = bench_follows.body_held_out(
        found, bench_follows.evidence_of(*data))
    assert rows >= 10
    assert held <= 6 and held <= title + 1
    assert shipped < title
