"""The link reply: escaped, linked, ordered, and never over Telegram's limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from digest.models import Article, Gist, Quote
from digest.render.compose import GistStyle, outlet_name, render_gist, render_quote
from digest.render.telegram_html import MAX_MESSAGE, clean_text, safe_href, visible_length


def make_gist(**changes: object) -> Gist:
    article = Article(
        url="https://news.example/putin-talks?utm_source=x",
        canonical_url="https://news.example/putin-talks",
        title="Putin again says he wants talks",
        author="Olena Bylim",
        published=datetime(2026, 11, 24, 20, 5, tzinfo=UTC),
        site_name="RBC-Ukraine",
        language="en",
        text="Body.",
    )
    fields = {
        "article": article,
        "key_points": ["First point.", "Second point.", "Third point."],
        "quotes": [Quote("We want a fair settlement.", "Vladimir Putin")],
        "reading_minutes": 3,
    }
    fields.update(changes)
    return Gist(**fields)  # type: ignore[arg-type]


def test_headline_outlet_date_author_points_quote_and_link() -> None:
    html = render_gist(make_gist(), GistStyle(timezone="Europe/Kyiv"))
    assert html.startswith('<b><a href="https://news.example/putin-talks">Putin again says')
    assert "RBC-Ukraine · 24 Nov 2026, 22:05 · by Olena Bylim" in html
    assert html.index("First point.") < html.index("Second point.") < html.index("Third point.")
    assert "<i>Vladimir Putin:</i> “We want a fair settlement.”" in html
    assert "3 min read" in html


def test_date_is_shown_in_the_chat_timezone() -> None:
    html = render_gist(make_gist(), GistStyle(timezone="America/New_York"))
    assert "24 Nov 2026, 15:05" in html


def test_page_strings_are_escaped() -> None:
    hostile = replace(make_gist().article, title='</a><a href="javascript:alert(1)">x</a> <b>',
                      author="A & B")
    html = render_gist(make_gist(article=hostile, quotes=[Quote("<script>", "<i>Bob</i>")]))
    assert "javascript" not in html.split("href=")[1][:40]
    assert "&lt;/a&gt;&lt;a href=" in html and "A &amp; B" in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;Bob&lt;/i&gt;" in html


def test_huge_content_is_shrunk_under_the_limit() -> None:
    long_points = ["word " * 2000] * 5
    long_quotes = [Quote("said " * 2000, "X " * 100)] * 3
    html = render_gist(make_gist(key_points=long_points, quotes=long_quotes))
    assert visible_length(html) <= MAX_MESSAGE


def test_no_quotes_no_points_still_renders() -> None:
    html = render_gist(make_gist(key_points=[], quotes=[]))
    assert "min read" in html and "💬" not in html


def test_unattributed_quote_has_no_speaker_label() -> None:
    assert render_quote(Quote("Enough.", None)) == "“Enough.”"


def test_outlet_falls_back_to_host() -> None:
    assert outlet_name("", "https://www.bbc.co.uk/news/1") == "bbc.co.uk"


def test_safe_href_only_http() -> None:
    assert safe_href("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", "data:text/html,x", "tg://user?id=1", "//a.example", "http://"):
        assert safe_href(bad) is None


def test_clean_text_drops_bidi_overrides_and_controls() -> None:
    assert clean_text("a\u202eb\u200bc\x00d  e") == "abcd e"


def test_visible_length_counts_utf16_units() -> None:
    assert visible_length("<b>&lt;</b>😀") == 3
