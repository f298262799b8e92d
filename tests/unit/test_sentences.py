"""Sentence splitting in English, Ukrainian and Russian (all texts written for these tests)."""

from __future__ import annotations

import pytest

from digest.language.abbreviations import abbreviation_before, is_abbreviation
from digest.language.sentences import (
    end_within,
    first_sentence,
    iter_sentences,
    last_sentence,
    sentence_ends,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "J. R. R. Tolkien wrote the book. It sold well.",
            ["J. R. R. Tolkien wrote the book.", "It sold well."],
            id="en-initials",
        ),
        pytest.param(
            "В. Зеленський провів нараду. О. Билим доповів про ситуацію.",
            ["В. Зеленський провів нараду.", "О. Билим доповів про ситуацію."],
            id="uk-initials",
        ),
        pytest.param(
            "Встречу провёл С. Лавров. Она длилась час.",
            ["Встречу провёл С. Лавров.", "Она длилась час."],
            id="ru-initials",
        ),
        pytest.param(
            "Mr. Smith and Dr. Jones met U.S. Army officers, e.g. Gen. Hale. They agreed.",
            ["Mr. Smith and Dr. Jones met U.S. Army officers, e.g. Gen. Hale.", "They agreed."],
            id="en-abbreviations",
        ),
        pytest.param(
            "Aid arrived from the U.S. The convoy reached Kharkiv.",
            ["Aid arrived from the U.S.", "The convoy reached Kharkiv."],
            id="en-acronym-ends-sentence",
        ),
        pytest.param(
            "Школа ім. Шевченка на вул. Хрещатик відкрилася у 2023 р. Ремонт коштував 2 млн грн.",
            [
                "Школа ім. Шевченка на вул. Хрещатик відкрилася у 2023 р.",
                "Ремонт коштував 2 млн грн.",
            ],
            id="uk-abbreviations",
        ),
        pytest.param(
            "Згідно зі ст. 15 закону це дозволено. Бюджет — 40 тис. грн. Далі буде.",
            ["Згідно зі ст. 15 закону це дозволено.", "Бюджет — 40 тис. грн.", "Далі буде."],
            id="uk-article-and-units",
        ),
        pytest.param(
            "Это важно, т.е. срочно. Цена выросла до 5 млн руб. Торги продолжатся.",
            ["Это важно, т.е. срочно.", "Цена выросла до 5 млн руб.", "Торги продолжатся."],
            id="ru-abbreviations",
        ),
        pytest.param(
            "Inflation slowed to 3.4% in May. The rate was 5.25 percent.",
            ["Inflation slowed to 3.4% in May.", "The rate was 5.25 percent."],
            id="decimals",
        ),
        pytest.param(
            "Інфляція сповільнилася до 7,5%. Курс — 41.2 грн за долар.",
            ["Інфляція сповільнилася до 7,5%.", "Курс — 41.2 грн за долар."],
            id="uk-decimals",
        ),
        pytest.param(
            'He said: "We are ready." Then he left the room.',
            ['He said: "We are ready."', "Then he left the room."],
            id="closing-quote-belongs-to-sentence",
        ),
        pytest.param(
            "Він сказав: «Ми готові». Потім пішов.",
            ["Він сказав: «Ми готові».", "Потім пішов."],
            id="uk-guillemets",
        ),
        pytest.param(
            "Он сказал: «Мы готовы.» Затем ушёл.",
            ["Он сказал: «Мы готовы.»", "Затем ушёл."],
            id="ru-stop-inside-guillemets",
        ),
        pytest.param(
            '"Are you ready?" she asked. Nobody answered.',
            ['"Are you ready?" she asked.', "Nobody answered."],
            id="question-inside-quote-continues",
        ),
        pytest.param(
            "We waited... and waited. Then… Silence. Nothing else happened…",
            ["We waited... and waited.", "Then…", "Silence.", "Nothing else happened…"],
            id="ellipsis",
        ),
        pytest.param(
            "The talks ended without a deal",
            ["The talks ended without a deal"],
            id="no-final-punctuation",
        ),
        pytest.param(
            "First line without a stop\nSecond line here.",
            ["First line without a stop", "Second line here."],
            id="line-break-before-capital",
        ),
        pytest.param(
            "The minister said the bridge\nwould reopen in May. Traffic is light.",
            ["The minister said the bridge would reopen in May.", "Traffic is light."],
            id="soft-wrap",
        ),
        pytest.param(
            "Wow! Really? (It was true.) Yes.",
            ["Wow!", "Really?", "(It was true.)", "Yes."],
            id="exclamation-question-brackets",
        ),
        pytest.param(
            "the talks ended. officials left the u.s. embassy. no. 5 was next.",
            ["the talks ended.", "officials left the u.s. embassy.", "no. 5 was next."],
            id="caseless-text",
        ),
        pytest.param(
            "Ему грозит срок по ч. 1 ст. 259 Уголовного кодекса. Суд назначен на май.",
            ["Ему грозит срок по ч. 1 ст. 259 Уголовного кодекса.", "Суд назначен на май."],
            id="article-of-a-law-after-a-number",
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# Rules that came from the quote and feed readers' own splitters when they were merged here.
MERGED_RULES = {
    "ru-stop-glued-to-the-next-sentence": (
        "Власти ответили отказом.Посол покинул страну.",
        ["Власти ответили отказом.", "Посол покинул страну."],
    ),
    "uk-pictograph-and-handle-open-sentences": (
        "Двоє людей поранені. 👉Подробиці згодом. Новини без цензури. @news_ua",
        ["Двоє людей поранені.", "👉Подробиці згодом.", "Новини без цензури.", "@news_ua"],
    ),
    "ru-lower-case-letter-and-unit-before-a-capital": (
        "Он востоковед, как и я. Он работал в музее. Собрано $85 тыс. В целом план выполнен.",
        ["Он востоковед, как и я.", "Он работал в музее.", "Собрано $85 тыс.",
         "В целом план выполнен."],
    ),
    "en-titles-from-the-quote-readers": (
        "Adm. Harris and Maj. Clark met Gov. Lee in Baltimore, Md. Jones Street was shut.",
        ["Adm. Harris and Maj. Clark met Gov. Lee in Baltimore, Md. Jones Street was shut."],
    ),
}


@pytest.mark.parametrize(("text", "expected"), MERGED_RULES.values(), ids=MERGED_RULES.keys())
def test_rules_merged_from_other_splitters(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_paragraphs_always_end_sentences_and_are_numbered() -> None:
    text = "Kyiv was quiet overnight\n\nSirens sounded at dawn. All clear came."
    sentences = iter_sentences(text)
    assert [(s.text, s.index, s.paragraph) for s in sentences] == [
        ("Kyiv was quiet overnight", 0, 0),
        ("Sirens sounded at dawn.", 1, 1),
        ("All clear came.", 2, 1),
    ]


def test_whitespace_is_normalised() -> None:
    assert split_sentences("  Two\tspaces   here.\u00a0Next one.  ") == [
        "Two spaces here.",
        "Next one.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "..."])
def test_empty_or_punctuation_only(text: str) -> None:
    assert split_sentences(text) == ([] if not text.strip() else ["..."])


def test_long_text_is_split_completely() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(5000))
    sentences = split_sentences(text)
    assert len(sentences) == 5000
    assert sentences[-1] == "Sentence number 4999 is here."


def test_sentence_ends_are_offsets_in_the_raw_text() -> None:
    text = "Gen. Hale left.\tHe said:\n\n«We stay.» Then Mr. Lee spoke"
    ends = sentence_ends(text)
    assert [text[end - 1] for end in ends] == [".", ":", "»"]
    pieces = [text[a:b].strip() for a, b in zip([0, *ends], [*ends, len(text)], strict=True)]
    assert pieces == ["Gen. Hale left.", "He said:", "«We stay.»", "Then Mr. Lee spoke"]


@pytest.mark.parametrize(
    ("clause", "last"),
    [
        ("He left the room. Then Sen. Warren said: ", "Then Sen. Warren said: "),
        ("He left the room. ", ""),  # the quotation after it opens a sentence
        ("It arrived from the U.S. ", "It arrived from the U.S. "),  # "U.S." ends nothing here
        ("Вона вийшла.\nПотім сказала:", "Потім сказала:"),
    ],
)
def test_last_sentence_of_a_clause(clause: str, last: str) -> None:
    assert last_sentence(clause) == last


def test_first_sentence_stops_at_the_first_end() -> None:
    assert first_sentence(", said Rep. Smith. The vote is due.") == ", said Rep. Smith."
    assert first_sentence(", said Rep. Smith of Ohio") == ", said Rep. Smith of Ohio"


@pytest.mark.parametrize(("limit", "kept"), [(60, "One. Two is here."), (12, "One."), (3, "")])
def test_end_within_keeps_whole_sentences(limit: int, kept: str) -> None:
    text = "One. Two is here. Three is a longer sentence than the others."
    assert text[: end_within(text, limit)] == kept


@pytest.mark.parametrize(
    ("word", "previous", "next_word", "expected"),
    [
        ("Adm", "", "Harris", True),  # titles the quote readers needed
        ("Md", "Baltimore,", "The", False),  # a state before a sentence opener ends it
        ("Md", "Baltimore,", "Jones", True),
        ("no", "", "5", True),
        ("no", "is", "He", False),
        ("тыс", "40", "В", False),  # a unit after a number
        ("я", "и", "Он", False),  # a word, not an initial, before a capital
        ("w", "george", "bush", True),  # an initial in lower-cased copy
    ],
)
def test_abbreviation_table(word: str, previous: str, next_word: str, expected: bool) -> None:
    assert is_abbreviation(word, previous, next_word) is expected


def test_abbreviation_before_reads_the_words_around_the_stop() -> None:
    text = "(Sen. Warren) met Apple Inc. The talks went on."
    stops = [at for at, char in enumerate(text) if char == "."]
    assert [abbreviation_before(text, at) for at in stops] == [True, False, False]
