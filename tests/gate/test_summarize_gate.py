"""Quality gate: ROUGE of key_points on cnndm-mini must not regress (skips without ../shared).

Floors sit just under what ``python -m bench summaries`` measured (key_points
29.57/11.71/26.62 R-1/R-2/R-Lsum; Lead-3 28.53/11.31/25.77 in the same run). The test also
checks, in the same run, that key_points stays at least level with Lead-3 (small margin).
"""

from __future__ import annotations

import pytest

from bench.bench_summaries import DATASET, evaluate, lead3, load_examples, ours
from tests.shared_corpus import require_shared

FLOORS = {"rouge1": 29.3, "rouge2": 11.5, "rougeLsum": 26.4}
MARGIN_UNDER_LEAD3 = 0.25


@pytest.mark.corpus
def test_key_points_rouge_floors_and_lead3() -> None:
    examples = load_examples(require_shared(DATASET))
    mine = evaluate("key_points", ours, examples).scores
    baseline = evaluate("Lead-3", lead3, examples).scores
    for metric, floor in FLOORS.items():
        assert mine[metric] >= floor, f"{metric}: {mine[metric]:.2f} < floor {floor}"
        assert mine[metric] >= baseline[metric] - MARGIN_UNDER_LEAD3, (
            f"{metric}: {mine[metric]:.2f} vs Lead-3 {baseline[metric]:.2f}"
        )
