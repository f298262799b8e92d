"""Precision and recall of :func:`digest.stories.relevance.is_about_war` on the hand-labelled sets.

``.venv/bin/python -m bench relevance`` prints one table per labelled file: overall, per
language and per origin (own-written rows vs rows referencing ``../shared/corpus``).
Corpus rows keep only a reference in the repository; their text is read from the corpus
here, and they drop out when the corpus is absent. ``--errors`` also lists misclassified
rows with the cues that fired.

Files: ``tests/data/relevance_labelled.tsv`` (the development set, labelled before the
lexicon was tuned; the war model is fitted on it too) and ``tests/data/relevance/heldout.tsv``
(own rows written after tuning, never used to tune the lexicon and never fitted on by the war
model, bench/relevance_model.py).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from digest.feeds.parse import parse_feed
from digest.stories.relevance import explain_relevance, is_about_war

REPO_ROOT = Path(__file__).resolve().parents[1]
DEV_SET = REPO_ROOT / "tests" / "data" / "relevance_labelled.tsv"
HELDOUT_SET = REPO_ROOT / "tests" / "data" / "relevance" / "heldout.tsv"
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True, slots=True)
class LabelledItem:
    """One labelled headline; ``origin`` is ``own`` or ``corpus``."""

    row_id: str
    language: str
    is_war: bool
    origin: str
    title: str
    summary: str


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


def load_labelled(path: Path, corpus: Path = CORPUS) -> list[LabelledItem]:
    """Read a labelled TSV; corpus rows are resolved from ``corpus`` or skipped if it is absent."""
    items = []
    for row in _rows(path):
        text = _row_text(row, corpus)
        if text is not None:
            items.append(LabelledItem(
                row_id=row["id"], language=row["language"], is_war=row["label"] == "war",
                origin="own" if row["ref"] == "own" else "corpus", title=text[0], summary=text[1],
            ))
    return items


def score(items: Iterable[LabelledItem], classify: Callable[..., bool] = is_about_war) -> Scores:
    """Confusion counts of ``classify(title, summary, language=...)`` over ``items``."""
    counts = {(True, True): 0, (True, False): 0, (False, True): 0, (False, False): 0}
    for item in items:
        predicted = classify(item.title, item.summary, language=item.language)
        counts[(predicted, item.is_war)] += 1
    return Scores(counts[(True, True)], counts[(True, False)], counts[(False, True)],
                  counts[(False, False)])


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        yield from csv.DictReader(lines, delimiter="\t")


def _row_text(row: dict[str, str], corpus: Path) -> tuple[str, str] | None:
    """Title and summary of a row: inline for own rows, from the corpus for references."""
    ref = row["ref"]
    if ref == "own":
        return row["title"], row["summary"]
    if not corpus.exists():
        return None
    if ref.startswith("feeds/"):
        file_name, _, guid = ref.removeprefix("feeds/").partition("#")
        return _feed_items(corpus / "feeds" / file_name)[guid]
    return _article_titles(corpus / "articles" / "MANIFEST.tsv")[ref.removeprefix("articles/")], ""


@cache
def _feed_items(path: Path) -> dict[str, tuple[str, str]]:
    feed = parse_feed(path.read_bytes(), url=f"http://127.0.0.1/feeds/{path.name}")
    return {item.guid: (item.title, item.summary) for item in feed.items}


@cache
def _article_titles(manifest: Path) -> dict[str, str]:
    with manifest.open(encoding="utf-8", newline="") as handle:
        return {row["file"]: row["title"] for row in csv.DictReader(handle, delimiter="\t")}


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
    from bench import realdata, relevance_model  # here: relevance_model imports this module

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

