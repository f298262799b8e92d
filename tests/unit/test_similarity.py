"""The story Similarity seam: the embedding pair model, and its batch independence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from digest.cluster import group_stories
from digest.models import NewsItem
from digest.stories.cluster import ClusterOptions, LexicalSimilarity, default_similarity
from digest.stories.pair_features import FEATURES, PairBatch, evidence, pair_features, pair_matrix
from digest.stories.similarity import EmbeddingSimilarity, PairModel, load_pair_model
from tests.items import news_item

START = datetime(2025, 3, 3, 6, tzinfo=UTC)


def _unit(seed: int, base: np.ndarray | None = None, noise: float = 0.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vector = rng.normal(size=384) if base is None else base + noise * rng.normal(size=384)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def _item(n: int, title: str, vector: np.ndarray | None, language: str = "en",
          hours: float = 0.0) -> NewsItem:
    return news_item(f"https://o{n}.example/{n}", title, "", START + timedelta(hours=hours),
                     f"Outlet {n}", language, vector)


def test_the_shipped_model_matches_the_features() -> None:
    model = load_pair_model()
    assert len(model.coef) == len(FEATURES)
    assert 0.0 < model.cut_same < 1.0 and 0.0 < model.cut_cross < 1.0
    assert {"en", "ru"} <= set(model.language_means)


def test_near_identical_vectors_group_and_unrelated_ones_do_not() -> None:
    story = _unit(1)
    items = [
        _item(1, "Drones hit Kharkiv overnight", _unit(2, story, 0.01)),
        _item(2, "Дрони атакували Харків уночі", _unit(3, story, 0.01), "uk", 1.0),
        _item(3, "Parliament passes budget", _unit(4), "en", 2.0),
    ]
    stories = group_stories(items)
    assert sorted(len(s) for s in stories) == [1, 2]


def test_a_pair_scores_the_same_in_a_batch_of_two_and_of_five_hundred() -> None:
    """No batch statistic decides a pair: its score is a function of the two items alone."""
    story = _unit(10)
    a = _item(1, "Missile strike on Odesa port, two killed", _unit(11, story, 0.02))
    b = _item(2, "Ракетний удар по порту Одеси: двоє загиблих", _unit(12, story, 0.02), "uk", 1.0)
    crowd = [_item(100 + n, f"Unrelated item number {n}", _unit(100 + n), "en", 0.5 + n / 100)
             for n in range(498)]
    similarity = EmbeddingSimilarity()
    alone = similarity.pair_scores([a, b])[(0, 1)]
    batch = [a, *crowd, b]
    batch.sort(key=lambda item: item.published)
    scores = similarity.pair_scores(batch)
    assert scores[(batch.index(a), batch.index(b))] == pytest.approx(alone, abs=1e-9)
    together = [s for s in group_stories(batch) if a in s]
    assert b in together[0]


def test_pairs_far_apart_in_time_are_not_compared() -> None:
    vector = _unit(20)
    far = load_pair_model().max_hours + 1
    items = [_item(1, "Same words", vector), _item(2, "Same words too", vector, hours=far)]
    assert EmbeddingSimilarity().pair_scores(items) == {}


def test_without_vectors_grouping_falls_back_to_the_lexical_method() -> None:
    items = [_item(1, "Drones hit Kharkiv", _unit(1)), _item(2, "Drones hit Kharkiv again", None)]
    assert isinstance(default_similarity(items, ClusterOptions()), LexicalSimilarity)
    assert isinstance(default_similarity(items[:1], ClusterOptions()), EmbeddingSimilarity)


def test_place_conflict_lowers_a_pair_the_cosine_alone_would_merge() -> None:
    model = load_pair_model()
    kharkiv = evidence("Drones hit Kharkiv overnight", "")
    kharkiv_again = evidence("Drone attack on Kharkiv overnight", "")
    odesa = evidence("Drones hit Odesa overnight", "")
    same = model.probability(pair_features(kharkiv, kharkiv_again, cosine=0.4, cross=False, hours=1))
    other = model.probability(pair_features(kharkiv, odesa, cosine=0.4, cross=False, hours=1))
    assert other < same


def test_centring_puts_each_language_mean_at_the_origin() -> None:
    model: PairModel = load_pair_model()
    mean = model.language_means["ru"]
    centred = model.centred(np.vstack([mean + 1e-3 * _unit(5)]), ["ru"])
    assert float(np.linalg.norm(centred)) == pytest.approx(1.0, abs=1e-5)


def test_debug_lists_each_member_with_its_similarity_to_the_story() -> None:
    from digest.stories.daily import PlannedStory, member_lines
    from digest.stories.rank import score_story

    story = _unit(30)
    items = [_item(1, "Drones hit Kharkiv overnight", _unit(31, story, 0.01)),
             _item(2, "Дрони атакували Харків уночі", _unit(32, story, 0.01), "uk", 1.0)]
    planned = PlannedStory(items, score_story(items, now=START))
    lines = member_lines(planned, ClusterOptions())
    assert len(lines) == 2 and lines[0].startswith("same ") and "Outlet 1" in lines[0]
    assert " war " in lines[0]


def test_a_vector_of_the_wrong_size_counts_as_missing() -> None:
    from digest.stories.similarity import has_vectors, item_vector

    broken = _item(1, "Drones hit Kharkiv", _unit(1)[:100])
    blob = news_item("u", "t", "", START, "s", "en", b"\x00" * 10)
    assert item_vector(broken) is None and item_vector(blob) is None
    assert not has_vectors([broken])
    assert len(group_stories([broken, _item(2, "Drones hit Kharkiv again", _unit(2))])) >= 1


def test_the_batch_features_equal_the_pair_by_pair_features() -> None:
    texts = [("Russian drones hit Kharkiv overnight, five injured", "Power cuts in 3 districts"),
             ("Атака дронів на Харків: п'ятеро поранених", ""),
             ("Scholz arrives in Kyiv, promises €650m in arms", "The chancellor met Zelensky"),
             ("", ""),
             ("Odesa port struck by missiles", "Two ships damaged, Syniehubov says")]
    facts = [evidence(title, summary) for title, summary in texts]
    lefts, rights = np.array([0, 0, 1, 2, 3, 0]), np.array([1, 4, 2, 4, 4, 2])
    cosines = np.linspace(0.2, 0.9, 6)
    cross = np.array([True, False, True, False, False, False])
    hours = np.array([1.0, 0.0, 30.0, 2.5, 0.0, 7.0])
    batch = pair_matrix(facts, PairBatch(lefts, rights, cosines, cross, hours))
    one_by_one = [pair_features(facts[a], facts[b], cosine=c, cross=bool(x), hours=h)
                  for a, b, c, x, h in zip(lefts, rights, cosines, cross, hours, strict=True)]
    assert batch.shape == (6, len(FEATURES))
    np.testing.assert_allclose(batch, np.array(one_by_one), atol=1e-12)
    kharkiv = dict(zip(FEATURES, batch[0], strict=True))  # the same strike, en and uk
    assert kharkiv["place_shared"] == 1.0 and kharkiv["place_conflict"] == 0.0
    assert kharkiv["cross_language"] == 1.0 and kharkiv["number_shared"] == 1.0
    assert kharkiv["log_hours"] == pytest.approx(np.log1p(1.0))
    odesa = dict(zip(FEATURES, batch[1], strict=True))  # Kharkiv against Odesa, both en
    assert odesa["place_conflict"] == 1.0 and odesa["place_shared"] == 0.0
    empty = dict(zip(FEATURES, batch[4], strict=True))  # a text with no terms at all
    assert all(empty[name] == 0.0 for name in FEATURES if name not in {"cosine", "log_hours"})
