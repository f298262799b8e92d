"""The stated source of a headline (digest.quotes.attribution): the places a short report
names who its news comes from, and the mentions that are not a source."""

from __future__ import annotations

import pytest

from digest.quotes.attribution import stated_source


@pytest.mark.parametrize(("title", "language", "source"), [
    ("Песков: динамика на фронте понятна", "ru", "Песков"),
    ("Другие заявления Пескова на брифинге:", "ru", "Другие заявления Пескова на брифинге"),
    ("Переговоры возможны весной — Песков", "ru", "Песков"),
    ("Село Лесное перешло под контроль ВС РФ — Минобороны РФ", "ru", "Минобороны РФ"),
    ("Минобороны России сообщило, что сбиты две ракеты", "ru", "Минобороны России"),
    ("На фронте растёт усталость, сказал Песков", "ru", "Песков"),
    ("Повітряні сили: над областю збито 12 дронів", "uk", "Повітряні сили"),
    ("Kallas says the EU will keep its sanctions", "en", "Kallas"),
    ("The front is less stable than ever, says UK defence secretary", "en",
     "UK defence secretary"),
])
def test_the_source_a_headline_states(title: str, language: str, source: str) -> None:
    assert stated_source(title, language) == source


@pytest.mark.parametrize(("title", "language"), [
    ("Ракетный удар по Днепру", "ru"),
    ("Слова Пескова о переговорах обсуждают в Европе", "ru"),
    # A long run before a colon is a sentence leading into a list, not a source.
    ("Что известно к утру о последствиях ночной атаки на энергетику страны: главное", "ru"),
    # A clause of more than a few words after the verb is what was said, not who said it.
    ("Grid repairs slowed, said to be the worst delay of the whole winter", "en"),
    ("", "en"),
])
def test_no_stated_source(title: str, language: str) -> None:
    assert stated_source(title, language) is None
