"""Article extraction on hand-written pages (tests/fixtures/pages/) and hostile input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.errors import NoArticleFound
from digest.models import Article
from digest.reader.extract import _extract_fields, extract_article, parse_page
from digest.reader.metadata import clean_byline, parse_datetime, read_metadata
from tests import files

PAGES = files.FIXTURES / "pages"
URL = "https://daily.example/news/2024/03/kharkiv-power?utm=x"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def graph_article() -> Article:
    return extract_article(page("jsonld_graph.html"), URL)


def test_json_ld_graph_gives_headline_authors_and_site(graph_article: Article) -> None:
    assert graph_article.title == "Repair crews restore power in Kharkiv district"
    assert graph_article.author == "Jane Doe, John Roe"
    assert graph_article.site_name == "Example Daily"
    assert graph_article.description.startswith("Engineers worked through the night")


def test_json_ld_published_keeps_its_time_zone(graph_article: Article) -> None:
    assert graph_article.published == datetime(
        2024, 3, 12, 14, 5, tzinfo=timezone(timedelta(hours=2))
    )
    assert graph_article.published.utcoffset() == timedelta(hours=2)


def test_relative_canonical_is_made_absolute(graph_article: Article) -> None:
    assert graph_article.canonical_url == "https://daily.example/news/2024/03/kharkiv-power"
    assert graph_article.url == URL


def test_language_from_json_ld_is_normalised(graph_article: Article) -> None:
    assert graph_article.language == "en"


def test_body_keeps_paragraphs_in_order(graph_article: Article) -> None:
    paragraphs = graph_article.text.split("\n\n")
    assert paragraphs[0].startswith("Repair crews restored electricity")
    assert paragraphs[-1].startswith("Schools in the district will reopen")


def test_body_drops_caption_promo_related_links_nav_and_headline(graph_article: Article) -> None:
    text = graph_article.text
    for boilerplate in (
        "Photo: Example Daily",
        "Subscribe to our Telegram channel",
        "Winter heating plan",
        "Sport",
        "Copyright",
        "Repair crews restore power in Kharkiv district",
    ):
        assert boilerplate not in text


def test_blockquote_paragraph_is_wrapped_in_typographic_quotes(graph_article: Article) -> None:
    assert "\n\n“We have brought back light to forty thousand families" in graph_article.text
    assert "by Thursday.”\n\n" in graph_article.text


def test_quotes_come_from_the_quote_finder(graph_article: Article) -> None:
    assert any("forty thousand families" in quote.text for quote in graph_article.quotes)


def test_open_graph_only_page() -> None:
    article = _extract_fields(page("og_only.html"), "https://gazette.example/g?ref=feed")
    assert article.title == "Grain ships leave Odesa despite storm warnings"
    assert article.site_name == "Harbour Gazette"
    assert article.language == "en"
    assert article.published == datetime(2024, 5, 3, 9, 30, tzinfo=UTC)
    assert article.canonical_url == "https://gazette.example/grain-ships"
    assert article.description == "Three bulk carriers sailed on Friday morning."
    assert article.author is None
    assert article.text.count("\n\n") == 2


def test_visible_byline_with_two_names_and_dateline() -> None:
    article = _extract_fields(page("byline.html"), "https://post.example/library")
    assert article.author == "Jane Doe, John Roe"
    assert article.published is not None
    assert article.published.date() == datetime(2024, 3, 12).date()
    assert article.published.tzinfo is not None
    assert article.title == "Volunteers rebuild a village library"
    assert "By Jane Doe" not in article.text


def test_ukrainian_page_with_author_label_and_promo() -> None:
    article = _extract_fields(page("ukrainian.html"), "https://lviv.example/centr")
    assert article.author == "Олена Петренко"
    assert article.language == "uk"
    assert "Telegram" not in article.text
    assert article.text.startswith("У Львові в середу відкрили")


@pytest.fixture(scope="module")
def cluttered_article() -> Article:
    return _extract_fields(page("cluttered.html"), "https://courier.example/ferry")


def test_cdata_wrapped_json_ld_gives_published_not_modified(cluttered_article: Article) -> None:
    # The later article:published_time meta is really the modification time.
    assert cluttered_article.published == datetime(
        2024, 6, 2, 10, 15, tzinfo=timezone(timedelta(hours=3))
    )
    assert cluttered_article.author == "Petro Marchenko"


def test_json_ld_name_closer_to_page_title_beats_summary_headline(
    cluttered_article: Article,
) -> None:
    assert cluttered_article.title == "Ferry service to Ochakiv resumes"


def test_headline_with_site_suffix_is_not_repeated_in_body(cluttered_article: Article) -> None:
    assert "River Courier" not in cluttered_article.text
    assert cluttered_article.text.startswith("The ferry between Ochakiv")


def test_clutter_containers_are_cleaned_out(cluttered_article: Article) -> None:
    for clutter in ("1 / 3", "Bridge inspections", "morning briefing", "Send"):
        assert clutter not in cluttered_article.text
    assert cluttered_article.text.endswith("the harbour office said on Monday.")


def test_data_table_inside_the_article_is_kept(cluttered_article: Article) -> None:
    assert "Kinburn spit 16:00" in cluttered_article.text


def test_code_listing_inside_the_article_is_kept() -> None:
    html = (
        "<body><article><p>" + "Operators restart the relay with one command, engineers say. " * 4
        + "</p><div class='listing'><pre>$ relay restart</pre></div><p>"
        + "The command takes a minute, and the relay reports back when it is done. " * 3
        + "</p></article></body>"
    )
    assert "$ relay restart" in _extract_fields(html, "https://x.example/relay").text


def test_short_paragraph_divs_are_kept() -> None:
    lines = ["He stood.", "The siren stopped.", "Nobody moved."]
    prose = "<p>" + "Rain fell on the square, and the street lamps flickered. " * 2 + "</p>"
    html = "<body><article>" + "".join(
        f"<div><div><span>{line}</span></div></div>{prose}" for line in lines
    ) + "</article></body>"
    text = _extract_fields(html, "https://x.example/story").text
    assert all(line in text for line in lines)


def test_javascript_links_count_as_text_not_links() -> None:
    html = "<title>Short note</title><body><a href='javascript:void(0)'><p>abc</p><p>def</p>ghi</a>"
    assert _extract_fields(html, "https://x.example/note").text.split() == ["abc", "def", "ghi"]


def test_paragraphs_in_sections_of_list_items_are_found() -> None:
    feature = "<li><h3>{0}</h3><p>The {0} tool shows what loads, when and from where.</p></li>"
    html = (
        "<body><main><section><h1>Welcome</h1><ul>" + feature.format("Network") + "</ul>"
        "<div class='notice'><p>" + "Sync your profile first, or bookmarks stay behind. " * 3
        + "</p></div></section><section><ul>"
        + "".join(feature.format(name) for name in ("Console", "Debugger", "Inspector"))
        + "</ul></section></main></body>"
    )
    text = _extract_fields(html, "https://x.example/tools").text
    assert "The Inspector tool" in text and "Sync your profile" in text


def test_language_is_guessed_from_text_when_the_page_names_none() -> None:
    html = "<body><p>" + "Російські війська обстріляли місто вночі, є поранені. " * 5 + "</p>"
    assert _extract_fields(html, "https://x.example/a").language == "uk"


def test_home_page_has_no_article() -> None:
    with pytest.raises(NoArticleFound):
        extract_article(page("home.html"), "https://daily.example/")


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<body><p></p></body>"])
def test_empty_pages_have_no_article(html: str) -> None:
    with pytest.raises(NoArticleFound):
        extract_article(html, "https://x.example/")


def test_broken_html_still_yields_the_article() -> None:
    html = (
        "<html><head><title>Storm hits the coast</title><body><div><p>"
        + "Strong winds tore roofs off houses in the coastal villages on Sunday, "
        "and rescuers worked until dawn to reach the stranded families. " * 3
        + "<p>Power lines were down <b>across <i>the region</div></span></html>"
    )
    article = _extract_fields(html, "https://x.example/storm")
    assert article.title == "Storm hits the coast"
    assert "Power lines were down across the region" in article.text


def test_xml_declaration_in_a_string_is_accepted() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>' + "Calm night. " * 20
    assert "Calm night." in _extract_fields(html, "https://x.example/").text


def test_huge_nesting_ends_in_article_or_no_article() -> None:
    html = "<div>" * 100_000 + "A quiet night in Kyiv, officials said. " * 5 + "</div>" * 100_000
    try:
        article = _extract_fields(html, "https://x.example/deep")
    except NoArticleFound:
        return
    assert isinstance(article.text, str)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' abcpdivtml&;#\x00\ud800\n"))))
def test_arbitrary_markup_never_raises_anything_else(html: str) -> None:
    try:
        _extract_fields(html, "https://x.example/fuzz")
    except NoArticleFound:
        pass


def test_read_metadata_handles_broken_json_ld() -> None:
    tree = parse_page(
        '<script type="application/ld+json">{"@type": "NewsArticle", broken</script>'
        '<script type="application/ld+json">{"@type": "BlogPosting", "headline": "Kept"}</script>'
    )
    assert read_metadata(tree, "https://x.example/").title == "Kept"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe and John Roe", "Jane Doe, John Roe"),
        ("Автор: Олена Петренко", "Олена Петренко"),
        ("Written by Jane Doe", "Jane Doe"),
        ("https://facebook.com/janedoe", None),
        ("", None),
    ],
)
def test_clean_byline(raw: str, expected: str | None) -> None:
    assert clean_byline(raw) == expected


def test_parse_datetime_variants() -> None:
    assert parse_datetime("2024-03-12T14:05:00Z") == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert parse_datetime("12 March 2024 14:05").tzinfo is not None
    assert parse_datetime("1850-01-01") is None
    assert parse_datetime("not a date") is None


def test_hard_wrapped_paragraphs_become_one_line_but_br_and_pre_break() -> None:
    html = """<html><head><title>Water is back</title></head><body><article><h1>Water is back</h1>
<p>Running water returned to most districts on Monday evening, eight days after
Russian artillery damaged the main pumping station, officials said on Monday.</p>
<p>Residents queued at water trucks for a week.<br>Schools stayed closed until the supply was restored in full.</p>
<pre>line one
line two</pre>
<p>Repair crews continue to work across the city as more engineers arrive from Kyiv.</p>
</article></body></html>"""
    text = extract_article(html, "https://news.example/water").text
    assert "eight days after Russian artillery" in text
    assert "for a week.\nSchools stayed" in text
    assert "line one\nline two" in text
