"""Gate: follow matching on real labelled news (issue 14).

Floors sit just under what ``.venv/bin/python -m bench follows`` prints for the shipped method
(lexicon + e5 with the cuts in FollowOptions) on tests/data/follow_labels.tsv: 10 follows x
every gold war story of both realnews windows. The goal (P and R >= 0.90 for each follow) is
not reached (the Russian window reaches it for 8 follows in-sample, the English one for 5);
these floors pin today's figures so that a change cannot quietly lose ground.
Skipped without ../shared/corpus or without the embedding engine.
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


# (window, key): (precision floor, recall floor) of the shipped method
FLOORS = {
    ("ru-2024-12-02", "kyiv"): (0.95, 0.95),
    ("ru-2024-12-02", "kursk"): (0.95, 0.95),
    ("ru-2024-12-02", "zelensky"): (0.95, 0.95),
    ("ru-2024-12-02", "putin"): (0.95, 0.95),
    ("ru-2024-12-02", "text:scholz"): (0.95, 0.95),
    ("ru-2024-12-02", "peace-talks"): (0.95, 0.85),
    ("ru-2024-12-02", "sanctions"): (0.95, 0.95),
    ("ru-2024-12-02", "aid"): (0.95, 0.95),
    ("ru-2024-12-02", "air-strikes"): (0.95, 0.95),
    ("ru-2024-12-02", "front-line"): (0.75, 0.95),
    ("en-2022-06-20", "kyiv"): (0.95, 0.95),
    ("en-2022-06-20", "zelensky"): (0.95, 0.95),
    ("en-2022-06-20", "putin"): (0.65, 0.95),
    ("en-2022-06-20", "text:scholz"): (0.95, 0.95),
    ("en-2022-06-20", "peace-talks"): (0.95, 0.95),
    # the four-window refit moved the language means the follow cosines are centred on:
    # sanctions recall 7 -> 6 of 12, aid precision 10 of 11 -> 10 of 10 (errors: 20 both)
    ("en-2022-06-20", "sanctions"): (0.95, 0.45),
    ("en-2022-06-20", "aid"): (0.95, 0.70),
    ("en-2022-06-20", "air-strikes"): (0.70, 0.55),
}


@pytest.mark.parametrize("window, key", sorted(FLOORS))
def test_follow_precision_and_recall_floors(scores: dict[str, Any], window: str, key: str) -> None:
    score = scores["lexicon + e5"][(window, key)]
    precision, recall = FLOORS[(window, key)]
    assert score.precision >= precision, (window, key, score)
    assert score.recall >= recall, (window, key, score)


def test_shipped_method_makes_fewer_errors_than_the_anchors(scores: dict[str, Any]) -> None:
    errors = {name: sum(s.fp + s.fn for s in by_key.values()) for name, by_key in scores.items()}
    assert errors["lexicon + e5"] <= 21
    assert errors["lexicon + e5"] < errors["lexicon"] < errors["keyword"]
    # held out story by story the cuts still beat the lexicon alone (23 against 27 today);
    # fitted on one window and scored on the other they do not (28): see bench follows
    assert errors["lexicon + e5, cuts fitted without the story"] <= 24
    assert errors["lexicon + e5, cuts fitted without the story"] < errors["lexicon"]


def test_nothing_is_found_where_nothing_is_to_find(scores: dict[str, Any]) -> None:
    score = scores["lexicon + e5"][("en-2022-06-20", "kursk")]
    assert score.tp + score.fp + score.fn == 0


def test_the_body_cut_holds_when_each_story_is_left_out(data: tuple[Any, ...]) -> None:
    """Only summaries carry body-only hits (the English window has none), so the body cut is
    checked story by story: fitted without a story, it still beats having no body cut."""
    from bench import bench_follows

    found = data[0]
    rows, _, held, shipped, title = bench_follows.body_held_out(
        found, bench_follows.evidence_of(*data))
    assert rows >= 5
    assert held <= 2 and shipped <= 1 and held < title
