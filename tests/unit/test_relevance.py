"""Unit tests for digest.stories.relevance and digest.language.stems: inflection, combination rules, cues."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import digest.language.stems
import digest.stories.relevance
from digest.language.stems import compile_patterns, normalize
from digest.stories.relevance import (
    THRESHOLD,
    CueKind,
    explain_relevance,
    is_about_war,
    war_relevance,
)


def labels(title: str, summary: str = "", language: str | None = None) -> set[str]:
    return {hit.label for hit in explain_relevance(title, summary, language=language).hits}


# --- stems ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Куп'янськ", "купянськ"), ("Купʼянськ", "купянськ"), ("Куп’янськ", "купянськ"),
     ("F-16", "f 16"), ("Ёлки  и\nпалки", "елки и палки"), ("Russia–Ukraine", "russia ukraine")],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_star_is_a_prefix_and_plain_words_are_whole() -> None:
    pattern = compile_patterns(["обстріл*", "war"])
    assert [m.group(0) for m in pattern.finditer("обстріли обстрілу war warsaw")] == [
        "обстріли", "обстрілу", "war"]


def test_multi_word_pattern_spans_whitespace() -> None:
    assert compile_patterns(["чорноморськ* флот*"]).search("чорноморського   флоту")


# --- inflection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("Харків", "Kharkiv"), ("Харкова", "Kharkiv"), ("Харкові", "Kharkiv"),
        ("Харьков", "Kharkiv"), ("Харькове", "Kharkiv"), ("Харківщина", "Kharkiv"),
        ("Росія", "Russia"), ("Росії", "Russia"), ("Россия", "Russia"), ("России", "Russia"),
        ("Зеленський", "Zelensky"), ("Зеленського", "Zelensky"), ("Зеленскому", "Zelensky"),
        ("обстріл", "shelling"), ("обстрілу", "shelling"), ("обстріли", "shelling"),
        ("обстрелом", "shelling"), ("дрон", "drones"), ("дрони", "drones"),
        ("дронів", "drones"), ("дронов", "drones"), ("Купʼянськ", "front-line towns"),
        ("Куп'янська", "front-line towns"), ("Кривому Рогу", "other Ukrainian cities"),
        ("полону", "prisoners of war"), ("військовополонених", "prisoners of war"),
    ],
)
def test_cyrillic_inflections_fire_the_same_cue(word: str, label: str) -> None:
    assert label in labels(word)


@pytest.mark.parametrize(
    "word", ["кримінальна справа", "наступного тижня", "курс гривні", "рост цен", "Warsaw"]
)
def test_stems_do_not_overreach(word: str) -> None:
    hits = explain_relevance(word).hits
    assert not [hit for hit in hits if hit.kind is not CueKind.NEGATIVE], hits


# --- combination rules ------------------------------------------------------------------


def test_theatre_with_action_is_strong() -> None:
    strong = war_relevance("Strike on Kharkiv")
    assert strong >= THRESHOLD
    assert strong > war_relevance("Kharkiv") + 0.4 and strong > war_relevance("Strike") + 0.4


def test_theatre_alone_is_weak() -> None:
    assert war_relevance("Kharkiv") < 0.25
    assert war_relevance("Russia") < 0.25


def test_action_alone_is_weak() -> None:
    assert war_relevance("Missile strike") < THRESHOLD


def test_core_cue_alone_is_enough() -> None:
    assert is_about_war("ЗСУ просунулися на кілька кілометрів")


def test_russia_in_a_sports_item_is_not_war() -> None:
    assert not is_about_war("Russia beat Serbia in the basketball match", "A late goal-line "
                            "block in the final quarter decided the match.")


def test_sport_with_a_war_place_is_not_war() -> None:
    assert not is_about_war("Шахтар Донецьк зіграє в Лізі чемпіонів")


def test_other_wars_are_pushed_away() -> None:
    assert not is_about_war("Israeli air strikes on Gaza kill dozens")
    assert not is_about_war("Армия Судана атаковала позиции повстанцев в Дарфуре")


def test_summary_counts_less_than_title() -> None:
    in_title = war_relevance("Missiles hit Odesa port")
    in_summary = war_relevance("Overnight news", "Missiles hit Odesa port")
    assert in_title > in_summary


def test_heavier_cue_claims_its_words() -> None:
    # "prisoners of war" must not also be counted as the generic "war".
    assert "war" not in labels("Red Cross visits prisoners of war")


def test_english_text_uses_latin_cues_only() -> None:
    assert labels("Обстріл Харкова", language="uk")
    assert not labels("Обстріл Харкова", language="en")


def test_language_is_guessed_when_absent() -> None:
    assert is_about_war("Обстріл Харкова: є поранені")


# --- explanation ------------------------------------------------------------------------


def test_report_lists_cues_with_matched_text_and_field() -> None:
    report = explain_relevance("Shahed drones shot down", "Debris fell in Kyiv region")
    by_label = {hit.label: hit for hit in report.hits}
    assert by_label["Shahed drones"].kind is CueKind.CORE
    assert by_label["Kyiv"].field == "summary" and by_label["Kyiv"].matched == "kyiv"
    assert by_label["air defence"].matched == "shot down"


def test_describe_has_a_line_per_cue() -> None:
    report = explain_relevance("Football: Dynamo Kyiv win the match")
    lines = report.describe().splitlines()
    assert lines[0].startswith("score ") and len(lines) == 1 + len(report.hits)
    assert any(line.lstrip().startswith("- negative") for line in lines)


def test_score_and_decision_agree() -> None:
    report = explain_relevance("Росія атакувала Київ ракетами")
    assert report.is_war == (report.score >= THRESHOLD) == is_about_war(
        "Росія атакувала Київ ракетами")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300),
       st.sampled_from([None, "en", "uk", "ru", "de", ""]))
def test_any_text_scores_between_zero_and_one(title: str, summary: str, lang: str | None) -> None:
    assert 0.0 <= war_relevance(title, summary, language=lang) <= 1.0


@pytest.mark.parametrize("module", [digest.stories.relevance, digest.language.stems], ids=lambda module: module.__name__)
def test_docstring_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
