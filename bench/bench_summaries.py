"""ROUGE of :func:`digest.reader.summarize.key_points` against Lead-3 and TextRank on cnndm-mini.

``python -m bench summaries`` reads ``../shared/corpus/summaries/cnndm-mini`` (100 CNN/DM
test articles, lower-cased and tokenised, with reference highlights), has each system pick
3 sentences, and prints ROUGE-1/2/Lsum F1 (``rouge_score``, Porter stemming; Lsum over
newline-separated sentences) and articles per second, for each of two halves. The
articles are split by a hash of their id (:mod:`bench.splits`, one in two ``heldout``):
``dev`` may be read while the rules are tuned, ``heldout`` is only scored, and its figures
are the ones the gate pins. All systems share the same sentence splitter, so the comparison
is about choosing sentences, not splitting them.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rouge_score import rouge_scorer

from bench import splits
from digest.language.sentences import split_sentences
from digest.reader.summarize import key_points

DATASET = (
    Path(__file__).resolve().parents[2]
    / "shared/corpus/summaries/cnndm-mini/cnndm_mini-dataset.tsv"
)
METRICS = ("rouge1", "rouge2", "rougeLsum")
POINTS = 3
HELD_OUT_EVERY = 2  # one article in two is held out (57 of the 100)
Summarizer = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Example:
    """One article (punctuation re-attached), its reference highlights, and its id: the
    first 12 hex digits of the SHA-1 of the article as the file stores it."""

    name: str
    article: str
    highlights: list[str]

    @property
    def split(self) -> str:
        return splits.split(self.name, every=HELD_OUT_EVERY)


@dataclass(frozen=True, slots=True)
class Result:
    """Mean F1 (in %) per metric, and throughput."""

    name: str
    scores: dict[str, float]
    articles_per_second: float


def load_examples(path: Path = DATASET) -> list[Example]:
    """Read ``article<TAB>reference`` lines; highlights are separated by 2+ spaces."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        article, reference = line.split("\t")
        highlights = [h.strip() for h in re.split(r"\s{2,}", reference) if h.strip()]
        name = hashlib.sha1(article.encode()).hexdigest()[:12]
        examples.append(Example(name, detokenize(article), highlights))
    return examples


def detokenize(text: str) -> str:
    """Re-attach punctuation the CNN/DM tokeniser split off, so sentence stops look normal.

    Only punctuation moves, which ROUGE ignores; words (``does n't``) are left as they are.

    >>> detokenize("he said `` we are ready . '' then he left .")
    'he said "we are ready." then he left.'
    """
    text = re.sub(r"``\s*", '"', text)
    text = re.sub(r"\s*''", '"', text)
    return re.sub(r"\s+([.!?,;:])", r"\1", text)


def lead3(article: str) -> list[str]:
    """The first three sentences."""
    return split_sentences(article)[:POINTS]


def textrank(article: str) -> list[str]:
    """Plain TextRank (Mihalcea & Tarau, 2004): PageRank over word-overlap similarity."""
    sentences = split_sentences(article)
    words = [set(re.findall(r"\w+", s.lower())) for s in sentences]
    weights = [[_overlap(a, b) if a is not b else 0.0 for b in words] for a in words]
    ranks = _pagerank(weights)
    best = sorted(range(len(sentences)), key=lambda i: -ranks[i])[:POINTS]
    return [sentences[i] for i in sorted(best)]


def _overlap(left: set[str], right: set[str]) -> float:
    denominator = math.log(len(left) + 1) + math.log(len(right) + 1)
    return len(left & right) / denominator if denominator else 0.0


def _pagerank(weights: Sequence[Sequence[float]], damping: float = 0.85) -> list[float]:
    size = len(weights)
    out_sums = [sum(row) or 1.0 for row in weights]
    ranks = [1.0 / size] * size if size else []
    for _ in range(50):
        ranks = [
            (1 - damping) / size
            + damping * sum(weights[j][i] * ranks[j] / out_sums[j] for j in range(size))
            for i in range(size)
        ]
    return ranks


def ours(article: str) -> list[str]:
    """:func:`digest.reader.summarize.key_points` with 3 points."""
    return key_points(article, language="en", limit=POINTS)


SYSTEMS: dict[str, Summarizer] = {"key_points": ours, "Lead-3": lead3, "TextRank": textrank}


def evaluate(name: str, system: Summarizer, examples: Sequence[Example]) -> Result:
    """Mean ROUGE F1 of ``system`` over ``examples``; speed counts summarising only."""
    started = time.perf_counter()
    outputs = [system(example.article) for example in examples]
    elapsed = time.perf_counter() - started
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    totals = dict.fromkeys(METRICS, 0.0)
    for output, example in zip(outputs, examples, strict=True):
        scores = scorer.score("\n".join(example.highlights), "\n".join(output))
        for metric in METRICS:
            totals[metric] += scores[metric].fmeasure
    means = {metric: 100 * total / len(examples) for metric, total in totals.items()}
    return Result(name, means, len(examples) / elapsed if elapsed else math.inf)


def held_out(examples: Sequence[Example]) -> list[Example]:
    """The articles no rule may be tuned on (the ones the gate scores)."""
    return [example for example in examples if example.split == "heldout"]


def main(argv: list[str]) -> None:
    """Print one row per split and system: ROUGE-1/2/Lsum F1 and articles per second."""
    del argv
    if not DATASET.exists():
        print(f"skipped: {DATASET} is absent")
        return
    examples = load_examples()
    parts = {"dev": [e for e in examples if e.split == "dev"], "heldout": held_out(examples)}
    sizes = ", ".join(f"{len(part)} {name}" for name, part in parts.items())
    print(f"{len(examples)} articles ({sizes}), {POINTS} sentences per system\n")
    print(f"| {'split':<7} | {'system':<10} | {'R-1':>6} | {'R-2':>6} | {'R-Lsum':>6} "
          f"| {'articles/s':>10} |")
    print(f"|{'-' * 9}|{'-' * 12}|{'-' * 8}|{'-' * 8}|{'-' * 8}|{'-' * 12}|")
    for split, part in parts.items():
        for name, system in SYSTEMS.items():
            result = evaluate(name, system, part)
            r1, r2, rl = (result.scores[metric] for metric in METRICS)
            print(
                f"| {split:<7} | {name:<10} | {r1:6.2f} | {r2:6.2f} | {rl:6.2f} | "
                f"{result.articles_per_second:10.1f} |"
            )
