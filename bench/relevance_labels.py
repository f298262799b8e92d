"""The hand-labelled war-relevance sets, read as items: what ``bench relevance`` scores,
the relevance and story models fit on, and tests/gate/test_relevance_gate.py holds to floors.

Files: ``tests/data/relevance_labelled.tsv`` (the development set, labelled before the
lexicon was tuned; the war model is fitted on it too) and ``tests/data/relevance/heldout.tsv``
(own rows written after tuning, never used to tune the lexicon and never fitted on by the war
model, bench/relevance_model.py). Corpus rows keep only a reference in the repository; their
text is read from ``../shared/corpus`` here, and they drop out when the corpus is absent.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from digest.feeds.parse import parse_feed

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

