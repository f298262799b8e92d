"""Rendering under hostile input: any text in any field gives a message Telegram accepts.

Every field of a gist or a digest story is drawn from arbitrary Unicode (lone surrogates,
controls, bidi overrides included) mixed with markup-shaped attacks. Each output must parse
as Telegram HTML, fit 4096 UTF-16 units, and carry only http(s) links.

The default run is quick; ``FUZZ_EXAMPLES=5000`` makes it a long fuzz pass.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.models import Article, Gist, Quote
from digest.render.compose import DigestPage, GistStyle, StoryView, render_digest, render_gist
from tests.fakebot import MAX_MESSAGE_UTF16, parse_telegram_html, utf16_len

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ATTACKS = [
    "<b>", "</b>", "</a><a href=\"javascript:alert(1)\">", "<a href='tg://x'>", "&amp;",
    "&lt;b&gt;", "&#60;", "&", "<", ">", "\"", "'", "\u202e", "\u2066", "\u200b", "\u200d",
    "\ufeff", "\x00", "\x1b[31m", "\ud800", "🇺🇦", "👨‍👩‍👧", "ال", "ℌ", "\n\n", "\r", "<pre>",
    "<code>", "<tg-spoiler>", "<!--", "]]>", "x" * 10_000, "😀" * 3000,
]
# Any code point, lone surrogates and controls included.
ANY_CHAR = st.characters(codec=None, categories=None)
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(ATTACKS), st.text(ANY_CHAR, max_size=40)),
                        max_size=6).map("".join)
HOSTILE_URL = st.one_of(
    st.sampled_from([
        "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:x", "data:text/html,<b>",
        "tg://resolve?domain=x", "file:///etc/passwd", "http://", "https:///x", "http://[::1",
        "https://ok.example/a?b=1&c=<2>\"'", "https://ok.example/" + "a" * 5000,
        "http://ex\u202eample.com/", "https://xn--80ak6aa92e.example/", "//no-scheme.example/",
    ]),
    st.text(ANY_CHAR, max_size=60),
    st.text(ANY_CHAR, max_size=60).map(lambda tail: f"https://n.example/{tail}"),
)
MAYBE_TEXT = st.one_of(st.none(), HOSTILE_TEXT)
MOMENT = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)),
                                            timezone(timedelta(hours=-12))])),
)
QUOTE = st.builds(Quote, text=HOSTILE_TEXT, speaker=MAYBE_TEXT)
ARTICLE = st.builds(
    Article, url=HOSTILE_URL, canonical_url=HOSTILE_URL, title=HOSTILE_TEXT, author=MAYBE_TEXT,
    published=MOMENT, site_name=MAYBE_TEXT, language=MAYBE_TEXT, text=HOSTILE_TEXT,
)
GIST = st.builds(Gist, article=ARTICLE, key_points=st.lists(HOSTILE_TEXT, max_size=6),
                 quotes=st.lists(QUOTE, max_size=4), reading_minutes=st.integers(0, 10**6))
STORY = st.builds(
    StoryView, headline=HOSTILE_TEXT, url=HOSTILE_URL, lead=HOSTILE_TEXT,
    quote=st.one_of(st.none(), QUOTE),
    outlets=st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_URL), max_size=5).map(tuple),
    debug=HOSTILE_TEXT,
)
ZONES = st.sampled_from(["Europe/Kyiv", "UTC", "Pacific/Kiritimati", "America/St_Johns"])


def assert_telegram_accepts(markup: str) -> None:
    """Valid Telegram HTML, 1..4096 visible UTF-16 units, and links only to http(s)."""
    parsed = parse_telegram_html(markup)
    assert 1 <= utf16_len(parsed.text) <= MAX_MESSAGE_UTF16
    for entity in parsed.entities:
        if entity["type"] == "text_link":
            assert entity["url"].lower().startswith(("http://", "https://")), entity["url"]
    # Nothing the parser would have to guess: the text itself is sendable as UTF-8.
    markup.encode("utf-8")


@FUZZ
@given(GIST, ZONES)
def test_any_gist_renders_as_a_valid_message(gist: Gist, zone: str) -> None:
    assert_telegram_accepts(render_gist(gist, GistStyle(timezone=zone)))


@FUZZ
@given(st.lists(STORY, max_size=12), st.text(ANY_CHAR, max_size=40), st.booleans())
def test_any_digest_renders_as_valid_messages(stories: list[StoryView], day: str, debug: bool) -> None:
    parts = render_digest(stories, day, DigestPage(show_debug=debug))
    carried = [index for part in parts for index in part.stories]
    assert carried == list(range(len(stories))), "every story exactly once, in order"
    for part in parts:
        assert_telegram_accepts(part.text)


def test_known_attacks_are_neutralised() -> None:
    article = Article(
        url="https://n.example/a", canonical_url="javascript:alert(1)",
        title='Big</a><a href="javascript:alert(1)">win <b>&amp; \u202eevil\u200b',
        author="<i>x</i>", published=None, site_name="&lt;Site&gt;", language="en", text="t",
    )
    markup = render_gist(Gist(article, ["• <b>point</b>"], [Quote("“x”</i>", "<b>Bob")], 1))
    parsed = parse_telegram_html(markup)
    # The page's javascript: canonical URL links nothing; every tag of the page is text.
    assert [e["type"] for e in parsed.entities] == ["bold", "italic"]
    assert '</a><a href="javascript:alert(1)">win <b>&amp; evil' in parsed.text
    assert "\u202e" not in parsed.text and "\u200b" not in parsed.text


def test_ten_thousand_character_title_is_shortened_to_fit() -> None:
    article = Article(url="https://n.example/a", canonical_url="", title="Ж" * 10_000,
                      author=None, published=None, site_name=None, language="uk", text="t")
    markup = render_gist(Gist(article, ["😀" * 5000] * 5, [Quote("q" * 9000, "S" * 9000)] * 3, 2))
    assert_telegram_accepts(markup)
