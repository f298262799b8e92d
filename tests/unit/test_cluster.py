"""Story clustering (digest.stories.cluster) and the language-blind terms it runs on (digest.language.textnorm).

The news items here are written for these tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.language.textnorm import Kind, gazetteer_term, number_term, phonetic_key, terms
from digest.models import NewsItem
from digest.stories.cluster import ClusterOptions, group_stories

KYIV_TIME = timezone(timedelta(hours=2))
NIGHT = datetime(2025, 11, 4, 6, 0, tzinfo=KYIV_TIME)


def news(
    url: str,
    title: str,
    summary: str = "",
    *,
    at: datetime = NIGHT,
    source: str = "Outlet",
    language: str | None = None,
) -> NewsItem:
    return NewsItem(url, title, summary, at, source, "international", language)


def urls(stories: list[list[NewsItem]]) -> list[list[str]]:
    return [[item.url for item in story] for story in stories]


# --- one event, three languages ------------------------------------------------------------

KHARKIV_EN = news(
    "https://en.example/kharkiv-drones",
    "Russian drones hit Kharkiv, injuring seven",
    "Russia attacked Kharkiv with 14 Shahed drones overnight; seven people were injured "
    "in the Saltivskyi district, Mayor Ihor Terekhov said.",
    at=NIGHT + timedelta(hours=1), source="English Daily", language="en",
)
KHARKIV_UK = news(
    "https://uk.example/kharkiv-shahedy",
    "Нічна атака «шахедів» на Харків: семеро поранених",
    "Росіяни вдарили по Харкову 14 безпілотниками, постраждали семеро людей у "
    "Салтівському районі, повідомив Ігор Терехов.",
    at=NIGHT, source="Українське радіо", language="uk",
)
KHARKIV_RU = news(
    "https://ru.example/harkov-drony",
    "В Харькове после атаки дронов ранены семь человек",
    "Российская армия атаковала Харьков 14 беспилотниками, пострадали жители "
    "Салтовского района, сообщил мэр Игорь Терехов.",
    at=NIGHT + timedelta(hours=2), source="Русская служба", language="ru",
)
ODESA_SAME_NIGHT = news(
    "https://uk.example/odesa-port",
    "Атака дронів на Одесу: пошкоджено портову інфраструктуру, є поранені",
    "Уночі росіяни атакували Одесу ударними безпілотниками, постраждали двоє людей, "
    "повідомив Олег Кіпер.",
    at=NIGHT + timedelta(minutes=30), source="Українське радіо", language="uk",
)
KHARKIV_LATER = news(
    "https://en.example/kharkiv-drones-again",
    "Russian drones hit Kharkiv again, injuring three",
    "Russia attacked Kharkiv with Shahed drones overnight; three people were injured, "
    "Mayor Ihor Terekhov said.",
    at=NIGHT + timedelta(days=3), source="English Daily", language="en",
)


def test_the_same_strike_in_three_languages_is_one_story() -> None:
    stories = group_stories([KHARKIV_EN, KHARKIV_RU, KHARKIV_UK])
    assert urls(stories) == [[KHARKIV_UK.url, KHARKIV_EN.url, KHARKIV_RU.url]]


def test_a_strike_on_another_city_the_same_night_stays_apart() -> None:
    stories = group_stories([KHARKIV_EN, KHARKIV_UK, KHARKIV_RU, ODESA_SAME_NIGHT])
    assert [ODESA_SAME_NIGHT.url] in urls(stories)
    assert len(stories) == 2


def test_a_strike_on_the_same_city_days_later_stays_apart() -> None:
    stories = group_stories([KHARKIV_EN, KHARKIV_UK, KHARKIV_LATER])
    assert [KHARKIV_LATER.url] in urls(stories)


def test_the_time_window_is_an_option() -> None:
    narrow = ClusterOptions(window=timedelta(minutes=30))
    assert len(group_stories([KHARKIV_UK, KHARKIV_RU], narrow)) == 2


# --- duplicates -------------------------------------------------------------------------------


def test_same_url_up_to_tracking_parameters_always_merges() -> None:
    first = news("https://site.example/a/1", "Something happened", at=NIGHT)
    repost = news(
        "https://SITE.example/a/1?utm_source=telegram#top", "Totally other words",
        at=NIGHT + timedelta(days=5),
    )
    assert urls(group_stories([repost, first])) == [[first.url, repost.url]]


def test_same_title_from_two_outlets_merges_even_without_summaries() -> None:
    wire = news("https://wire.example/x", "Explosions heard in Lviv", source="Wire", language="en")
    copy = news("https://portal.example/y", "Explosions heard in  Lviv!", source="P")
    assert len(group_stories([wire, copy])) == 1


# --- shape of the result ------------------------------------------------------------------


def test_empty_input_gives_no_stories() -> None:
    assert group_stories([]) == []


def test_items_without_language_or_summary_are_grouped_too() -> None:
    unknown_language = news(KHARKIV_RU.url, KHARKIV_RU.title, KHARKIV_RU.summary, language=None)
    no_summary = news(KHARKIV_UK.url, KHARKIV_UK.title, source="Радіо")
    stories = group_stories([unknown_language, no_summary, ODESA_SAME_NIGHT])
    assert sorted(len(story) for story in stories) == [1, 2]


def test_naive_datetimes_are_read_as_utc() -> None:
    naive = news(KHARKIV_RU.url, KHARKIV_RU.title, KHARKIV_RU.summary, at=datetime(2025, 11, 4, 5))
    stories = group_stories([naive, KHARKIV_UK])  # 06:00+02:00 is 04:00 UTC: naive is later
    assert urls(stories) == [[KHARKIV_UK.url, naive.url]]


def test_stories_reported_by_more_outlets_come_first() -> None:
    stories = group_stories([ODESA_SAME_NIGHT, KHARKIV_RU, KHARKIV_EN, KHARKIV_UK])
    assert [len(story) for story in stories] == [3, 1]


# --- property: always a partition, never an exception --------------------------------------

WORDS = [
    "Kharkiv", "Odesa", "drone", "attack", "killed", "Zelensky", "12", "1,000", "Харків",
    "Харкова", "Одеса", "атака", "удар", "загинули", "Харьков", "погибли", "дронов", "Кривий",
    "Ріг", "sanctions", "EU", "ЄС", "the", "of", "п'ятеро", "ЗАЕС", "МАГАТЕ", "—", "«", "?",
]
text = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
moments = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2024, 1, 10),
    timezones=st.sampled_from([UTC, KYIV_TIME, timezone(timedelta(hours=-5))]),
)
items = st.builds(
    news,
    url=st.sampled_from(["https://a.example/1", "https://b.example/2?utm_source=x", "", "no url"])
    | st.text(max_size=20),
    title=text,
    summary=text,
    at=moments,
    source=st.sampled_from(["A", "B", "C"]),
    language=st.sampled_from([None, "en", "uk", "ru-RU", ""]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(items, max_size=25))
def test_every_item_lands_in_exactly_one_story_deterministically(batch: list[NewsItem]) -> None:
    stories = group_stories(batch)
    placed = [id(item) for story in stories for item in story]
    assert sorted(placed) == sorted(id(item) for item in batch)
    assert all(stories)
    assert [[id(item) for item in story] for story in group_stories(batch)] == [
        [id(item) for item in story] for story in stories
    ]


# --- textnorm -------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["Харків", "Харкова", "Харкові", "Харьков", "Харькове", "Kharkiv"])
def test_kharkiv_in_every_spelling_and_case_is_one_place(word: str) -> None:
    found = gazetteer_term(word.lower())
    assert found is not None
    assert (found.text, found.kind) == ("@kharkiv", Kind.PLACE)


def test_pokrovsk_is_found_under_its_russian_soviet_name() -> None:
    assert gazetteer_term("красноармейском") == gazetteer_term("покровська")


@pytest.mark.parametrize("word", ["кримінальний", "агентство", "газета", "портрет"])
def test_prefix_stems_do_not_swallow_unrelated_words(word: str) -> None:
    assert gazetteer_term(word) is None


def test_names_meet_across_alphabets() -> None:
    assert phonetic_key("Terekhov") == phonetic_key("Терехов")
    assert phonetic_key("Syniehubov") == phonetic_key("Синєгубов") == phonetic_key("Синегубов")
    assert phonetic_key("Rutte") == phonetic_key("Рютте")


def test_numbers_in_digits_and_words_meet() -> None:
    assert number_term("1,000") == number_term("1000")
    english = {t.text for t in terms("five injured")}
    ukrainian = {t.text for t in terms("п’ятеро поранених")}
    russian = {t.text for t in terms("пять раненых")}
    assert english == ukrainian == russian == {"#5", "@injured"}


def test_capitalised_words_inside_a_sentence_are_names_but_title_case_is_not() -> None:
    sentence = {t.text: t.kind for t in terms("the mayor Terekhov said")}
    headline = {t.text: t.kind for t in terms("Mayor Terekhov Says City Was Hit")}
    assert sentence["tereg"] is Kind.NAME
    assert headline["tereg"] is Kind.WORD


def test_naming_different_cities_keeps_look_alike_reports_apart() -> None:
    sumy = news(
        "https://en.example/sumy-drones",
        "Russian drones hit Sumy, injuring seven",
        "Russia attacked Sumy with 14 Shahed drones overnight; seven people were injured.",
        at=KHARKIV_EN.published, source="Other Daily", language="en",
    )
    kharkiv = news(
        KHARKIV_EN.url, KHARKIV_EN.title,
        "Russia attacked Kharkiv with 14 Shahed drones overnight; seven people were injured.",
        at=KHARKIV_EN.published, language="en",
    )
    assert len(group_stories([kharkiv, sumy])) == 2
    assert len(group_stories([kharkiv, sumy], ClusterOptions(place_conflict=1.0))) == 1
