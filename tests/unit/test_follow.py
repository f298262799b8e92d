"""Follow and mute matching (digest/stories/follow.py) on invented reports."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from digest.language.embedding import DIMENSIONS, to_blob
from digest.models import NewsItem
from digest.stories.follow import (
    PRESETS,
    FollowOptions,
    Topic,
    preset,
    resolve_topic,
    story_topics,
)


def report(title: str, *, summary: str = "", language: str = "en",
           vector: np.ndarray | bytes | None = None) -> NewsItem:
    return NewsItem("https://example.test/1", title, summary, datetime(2025, 1, 1, tzinfo=UTC),
                    "outlet", "international", language, vector)


def topic(words: str) -> Topic:
    found = resolve_topic(words)
    assert found is not None
    return found


def keys(reports: list[NewsItem], *follows: str) -> set[str]:
    return set(story_topics(reports, [topic(w) for w in follows], {}))


# --- resolving -----------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["Kharkiv", "Харків", "Харькове", "kharkov", "Харкові",
                                   "Kharkiv region", "Харківська область", "  KHARKIV  "])
def test_every_spelling_and_inflection_of_kharkiv_is_one_follow(words: str) -> None:
    assert resolve_topic(words) == preset("kharkiv")


@pytest.mark.parametrize("words, key", [
    ("peace talks", "peace-talks"), ("переговоры", "peace-talks"), ("мирні переговори", "peace-talks"),
    ("sanctions", "sanctions"), ("санкціями", "sanctions"), ("POWs", "pows"),
    ("военнопленные", "pows"), ("front line", "front-line"), ("на фронте", "front-line"),
    ("air strikes", "air-strikes"), ("ракетные удары", "air-strikes"), ("military aid", "aid"),
    ("Донецкая область", "donetsk"), ("Запоріжжя", "zaporizhzhia"), ("Одессе", "odesa"),
])
def test_words_in_three_languages_resolve_to_the_preset(words: str, key: str) -> None:
    assert topic(words).key == key


def test_lexicon_entries_outside_the_presets_resolve_to_their_id() -> None:
    assert topic("Zelensky") == topic("Зеленського") == topic("Зеленскому")
    assert topic("Zelensky").key == "zelensky"
    assert topic("Курщина").key == topic("Kursk").key == "kursk"
    assert topic("IAEA").label == "IAEA"


def test_free_text_keys_are_stable_and_normalised() -> None:
    assert topic("  Olaf   SCHOLZ ") == Topic("text:olaf scholz", "Olaf SCHOLZ", frozenset(),
                                              "Olaf SCHOLZ")
    assert topic("Olaf Scholz").key == topic("olaf scholz").key == "text:olaf scholz"
    assert topic("Ёлкино").key == "text:елкино"


@pytest.mark.parametrize("garbage", ["", "   ", "!!!", "12345", "🙂🙂", "a" * 65, "the"])
def test_garbage_is_refused(garbage: str) -> None:
    assert resolve_topic(garbage) is None


def test_presets_are_the_settings_keyboard_and_resolve_by_their_labels() -> None:
    assert [t.label for t in PRESETS] == [
        "Kyiv", "Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Donetsk region",
        "Sumy", "Lviv", "front line", "air strikes", "peace talks", "sanctions", "POWs", "aid",
    ]
    for item in PRESETS:
        assert re.fullmatch(r"[a-z0-9-]{1,20}", item.key)
        assert preset(item.key) is item
        assert resolve_topic(item.label) == item
        assert item.ids and item.query
    assert preset("nope") is None


# --- matching, lexicon only ----------------------------------------------------------------


def test_peace_talks_catches_a_russian_report_of_talks_in_istanbul() -> None:
    story = [report("Делегации России и Украины начали переговоры в Стамбуле", language="ru")]
    assert keys(story, "peace talks") == {"peace-talks"}


def test_kharkiv_follow_catches_every_language_of_a_report() -> None:
    for title, language in (("Обстріл Харкова: троє поранених", "uk"),
                            ("В Харькове прозвучали взрывы", "ru"),
                            ("Blasts heard in Kharkiv overnight", "en")):
        assert keys([report(title, language=language)], "Харків") == {"kharkiv"}
    assert keys([report("Blasts heard in Odesa overnight")], "Харків") == set()


def test_air_strikes_need_a_weapon_and_a_strike_not_a_drone_in_an_aid_package() -> None:
    strike = [report("Russian drones struck an energy facility overnight, two injured")]
    package = [report("The new aid package includes drones and armoured vehicles")]
    assert keys(strike, "air strikes") == {"air-strikes"}
    assert keys(package, "air strikes") == set()
    assert keys(package, "aid") == {"aid"}


def test_front_line_means_ground_fighting_not_any_strike() -> None:
    fighting = [report("Войска отразили три контратаки у Покровска", language="ru")]
    strike = [report("Missile strike on a port: debris damaged a warehouse")]
    assert keys(fighting, "front line") == {"front-line"}
    assert keys(strike, "front line") == set()


def test_a_front_line_town_names_where_not_what_happens() -> None:
    bombed = [report("A glide bomb hit a residential block in Kostiantynivka, three injured")]
    assert keys(bombed, "front line") == set()
    assert keys(bombed, "air strikes") == {"air-strikes"}
    assert topic("Bakhmut").key == "front-line"  # the town still resolves to its follow


def test_a_region_with_a_site_in_it_is_still_followed_as_a_place() -> None:
    assert keys([report("Overnight shelling in Zaporizhzhia damaged a school")],
                "Zaporizhzhia") == {"zaporizhzhia"}
    assert keys([report("IAEA team rotates at the Zaporizhzhia nuclear plant")],
                "Zaporizhzhia") == {"zaporizhzhia"}
    assert keys([report("Moscow insists Zaporizhzhia is Russian")], "Zaporizhzhia") == set()


def test_free_text_matches_its_words_across_scripts_and_inflections() -> None:
    story = [report("Путин ничего не передавал через Шольца", language="ru")]
    assert keys(story, "Scholz") == {"text:scholz"}
    assert keys(story, "Olaf Scholz") == set()  # every word must appear
    assert keys([report("Scholtenberg said nothing")], "Scholz") == set()


def test_several_follows_at_once_and_empty_inputs() -> None:
    story = [report("Zelensky in Kyiv: the talks with the EU on sanctions go on")]
    assert keys(story, "Kyiv", "Zelensky", "sanctions", "Odesa") == {"kyiv", "zelensky", "sanctions"}
    assert story_topics([], [topic("Kyiv")], {}) == frozenset()
    assert story_topics(story, [], {}) == frozenset()


# --- matching with vectors -----------------------------------------------------------------


def unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_meaning_confirms_a_hit_and_can_stand_alone() -> None:
    scholz = topic("Scholz")
    near = unit(1)
    vectors = {scholz.key: near}
    mention = [report("Scholz arrives for talks overnight", vector=unit(2))]
    same_meaning = [report("A report with no name in it", vector=near)]
    assert story_topics(mention, [scholz], vectors, FollowOptions(confirm_cos=-1.0)) == {"text:scholz"}
    assert story_topics(mention, [scholz], vectors, FollowOptions(confirm_cos=0.9)) == frozenset()
    assert story_topics(same_meaning, [scholz], vectors, FollowOptions(alone_cos=0.9)) == {"text:scholz"}
    assert story_topics(same_meaning, [scholz], {}, FollowOptions(alone_cos=0.9)) == frozenset()


def test_stored_blobs_are_read_and_reports_without_vectors_fall_back_to_the_lexicon() -> None:
    scholz = topic("Scholz")
    near = unit(3)
    blob_story = [report("Nothing named here", vector=to_blob(near))]
    assert story_topics(blob_story, [scholz], {scholz.key: near},
                        FollowOptions(alone_cos=0.9)) == {"text:scholz"}
    bare = [report("Scholz in Kyiv", vector=None), report("Another", vector=b"short")]
    assert story_topics(bare, [scholz], {scholz.key: near},
                        FollowOptions(confirm_cos=2.0)) == {"text:scholz"}


@pytest.mark.parametrize("title, language, expected", [
    ("Explosions heard in Kyiv overnight", "en", {"kyiv"}),
    ("Drones over the Kyiv region", "en", {"kyiv"}),
    ("Drone attack on Kyiv: two injured", "en", {"kyiv"}),
    ("В Киеве ввели отключения света", "ru", {"kyiv"}),
    ("У Києві пролунали вибухи", "uk", {"kyiv"}),
    ("Обстріл Києва: троє поранених", "uk", {"kyiv"}),
    ("Дроны сбиты над Киевской областью", "ru", {"kyiv"}),
    ("Kyiv says the talks have stalled", "en", set()),
    ("Washington presses Kyiv to lower the draft age", "en", set()),
    ("Песков: у Киева нет плана", "ru", set()),
    ("США усилят давление на Киев", "ru", set()),
    ("Киевский режим отверг предложение", "ru", set()),
])
def test_a_place_counts_where_the_event_happens_not_as_the_government(
    title: str, language: str, expected: set[str]
) -> None:
    far = unit(4)  # meaning does not decide for a place: the report's words do
    kyiv = topic("Kyiv")
    story = [report(title, language=language, vector=far)]
    assert set(story_topics(story, [kyiv], {kyiv.key: unit(5)})) == expected


def test_a_learned_topic_model_finds_a_story_without_the_topics_words() -> None:
    from digest.stories.follow import verdict
    from digest.stories.follow_model import TopicModel

    direction = unit(6)
    model = TopicModel(direction * 8, (1.0, 0.5, 0.0), -4.0, 0.5)
    assert verdict("topic", "none", 0.0, direction, model)
    assert not verdict("topic", "none", 0.0, unit(7), model)
    assert verdict("topic", "none", 0.0, direction, None) is False  # no model: the cuts
    assert not verdict("place", "none", 0.9, direction, model)  # a place: its name decides


def test_an_encoded_peace_talks_query_is_near_an_istanbul_talks_report() -> None:
    from digest.language.embedding import load_encoder

    encoder = load_encoder()
    if encoder is None:
        pytest.skip("embedding engine unavailable")
    talks, strikes = topic("peace talks"), topic("air strikes")
    vectors = dict(zip([talks.key, strikes.key], encoder.encode([talks.query, strikes.query]),
                       strict=True))
    text = "Делегации России и Украины провели переговоры в Стамбуле об обмене и перемирии"
    story = [report(text, language="ru", vector=encoder.encode([text])[0])]
    assert story_topics(story, [talks, strikes], vectors) == {"peace-talks"}


def test_a_topic_rebuilt_from_its_stored_fields_matches_like_the_preset() -> None:
    """Storage keeps key, label, ids and query; the air-strikes co-mention rule follows the key."""
    stored = preset("air-strikes")
    assert stored is not None
    rebuilt = Topic(stored.key, stored.label, frozenset(sorted(stored.ids)), stored.query)
    package = [report("The new aid package includes drones and armoured vehicles")]
    strike = [report("Ракетный удар по Одессе: погибли двое", language="ru")]
    for item in (stored, rebuilt):
        assert story_topics(package, [item], {}) == frozenset()
        assert story_topics(strike, [item], {}) == {"air-strikes"}


# --- story-level evidence: how a story names a person ----------------------------------------


@pytest.mark.parametrize("title, language", [
    ("Putin's economy slows as prices climb", "en"),
    ("Путинский режим снова меняет правила выборов", "ru"),
    ("Путінська пропаганда шукає нових союзників", "uk"),
    ('A chess champion: "this war is not only about Putin, it is about all of us"', "en"),
    ("Политолог: «Путин не пойдёт на уступки", "ru"),  # a quote cut off runs to the end
])
def test_a_person_named_only_as_a_modifier_is_not_followed(title: str, language: str) -> None:
    assert keys([report(title, language=language)], "Putin") == set()


@pytest.mark.parametrize("title, language, expected", [
    ("Putin says the economy is growing", "en", {"putin"}),
    ("Путин заявил о росте экономики", "ru", {"putin"}),
    ("Встреча с Зеленским прошла в Берлине", "ru", {"zelensky"}),  # his stem ends in -ск-
    ("Zelensky's envoy meets Putin", "en", {"putin"}),
    ("Putin's aide says Putin will meet Zelensky", "en", {"putin", "zelensky"}),
    ('Putin: "we were never against it"', "en", {"putin"}),
])
def test_a_person_named_in_a_title_as_such_is_followed(
    title: str, language: str, expected: set[str]
) -> None:
    assert keys([report(title, language=language)], "Putin", "Zelensky") == expected


def test_a_person_one_statement_of_a_summit_story_names_is_not_its_speaker() -> None:
    summit = [report("Alliance leaders agree to station more troops on the eastern flank"),
              report("Summit ends with a bigger rapid reaction force"),
              report("Chancellor says Putin has achieved the opposite of his aims")]
    assert keys(summit, "Putin") == set()
    presser = [report("Putin holds a press conference after the summit"),
               report("Putin warns neighbours over new bases"),
               report("Questions on the economy dominate the Kremlin briefing")]
    assert keys(presser, "Putin") == {"putin"}


def test_a_person_named_only_in_a_summary_is_a_side_remark_but_a_place_is_not() -> None:
    story = [report("Other statements from the briefing",
                    summary="The minister also mentioned Putin and drones over the Kursk region")]
    assert keys(story, "Putin", "Kursk") == {"kursk"}
    headline = [report("Putin meets the minister", summary="Talks lasted two hours")]
    assert keys(headline, "Putin") == {"putin"}


def test_a_topic_named_only_in_summaries_needs_the_body_cut() -> None:
    talks = topic("peace talks")
    near = unit(5)
    story = [report("Other statements", summary="He spoke of peace talks next year", vector=near)]
    vectors = {talks.key: near}
    cuts_only = FollowOptions(body_cos=0.5, learned=False)
    assert story_topics(story, [talks], vectors, cuts_only) == {"peace-talks"}
    assert story_topics(story, [talks], vectors,
                        FollowOptions(confirm_cos=-1.0, body_cos=1.5, learned=False)) == frozenset()


@pytest.mark.parametrize("title", [
    "Kyiv Independent: Finland's defence chief speaks on readiness",
    "Kyiv Post: the minister of defence resigns",
    "A Kyiv-based analyst expects a long winter",
])
def test_a_place_in_an_outlets_name_or_as_a_base_is_not_the_scene(title: str) -> None:
    assert keys([report(title)], "Kyiv") == set()
    assert keys([report(title + "; explosions in Kyiv")], "Kyiv") == {"kyiv"}


@pytest.mark.parametrize("title, language", [
    ("Minister says nuclear arms talks must resume", "en"),
    ("Москва готова к переговорам о контроле над вооружениями", "ru"),
])
def test_arms_control_talks_are_not_peace_talks(title: str, language: str) -> None:
    assert keys([report(title, language=language)], "peace talks") == set()
    assert keys([report("Peace talks and arms control talks on the agenda")],
                "peace talks") == {"peace-talks"}


def test_without_meaning_only_a_title_names_a_topic_but_a_place_counts_from_a_summary() -> None:
    side_remark = [report("Other statements from the briefing",
                          summary="He also mentioned sanctions and the Kursk region")]
    assert keys(side_remark, "sanctions", "Kursk") == {"kursk"}
    assert keys([report("New sanctions on Russian banks")], "sanctions") == {"sanctions"}


def test_a_stored_topic_naming_an_id_the_lexicon_lost_still_matches_by_the_rest() -> None:
    stored = Topic("putin", "Putin", frozenset({"putin", "no-such-entry"}), "Putin")
    assert story_topics([report("Putin says talks are possible")], [stored], {}) == {"putin"}


def test_a_person_keeps_their_own_name_not_the_group_the_lexicon_puts_them_in() -> None:
    from digest.stories.follow import resolve_topic

    topic = resolve_topic("Залужний")
    assert topic is not None and topic.label == "Zaluzhny"


def test_the_shipped_topic_models_load_and_a_file_of_other_cues_is_refused(tmp_path: Path) -> None:
    from digest.stories.follow_model import WEIGHTS, load_models

    models = load_models()
    assert set(models) == {"air-strikes", "front-line", "aid", "sanctions", "peace-talks"}
    assert all(model.embedding.shape == (DIMENSIONS,) for model in models.values())
    other = tmp_path / "follows.json"
    other.write_text(WEIGHTS.read_text(encoding="utf-8").replace("query_cosine", "other"),
                     encoding="utf-8")
    with pytest.raises(ValueError, match="other cue features"):
        load_models(other)
    assert load_models(tmp_path / "absent.json") == {}
