"""Precision and recall of :func:`digest.stories.relevance.is_about_war` on the hand-labelled sets.

``.venv/bin/python -m bench relevance`` prints one table per labelled file: overall, per
language and per origin (own-written rows vs rows referencing ``../shared/corpus``).
``--errors`` also lists misclassified rows with the cues that fired. The sets, and how
their corpus rows are read, are described in bench/relevance_labels.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from bench import realdata, relevance_model
from bench.relevance_labels import (
    CORPUS,
    DEV_SET,
    HELDOUT_SET,
    REPO_ROOT,
    LabelledItem,
    load_labelled,
)
from digest.stories.relevance import explain_relevance, is_about_war


@dataclass(frozen=True, slots=True)
class Scores:
    """Confusion counts with the usual ratios (1.0 when undefined, e.g. no positives)."""

    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int

    @property
    def total(self) -> int:
        return self.true_pos + self.false_pos + self.false_neg + self.true_neg

    @property
    def precision(self) -> float:
        predicted = self.true_pos + self.false_pos
        return self.true_pos / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_pos + self.false_neg
        return self.true_pos / actual if actual else 1.0

    @property
    def accuracy(self) -> float:
        return (self.true_pos + self.true_neg) / self.total if self.total else 1.0


def score(items: Iterable[LabelledItem], classify: Callable[..., bool] = is_about_war) -> Scores:
    """Confusion counts of ``classify(title, summary, language=...)`` over ``items``."""
    counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for item in items:
        predicted = classify(item.title, item.summary, language=item.language)
        counts[(predicted, item.is_war)] += 1
    return Scores(counts[(True, True)], counts[(True, False)], counts[(False, True)],
                  counts[(False, False)])


def _groups(items: list[LabelledItem]) -> Iterator[tuple[str, list[LabelledItem]]]:
    yield "all", items
    for language in ("en", "uk", "ru"):
        yield f"lang={language}", [item for item in items if item.language == language]
    for origin in ("own", "corpus"):
        yield f"origin={origin}", [item for item in items if item.origin == origin]


def _table(title: str, items: list[LabelledItem]) -> None:
    print(f"### {title}\n")
    print("| subset | rows | war | precision | recall | accuracy |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, subset in _groups(items):
        if subset:
            result = score(subset)
            positives = result.true_pos + result.false_neg
            print(f"| {name} | {result.total} | {positives} | {result.precision:.3f} "
                  f"| {result.recall:.3f} | {result.accuracy:.3f} |")
    print()


def _errors(items: list[LabelledItem]) -> None:
    for item in items:
        report = explain_relevance(item.title, item.summary, language=item.language)
        if report.is_war != item.is_war:
            expected = "war" if item.is_war else "other"
            print(f"- {item.row_id} [{item.language}] expected {expected}: {item.title}")
            print("    " + report.describe().replace("\n", "\n    "))


def main(argv: list[str]) -> None:
    corpus_note = "present" if CORPUS.exists() else "ABSENT (corpus rows skipped)"
    print(f"corpus: {corpus_note}\n")
    for title, path in (("development set", DEV_SET), ("held-out set", HELDOUT_SET)):
        if not path.exists():
            print(f"### {title}: {path.name} missing\n")
            continue
        items = load_labelled(path)
        started = time.perf_counter()
        _table(f"{title} ({path.relative_to(REPO_ROOT)})", items)
        elapsed = time.perf_counter() - started
        print(f"classified {len(items) * 3} items in {elapsed * 1000:.0f} ms "
              "(three passes: all / by language / by origin)\n")
        if "--errors" in argv:
            _errors(items)
    _real_table()


def _real_table() -> None:
    """Meaning + lexicon (cross-validated) beside the lexicon alone, on real labelled items."""
    if not realdata.available() or not realdata.available_engine():
        print("real-data table skipped (needs ../shared/corpus and the embedding engine)")
        return
    print("### real items, war precision / recall, cross-validated (borderline items left out)\n")
    print("| set | e5 + lexicon cues | lexicon alone (old) |")
    print("|---|---:|---:|")
    for name, ((p, r), (lp, lr)) in relevance_model.cross_validated(relevance_model.rows()).items():
        print(f"| {name} | {p:.3f} / {r:.3f} | {lp:.3f} / {lr:.3f} |")
    print("\nwindows: leave-one-window-out; development set: 5-fold; held-out set: the final fit "
          "(never fitted on). goal: ≥ 0.90 / ≥ 0.90 per window")

