"""Gate: story grouping and war relevance on real labelled news (../shared/corpus).

Floors sit just under the figures `make bench BENCH_ARGS="cluster relevance"` prints (all
cross-validated: SemEval 5-fold, realnews leave-one-window-out). Skipped without the corpus
or without the embedding engine. The vectors are cached in bench/out/vectors/; without the
cache the first test builds it (encoding the ~4,000 texts takes minutes on 2 cores).
"""

from __future__ import annotations

import pytest

from tests.shared_corpus import CORPUS, require_shared

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def ready() -> None:
    require_shared(CORPUS / "realnews")
    require_shared(CORPUS / "stories" / "semeval2022-t8")
    from bench import realdata

    if not realdata.available_engine():
        pytest.skip("embedding engine unavailable")
    # Without a vector cache (a fresh clone, CI) the first test encodes the corpus once
    # (about 4,000 texts, minutes on 2 cores) and caches it in bench/out/vectors/, so the
    # floors are checked on every run rather than skipped.


def test_semeval_pairs_cross_validated(ready: None) -> None:
    from bench import realdata, story_model
    from bench.cluster_real import raw_cosines
    from digest.stories.similarity import load_pair_model

    model = load_pair_model()
    means, default = dict(model.language_means), model.default_mean
    rows = story_model.semeval_rows(means, default)
    windows = list(story_model.window_pair_rows(story_model.war_windows(), means, default).values())
    scores = story_model.semeval_cv(rows, windows)
    # 0.818 / 0.810 / 0.921, each fold fitted as the shipped model is (SemEval training
    # folds plus the windows' pairs). Anchors: raw e5 cosine 0.699 / 0.373, TF-IDF 0.651 / 0.340.
    assert scores["overall"] >= 0.80
    assert scores["cross-language"] >= 0.79
    assert scores["en-en"] >= 0.89
    # The margin over the raw cosine with one cut (0.699 / 0.373 / 0.873), computed here.
    # Not over the centred cosine alone: it scores 0.812 / 0.805 / 0.880 on this split and
    # ties the pair model over 8 splits (0.811 against 0.812), so no margin is claimed; the
    # lexical evidence earns its place on the realnews windows (the next test).
    raw = story_model.cv_one_score(rows, raw_cosines(*realdata.semeval()), per_kind=False)
    assert scores["overall"] >= raw["overall"] + 0.05, (scores, raw)
    assert scores["cross-language"] >= raw["cross-language"] + 0.3, (scores, raw)


def test_realnews_windows_grouped_at_once(ready: None) -> None:
    """Held-out B-cubed floors, and the margins over what a grouping could do without the
    pair model: every item alone, the old lexical method, and the centred cosine alone
    (its cut fitted without the window too)."""
    from bench import story_model
    from bench.story_metrics import bcubed_f1
    from digest.stories.cluster import LexicalSimilarity, group_stories
    from digest.stories.similarity import load_pair_model

    model = load_pair_model()
    means, default = dict(model.language_means), model.default_mean
    semeval = story_model.semeval_rows(means, default)
    windows = story_model.war_windows()
    pairs = story_model.window_pair_rows(windows, means, default)
    scores = story_model.realnews_lowo(semeval, windows, pairs, means, default)
    cosine = story_model.cosine_lowo(windows, means, default)
    # B-cubed F1 (every item alone / old lexical method / centred cosine alone in brackets)
    floors = {
        "ru-2024-12-02": 0.89,  # 0.911 (0.634 / 0.824 / 0.882)
        "en-2022-06-20": 0.91,  # 0.922 (0.885 / 0.902 / 0.889)
        # the largest story's one merge decision has moved this window by 0.02 between
        # machines with the same commit (see test_digest_gate), hence the wider gap
        "ru-2024-11-21": 0.80,  # 0.820 (0.674 / 0.749 / 0.784)
        "en-2022-06-28": 0.88,  # 0.895 (0.824 / 0.823 / 0.904)
    }
    for window, floor in floors.items():
        items = windows[window]
        alone = bcubed_f1(items, [[item] for item in items])
        lexical = bcubed_f1(items, group_stories(items, similarity=LexicalSimilarity()))
        assert scores[window][0] >= floor, window
        assert scores[window][0] >= max(alone, lexical) + 0.015, (window, alone, lexical)
    # The lexical evidence earns its place over the cosine alone on the windows taken
    # together: +0.022 on average (on one English window the cosine alone does better:
    # 0.904 against 0.895).
    margin = sum(scores[w][0] - cosine[w][0] for w in floors) / len(floors)
    assert margin >= 0.015, margin


def test_war_relevance_on_real_windows(ready: None) -> None:
    from bench import realdata, relevance_model

    scores = relevance_model.cross_validated(relevance_model.rows())
    # (precision, recall) floors; measured today, lexicon alone in brackets
    floors = {
        "ru-2024-12-02": (0.85, 0.91),  # 0.851 / 0.919 (0.880 / 0.710)
        "en-2022-06-20": (0.95, 0.96),  # 0.955 / 0.966 (1.000 / 0.598)
        "ru-2024-11-21": (0.98, 0.85),  # 1.000 / 0.860 (1.000 / 0.720)
        "en-2022-06-28": (0.94, 0.91),  # 0.941 / 0.914 (1.000 / 0.429)
        "relevance held-out set (own, never fitted on)": (0.95, 0.93),  # 0.955 / 0.933
    }
    for name, (precision, recall) in floors.items():
        (p, r), (lexicon_p, lexicon_r) = scores[name]
        assert p >= precision and r >= recall, (name, p, r)
        # The anchor is the lexicon alone (precise, but it misses what its words lack):
        # the model must beat it on F1 by a clear margin on every window.
        if name in realdata.WINDOWS:
            assert _f1(p, r) >= _f1(lexicon_p, lexicon_r) + 0.05, name


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def test_own_story_set_with_vectors(ready: None) -> None:
    """The hand-written stories through the shipped embedding method (the lexical method's
    floor is pinned in test_cluster_gate.py)."""
    from bench import bench_cluster, cluster_real

    items = cluster_real.own_set_rows(bench_cluster.load_labelled())[0]
    scores = bench_cluster.pairwise_scores(items)
    # 0.754 / 1.000 / 0.860 since the four-window refit (0.897 / 0.983 / 0.938 before)
    assert scores.recall >= 0.98 and scores.f1 >= 0.85
