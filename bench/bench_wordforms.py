"""Word forms for key points: does the normaliser put a word's inflections together?

``python -m bench wordforms``. Distinct Ukrainian word forms from the corpus's Ukrainian feeds
and pages, and Russian ones from the ``realnews`` Russian window, are grouped by each
candidate normaliser. Gold groups are pymorphy3's dictionary lemmas (words it does not know
are left out). Scored: pairwise precision, recall and F1 of "these two forms are one word".

Candidates: the hand-written Ukrainian stemmer and Snowball's Russian stemmer the project
used, and simplemma's lemmatiser, which ``digest.reader.summarize`` uses now.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable

import feedparser
import pymorphy3
import simplemma
import snowballstemmer
from bs4 import BeautifulSoup

from tests.shared_corpus import SHARED

CORPUS = SHARED / "corpus"
UK_FEEDS = ("unian__rss-uk.xml", "ukranews__rss-uk-default-namespace.xml")
UK_PAGE_PREFIXES = ("24tv-ua", "pravda-com-ua", "unian", "ukrinform")
# The Ukrainian light stemmer the project had (longest ending first, 3-letter stem kept):
# an anchor, kept here only to be measured against.
_UK_ENDINGS = sorted(
    """ією іям іями іях ього ьому ують ується ами ями ові еві єві ого ому ими іми ій ий
    ої ою ею єю ую юю ом ем єм ів їв ей ам ям ах ях их іх ім им ія ії ію ати яти ити
    іти ють уть ять ать ить ала ило или ало али ила ено ені ена ене ений ає ує ав ив
    ла ли ло а я у ю і ї е є о и ь""".split(), key=len, reverse=True)


def hand_ukrainian_stem(word: str) -> str:
    for particle in ("ся", "сь"):
        if word.endswith(particle) and len(word) - len(particle) >= 4:
            word = word[: -len(particle)]
            break
    for ending in _UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def ukrainian_words() -> list[str]:
    texts = []
    for name in UK_FEEDS:
        parsed = feedparser.parse((CORPUS / "feeds" / name).read_bytes())
        texts += [e.get("title", "") + " " + BeautifulSoup(e.get("summary", ""), "html.parser").get_text()
                  for e in parsed.entries]
    for page in (CORPUS / "articles").glob("*.html"):
        if page.name.startswith(UK_PAGE_PREFIXES):
            texts.append(BeautifulSoup(page.read_bytes(), "lxml").get_text(" "))
    return sorted({w for t in texts for w in re.findall(r"[а-яіїєґ'’]{4,}", t.lower())})


def russian_words() -> list[str]:
    path = CORPUS / "realnews" / "ru-2024-12-02.jsonl"
    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return sorted({w for i in items for w in re.findall(r"[а-яё]{4,}", f"{i['title']} {i['summary']}".lower())})


def _pairs(groups: dict[str, set[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def score(words: list[str], gold: dict[str, str], key: Callable[[str], str]) -> tuple[float, float, float, float]:
    key(words[0])  # load the dictionary outside the timing
    started = time.perf_counter()
    found: dict[str, set[str]] = defaultdict(set)
    for word in words:
        found[key(word)].add(word)
    micros = (time.perf_counter() - started) / len(words) * 1e6
    truth: dict[str, set[str]] = defaultdict(set)
    for word in words:
        truth[gold[word]].add(word)
    system, reference = _pairs(found), _pairs(truth)
    hits = len(system & reference)
    precision, recall = hits / max(1, len(system)), hits / max(1, len(reference))
    return precision, recall, 2 * precision * recall / max(1e-9, precision + recall), micros


def main(argv: list[str]) -> None:
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    print("Each normaliser is scored against the lemmas of two dictionary lemmatisers in turn;")
    print("against its own lemmas a lemmatiser scores 1.000 by construction (shown as —).\n")
    print("| language | normaliser | forms | F1 vs pymorphy3 | F1 vs simplemma | µs/word |")
    print("|---|---|---:|---:|---:|---:|")
    for language, words, anchor_name, anchor in (
        ("uk", ukrainian_words(), "hand-written stemmer (before)", hand_ukrainian_stem),
        ("ru", russian_words(), "Snowball (before)", snowballstemmer.stemmer("russian").stemWord),
    ):
        morph = pymorphy3.MorphAnalyzer(lang=language)
        parses = {w: morph.parse(w)[0] for w in words}
        known = [w for w in words if parses[w].is_known]
        references = {
            "pymorphy3": {w: parses[w].normal_form for w in known},
            "simplemma": {w: simplemma.lemmatize(w, lang=language) for w in known},
        }
        candidates: tuple[tuple[str, Callable[[str], str]], ...] = (
            (anchor_name, anchor),
            ("pymorphy3 (now)", lambda w, m=morph: m.parse(w)[0].normal_form),
            ("simplemma", lambda w, lang=language: simplemma.lemmatize(w, lang=lang)),
        )
        for name, key in candidates:
            cells, micros = [], 0.0
            for ref_name, gold in references.items():
                if name.startswith(ref_name):
                    cells.append("—")
                    continue
                _, _, f1, micros = score(known, gold, key)
                cells.append(f"{f1:.3f}")
            print(f"| {language} | {name} | {len(known)} | {cells[0]} | {cells[1]} | {micros:.1f} |")
