"""PolNeAR (political news attribution corpus, training part) as a quote benchmark.

Scoring rules of ``../shared/corpus/quotes/README.md``: a gold direct quote is an
attribution whose Content holds a quote mark (mixed quotes included); a found quote is right
when it overlaps a gold Content span; its speaker is right when it shares a content word with
the gold Source (a bare pronoun never is); a pronoun Source is replaced by the nearest named
Source before it. Articles are split by a hash of their name: 80 % ``dev`` (read while
tuning), 20 % ``heldout`` (only scored).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

from bench import splits

ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "quotes" / "polnear-train"
_MARKS = frozenset("“”\"«»")
_FUNCTION = frozenset(
    """the a an of and or in on at to for from by with as his her its their our my your he
    she they it him them we i you us me who whom that this these those mr mrs ms dr rep sen
    gov president senator governor former s""".split()
)
_PRONOUNS = frozenset("he she they it him her them we i you us me his its their our my your who".split())
_ANCHOR = re.compile(r'“[^”\n]*”|"[^"\n]*"')

Found = tuple[int, int, str | None]  # start, end, speaker


@dataclass(frozen=True, slots=True)
class GoldQuote:
    spans: tuple[tuple[int, int], ...]
    source: str | None


@dataclass(frozen=True, slots=True)
class Article:
    name: str
    text: str
    quotes: tuple[GoldQuote, ...]

    @property
    def split(self) -> str:
        return splits.split(self.name, every=5)


@dataclass(slots=True)
class Score:
    gold: int = 0
    found: int = 0
    found_right: int = 0
    gold_found: int = 0
    speakers: int = 0
    speakers_right: int = 0

    @property
    def precision(self) -> float:
        return self.found_right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.gold_found / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.speakers if self.speakers else 1.0


def load(root: Path = ROOT) -> list[Article]:
    """Every article with its gold direct quotes (first annotator's file when there are two)."""
    articles = []
    seen: set[str] = set()
    for path in sorted((root / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]+\.ann$", "", path.name)
        if name in seen:
            continue
        seen.add(name)
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        articles.append(Article(name, text, tuple(_gold(text, path))))
    return articles


def _gold(text: str, path: Path) -> list[GoldQuote]:
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"T\d+\t", line):
            tid, info = line.split("\t")[:2]
            offsets = info.split(" ", 1)[1]
            spans[tid] = tuple(tuple(map(int, s.split())) for s in offsets.split(";"))  # type: ignore[misc]
        elif re.match(r"E\d+\t", line):
            parts = line.split("\t")[1].split()[1:]
            events.append(dict(p.split(":", 1) for p in parts if ":" in p))
    relations = []
    for event in events:
        content = spans.get(event.get("Content", ""))
        if not content:
            continue
        source = spans.get(event.get("Source", ""))
        source_text = " ".join(text[a:b] for a, b in source) if source else None
        relations.append((content, source_text, source[0][0] if source else content[0][0]))
    return _resolve(text, sorted(relations, key=lambda r: r[0][0][0]))


def _resolve(text: str, relations: list) -> list[GoldQuote]:
    named = sorted((at, src) for _, src, at in relations if src and not is_pronoun(src))
    quotes = []
    for content, source, at in relations:
        if not any(ch in _MARKS for a, b in content for ch in text[a:b]):
            continue
        if source and is_pronoun(source):
            earlier = [src for position, src in named if position < at]
            source = earlier[-1] if earlier else None
        quotes.append(GoldQuote(content, source))
    return quotes


def _words(phrase: str | None) -> list[str]:
    return [w.lower().replace("’s", "").replace("'s", "").strip(".'’-")
            for w in re.findall(r"[\w’'.-]+", phrase or "")]


def is_pronoun(phrase: str | None) -> bool:
    return all(w in _PRONOUNS or w in _FUNCTION for w in _words(phrase))


def speaker_right(found: str | None, gold: str | None) -> bool:
    if not found or gold is None or is_pronoun(found):
        return False
    return bool((set(_words(found)) - _FUNCTION - {""}) & (set(_words(gold)) - _FUNCTION))


def score(articles: list[Article], finder: Callable[[str], list[Found]]) -> Score:
    total = Score()
    for article in articles:
        found = finder(article.text)
        total.gold += len(article.quotes)
        total.found += len(found)
        hit: set[int] = set()
        for start, end, speaker in found:
            matched = [i for i, g in enumerate(article.quotes) if _overlaps(start, end, g)]
            if not matched:
                continue
            total.found_right += 1
            hit.update(matched)
            gold = article.quotes[matched[0]]
            if gold.source is not None:
                total.speakers += 1
                total.speakers_right += speaker_right(speaker, gold.source)
        total.gold_found += len(hit)
    return total


def _overlaps(start: int, end: int, gold: GoldQuote) -> bool:
    return any(start < b and a < end for a, b in gold.spans)


def anchor(text: str) -> list[Found]:
    """The plain rule a reader might write: every “…” or "…" in a paragraph, its speaker
    the nearest capitalised name before it in the paragraph (none when there is none)."""
    found: list[Found] = []
    for match in _ANCHOR.finditer(text):
        paragraph = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        names = _CAPITALISED.findall(paragraph)
        found.append((match.start(), match.end(), names[-1] if names else None))
    return found


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def interval(
    per_article: list[Score], metric: Callable[[Score], float], draws: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """A 95 % bootstrap interval of ``metric`` when the articles are drawn again with
    replacement: how far a figure on a few dozen articles may sit from the next few dozen."""
    rng = random.Random(seed)
    values = []
    for _ in range(draws):
        total = type(per_article[0])()
        for article in rng.choices(per_article, k=len(per_article)):
            for field in fields(total):
                setattr(total, field.name, getattr(total, field.name) + getattr(article, field.name))
        values.append(metric(total))
    values.sort()
    return values[int(0.025 * draws)], values[int(0.975 * draws) - 1]
