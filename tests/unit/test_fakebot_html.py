"""Unit tests of the Telegram HTML checker (tests/fakebot/html_check.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakebot.html_check import TelegramHtmlError, parse_telegram_html, utf16_len


def spans(source: str) -> list[tuple[str, int, int]]:
    return [(e["type"], e["offset"], e["length"]) for e in parse_telegram_html(source).entities]


def error_of(source: str) -> str:
    with pytest.raises(TelegramHtmlError) as caught:
        parse_telegram_html(source)
    return caught.value.detail


def test_plain_text_has_no_entities() -> None:
    assert parse_telegram_html("Front line quiet overnight").entities == ()


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
    ],
)
def test_each_simple_tag_maps_to_its_entity(tag: str, kind: str) -> None:
    assert spans(f"x <{tag}>word</{tag}>") == [(kind, 2, 4)]


def test_tag_names_are_case_insensitive() -> None:
    assert spans("<B>loud</B>") == [("bold", 0, 4)]


def test_span_spoiler_needs_its_class() -> None:
    assert spans('<span class="tg-spoiler">hidden</span>') == [("spoiler", 0, 6)]
    assert "tg-spoiler" in error_of("<span>hidden</span>")


def test_link_keeps_its_url_with_entities_decoded() -> None:
    parsed = parse_telegram_html('<a href="https://example.org/?a=1&amp;b=2">source</a>')
    assert parsed.entities[0]["url"] == "https://example.org/?a=1&b=2"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "ftp://example.org", "", "example.org"])
def test_link_rejects_non_http_schemes(href: str) -> None:
    assert "Unsupported URL" in error_of(f'<a href="{href}">x</a>')


def test_tg_scheme_links_are_allowed() -> None:
    assert spans('<a href="tg://user?id=42">Olena</a>') == [("text_link", 0, 5)]


def test_custom_emoji_needs_numeric_id() -> None:
    entity = parse_telegram_html('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>').entities[
        0
    ]
    assert entity["custom_emoji_id"] == "5368324170671202286"
    assert "emoji-id" in error_of("<tg-emoji>👍</tg-emoji>")


def test_expandable_blockquote() -> None:
    assert spans("<blockquote expandable>long quote</blockquote>") == [
        ("expandable_blockquote", 0, 10)
    ]


def test_pre_with_code_language() -> None:
    parsed = parse_telegram_html('<pre><code class="language-python">x = 1</code></pre>')
    assert parsed.entities == ({"type": "pre", "offset": 0, "length": 5, "language": "python"},)


def test_named_and_numeric_entities_decode() -> None:
    assert (
        parse_telegram_html("&lt;b&gt; &amp; &quot;q&quot; &#8212; &#x1F1FA;").text
        == '<b> & "q" — 🇺'
    )


@pytest.mark.parametrize("source", ["&nbsp;", "&mdash;", "&apos;"])
def test_other_named_entities_are_rejected(source: str) -> None:
    assert "Unsupported HTML entity" in error_of(source)


@pytest.mark.parametrize("source", ["a < b", "a > b", "R&D", "<", "x <b"])
def test_unescaped_specials_are_rejected(source: str) -> None:
    assert "Unescaped" in error_of(source)


@pytest.mark.parametrize("tag", ["br", "p", "div", "h1", "img", "script", "font"])
def test_unsupported_tags_are_rejected(tag: str) -> None:
    assert f'Unsupported start tag "{tag}"' in error_of(f"<{tag}>x</{tag}>")


def test_self_closing_tag_is_rejected() -> None:
    assert "Unsupported start tag" in error_of("line<br/>next")


def test_unclosed_tag_is_reported() -> None:
    assert error_of("<b>never closed") == 'Can\'t find end tag corresponding to start tag "b"'


def test_crossed_tags_are_reported_with_byte_offset() -> None:
    assert error_of("<b><i>x</b></i>") == (
        'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'
    )


def test_stray_end_tag_is_reported() -> None:
    assert "Unexpected end tag" in error_of("text</b>")


def test_byte_offsets_count_utf8_bytes() -> None:
    assert error_of("Київ <br>") == 'Unsupported start tag "br" at byte offset 9'


def test_formatting_may_nest_in_links() -> None:
    assert spans('<a href="https://a.example"><b>x</b></a>') == [
        ("text_link", 0, 1),
        ("bold", 0, 1),
    ]


def test_links_may_sit_in_blockquotes() -> None:
    assert spans('<blockquote><a href="https://a.example">x</a></blockquote>') == [
        ("blockquote", 0, 1),
        ("text_link", 0, 1),
    ]


@pytest.mark.parametrize(
    "source",
    [
        "<code><b>x</b></code>",
        "<pre><i>x</i></pre>",
        "<blockquote><blockquote>x</blockquote></blockquote>",
        '<a href="https://a.example"><a href="https://b.example">x</a></a>',
    ],
)
def test_forbidden_nesting_is_rejected(source: str) -> None:
    assert "can't be nested" in error_of(source)


def test_empty_entities_are_dropped() -> None:
    assert parse_telegram_html("<b></b>x").entities == ()


def test_offsets_count_utf16_code_units() -> None:
    assert spans("🇺🇦 <b>Kyiv</b>") == [("bold", 5, 4)]


def test_utf16_len_counts_surrogate_pairs_twice() -> None:
    assert (utf16_len("a"), utf16_len("ї"), utf16_len("😀")) == (1, 1, 2)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_escaped_text_always_parses_back_to_itself(text: str) -> None:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert parse_telegram_html(f"<b>{escaped}</b>").text == text
