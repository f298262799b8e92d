"""``python -m digest preview``: the daily digest in the terminal, from a local feed server.

Two outlets report the same strike, a third carries an unrelated item and a second war
story, a fourth feed is broken; every headline and article here is our own writing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.feeds.sources import Source, SourceKind, dump_opml
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
from tests.feedgen import Entry, rss
from tests.files import ROOT
from tests.pageserver import PageServer, Reply

NOW = datetime.now(UTC).replace(microsecond=0)
ARTICLE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>A Russian missile struck a power substation on the edge of Zaporizhzhia before dawn on Thursday, cutting electricity to about 40,000 households, the regional military administration said.</p>
<p>“Engineers have isolated the damaged transformers and we will bring the first districts back online within hours,” Ivan Fedorov, the head of the regional administration, said in a video statement.</p>
<p>Two workers at the site were injured and taken to hospital, officials added. Air defence units reported that a second missile was shot down over the Dnipro river.</p>
</article></body></html>"""


def _strike(outlet: str, title: str, base: str) -> Entry:
    summary = ("A Russian missile hit a Zaporizhzhia power substation overnight, leaving "
               "about 40,000 homes without electricity, regional officials said.")
    return Entry(f"{outlet}-strike", title, summary, NOW - timedelta(hours=2),
                 f"{base}/{outlet}/zaporizhzhia-substation")


def _feeds(server: PageServer) -> list[Source]:
    """Serve four feeds and two articles; return the sources pointing at them."""
    base = server.url("").rstrip("/")
    feeds = {
        "alpha": [_strike("alpha", "Russian missile strike knocks out Zaporizhzhia substation", base)],
        "beta": [_strike("beta", "Missile hits Zaporizhzhia power substation, 40,000 homes without power", base),
                 Entry("beta-old", "Russian shelling damages school in Kherson", "Shelling hit a school in Kherson.",
                       NOW - timedelta(days=3), f"{base}/beta/kherson-school")],
        "gamma": [Entry("gamma-bake", "Village bakery wins national sourdough prize",
                        "A family bakery took first place at the annual bread festival.",
                        NOW - timedelta(hours=1), f"{base}/gamma/bakery"),
                  Entry("gamma-drones", "Ukraine says it downed 30 Russian drones over Kharkiv region",
                        "Air defence destroyed 30 Shahed drones launched at Kharkiv region overnight, the air force said.",
                        NOW - timedelta(hours=5), f"{base}/gamma/kharkiv-drones")],
    }
    for outlet, entries in feeds.items():
        server.add(f"/{outlet}/rss", Reply(rss(outlet.title(), entries), content_type="application/rss+xml",
                                           etag=f'"{outlet}-1"'))
    for outlet in ("alpha", "beta"):
        title = f"Substation hit in Zaporizhzhia ({outlet})"
        server.add(f"/{outlet}/zaporizhzhia-substation", ARTICLE.format(title=title).encode())
    server.add("/broken/rss", Reply(b"gone", status=410, content_type="text/plain"))
    names = [*feeds, "broken"]
    return [Source(n.title(), f"{base}/{n}/rss", "en", SourceKind.INTERNATIONAL, True) for n in names]


@pytest.fixture
def served() -> Iterator[tuple[PageServer, list[Source]]]:
    with PageServer() as server:
        yield server, _feeds(server)


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


# -- the command line --------------------------------------------------------------------------

def _cli(server: PageServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FETCH_ALLOW_PRIVATE_HOSTS": server.host_port}
    return subprocess.run([sys.executable, "-m", "digest", "preview", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_command_prints_the_digest_and_progress(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, sources = served
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(dump_opml(sources))
    result = _cli(server, "--sources", str(opml), "--since", "24h", "--limit", "7")
    assert result.returncode == 0, result.stderr
    assert "Zaporizhzhia" in result.stdout and "Ivan Fedorov" in result.stdout
    assert "Reported by Alpha, Beta" in result.stdout or "Reported by Beta, Alpha" in result.stdout
    assert "sourdough" not in result.stdout
    assert "fetching 4/4 feeds…" in result.stderr and "feed Broken failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_skips_disabled_outlines_and_refuses_bad_files(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, sources = served
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(dump_opml([s if s.name != "Broken" else Source(
        s.name, s.feed_url, s.language, s.kind, False) for s in sources]))
    result = _cli(server, "--sources", str(opml))
    assert result.returncode == 0 and "fetching 3/3 feeds…" in result.stderr
    (tmp_path / "bad.opml").write_text("<html>not opml</html>")
    result = _cli(server, "--sources", str(tmp_path / "bad.opml"))
    assert result.returncode == 1 and "cannot read sources" in result.stderr
    assert "Traceback" not in result.stderr
