"""The real labelled data in ../shared/corpus, as items, plus a cache of their vectors.

* ``realnews/``: four windows of real news (:data:`WINDOWS`), each item labelled war 0/1 and
  with a story id (see its README for the guidelines; ``borderline:`` notes mark items an
  evaluation drops).
* ``stories/semeval2022-t8/training_set.csv``: SemEval-2022 Task 8 article pairs, turned
  into feed-like items the way its README says (title = first line, or the part before a
  double space, or the first sentence of ≥ 25 characters, ≤ 200 characters; summary = the
  next ~300 characters; both items at the same time). ``Overall`` ≤ 1.5 is the same story,
  ≥ 3.0 a different one; pairs in between are left out.

Vectors are computed with the bot's own encoder and cached under ``bench/out/vectors/``
(keyed by the text's hash), so benchmarks, training scripts and gate tests pay for each
text once.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import numpy as np

from digest.language.embedding import Encoder, item_text, load_encoder
from digest.models import NewsItem

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "corpus"
REALNEWS = CORPUS / "realnews"
SEMEVAL = CORPUS / "stories" / "semeval2022-t8" / "training_set.csv"
WINDOWS = ("ru-2024-12-02", "en-2022-06-20", "ru-2024-11-21", "en-2022-06-28")
VECTOR_CACHE = REPO_ROOT / "bench" / "out" / "vectors"
SEMEVAL_TIME = datetime(2020, 1, 1, tzinfo=UTC)  # one time for every article: no hint
OUTLET_KIND = "international"  # the corpus does not say what kind each outlet is


@dataclass(frozen=True, slots=True, kw_only=True)
class RealItem(NewsItem):
    """A labelled real news item (``source`` is the outlet) with its id and labels."""

    id: str
    war: bool = False
    story: str = "-"
    borderline: bool = False


@dataclass(frozen=True, slots=True)
class Pair:
    """A SemEval pair: two article ids, their languages, same story or not."""

    left: str
    right: str
    left_language: str
    right_language: str
    same: bool

    @property
    def cross(self) -> bool:
        return self.left_language != self.right_language


def available() -> bool:
    return REALNEWS.exists() and SEMEVAL.exists()


def available_engine() -> bool:
    """True when the embedding engine loads on this machine."""
    return load_encoder() is not None


# --- realnews ------------------------------------------------------------------------------


def realnews(window: str) -> list[RealItem]:
    """Every item of one window, with its labels."""
    labels = _labels(REALNEWS / "labels" / f"{window}.tsv")
    items = []
    with (REALNEWS / f"{window}.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            raw = json.loads(line)
            war, story, note = labels[raw["id"]]
            items.append(RealItem(
                id=raw["id"], url=raw["url"], title=raw["title"], summary=raw["summary"] or "",
                published=datetime.fromisoformat(raw["published"].replace("Z", "+00:00")),
                source=raw["outlet"], source_kind=OUTLET_KIND, language=raw["language"],
                war=war, story=story, borderline=note.startswith("borderline"),
            ))
    return items


def _labels(path: Path) -> dict[str, tuple[bool, str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: (row["war"] == "1", row["story"], row["note"] or "")
                for row in csv.DictReader(handle, delimiter="\t")}


# --- SemEval -------------------------------------------------------------------------------


def semeval() -> tuple[dict[str, RealItem], list[Pair]]:
    """Articles by id, and the pairs with a clear verdict (first row of each pair id)."""
    csv.field_size_limit(1 << 30)
    articles: dict[str, RealItem] = {}
    pairs: list[Pair] = []
    seen: set[str] = set()
    with SEMEVAL.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["pair_id"] in seen:
                continue
            seen.add(row["pair_id"])
            left, right = row["pair_id"].split("_")
            for article_id, text, language in ((left, row["text1"], row["lang1"]),
                                               (right, row["text2"], row["lang2"])):
                articles.setdefault(article_id, _article(article_id, text, language))
            overall = float(row["Overall"])
            if overall <= 1.5 or overall >= 3.0:
                pairs.append(Pair(left, right, row["lang1"], row["lang2"], overall <= 1.5))
    return articles, pairs


def _article(article_id: str, text: str, language: str) -> RealItem:
    title, summary = split_article(text)
    return RealItem(id=f"se-{article_id}", url=f"https://semeval.example/{article_id}",
                    title=title, summary=summary, published=SEMEVAL_TIME,
                    source=f"outlet-{article_id}", source_kind=OUTLET_KIND,
                    language=language)


_FIRST_SENTENCE = re.compile(r"^(.{25,}?[.!?])\s")


def split_article(text: str) -> tuple[str, str]:
    """(title, summary) of an article text, as its README says a feed would carry it.

    >>> split_article("Big news  The rest of it follows here.")
    ('Big news', 'The rest of it follows here.')
    """
    text = text.strip()
    if "\n" in text:
        title, rest = text.split("\n", 1)
    elif "  " in text:
        title, rest = text.split("  ", 1)
    elif match := _FIRST_SENTENCE.search(text):
        title, rest = match.group(1), text[match.end():]
    else:
        title, rest = text[:200], text[200:]
    title = title.strip()
    if len(title) > 200:
        cut = title[:200].rsplit(" ", 1)[0]
        title, rest = cut, title[len(cut):] + " " + rest
    return title, " ".join(rest.split())[:300]


# --- vectors -------------------------------------------------------------------------------


def with_vectors(items: Sequence[RealItem], encoder: Encoder | None = None) -> list[RealItem]:
    """The items with their ``vector`` set (from the cache, encoding what is missing)."""
    vectors = cached_vectors([item_text(item.title, item.summary) for item in items], encoder)
    return [_replace_vector(item, vector) for item, vector in zip(items, vectors, strict=True)]


def vector_of(item: NewsItem) -> np.ndarray:
    """The item's vector, as :func:`with_vectors` (or a benchmark's own encoding) set it."""
    if not isinstance(item.vector, np.ndarray):
        raise ValueError(f"{item.url} has no vector array: encode the items first")
    return item.vector


def _replace_vector(item: RealItem, vector: np.ndarray) -> RealItem:
    from dataclasses import replace

    return replace(item, vector=vector)


def cached_vectors(texts: Sequence[str], encoder: Encoder | None = None) -> np.ndarray:
    """Vectors of ``texts`` (rows), encoding only those not in the cache."""
    encoder = encoder or load_encoder()
    if encoder is None:
        raise RuntimeError("no embedding engine: cannot compute vectors")
    cache = _cache(encoder.model)
    keys = [hashlib.sha1(text.encode("utf-8")).hexdigest() for text in texts]
    if any(key not in cache for key in keys):
        with _cache_lock(encoder.model):
            # Another process (a parallel test worker) may have encoded them meanwhile.
            cache.update(_load(encoder.model))
            missing = [i for i, key in enumerate(keys) if key not in cache]
            if missing:
                fresh = encoder.encode([texts[i] for i in missing])
                for i, vector in zip(missing, fresh, strict=True):
                    cache[keys[i]] = vector.astype(np.float16)
                _save(encoder.model, cache)
    return np.vstack([cache[key].astype(np.float32) for key in keys]) if keys else np.zeros((0, 0))


@cache
def _cache(model: str) -> dict[str, np.ndarray]:
    return _load(model)


def _load(model: str) -> dict[str, np.ndarray]:
    path = VECTOR_CACHE / f"{model}.npz"
    if not path.exists():
        return {}
    with np.load(path) as stored:
        return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))


@contextmanager
def _cache_lock(model: str) -> Iterator[None]:
    """One process at a time encodes into the cache: test workers run side by side, and
    each would otherwise spend minutes encoding the same texts."""
    VECTOR_CACHE.mkdir(parents=True, exist_ok=True)
    with open(VECTOR_CACHE / f"{model}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _save(model: str, cache: dict[str, np.ndarray]) -> None:
    """Write the cache whole, then move it into place: a reader never sees half a file."""
    keys = sorted(cache)
    partial = VECTOR_CACHE / f"{model}.partial.npz"
    np.savez(partial, keys=np.array(keys), vectors=np.vstack([cache[key] for key in keys]))
    os.replace(partial, VECTOR_CACHE / f"{model}.npz")
