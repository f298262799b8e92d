"""SlavicNER ``slavic-dev`` (real Russian and Ukrainian news, every direct quote labelled) as
a quote benchmark.

Scoring rules of ``../shared/corpus/quotes/README.md``: a found quote is right when it
overlaps a gold quote's span; its speaker is right when it shares a name word with the gold
speaker, a word in another grammatical case counting as the same word (pymorphy3 normal
forms). Articles are split by a hash of their name, one in three ``heldout`` (only scored,
never read while the rules were written) and the rest ``dev``.

Two reader-facing figures sit beside detection and speakers:

* *dictionary form*: of the speakers that are right, the share whose words agree letter for
  letter with the gold speaker's (so "Пескова" for "Дмитрий Песков" is right but not in
  dictionary form);
* *shown*: what :func:`digest.quotes.best_quotes` would put in a reply, and how many of
  those speakers are right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pymorphy3

from bench import polnear, splits
from bench.polnear import Found

ROOT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "quotes" / "slavic-dev"
LANGUAGES = ("ru", "uk")
# Pronouns, prepositions, conjunctions and particles share no "name word" with anyone.
_FUNCTION_POS = frozenset({"NPRO", "PREP", "CONJ", "PRCL", "INTJ"})
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_ANCHOR = re.compile(r"«[^»\n]*»|„[^“”\n]*[“”]|“[^”\n]*”|\"[^\"\n]*\"")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    span: tuple[int, int]
    speaker: str | None


@dataclass(frozen=True, slots=True)
class Article:
    name: str
    language: str
    text: str
    quotes: tuple[GoldQuote, ...]

    @property
    def split(self) -> str:
        return splits.split(self.name, every=3)


@dataclass(slots=True)
class Score(polnear.Score):
    """PolNeAR's counts plus the reader-facing ones."""

    dictionary_form: int = 0
    named: int = 0  # matched quotes given some speaker (None is "no speaker")
    named_right: int = 0
    shown: int = 0
    shown_named: int = 0
    shown_right: int = 0

    @property
    def dictionary_rate(self) -> float:
        return self.dictionary_form / self.speakers_right if self.speakers_right else 1.0

    @property
    def named_precision(self) -> float:
        """Of the speakers given (None left aside), the share that is right."""
        return self.named_right / self.named if self.named else 1.0

    @property
    def shown_precision(self) -> float:
        """Of the quotes a reply shows with a speaker, the share whose speaker is right."""
        return self.shown_right / self.shown_named if self.shown_named else 1.0


def load(root: Path = ROOT) -> list[Article]:
    """Every labelled article of both languages (gold spans found in reading order)."""
    articles = []
    for language in LANGUAGES:
        labels = root / f"{language}.jsonl"
        for line in labels.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            text = (root / language / record["doc"]).read_text(encoding="utf-8")
            quotes = tuple(_gold(text, record["quotes"]))
            articles.append(Article(record["doc"], language, text, quotes))
    return articles


def _gold(text: str, labels: list[dict[str, str | None]]) -> Iterable[GoldQuote]:
    cursor = 0
    for label in labels:
        quoted = label["text"] or ""
        at = text.find(quoted, cursor)
        if at < 0:
            at = text.find(quoted)
        cursor = at + 1
        yield GoldQuote((at, at + len(quoted)), label["speaker"])


@cache
def _morph(language: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang=language)


@cache
def _lemmas(word: str, language: str) -> frozenset[str]:
    """Every normal form pymorphy3 offers for ``word`` (empty for a function word)."""
    parses = _morph(language).parse(word)
    if parses and parses[0].tag.POS in _FUNCTION_POS:
        return frozenset()
    return frozenset({word.lower(), *(p.normal_form for p in parses)})


def _name_words(phrase: str | None, language: str) -> dict[str, frozenset[str]]:
    return {w.lower(): _lemmas(w, language) for w in _WORD.findall(phrase or "") if len(w) > 1}


def speaker_right(found: str | None, gold: str | None, language: str) -> bool:
    """Shares a name word with the gold speaker, in any grammatical case."""
    wanted = _name_words(gold, language)
    return any(
        lemmas & other for lemmas in _name_words(found, language).values()
        for other in wanted.values()
    )


def in_dictionary_form(found: str, gold: str, language: str) -> bool:
    """Each word of ``found`` that stands for a gold word is spelled as the gold word is."""
    wanted = _name_words(gold, language)
    for word, lemmas in _name_words(found, language).items():
        same = [w for w, other in wanted.items() if lemmas & other]
        if same and word not in same:
            return False
    return True


Finder = Callable[[str, str], list[Found]]
Shower = Callable[[str, str], list[Found]]


def score(articles: list[Article], finder: Finder, shower: Shower | None = None) -> Score:
    total = Score()
    for article in articles:
        found = finder(article.text, article.language)
        total.gold += len(article.quotes)
        total.found += len(found)
        hit: set[int] = set()
        for start, end, speaker in found:
            matched = [i for i, g in enumerate(article.quotes) if _overlaps(start, end, g)]
            if not matched:
                continue
            total.found_right += 1
            hit.update(matched)
            gold = article.quotes[matched[0]].speaker
            if gold is not None:
                total.speakers += 1
                right = speaker_right(speaker, gold, article.language)
                total.speakers_right += right
                total.named += speaker is not None
                total.named_right += right
                total.dictionary_form += right and in_dictionary_form(
                    speaker or "", gold, article.language
                )
        total.gold_found += len(hit)
        if shower is not None:
            _score_shown(total, article, shower(article.text, article.language))
    return total


def _score_shown(total: Score, article: Article, shown: list[Found]) -> None:
    for start, end, speaker in shown:
        total.shown += 1
        if speaker is None:
            continue
        total.shown_named += 1
        golds = [g.speaker for g in article.quotes if _overlaps(start, end, g)]
        total.shown_right += bool(golds) and speaker_right(speaker, golds[0], article.language)


def misses(articles: list[Article], finder: Finder) -> list[str]:
    """One line per extra quote, missed quote and wrong speaker, for reading errors."""
    lines = []
    for article in articles:
        found = finder(article.text, article.language)
        for start, end, speaker in found:
            golds = [g for g in article.quotes if _overlaps(start, end, g)]
            snippet = article.text[start:end][:60].replace("\n", " ")
            if not golds:
                lines.append(f"{article.name}: extra «{snippet}» ({speaker})")
            elif not speaker_right(speaker, golds[0].speaker, article.language) and golds[0].speaker:
                lines.append(f"{article.name}: «{snippet}» by {golds[0].speaker}, got {speaker}")
        for gold in article.quotes:
            if not any(_overlaps(s, e, gold) for s, e, _ in found):
                snippet = article.text[gold.span[0] : gold.span[1]][:60].replace("\n", " ")
                lines.append(f"{article.name}: missed «{snippet}» ({gold.speaker})")
    return lines


def _overlaps(start: int, end: int, gold: GoldQuote) -> bool:
    a, b = gold.span
    return start < b and a < end


def anchor(text: str, language: str) -> list[Found]:
    """The plain quote-mark rule: every «…», „…“, “…” or "…" within a paragraph, and as its
    speaker the last capitalised word in the 100 characters before it."""
    found: list[Found] = []
    for match in _ANCHOR.finditer(text):
        before = [w for w in _WORD.findall(text[max(0, match.start() - 100) : match.start()])
                  if w[:1].isupper()]
        found.append((match.start() + 1, match.end() - 1, before[-1] if before else None))
    return found
