"""Story clustering: pairwise precision/recall/F1 on labelled stories, and time for 5,000 items.

``.venv/bin/python -m bench cluster`` prints one row per labelled split (``dev``: the set the
defaults were tuned on; ``heldout``: written with the labels before tuning, never tuned on;
``corpus``: real 2020 UNIAN / LIGA / Ukrainska Pravda / ukranews feed items from
../shared, skipped when absent) and the time to group 5,000 synthetic items made by
perturbing the hand-written ones. ``--errors`` also lists wrongly split or merged items.

The loaders and the scoring live here so that tests/gate/test_cluster_gate.py pins the same
numbers this prints.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from bench import cluster_real, realdata
from digest.feeds.parse import FeedItem, parse_feed
from digest.language.textnorm import gazetteer_term, phonetic_key, word_term
from digest.models import NewsItem
from digest.stories.cluster import group_stories

REPO_ROOT = Path(__file__).resolve().parents[1]
LABELLED = REPO_ROOT / "tests" / "data" / "stories_labelled.jsonl"
CORPUS_REFS = REPO_ROOT / "tests" / "data" / "stories_corpus_refs.jsonl"
FEEDS = REPO_ROOT.parent / "shared" / "corpus" / "feeds"
SYNTHETIC_SIZE = 5000


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelledItem(NewsItem):
    """A news item with the story label written for it by hand."""

    story: str
    split: str


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise clustering scores: over all item pairs, is "same story" predicted right?"""

    precision: float
    recall: float
    f1: float


def load_labelled(path: Path = LABELLED) -> list[LabelledItem]:
    """The hand-written items (splits ``dev`` and ``heldout``)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [
        LabelledItem(
            url=row["url"],
            title=row["title"],
            summary=row["summary"],
            published=datetime.fromisoformat(row["published"]),
            source=row["outlet"],
            source_kind=realdata.OUTLET_KIND,
            language=row["language"],
            story=row["story"],
            split=row["split"],
        )
        for row in rows
    ]


def load_corpus_items(refs: Path = CORPUS_REFS, feeds: Path = FEEDS) -> list[LabelledItem]:
    """Corpus feed items named by file + guid, read through the real feed parser."""
    rows = [json.loads(line) for line in refs.read_text(encoding="utf-8").splitlines() if line]
    by_feed: dict[str, dict[str, FeedItem]] = {}
    items = []
    for row in rows:
        if row["feed"] not in by_feed:
            parsed = parse_feed((feeds / row["feed"]).read_bytes(), url=f"file:///{row['feed']}")
            by_feed[row["feed"]] = {item.guid: item for item in parsed.items}
        found = by_feed[row["feed"]][row["guid"]]
        if found.published is None:
            raise ValueError(f"{row['feed']} {row['guid']}: a labelled item needs a date")
        items.append(
            LabelledItem(
                url=found.url,
                title=found.title,
                summary=found.summary,
                published=found.published,
                source=found.source,
                source_kind=realdata.OUTLET_KIND,
                language=found.language,
                story=row["story"],
                split="corpus",
            )
        )
    return items


def pairwise_scores(items: Sequence[LabelledItem]) -> PairScores:
    """Cluster ``items`` and score the predicted partition against their ``story`` labels."""
    predicted = group_stories(items)
    same_story_pairs = _pairs(Counter(item.story for item in items).values())
    predicted_pairs = _pairs(len(story) for story in predicted)
    correct_pairs = _pairs(
        count
        for story in predicted
        for count in Counter(item.story for item in story).values()
    )
    precision = correct_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = correct_pairs / same_story_pairs if same_story_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1)


def _pairs(sizes: Iterable[int]) -> int:
    return sum(size * (size - 1) // 2 for size in sizes)


def synthetic_items(base: Sequence[LabelledItem], size: int, seed: int = 7) -> list[LabelledItem]:
    """``size`` items: copies of ``base`` moved by whole days (±3 h), with other outlets and
    reworded titles (a word or two dropped, sometimes a "BREAKING"-style prefix)."""
    rng = random.Random(seed)
    outlets = sorted({item.source for item in base})
    prefixes = ["", "", "", "UPDATE: ", "ВАЖЛИВО: ", "Срочно: ", "Live: "]
    items = []
    for number in range(size):
        original = base[number % len(base)]
        copy = number // len(base)
        shift = timedelta(days=copy, minutes=rng.randint(-180, 180))
        items.append(
            replace(
                original,
                url=f"{original.url}-{copy}",
                title=rng.choice(prefixes) + _drop_words(original.title, rng),
                published=original.published + shift,
                source=rng.choice(outlets),
                story=f"{original.story}#{copy}",
            )
        )
    return items


def _drop_words(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(rng.randint(0, 2)):
        if len(words) > 3:
            del words[rng.randrange(len(words))]
    return " ".join(words)


def time_grouping(items: Sequence[LabelledItem], repeats: int = 3) -> list[float]:
    """Wall-clock seconds of ``group_stories(items)``, once per repeat.

    The word caches of :mod:`digest.language.textnorm` are emptied first, so the first run is cold
    (as in a freshly started bot) and the later ones warm (as on the next digest).
    """
    for cached in (word_term, gazetteer_term, phonetic_key):
        cached.cache_clear()
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        group_stories(items)
        timings.append(time.perf_counter() - start)
    return timings


def _splits() -> dict[str, list[LabelledItem]]:
    own = load_labelled()
    splits = {name: [item for item in own if item.split == name] for name in ("dev", "heldout")}
    splits["own (dev+heldout)"] = own
    if FEEDS.exists():
        splits["corpus"] = load_corpus_items()
    return splits


def _print_errors(items: Sequence[LabelledItem]) -> None:
    for story in group_stories(items):
        labels = Counter(item.story for item in story)
        if len(labels) > 1:
            print(f"  MERGED {dict(labels)}")
    for label in sorted({item.story for item in items}):
        homes = [s for s in group_stories(items) if any(item.story == label for item in s)]
        if len(homes) > 1:
            print(f"  SPLIT {label}: " + " | ".join(
                ", ".join(i.title[:40] for i in s if i.story == label) for s in homes))


def main(argv: list[str]) -> None:
    splits = _splits()
    engine = realdata.available_engine()
    print("### own labelled sets (pairwise over all items)\n")
    print("| split | items | stories | uk/ru share | method | precision | recall | F1 |")
    print("|---|---:|---:|---:|---|---:|---:|---:|")
    for name, items in splits.items():
        stories = len({item.story for item in items})
        cyrillic = sum(item.language in {"uk", "ru"} for item in items) / len(items)
        methods = {"old lexical": items}
        if engine and name != "corpus":
            methods["e5 + evidence"] = cluster_real.own_set_rows(items)[0]
        for method, rows in methods.items():
            scores = pairwise_scores(rows)
            print(f"| {name} | {len(items)} | {stories} | {cyrillic:.2f} | {method} "
                  f"| {scores.precision:.3f} | {scores.recall:.3f} | {scores.f1:.3f} |")
        if "--errors" in argv:
            _print_errors(items)
    synthetic = synthetic_items(load_labelled(), SYNTHETIC_SIZE)
    timings = time_grouping(synthetic)
    print(
        f"\nold lexical group_stories on {len(synthetic)} synthetic items: cold {timings[0]:.2f} s, "
        f"warm median {statistics.median(timings[1:]):.2f} s"
    )
    if not engine:
        print("\nembedding engine unavailable: real-data tables skipped")
        return
    with_vectors = _synthetic_vectors(synthetic)
    timings = cluster_real.time_embedding_grouping(with_vectors)
    print(f"e5 + evidence group_stories on {len(with_vectors)} items with stored vectors: "
          f"first {timings[0]:.2f} s, median of the rest "
          f"{cluster_real.median_after_first(timings):.2f} s (goal < 1 s)\n")
    if realdata.available():
        cluster_real.semeval_table()
        cluster_real.realnews_table()


def _synthetic_vectors(items: Sequence[LabelledItem]) -> list[LabelledItem]:
    """The synthetic items with their original's vector plus a little noise (rewording)."""
    base = cluster_real.own_set_rows(list(load_labelled()))[0]
    vectors = {item.url: realdata.vector_of(item) for item in base}
    rng = np.random.default_rng(7)
    result = []
    for item in items:
        vector = vectors[item.url.rsplit("-", 1)[0]] + 0.05 * rng.normal(size=384).astype(np.float32)
        result.append(replace(item, vector=vector / np.linalg.norm(vector)))
    return result
