"""Headlines and leads from channel posts and newspaper titles (all texts written for these tests)."""

from __future__ import annotations

import re

import pytest

from digest.render.headline import clean_post_text, headline, lead_text

LONG_POST = (
    "Над Примерской областью ночью сбили девять беспилотников, пострадавших нет, сообщил "
    "губернатор региона Иван Образцов, добавив, что обломки повредили крышу склада и два "
    "легковых автомобиля на окраине города"
)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


@pytest.mark.parametrize("limit", [60, 90, 120])
def test_a_long_post_title_is_cut_at_a_clause_within_the_limit(limit: int) -> None:
    result = headline(LONG_POST, "", limit=limit)
    assert len(result) <= limit
    assert result and not result.endswith((":", ",", " "))
    assert LONG_POST.startswith(result.removesuffix("…"))
    last = re.findall(r"\w+", result)[-1]
    assert last in _words(LONG_POST)  # never cut mid-word


def test_a_clause_cut_keeps_a_whole_clause_without_an_ellipsis() -> None:
    assert headline(LONG_POST, "") == (
        "Над Примерской областью ночью сбили девять беспилотников, пострадавших нет, "
        "сообщил губернатор региона Иван Образцов"
    )


def test_a_sentence_end_wins_over_a_clause() -> None:
    title = (
        "Энергетики вернули свет в три района Примерска. Ремонт магистральной линии, по "
        "словам компании, продлится до конца недели, а графики отключений сохранятся"
    )
    assert headline(title, "") == "Энергетики вернули свет в три района Примерска."


def test_a_last_resort_cut_is_at_a_word_with_an_ellipsis() -> None:
    title = "Hypersonic reconnaissance drone prototypes demonstrated publicly " * 3
    result = headline(title, "", limit=50)
    assert result.endswith("…") and len(result) <= 50
    assert result.removesuffix("…").split()[-1] in title.split()


def test_a_lead_in_is_joined_with_the_first_bullet_of_the_summary() -> None:
    summary = (
        "▪️ Переговоры о перемирии сейчас не ведутся ▪️ Визит делегации в Примерск не "
        "планируется ▪️ Решение о пошлинах — внутреннее дело соседей 👉 Вестник Края. Подписаться"
    )
    result = headline("Другие заявления пресс-секретаря:", summary)
    assert result == "Другие заявления пресс-секретаря: Переговоры о перемирии сейчас не ведутся"


def test_a_source_label_takes_the_statement_with_its_quote_closed() -> None:
    summary = (
        "«За ночь дежурными средствами ПВО перехвачены и уничтожены 27 беспилотных "
        "летательных аппаратов над тремя областями, а также две управляемые авиабомбы». "
        "👉 Вестник Края. Подписаться"
    )
    result = headline("Минобороны РФ:", summary)
    assert result.startswith("Минобороны РФ: «За ночь")
    assert len(result) <= 120 and not result.endswith(":")
    assert result.count("«") == result.count("»")


def test_dash_bullets_after_a_lead_in() -> None:
    summary = "— Восстановить поставки зерна через порты; — Обменять пленных до конца месяца"
    assert headline("Опубликован план из трёх пунктов:", summary) == (
        "Опубликован план из трёх пунктов: Восстановить поставки зерна через порты"
    )


def test_a_long_lead_in_stands_alone_without_its_colon() -> None:
    title = "В парламенте продолжают работу над законом о мобилизации и отсрочках, заявил спикер:"
    summary = "📍Предлагается уточнить категории отсрочки для студентов вузов и колледжей; 📍Ещё"
    result = headline(title, summary, limit=90)
    assert result == title.removesuffix(":")


def test_a_lead_in_with_nothing_after_it_never_ends_with_a_colon() -> None:
    assert headline("Результаты голосования:", "❤ Подписаться | Прислать новость") == (
        "Результаты голосования"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Мост закрыт на ремонт до пятницы. 👉 Вестник Края. Подписаться",
            "Мост закрыт на ремонт до пятницы.",
            id="ru-pointing-name-subscribe",
        ),
        pytest.param(
            "Школы перешли на дистанционку. ❤ Подписаться | Прислать новость",
            "Школы перешли на дистанционку.",
            id="ru-heart-subscribe-send",
        ),
        pytest.param(
            "Аэропорт снова принимает рейсы. 🎯 Подписывайся на ВЕСТИ-24 📩 Прислать новость",
            "Аэропорт снова принимает рейсы.",
            id="ru-subscribe-to-channel",
        ),
        pytest.param(
            "Вода в реке поднялась на метр. 😄— Подписаться",
            "Вода в реке поднялась на метр.",
            id="ru-emoji-dash",
        ),
        pytest.param(
            "Курс гривны укрепился. @kurs_today",
            "Курс гривны укрепился.",
            id="trailing-handle",
        ),
        pytest.param(
            "У Харкові відновили рух трамваїв. 👉 Новини Слобожанщини. Підписатися",
            "У Харкові відновили рух трамваїв.",
            id="uk-subscribe",
        ),
        pytest.param(
            "Рятувальники загасили пожежу на складі. Підпишись на наш канал, щоб знати більше.",
            "Рятувальники загасили пожежу на складі.",
            id="uk-imperative",
        ),
        pytest.param(
            "The port reopened on Monday. 👉 Daily Brief. Subscribe",
            "The port reopened on Monday.",
            id="en-subscribe",
        ),
        pytest.param(
            "Repairs will take a week. Read more about the outage here:",
            "Repairs will take a week.",
            id="en-link-pointer",
        ),
        pytest.param(
            "Подробности в репортаже. Читать нас без VPN можно здесь:",
            "Подробности в репортаже.",
            id="ru-link-pointer",
        ),
        pytest.param(
            "Парк откроют весной. 😎 Вестник на Неве — отдай свой буст нам",
            "Парк откроют весной.",
            id="ru-boost-request",
        ),
    ],
)
def test_footers_go(text: str, expected: str) -> None:
    assert clean_post_text(text) == expected
    assert lead_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Президент подписал указ о призыве. Компания подписала контракт на поставку дронов.",
        "Более 10 тысяч человек подписались под петицией о возвращении электричек.",
        "Subscribers of the service lost access after the outage, the company said.",
        "Військові отримали 40 дронів від волонтерів; партнери підписали угоду.",
        "Температура упадёт до -5 °C, в № 12 отменили уроки.",
    ],
)
def test_news_sentences_stay(text: str) -> None:
    assert clean_post_text(text) == text


def test_emoji_markers_go_and_separate_items() -> None:
    text = "⚡️🔴 Сирены звучат в трёх областях 🔻Движение поездов задерживается ▪️ Детали уточняются"
    assert clean_post_text(text) == (
        "Сирены звучат в трёх областях. Движение поездов задерживается. Детали уточняются"
    )
    assert headline("⚡️❗️ Сирены звучат в трёх областях", "") == "Сирены звучат в трёх областях"
    assert clean_post_text("Ветер повалил деревья 😱. Есть пострадавшие") == (
        "Ветер повалил деревья. Есть пострадавшие"
    )


def test_markdown_goes() -> None:
    text = "**Срочно**: обстрел __Примерска__, подробности [на сайте](https://example.org/x)"
    assert clean_post_text(text) == "Срочно: обстрел Примерска, подробности на сайте"
    assert clean_post_text("The F**k-word stays censored") == "The F**k-word stays censored"


def test_a_tweet_wrapper_and_breaking_prefix_go() -> None:
    assert headline("Border Watch 7 on Twitter: BREAKING: Ferry service resumes to the island", "") == (
        "Ferry service resumes to the island"
    )
    assert headline('Anna Example on Twitter: "We will rebuild every school."', "") == (
        "Anna Example: «We will rebuild every school.»"
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Grain corridor reopens after talks - The Harbour Times", "Grain corridor reopens after talks"),
        ("Grain corridor reopens after talks | World news", "Grain corridor reopens after talks"),
        ("Grain corridor reopens after talks - Harbour News", "Grain corridor reopens after talks"),
        ("Grain corridor reopens after talks - minister", "Grain corridor reopens after talks - minister"),
        ("Grain corridor reopens after talks - Kuleba", "Grain corridor reopens after talks - Kuleba"),
    ],
)
def test_an_outlet_suffix_goes_but_an_attribution_stays(title: str, expected: str) -> None:
    assert headline(title, "") == expected


@pytest.mark.parametrize(
    "title",
    [
        "Ukraine and Poland agree on new border crossing",
        "В Примерске открыли новый мост через реку",
        "«Ми не відступимо»: мер міста про відновлення енергетики",
    ],
)
def test_a_normal_short_headline_is_untouched(title: str) -> None:
    assert headline(title, "Some summary text that is not needed.") == title


@pytest.mark.parametrize(
    ("title", "summary", "expected"),
    [
        ("", "", ""),
        ("   ", "", ""),
        ("📣🔥", "", ""),
        ("📣🔥", "Колонна техники вошла в город.", "Колонна техники вошла в город."),
        ("Подпишись на наш канал!", "", "Подпишись на наш канал!"),
        ("@handle_only", "", "@handle_only"),
    ],
)
def test_empty_and_garbage(title: str, summary: str, expected: str) -> None:
    assert headline(title, summary) == expected


def test_never_empty_when_the_title_has_letters() -> None:
    for title in ["👉 Подписаться", "#теги #ещё", "Читать нас без VPN можно здесь:", "x"]:
        assert any(ch.isalpha() for ch in headline(title, ""))


def test_a_lead_has_no_footer() -> None:
    summary = "— Колонна прошла блокпост.\n\n🔴 Подписаться на Вестник Края"
    assert lead_text(summary) == "Колонна прошла блокпост."


def test_a_bare_quotation_at_the_head_of_a_long_title_gives_way_to_the_news() -> None:
    # Cut to its first clause, this title would read as the bare slogan, with no one saying it.
    title = (
        "«Мир через силу, давление на обе стороны, заморозка линии»: опубликован проект "
        "плана посредников по урегулированию конфликта вокруг Примерской области"
    )
    assert headline(title, "") == (
        "Опубликован проект плана посредников по урегулированию конфликта вокруг Примерской "
        "области"
    )


def test_a_quotation_that_fits_with_its_news_stays() -> None:
    title = "«Правила изменились»: корреспондент о новом порядке выдачи пропусков"
    assert headline(title, "") == title


def test_a_link_pointer_after_a_sentence_without_its_full_stop_goes() -> None:
    summary = "Материал содержит описания насилия Читать нас без VPN можно здесь:"
    assert lead_text(summary) == "Материал содержит описания насилия"
