"""Fuzzing the parsers: any input ends as a result or the stage's one named error.

Structured generators build feeds and pages whose every field is hostile (markup, lone
surrogates, controls, bidi marks, huge values), so the fuzzer gets past the first parse and
into the code behind it. The whole link pipeline (extract → gist → render) is fuzzed too.

The default run is quick; ``FUZZ_EXAMPLES=5000`` makes it a long fuzz pass.
"""

from __future__ import annotations

import os
from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import FeedParseError, NoArticleFound
from digest.feeds.parse import ParsedFeed, parse_feed
from digest.models import Article, Quote
from digest.quotes.find import best_quotes, find_quotes
from digest.reader.extract import extract_article
from digest.reader.gist import gist_of
from digest.reader.summarize import key_points, lead, reading_minutes
from digest.render.compose import render_gist
from tests.fakebot import MAX_MESSAGE_UTF16, parse_telegram_html, utf16_len

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=list(HealthCheck))

ANY_CHAR = st.characters(codec=None, categories=None)
WORDS = ["Zelensky", "said", "«", "»", "“", "”", "\"", "'", "—", "-", "Kyiv", ":", ".", "!",
         "?", "сказав", "заявил", "Путин", "\n\n", "\n", " ", "(AP)", "Mr.", "U.S.", "...", "…",
         "\u202e", "\u200b", "\ud800", "\x00", "🇺🇦", "<", "&", "&amp;", "0", "1917"]
# Text that looks like news prose often enough to reach the quote and summary logic.
PROSE = st.lists(st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, max_size=12)),
                 max_size=120).map(" ".join)
FIELD = st.one_of(PROSE, st.text(ANY_CHAR, max_size=30),
                  st.sampled_from(["", "<b>x</b>", "]]>", "<![CDATA[", "&bogus;", "x" * 5000]))


def _feed_item(title: str, link: str, body: str, date: str) -> str:
    return (f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
            f"<description>{escape(body)}</description><pubDate>{escape(date)}</pubDate></item>")


FEED_TEXT = st.builds(
    lambda head, items: f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(head)}'
                        f"</title>{''.join(items)}</channel></rss>",
    FIELD,
    st.lists(st.builds(_feed_item, FIELD, FIELD, FIELD,
                       st.one_of(FIELD, st.sampled_from(["Mon, 06 Jan 2025 07:30:00 +0200",
                                                         "9999-99-99", "yesterday"]))),
             max_size=6),
)


@FUZZ
@given(st.one_of(FEED_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.binary(max_size=3000)))
def test_any_feed_bytes_give_a_feed_or_feed_parse_error(data: bytes) -> None:
    try:
        feed = parse_feed(data, url="https://n.example/rss")
    except FeedParseError:
        return
    # A feed with no entries (or an empty reply) is a quiet outlet: no items, no error.
    assert isinstance(feed, ParsedFeed) and all(item.title or item.url for item in feed.items)


def _page(title: str, meta: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<html><head><title>{escape(title)}</title>"
            f'<meta property="og:site_name" content="{escape(meta)}">'
            f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": '
            f'"{title.replace(chr(34), "")}", "author": {{"name": "{meta[:40]}"}}}}</script>'
            f"</head><body><article><h1>{escape(title)}</h1>{body}</article></body></html>")


PAGE = st.one_of(
    st.builds(_page, FIELD, FIELD, st.lists(PROSE, max_size=8)),
    st.text(ANY_CHAR, max_size=2000),
)


@FUZZ
@given(PAGE)
def test_any_page_gives_an_article_or_no_article_found_and_a_valid_reply(html: str) -> None:
    try:
        article = extract_article(html, "https://n.example/news/1")
    except NoArticleFound:
        return
    assert isinstance(article, Article)
    parsed = parse_telegram_html(render_gist(gist_of(article)))
    assert 1 <= utf16_len(parsed.text) <= MAX_MESSAGE_UTF16


LANGUAGES = st.sampled_from([None, "en", "uk", "ru", "xx", ""])


@FUZZ
@given(PROSE, LANGUAGES)
def test_quote_finding_on_any_text_gives_a_list_of_quotes(text: str, language: str | None) -> None:
    quotes = find_quotes(text, language=language)
    assert isinstance(quotes, list) and all(isinstance(q, Quote) for q in quotes)
    assert len(best_quotes(quotes, limit=3)) <= 3


@FUZZ
@given(PROSE, st.one_of(st.none(), FIELD), LANGUAGES, st.integers(1, 8))
def test_key_points_on_any_text_give_a_list_of_strings(
    text: str, title: str | None, language: str | None, limit: int
) -> None:
    points = key_points(text, title=title, language=language, limit=limit)
    assert isinstance(points, list) and len(points) <= min(limit, 5)
    assert all(isinstance(p, str) for p in points)
    assert isinstance(lead(text, language=language), str)
    assert reading_minutes(text, language=language) >= 0
