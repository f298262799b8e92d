"""The digest stages on their own: relevance → stories → ranking → enrichment → views."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from digest.errors import FetchTimeout
from digest.models import Article, NewsItem, Quote
from digest.stories.daily import (
    DigestOptions,
    enrich,
    outlets,
    plan,
    representative,
    story_view,
    without_quote,
)
from tests.items import news_item

NOW = datetime(2026, 11, 25, 6, tzinfo=UTC)


def odesa(source: str, language: str = "en", hours: float = 2) -> NewsItem:
    title = {"en": "Russian drones strike Odesa energy facilities overnight",
             "uk": "Російські дрони атакували енергетичні об'єкти Одеси вночі"}[language]
    return news_item(f"https://{source}.example/odesa", title,
                     "Thousands of homes in Odesa lost power after the drone attack, the governor said.",
                     NOW - timedelta(hours=hours), source.title(), language=language)


BAKERY = news_item("https://local.example/bread", "Town bakery wins national bread award",
                   "A family bakery won the annual prize for its rye loaf.", NOW, "Local News")


def test_plan_keeps_war_items_and_merges_outlets_across_languages() -> None:
    stories = plan([odesa("alpha"), odesa("beta"), odesa("gamma", "uk"), BAKERY], now=NOW)
    assert len(stories) == 1
    assert {i.source for i in stories[0].items} == {"Alpha", "Beta", "Gamma"}


def test_representative_prefers_the_readers_language() -> None:
    [story] = plan([odesa("gamma", "uk", hours=5), odesa("alpha", hours=1)], now=NOW)
    assert representative(story, "en").source == "Alpha"
    assert representative(story, "uk").source == "Gamma"


def test_headline_is_in_the_readers_language_when_any_report_is() -> None:
    [story] = plan([odesa("alpha", hours=1), odesa("beta", hours=2), odesa("gamma", "uk", hours=5)],
                   now=NOW)
    main_only = replace(story, points=(tuple(i for i in story.items if i.language == "en"),))
    assert representative(main_only, "uk").source == "Gamma"
    assert representative(main_only, "en").source in {"Alpha", "Beta"}


def test_a_newsrooms_feed_and_channel_are_one_outlet() -> None:
    feed, channel, other = odesa("meduza"), replace(odesa("x"), source="Meduza (Telegram)",
                                                    url="https://t.me/meduzalive/5"), odesa("beta")
    assert outlets([feed, channel, other], channel) == (
        ("Meduza (Telegram)", "https://t.me/meduzalive/5"), ("Beta", "https://beta.example/odesa"))


def test_story_view_falls_back_to_the_feed_summary() -> None:
    [story] = plan([odesa("alpha"), odesa("beta")], now=NOW)
    view = story_view(story, None, DigestOptions())
    assert view.lead.startswith("Thousands of homes in Odesa lost power")
    assert [name for name, _ in view.outlets] == ["Alpha", "Beta"]
    assert "outlets 2" in view.debug


def test_a_feed_lead_never_ends_mid_sentence_nor_repeats_the_headline() -> None:
    cut_post = news_item("https://alpha.example/p", "Russian missiles hit a power plant in Kharkiv "
                         "overnight", "the governor said on Telegram. Power was cut to 40,000 homes "
                         "in the city. Repair crews said that the", NOW, "Alpha")
    [story] = plan([cut_post], now=NOW)
    view = story_view(story, None, DigestOptions())
    assert view.headline.endswith("the governor said on Telegram.")
    assert view.lead == "Power was cut to 40,000 homes in the city."


def test_a_feed_quote_is_credited_to_the_speaker_its_headline_names() -> None:
    """The summary goes on from the headline ("— считает он"): the quote line names the
    person of the headline, and the lead drops the sentence the quote line repeats."""
    post = news_item("https://t.me/chan/1", "Бывший генсек НАТО Столтенберг допустил "
                     "уступки Украины ради прекращения войны с Россией", "Он дал интервью немецкому изданию. "
                     "«Украина должна будет отказаться от этих территорий навсегда», — считает "
                     "он.", NOW, "Chan", language="ru")
    [story] = plan([post], now=NOW)
    view = story_view(story, None, DigestOptions(prefer_language="ru"))
    assert view.quote is not None and view.quote.speaker == "Столтенберг"
    assert view.lead == "Он дал интервью немецкому изданию."


def test_story_view_uses_the_articles_lead_and_quote() -> None:
    [story] = plan([odesa("alpha")], now=NOW)
    text = ("Engineers restored power to most of Odesa by the evening. Crews worked through the night.\n\n"
            "“We will not leave the city in the dark,” the governor said.")
    article = Article("u", "u", "t", None, None, None, "en", text,
                      quotes=[Quote("We will not leave the city in the dark,", "the governor", 90)])
    view = story_view(story, article, DigestOptions())
    assert view.lead.startswith("Engineers restored power")
    assert view.quote is not None and "dark" in view.quote.text
    assert "dark" not in view.lead


async def test_enrich_survives_failing_pages() -> None:
    [story] = plan([odesa("alpha")], now=NOW)

    async def failing(url: str) -> Article:
        raise FetchTimeout("slow", url=url)

    async def broken(url: str) -> Article:
        raise IndexError("a bug in a stage")

    for read in (failing, broken):
        [view] = await enrich([story], read)
        assert view.lead.startswith("Thousands of homes")


def test_without_quote_keeps_other_sentences() -> None:
    summary = "Power is back in most districts. “We fixed it overnight,” the mayor said."
    assert without_quote(summary, Quote("We fixed it overnight,", "Mayor")) == "Power is back in most districts."
