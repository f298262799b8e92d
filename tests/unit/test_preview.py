"""``python -m digest preview``: the daily digest in the terminal, from a local feed server.

Two outlets report the same strike, a third carries an unrelated item and a second war
story, a fourth feed is broken; every headline and article here is our own writing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from digest.feeds.sources import Source
from digest.models import NewsItem, Quote
from digest.preview import (
    AllFeedsFailed,
    PreviewOptions,
    parse_since,
    preview,
    recent_unique,
    render_story_text,
)
from digest.reader.fetch import FetchOptions, HttpClient
from digest.render.compose import StoryView
from tests import preview_feeds
from tests.pageserver import PageServer
from tests.preview_feeds import NOW

served = preview_feeds.served  # the fixture, for this module's tests


async def _preview(server: PageServer, sources: list[Source], **options: object) -> tuple[str, list[str]]:
    lines: list[str] = []
    fetch = FetchOptions(allow_private_hosts=frozenset({server.host_port}))
    async with HttpClient(trust_env=False) as client:
        text = await preview(client, sources, PreviewOptions(fetch=fetch, **options),  # type: ignore[arg-type]
                             now=NOW, progress=lines.append)
    return text, lines


# -- pure parts ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [("6h", timedelta(hours=6)), ("24H", timedelta(hours=24)),
                                                ("2d", timedelta(days=2)), (" 30m ", timedelta(minutes=30))])
def test_since_accepts_number_and_unit(text: str, expected: timedelta) -> None:
    assert parse_since(text) == expected


@pytest.mark.parametrize("text", ["", "24", "h", "0h", "-2d", "3w", "two days"])
def test_since_refuses_other_text(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_since(text)


def _item(url: str, hours_ago: float, source: str = "A") -> NewsItem:
    return NewsItem(url, "Title", "", NOW - timedelta(hours=hours_ago), source, "international", "en")


def test_recent_unique_drops_old_items_and_repeats_of_one_url() -> None:
    items = [_item("https://a.example/1?utm_source=rss", 1, "A"), _item("https://a.example/1", 2, "B"),
             _item("https://a.example/2", 30), _item("not a url", 1)]
    kept = recent_unique(items, since=NOW - timedelta(hours=24))
    assert [(i.url, i.source) for i in kept] == [("https://a.example/1?utm_source=rss", "A")]


def test_story_text_has_no_markup_and_counts_unnamed_outlets() -> None:
    outlets = (("A & B <News>", "https://a.example/1"), ("C", "https://c.example/2"),
               ("D", "https://d.example/3"), ("E", "https://e.example/4"))
    view = StoryView("Strike <b>hits</b> Odesa", "https://a.example/1", "Lead\x1b[31m text.",
                     Quote("We will rebuild", "Oleh Kiper"), outlets)
    text = render_story_text(3, view)
    assert text.splitlines() == [
        "3. Strike <b>hits</b> Odesa",  # a feed title is shown as written, never interpreted
        "Lead[31m text.",  # but the escape character cannot reach the terminal
        "💬 Oleh Kiper: “We will rebuild”",
        "Reported by A & B <News>, C +2",
        "  https://a.example/1",
        "  https://c.example/2",
    ]


# -- in process, against the local feed server -----------------------------------------------

async def test_preview_groups_two_outlets_and_leaves_out_other_news(served) -> None:  # type: ignore[no-untyped-def]
    text, _ = await _preview(*served)
    assert text.startswith("War digest — ")
    assert text.count("Reported by") == 2
    assert "Reported by Alpha, Beta\n" in text or "Reported by Beta, Alpha\n" in text
    assert "sourdough" not in text and "bakery" not in text, "non-war news stays out"
    assert "Kherson" not in text, "older than the 24 h window"
    assert "<" not in text and "&amp;" not in text


async def test_preview_reads_the_article_for_lead_and_quote(served) -> None:  # type: ignore[no-untyped-def]
    server, sources = served
    text, _ = await _preview(server, sources)
    first = text.split("\n\n")[1]
    assert first.startswith("1. ") and "Zaporizhzhia" in first, "two outlets outrank one"
    assert "\nA Russian missile struck a power substation" in first, "the lead is the article's"
    assert "💬 Ivan Fedorov: “Engineers have isolated" in first
    assert f"  {server.url('/alpha/zaporizhzhia-substation')}" in first
    assert server.hits("/alpha/zaporizhzhia-substation") == 1


async def test_progress_counts_feeds_and_reports_each_failure_once(served) -> None:  # type: ignore[no-untyped-def]
    _, lines = await _preview(*served)
    assert "fetching 4/4 feeds…" in lines
    failures = [line for line in lines if line.startswith("feed ")]
    assert failures == ["feed Broken failed: HTTPStatusError: HTTP 410"]


async def test_limit_and_window_narrow_the_digest(served) -> None:  # type: ignore[no-untyped-def]
    text, _ = await _preview(*served, limit=1)
    assert text.count("Reported by") == 1 and "Kharkiv" not in text
    text, _ = await _preview(*served, since=timedelta(hours=4))
    assert "Kharkiv" not in text and "Zaporizhzhia" in text
    text, _ = await _preview(*served, since=timedelta(days=4))
    assert "Kherson" in text


async def test_debug_shows_each_score(served) -> None:  # type: ignore[no-untyped-def]
    text, _ = await _preview(*served, debug=True)
    assert text.count("  [score] outlets ") == 2


async def test_private_hosts_stay_blocked_unless_allowed(served) -> None:  # type: ignore[no-untyped-def]
    server, sources = served
    lines: list[str] = []
    async with HttpClient(trust_env=False) as client:
        with pytest.raises(AllFeedsFailed, match="4 of 4 feeds failed"):
            await preview(client, sources, PreviewOptions(), now=NOW, progress=lines.append)
    assert sum(line.startswith("feed ") and " failed: " in line for line in lines) == 4
    assert server.hits("/alpha/rss") == 0, "refused before any request was sent"
