"""Scores of a story grouping against labelled stories (items with ``story`` and ``source``).

>>> from types import SimpleNamespace as Item
>>> a, b, c = Item(story="x", source="A"), Item(story="x", source="B"), Item(story="y", source="A")
>>> round(bcubed_f1([a, b, c], [[a, b], [c]]), 3), round(bcubed_f1([a, b, c], [[a], [b], [c]]), 3)
(1.0, 0.8)
>>> pair_f1([a, b, c], [[a, b, c]], cross_outlet=True)
0.6666666666666666
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any


def bcubed_f1(items: Sequence[Any], stories: Sequence[Sequence[Any]]) -> float:
    """B-cubed F1: per item, the share of its predicted story that is its true story
    (precision) and of its true story that it was grouped with (recall), averaged."""
    return bcubed(items, stories)[0]


def bcubed(items: Sequence[Any], stories: Sequence[Sequence[Any]]) -> tuple[float, float, float]:
    """B-cubed (F1, precision, recall) of ``stories`` (they must hold every item)."""
    predicted = {id(item): story for story in stories for item in story}
    gold: dict[str, list[Any]] = {}
    for item in items:
        gold.setdefault(item.story, []).append(item)
    precision = recall = 0.0
    for item in items:
        same = sum(other.story == item.story for other in predicted[id(item)])
        precision += same / len(predicted[id(item)])
        recall += same / len(gold[item.story])
    precision, recall = precision / len(items), recall / len(items)
    return 2 * precision * recall / (precision + recall), precision, recall


def pair_f1(items: Sequence[Any], stories: Sequence[Sequence[Any]], *,
            cross_outlet: bool = False) -> float:
    """F1 over item pairs (only pairs from different outlets when ``cross_outlet``)."""
    home = {id(item): index for index, story in enumerate(stories) for item in story}
    tp = fp = fn = 0
    for left, right in itertools.combinations(items, 2):
        if cross_outlet and left.source == right.source:
            continue
        same, together = left.story == right.story, home[id(left)] == home[id(right)]
        tp += same and together
        fp += together and not same
        fn += same and not together
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
