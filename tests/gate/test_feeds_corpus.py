"""digest.feeds.parse on the real feeds of the ../shared corpus (skipped when it is absent):
each parses or fails clearly, finds its dates, and reads its Cyrillic without mojibake."""

from __future__ import annotations

import csv
import gzip
import re

import pytest

from digest.errors import FeedParseError
from digest.feeds.parse import parse_feed
from tests.shared_corpus import CORPUS, require_shared

CORPUS_FEEDS = CORPUS / "feeds"
CYRILLIC = re.compile(r"[а-яіїєґё]", re.IGNORECASE)
MOJIBAKE = re.compile(r"Ð|Ñ|Ã|â€|\ufffd")


def corpus_rows() -> list[dict[str, str]]:
    manifest = CORPUS_FEEDS / "MANIFEST.tsv"
    if not manifest.exists():
        return [{"file": "MANIFEST.tsv"}]  # the test itself skips via require_shared
    with manifest.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_rows(), ids=lambda row: row["file"])
def test_corpus_feed_parses_or_fails_clearly(row: dict[str, str]) -> None:
    path = require_shared(CORPUS_FEEDS / row["file"])
    try:
        feed = parse_feed(path.read_bytes(), url=f"http://127.0.0.1/feeds/{row['file']}")
    except FeedParseError as error:
        assert row["file"].startswith("edge__"), f"real feed failed: {error}"
        assert str(error)
        return
    assert feed.items or row["file"].startswith("edge__"), "a real feed parsed to nothing"
    assert all(item.title for item in feed.items)
    assert all(item.published is None or item.published.tzinfo is not None for item in feed.items)
    if row["language"] in {"ru", "uk"}:
        titles = " ".join(item.title for item in feed.items)
        assert CYRILLIC.search(titles) and not MOJIBAKE.search(titles), titles[:200]


@pytest.mark.corpus
@pytest.mark.parametrize("row", corpus_rows(), ids=lambda row: row["file"])
def test_corpus_feed_dates_are_found_where_the_feed_has_them(row: dict[str, str]) -> None:
    path = require_shared(CORPUS_FEEDS / row["file"])
    data = path.read_bytes()
    data = gzip.decompress(data) if path.suffix == ".gz" else data
    if row["file"].startswith("edge__") or b"<pubdate>" not in data.lower():
        pytest.skip("no RSS <pubDate> in this file")
    feed = parse_feed(data, url="http://127.0.0.1/feeds/x")
    assert all(item.published is not None for item in feed.items)


@pytest.mark.corpus
def test_corpus_gzip_feed_equals_the_plain_one() -> None:
    plain = require_shared(CORPUS_FEEDS / "oren-ru__rss-windows1251-userland-ns.xml")
    packed = require_shared(CORPUS_FEEDS / "oren-ru__rss-windows1251.xml.gz")
    assert parse_feed(packed.read_bytes(), url="u") == parse_feed(plain.read_bytes(), url="u")
