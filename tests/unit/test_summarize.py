"""Key points, lead and reading time (all article texts are written for these tests)."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digest.reader.summarize import MAX_POINTS, key_points, lead, reading_minutes, word_key

ENGLISH = """By Anna Kowalski and Peter Brandt

KYIV, Nov 24 (Reuters) - Russian drones and missiles struck energy facilities in five \
Ukrainian regions overnight, cutting power to more than 300,000 homes, the energy ministry said.

Photo: Firefighters work at a damaged substation near Kyiv.

The attack hit substations in the Kyiv, Kharkiv and Odesa regions, and repair crews began \
restoring power to homes before dawn.

Read more: How Ukraine rebuilt its grid after last winter's strikes

Air defence units shot down most of the drones over the Kyiv region, the air force said on \
its Telegram channel.

Why does Russia keep targeting the energy grid?

Officials in Kharkiv said power to homes in the city would be fully restored by the evening.

The energy ministry urged residents to limit electricity use during the evening peak.

Subscribe to our Telegram channel to get the latest news first."""

UKRAINIAN = """Автор: Олена Петренко

Російські війська вночі атакували енергетичну інфраструктуру Харківщини дронами, \
знеструмлено понад 20 тисяч споживачів.

Фото: пошкоджена підстанція.

Енергетики вже розпочали відновлення електропостачання у Харкові та області.

Читайте також: Як захистити підстанції від дронів

Сили протиповітряної оборони збили більшість дронів над Харківщиною, повідомили в \
Повітряних силах.

Чи витримає енергосистема нову зиму?

Голова ОВА заявив, що електропостачання у Харкові відновлять до вечора."""

RUSSIAN = """Российские войска ночью атаковали энергетическую инфраструктуру Одесской \
области дронами, без света остались около 40 тысяч абонентов.

Фото: повреждённая подстанция.

Энергетики уже начали восстанавливать электроснабжение в Одессе и области.

Подписывайтесь на наш Telegram-канал, чтобы первыми узнавать новости.

Силы противовоздушной обороны сбили большинство дронов над Одесской областью."""


def test_english_key_points_skip_noise_and_keep_reading_order() -> None:
    points = key_points(ENGLISH, limit=3)
    assert len(points) == 3
    assert points[0].startswith("Russian drones and missiles struck energy facilities")
    positions = [ENGLISH.replace("\\\n", "").find(point[:40]) for point in points]
    assert positions == sorted(positions)
    for point in points:
        assert not point.startswith(("By ", "Photo:", "Read more", "Subscribe"))
        assert not point.endswith("?")


def test_dateline_is_cut_from_the_sentence() -> None:
    assert not any("Reuters" in point for point in key_points(ENGLISH, limit=5))


@pytest.mark.parametrize(
    ("text", "language", "first_words"),
    [
        (UKRAINIAN, "uk", "Російські війська вночі атакували"),
        (RUSSIAN, "ru", "Российские войска ночью атаковали"),
    ],
)
def test_ukrainian_and_russian_skip_captions_promos_and_questions(
    text: str, language: str, first_words: str
) -> None:
    points = key_points(text, language=language, limit=3)
    assert points[0].startswith(first_words)
    for point in points:
        assert not point.startswith(("Автор", "Фото", "Читайте", "Подписывайтесь"))
        assert not point.endswith("?")


@pytest.mark.parametrize(
    "dateline",
    ["KYIV, Nov 24 (Reuters) - ", "(CNN) -- ", "LONDON (AP) — ", "МОСКВА, 29 июня. /ТАСС/. "],
)
def test_datelines_in_several_styles_are_cut(dateline: str) -> None:
    sentence = "The central bank kept its key interest rate unchanged on Friday."
    assert key_points(dateline + sentence) == [sentence]


def test_headings_and_quote_fragments_are_skipped() -> None:
    text = (
        "Talks in Geneva stall again\n\n"
        "Negotiators left Geneva on Friday without agreeing on a prisoner exchange.\n\n"
        "“We came to work. We did not come to talk about talks,” the envoy said.\n\n"
        "Both sides said they would meet again next month in the same format."
    )
    points = key_points(text, limit=5)
    assert points[0].startswith("Negotiators left Geneva")
    assert "Talks in Geneva stall again" not in points
    assert not any(point.startswith(("“We came", "We did not")) for point in points)


def test_language_is_guessed_when_not_given() -> None:
    assert key_points(UKRAINIAN) == key_points(UKRAINIAN, language="uk")


def test_limit_is_respected_and_capped() -> None:
    text = "\n\n".join(
        [
            "Heavy shelling damaged a hospital in Kherson on Tuesday morning.",
            "Doctors moved forty patients to a shelter in the basement.",
            "The regional governor announced a curfew for the coming weekend.",
            "Farmers near Mykolaiv reported that mines still cover many fields.",
            "A volunteer group delivered generators to villages along the river.",
            "Schools in the city will continue teaching online until spring.",
            "Railway officials restored the night train connection to Odesa.",
            "Prosecutors opened an investigation into the strike on the hospital.",
        ]
    )
    assert len(key_points(text, limit=2)) == 2
    assert len(key_points(text, limit=50)) == MAX_POINTS


def test_near_identical_sentences_count_once() -> None:
    text = "\n\n".join(
        f"Officials in region number {n} reported that repairs to the local grid continued."
        for n in range(10)
    )
    assert len(key_points(text, limit=3)) == 1


def test_limit_below_one_is_an_error() -> None:
    with pytest.raises(ValueError, match="limit"):
        key_points(ENGLISH, limit=0)


def test_repeated_sentences_are_returned_once() -> None:
    sentence = "The government approved a new budget for rebuilding schools in Kharkiv."
    other = "Teachers in the city welcomed the decision and asked for more shelters."
    points = key_points(f"{sentence}\n\n{other}\n\n{sentence}", limit=3)
    assert points == [sentence, other]


def test_repeated_stop_word_sentences_are_returned_once() -> None:
    sentence = "It was what it was, and so it is now."
    assert key_points(f"{sentence} {sentence}\n\n{sentence}", language="en") == [sentence]


def test_deterministic() -> None:
    assert key_points(ENGLISH, limit=4) == key_points(ENGLISH, limit=4)


def test_title_pulls_in_a_matching_sentence() -> None:
    title = "Air defence shot down most drones over Kyiv region"
    without = key_points(ENGLISH, limit=3)
    with_title = key_points(ENGLISH, title=title, limit=3)
    assert not any("Air defence" in point for point in without)
    assert any("Air defence" in point for point in with_title)


@pytest.mark.parametrize(
    "text", ["", "   \n\n  ", "Photo: a damaged bridge.", "Is this the end of the war?"]
)
def test_no_informative_sentence_gives_empty_list(text: str) -> None:
    assert key_points(text) == []


def test_single_sentence() -> None:
    text = "Ukraine and Poland signed an agreement on joint production of artillery shells."
    assert key_points(text) == [text]


def test_very_long_text() -> None:
    paragraph = (
        "Repair crews worked through the night in district {n} to restore heating. "
        "Residents of district {n} were told to expect short outages."
    )
    text = "\n\n".join(paragraph.format(n=n) for n in range(3000))
    points = key_points(text, limit=5)
    assert 1 <= len(points) <= 5


def test_lead_gives_first_informative_sentences() -> None:
    assert lead(ENGLISH, sentences=1) == (
        "Russian drones and missiles struck energy facilities in five Ukrainian regions "
        "overnight, cutting power to more than 300,000 homes, the energy ministry said."
    )
    two = lead(UKRAINIAN, language="uk", sentences=2)
    assert two.startswith("Російські війська")
    assert two.endswith("у Харкові та області.")
    assert lead("", sentences=2) == ""


def test_reading_minutes() -> None:
    assert reading_minutes("") == 1
    assert reading_minutes("word " * 2300, language="en") == 10
    assert reading_minutes("слово " * 2000, language="uk") == 10
    assert reading_minutes("слово " * 2000) == 10  # guessed as Cyrillic → 200 per minute


def test_ukrainian_and_russian_inflections_share_one_key() -> None:
    forms = ["підстанція", "підстанції", "підстанцією", "підстанцій"]
    assert len({word_key(form, "uk") for form in forms}) == 1
    assert word_key("дім", "uk") == "дім"
    assert len({word_key(form, "ru") for form in ("обстрелял", "обстреляли", "обстреляла")}) == 1


def _normalise(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=200, deadline=None)
@given(text=st.text(), limit=st.integers(min_value=1, max_value=10))
def test_any_text_gives_substrings_within_limit(text: str, limit: int) -> None:
    points = key_points(text, limit=limit)
    assert isinstance(points, list)
    assert len(points) <= limit
    for point in points:
        assert isinstance(point, str)
        assert point in _normalise(text)


_NEWSY = st.lists(
    st.sampled_from(
        [
            "Mr. Smith arrived.",
            "The U.S. said so.",
            "В. Зеленський заявив це.",
            'He said: "Yes."',
            "Wait...",
            "Фото: міст.",
            "Why?",
            "Prices rose 2.5%",
            "\n\n",
            "\n",
            " ",
            "KYIV (Reuters) -",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=_NEWSY, limit=st.integers(min_value=1, max_value=5))
def test_news_like_fragments_give_substrings_within_limit(text: str, limit: int) -> None:
    points = key_points(text, limit=limit)
    assert len(points) <= limit
    assert len(set(points)) == len(points)
    assert all(point in _normalise(text) for point in points)


def test_key_points_of_two_links_at_once_never_mix_their_words() -> None:
    """The bot reads two links' gists at once in its CPU pool: a stemmer shared by the
    threads broke a reply ("IndexError" deep in Snowball) when a thread switch fell inside
    one word. Switching as often as Python allows makes that certain without the fix."""
    text = " ".join(
        f"Repair crews restored electricity to {n} homes in a northern district of Kharkiv after "
        "missile strikes damaged substations, the regional administration said. Engineers worked "
        "through the night replacing transformers and kilometres of cables." for n in range(20))
    expected = key_points(text, title="Repair crews restore power", language="en")
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(
                lambda n: key_points(text + " " * n, title="Repair crews restore power",
                                     language="en"), range(40)))
    finally:
        sys.setswitchinterval(interval)
    assert all(result == expected for result in results)
