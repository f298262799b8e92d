"""Quality gate for digest.stories.relevance on the hand-labelled headline sets.

Floors sit just under the figures reached (see ``python -m bench relevance``), so a lexicon
change that costs precision or recall fails here. The own-written rows run everywhere; the
rows that reference ``../shared/corpus`` need it and are skipped without it.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bench.bench_relevance import score
from bench.relevance_labels import DEV_SET, HELDOUT_SET, LabelledItem, load_labelled
from tests.shared_corpus import CORPUS, require_shared

ABSENT = Path("/nonexistent/corpus")

# (set, language or None for all) -> (precision floor, recall floor)
OWN_DEV_FLOORS = {None: (0.97, 0.97), "en": (0.95, 0.95), "uk": (0.95, 0.95), "ru": (0.95, 0.95)}
FULL_DEV_FLOORS = {None: (0.97, 0.93), "en": (0.97, 0.92), "uk": (0.97, 0.93), "ru": (0.95, 0.90)}
HELDOUT_FLOORS = {None: (0.95, 0.95), "en": (0.95, 0.95), "uk": (0.90, 0.90), "ru": (0.90, 0.90)}


def subset(items: list[LabelledItem], language: str | None) -> list[LabelledItem]:
    return [item for item in items if language is None or item.language == language]


def assert_floors(items: list[LabelledItem], language: str | None,
                  floors: tuple[float, float]) -> None:
    result = score(subset(items, language))
    assert result.total > 0
    assert result.precision >= floors[0], result
    assert result.recall >= floors[1], result


@pytest.mark.parametrize("language", list(OWN_DEV_FLOORS))
def test_own_development_rows(language: str | None) -> None:
    items = load_labelled(DEV_SET, corpus=ABSENT)
    assert_floors(items, language, OWN_DEV_FLOORS[language])


@pytest.mark.parametrize("language", list(HELDOUT_FLOORS))
def test_held_out_rows(language: str | None) -> None:
    assert_floors(load_labelled(HELDOUT_SET, corpus=ABSENT), language, HELDOUT_FLOORS[language])


@pytest.mark.corpus
@pytest.mark.parametrize("language", list(FULL_DEV_FLOORS))
def test_development_rows_with_corpus(language: str | None) -> None:
    items = load_labelled(DEV_SET, corpus=require_shared(CORPUS))
    assert_floors(items, language, FULL_DEV_FLOORS[language])


# --- the data itself --------------------------------------------------------------------


def raw_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


ALL_ROWS = raw_rows(DEV_SET) + raw_rows(HELDOUT_SET)


def test_own_written_rows_alone_are_enough_for_a_gate() -> None:
    own = [row for row in ALL_ROWS if row["ref"] == "own"]
    assert len(own) >= 200
    for language in ("en", "uk", "ru"):
        labels = [row["label"] for row in own if row["language"] == language]
        assert labels.count("war") >= 30 and labels.count("other") >= 30, language


def test_rows_are_well_formed() -> None:
    assert len({row["id"] for row in ALL_ROWS}) == len(ALL_ROWS)
    assert {row["label"] for row in ALL_ROWS} == {"war", "other"}
    assert {row["language"] for row in ALL_ROWS} == {"en", "uk", "ru"}
    assert all(row["title"].strip() for row in ALL_ROWS if row["ref"] == "own")


def test_corpus_rows_carry_no_text() -> None:
    # Third-party text stays in ../shared; the repository keeps only the reference.
    for row in ALL_ROWS:
        if row["ref"] != "own":
            assert row["ref"].startswith(("feeds/", "articles/"))
            assert not row["title"] and not row["summary"], row["id"]


def test_held_out_rows_are_all_own_writing() -> None:
    assert {row["ref"] for row in raw_rows(HELDOUT_SET)} == {"own"}
    assert {row["split"] for row in raw_rows(HELDOUT_SET)} == {"heldout"}


@pytest.mark.corpus
def test_every_corpus_reference_resolves() -> None:
    require_shared(CORPUS)
    referenced = [row for row in raw_rows(DEV_SET) if row["ref"] != "own"]
    loaded = [item for item in load_labelled(DEV_SET) if item.origin == "corpus"]
    assert len(loaded) == len(referenced) >= 100
    assert all(item.title for item in loaded)
