"""Unit tests for digest.quotes.find and digest.quotes.speakers, on short texts written for these tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.models import Quote
from digest.quotes.find import best_quotes, find_quotes
from digest.quotes.speakers import strip_titles, to_nominative
from tests.shared_corpus import SEED, require_shared


def texts_and_speakers(text: str, language: str | None = None) -> list[tuple[str, str | None]]:
    """Full (free-standing) quotes only; partial quotes have tests of their own."""
    return [(q.text, q.speaker) for q in find_quotes(text, language=language) if q.kind == "full"]


def full_quotes(text: str, language: str | None = None) -> list[Quote]:
    return [q for q in find_quotes(text, language=language) if q.kind == "full"]


# --- quote marks -------------------------------------------------------------------------


def test_curly_quotes_with_speaker_after() -> None:
    text = "“We will not give up a single village,” Zelensky said on Monday."
    assert texts_and_speakers(text) == [("We will not give up a single village", "Zelensky")]


def test_straight_quotes_with_said_name_inverted() -> None:
    text = '"The bridge was hit twice overnight," said Oleh Syniehubov, the regional governor.'
    assert texts_and_speakers(text) == [("The bridge was hit twice overnight", "Oleh Syniehubov")]


def test_guillemets_with_dash_attribution_russian() -> None:
    text = "«Мы не видим оснований для оптимизма», — сказал Песков."
    assert texts_and_speakers(text, "ru") == [("Мы не видим оснований для оптимизма", "Песков")]


def test_low_high_quotes_ukrainian() -> None:
    text = "„Ми відновимо кожну зруйновану школу“, — заявила Свириденко."
    assert texts_and_speakers(text, "uk") == [("Ми відновимо кожну зруйновану школу", "Свириденко")]


def test_single_curly_quotes_and_apostrophes() -> None:
    text = "The mayor’s office said: ‘We don’t expect the water supply back before Friday.’"
    quotes = find_quotes(text, language="en")
    assert [q.text for q in quotes] == ["We don’t expect the water supply back before Friday."]


def test_colon_introduction_in_same_sentence() -> None:
    text = 'Kremlin spokesman Dmitry Peskov told reporters: "Contacts at expert level continue."'
    assert texts_and_speakers(text) == [("Contacts at expert level continue.", "Dmitry Peskov")]


def test_according_to_introduction() -> None:
    text = 'According to the Kremlin, "the talks will resume after the holidays."'
    assert texts_and_speakers(text) == [("the talks will resume after the holidays.", "Kremlin")]


def test_introduction_on_previous_paragraph() -> None:
    text = (
        "The agency published the interview. It includes a quote from Lavrov,\n\n"
        '"We are ready to listen to any serious proposal from our partners."'
    )
    assert texts_and_speakers(text) == [
        ("We are ready to listen to any serious proposal from our partners.", "Lavrov")
    ]


def test_blockquote_paragraph_wrapped_by_extractor() -> None:
    text = "Sybiha wrote:\n\n“Russia must understand that terror will not break us.”"
    assert texts_and_speakers(text) == [
        ("Russia must understand that terror will not break us.", "Sybiha")
    ]


# --- split, multi-paragraph and dash speech ---------------------------------------------------


def test_quote_split_around_he_said_is_one_quote() -> None:
    text = 'Nato chief Mark Rutte spoke. "We are ready," he said, "but not at any price."'
    assert texts_and_speakers(text) == [("We are ready, but not at any price.", "Mark Rutte")]


def test_russian_author_words_inside_guillemets_are_cut_out() -> None:
    text = "«Мы готовы, — сказал Песков, — но не любой ценой»."
    assert texts_and_speakers(text, "ru") == [("Мы готовы, но не любой ценой", "Песков")]


def test_two_sentences_after_attribution_are_two_quotes() -> None:
    text = '"The shelling stopped at dawn," the governor said. "Repairs will start later today."'
    assert [q.text for q in find_quotes(text)] == [
        "The shelling stopped at dawn",
        "Repairs will start later today.",
    ]


def test_quote_spanning_paragraphs_english_convention() -> None:
    text = (
        'Sandu said: "The vote was free and fair.\n\n'
        '"Nobody will take this choice away from Moldovans," she added.'
    )
    quotes = find_quotes(text, language="en")
    assert len(quotes) == 1
    assert quotes[0].text.startswith("The vote was free and fair.")
    assert quotes[0].text.endswith("away from Moldovans")


def test_quote_spanning_paragraphs_guillemet_convention() -> None:
    text = (
        "Мацюк заявив:\n«Ми отримали повідомлення вчора ввечері. Редакція вже працює.\n"
        "Наступного тижня ми оприлюднимо всі висновки», — сказав Мацюк."
    )
    quotes = find_quotes(text, language="uk")
    assert len(quotes) == 1
    assert quotes[0].speaker == "Мацюк"
    assert "Наступного тижня" in quotes[0].text


def test_dash_speech_paragraph_ukrainian() -> None:
    text = "— Більшість дронів збили над областю, — сказав Кім. — Уламки пошкодили два будинки."
    assert texts_and_speakers(text, "uk") == [
        ("Більшість дронів збили над областю. Уламки пошкодили два будинки.", "Кім")
    ]


def test_dash_speech_without_space_before_dash_russian() -> None:
    text = "— Господин министр,— продолжил Лавров,— ответил нам сразу: «Нет»."
    quotes = find_quotes(text, language="ru")
    assert [q.speaker for q in quotes] == ["Лавров"]
    assert quotes[0].text.startswith("Господин министр, ответил нам сразу")


def test_dash_speech_only_for_cyrillic_languages() -> None:
    assert find_quotes("— First item of a plain list with several words.", language="en") == []


# --- speakers ----------------------------------------------------------------------------------


def test_pronoun_carries_over_last_named_speaker() -> None:
    text = (
        '"We need more air defence," Zelensky said.\n\n'
        'Ukraine expects new deliveries. "Every system saves lives," he said.'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Zelensky", "Zelensky"]


def test_pronoun_resolves_to_person_introduced_since_last_quote() -> None:
    text = (
        '"We need more air defence," Zelensky said.\n\n'
        "Foreign Minister Andrii Sybiha later spoke to reporters.\n\n"
        '"Partners have heard us," he said.'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Zelensky", "Andrii Sybiha"]


def test_ukrainian_pronoun_carry_over() -> None:
    text = (
        "«Ми відновимо енергосистему до зими», — сказала Юлія Свириденко.\n"
        "«Це питання виживання країни», — наголосила вона."
    )
    assert [q.speaker for q in find_quotes(text, language="uk")] == ["Юлія Свириденко"] * 2


def test_russian_pronoun_carry_over() -> None:
    text = (
        "«Переговоры возможны», — заявил Дмитрий Песков.\n"
        "«Но сроков никто не устанавливает», — добавил он."
    )
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Дмитрий Песков"] * 2


def test_title_stripped_and_fullest_form_used() -> None:
    text = (
        "Russian dictator Vladimir Putin met Xi Jinping.\n\n"
        '"We are open to dialogue on fair terms," President Putin said.'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Vladimir Putin"]


def test_appositive_does_not_steal_the_speaker() -> None:
    text = '"We see no change," Dmitry Peskov, the Kremlin spokesman, said.'
    assert [q.speaker for q in find_quotes(text)] == ["Dmitry Peskov"]


def test_told_takes_the_name_before_it() -> None:
    text = '"The strike hit a school," Klymenko told Reuters.'
    assert [q.speaker for q in find_quotes(text)] == ["Klymenko"]


def test_ukrainian_za_slovamy_genitive_to_nominative() -> None:
    text = "За словами Володимира Зеленського, «Україна готова до справедливого миру»."
    assert [q.speaker for q in find_quotes(text, language="uk")] == ["Володимир Зеленський"]


def test_russian_po_slovam_genitive_to_nominative() -> None:
    text = "По словам Дмитрия Пескова, «контакты на уровне экспертов продолжаются»."
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Дмитрий Песков"]


def test_organisation_as_speaker() -> None:
    text = "«Перша партія бронемашин уже прибула до бригад», — повідомило Міноборони."
    assert [q.speaker for q in find_quotes(text, language="uk")] == ["Міноборони"]


def test_organisation_after_preposition_in_locative() -> None:
    text = '"Расследование завершено, дело направлено в суд", - сообщили в Нацполиции.'
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Нацполиция"]


def test_unattributed_quote_has_no_speaker() -> None:
    text = 'The banner read as follows. "Kharkiv will stand, whatever happens next."'
    assert [q.speaker for q in find_quotes(text)] == [None]


def test_to_nominative_endings() -> None:
    assert to_nominative("Олександра Сирського") == "Олександр Сирський"
    assert to_nominative("Сергея Лаврова") == "Сергей Лавров"
    assert to_nominative("Юлії Свириденко") == "Юлія Свириденко"
    assert to_nominative("Дмитра Кулеби", frozenset({"Дмитро"})) == "Дмитро Кулеба"
    assert to_nominative("Kaja Kallas") == "Kaja Kallas"


def test_strip_titles_keeps_the_name() -> None:
    assert strip_titles(["President", "Zelensky"]) == "Zelensky"
    assert strip_titles(["J.", "David", "Cox", "Sr."]) == "J. David Cox"
    assert strip_titles(["Президент"]) == ""


# --- what is not a key quote --------------------------------------------------------------------


def test_scare_quotes_are_not_key_quotes() -> None:
    text = 'Russia is "ready for negotiations" and wants Kyiv to withdraw "voluntarily".'
    assert full_quotes(text, language="en") == []
    assert best_quotes(find_quotes(text, language="en")) == []


def test_cyrillic_quoted_terms_are_not_key_quotes() -> None:
    text = "Кремль продовжує називати війну «спецоперацією», а окупацію — «звільненням»."
    assert find_quotes(text, language="uk") == []  # one-word terms are not quotes at all


def test_newspaper_names_are_not_quotes() -> None:
    text = 'The newspaper "Kommersant" and the agency "RIA Novosti Daily" reported it.'
    assert find_quotes(text, language="en") == []


def test_headline_after_work_noun_is_not_a_quote() -> None:
    text = "У матеріалі “Уряд затвердив нові правила для перевізників у прикордонні” немає джерел."
    assert find_quotes(text, language="uk") == []


def test_short_embedded_partial_quote_is_not_key() -> None:
    text = 'She called the plan "a disaster for everyone" and left the room.'
    [quote] = find_quotes(text, language="en")
    assert quote.kind == "partial"
    assert text[slice(*quote.span)] == "a disaster for everyone"
    assert best_quotes([quote]) == []


def test_partial_quote_speaker_with_party_tag_and_time_words() -> None:
    text = 'Rep. Jane Doe (D-Wis.) said Friday the bill was "a reckless scheme" and must go.'
    [quote] = find_quotes(text, language="en")
    assert (quote.kind, quote.speaker, quote.text) == ("partial", "Jane Doe", "a reckless scheme")


def test_full_quote_speaker_with_party_tag_after() -> None:
    text = 'Talks resumed.\n\n"We will not wait any longer," Rep. Jane Doe (D-Wis.) said Friday.'
    assert texts_and_speakers(text, "en") == [("We will not wait any longer", "Jane Doe")]


def test_appositive_and_relative_clause_then_pronoun() -> None:
    text = (
        "Professor Anna Berg, who studies drones at the Kyiv Institute, said the raids "
        'were "a warning".\n\n"They will come back every night," she said.'
    )
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Anna Berg", "Anna Berg"]


def test_anonymous_source_is_not_since_nato() -> None:
    text = 'Since the summit, a Nato official told reporters that "the line will hold for now".'
    [quote] = find_quotes(text, language="en")
    assert quote.speaker == "a Nato official"


def test_according_to_and_fullest_name() -> None:
    text = (
        "Vladimir Putin met envoys on Monday.\n\n"
        'According to Putin, "the talks were useful and will go on next week".'
    )
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Vladimir Putin"]


def test_role_resolves_to_the_person_named_before() -> None:
    text = (
        "Russian President Vladimir Putin spoke in Beijing.\n\n"
        '"We are open to a fair settlement of the conflict," the Russian president said.'
    )
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Vladimir Putin"]


def test_short_quote_with_attribution_after_is_key() -> None:
    assert texts_and_speakers('"That was it," Roof said.') == [("That was it", "Roof")]


# --- robustness -----------------------------------------------------------------------------


def test_empty_text() -> None:
    assert find_quotes("") == []
    assert find_quotes("   \n\n ") == []


def test_unbalanced_quotes_do_not_raise() -> None:
    text = 'He said "we will win and then « nothing „ at all ” and more'
    assert isinstance(find_quotes(text, language="en"), list)


def test_nested_quotes_give_only_the_outer_quote() -> None:
    text = '"They try to "punish" Russia and isolate it completely," he said.'
    assert [q.text for q in find_quotes(text, language="en")] == [
        'They try to "punish" Russia and isolate it completely'
    ]


def test_language_is_guessed_when_missing() -> None:
    text = "— Ми готові до переговорів, — заявив Сибіга."
    assert [q.speaker for q in find_quotes(text)] == ["Сибіга"]


def test_positions_point_into_the_text() -> None:
    text = (
        'Intro. "First quote is right here now," A. Smith said. '
        '"Second one is here too," he said.'
    )
    for quote in find_quotes(text):
        assert text[quote.position :].startswith(quote.text.split()[0])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab Я ,.:\n"“”«»„‘’—–\'`Xyz')), max_size=300))
def test_any_text_gives_ordered_quotes_from_the_text(text: str) -> None:
    quotes = find_quotes(text)
    assert all(isinstance(quote, Quote) for quote in quotes)
    positions = [quote.position for quote in quotes]
    assert positions == sorted(positions)
    for quote in quotes:
        first_word = quote.text.split()[0] if quote.text.split() else ""
        assert first_word in text


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    assert isinstance(find_quotes(text), list)


# --- best_quotes ------------------------------------------------------------------------------


def test_best_quotes_prefers_attributed_and_distinct_speakers() -> None:
    quotes = [
        Quote("We will keep fighting for every metre of our land.", "Zelensky", 10),
        Quote("Talks are possible only on fair terms for everybody.", "Zelensky", 80),
        Quote("Our position on the matter has not changed at all.", "Peskov", 150),
        Quote("Nobody knows what happens next in this war.", None, 220),
    ]
    best = best_quotes(quotes, limit=2)
    assert [q.speaker for q in best] == ["Zelensky", "Peskov"]


def test_best_quotes_returns_reading_order_and_respects_limit() -> None:
    quotes = [Quote(f"Quote number {i} has enough words to count.", f"S{i}", i) for i in range(5)]
    best = best_quotes(list(reversed(quotes)), limit=3)
    assert len(best) == 3
    assert [q.position for q in best] == sorted(q.position for q in best)


def test_best_quotes_of_nothing() -> None:
    assert best_quotes([]) == []


# --- the seed article -------------------------------------------------------------------------


def test_seed_article_putin_quotes() -> None:
    path = require_shared(SEED / "putin-peace-talks-article.txt")
    quotes = full_quotes(path.read_text(encoding="utf-8"))
    assert [q.speaker for q in quotes] == ["Vladimir Putin", "Vladimir Putin"]
    assert quotes[0].text.startswith("We want a comprehensive, stable and fair settlement")
    assert quotes[1].text.startswith("They are not ready for an equal, honest and open dialogue")
    assert 'try to "punish" Russia' in quotes[1].text


# --- attribution rules added for Russian and Ukrainian ----------------------------------------


def test_speech_verb_outside_any_fixed_list_is_recognised_by_its_stem() -> None:
    text = "«Мы рассчитываем на быстрый ответ партнёров», — констатировал Иван Смирнов."
    assert texts_and_speakers(text, "ru") == [
        ("Мы рассчитываем на быстрый ответ партнёров", "Иван Смирнов")
    ]


def test_colon_intro_with_new_verb_credits_the_subject_of_its_clause() -> None:
    text = (
        "Олег Гайдук хотел уйти, но Нина Белова покачала головой и запротестовала:\n"
        "— Я должна ответить на этот вопрос сама!"
    )
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Нина Белова"]


def test_first_name_and_patronymic_resolve_to_the_full_name() -> None:
    text = (
        "Глава региона Петр Соколов провёл совещание.\n"
        "Послушаем Петра Сергеевича: «Мы достроим мост к концу года, как обещали»."
    )
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Петр Соколов"]


def test_role_resolves_to_the_person_the_text_names_in_it() -> None:
    text = (
        "Министр финансов Эстонии Юри Каск приехал в Киев.\n"
        "«Мы поддержим бюджет Украины и в следующем году», — заявил министр финансов Эстонии."
    )
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Юри Каск"]


def test_role_without_a_named_holder_is_kept_as_the_speaker() -> None:
    text = "«Город работает в штатном режиме, все службы на местах», — заявил мэр Одессы."
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["мэр Одессы"]


def test_lower_case_office_in_the_locative_becomes_nominative() -> None:
    text = "«Водопостачання відновимо до вечора», — повідомили в міській раді."
    assert [q.speaker for q in find_quotes(text, language="uk")] == ["міська рада"]


def test_english_role_resolves_to_the_named_holder() -> None:
    text = (
        "US President Donald Trump met allies in Brussels.\n\n"
        'Later the US President said: "We will not pay for everyone else any more."'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Donald Trump"]


def test_person_named_beside_an_organisation_is_the_speaker() -> None:
    text = (
        "Kaja Kallas, the EU's foreign policy chief, said EU states will meet "
        '"to agree on the next package of sanctions against Moscow."'
    )
    assert [q.speaker for q in find_quotes(text)] == ["Kaja Kallas"]


def test_she_skips_a_male_speaker_for_the_last_named_woman() -> None:
    text = (
        "Мария Захарова и Дмитрий Песков выступили в среду.\n"
        "«Ответ будет зеркальным и быстрым», — сказала Захарова.\n"
        "«Переговоры пока не запланированы», — сказал Песков.\n"
        "«Мы предупреждали об этом заранее», — добавила она."
    )
    speakers = [q.speaker for q in find_quotes(text, language="ru")]
    assert speakers == ["Мария Захарова", "Дмитрий Песков", "Мария Захарова"]


def test_ukrainian_pronoun_in_the_lead_in_is_not_its_own_antecedent() -> None:
    text = (
        "«Польща залишиться нашим головним хабом», — запевнив Радослав Сікорський.\n"
        "Андрій Сибіга подякував колегам. Водночас він наголосив: «Історія не має бути "
        "інструментом тиску»."
    )
    assert [q.speaker for q in find_quotes(text, language="uk")] == [
        "Радослав Сікорський", "Андрій Сибіга",
    ]


def test_possessive_lead_resolves_like_a_pronoun() -> None:
    text = (
        "Речница МИД Анна Орлова выступила на брифинге. По её словам, «никаких "
        "договорённостей за спиной союзников не было»."
    )
    assert [q.speaker for q in find_quotes(text, language="ru")] == ["Анна Орлова"]


def test_role_from_the_shared_lexicon_when_the_article_names_the_person() -> None:
    text = (
        "Dmitry Peskov was not available in the morning.\n\n"
        "The White House said nothing.\n\n"
        '"There will be no talks on these terms," the Kremlin spokesman said.'
    )
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Dmitry Peskov"]


def test_quote_kind_and_span_point_into_the_text() -> None:
    text = 'Officials met.\n\n"We are ready," Jane Doe said, calling the offer "a trap".'
    quotes = find_quotes(text, language="en")
    assert [(q.kind, text[slice(*q.span)]) for q in quotes] == [
        ("full", "We are ready,"), ("partial", "a trap")
    ]
    assert [q.speaker for q in quotes] == ["Jane Doe", "Jane Doe"]


def test_party_and_state_tag_and_a_day_after_the_verb_are_not_speakers() -> None:
    text = "“We will hold them to account,” Sen. Jane Whitmore (D-N.Y.) said Tuesday."
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Jane Whitmore"]


def test_lower_case_title_words_inside_a_name_phrase() -> None:
    text = "“The review is under way,” White House press secretary Tom Reyes said Monday."
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Tom Reyes"]


def test_adverb_opening_a_sentence_is_not_an_opening_phrase() -> None:
    text = ("Meanwhile Dana Kovac, who won the award, spoke about patience. "
            "“You only fail when you stop,” she said.")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Dana Kovac"]


def test_speaker_set_off_by_commas_inside_the_sentence() -> None:
    text = ("The puzzle of the campaign, says Ruth Alder, a historian at Brown University, "
            "is that it was \"the quietest race in living memory.\"")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Ruth Alder"]


def test_time_phrase_opening_a_sentence_is_not_its_subject() -> None:
    text = ("Governor Lena Marsh spoke early on Monday. Hours later, she issued a statement "
            "calling for the state \"to rebuild every bridge we lost\" within a year.")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Lena Marsh"]


def test_name_before_a_participle_in_its_own_clause_speaks() -> None:
    text = ("Both leaders issued a statement after the talks – Moreau saying she was "
            "“deeply encouraged” and Keller calling it a “productive meeting.”")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Moreau", "Keller"]


def test_reported_and_remembered_are_speech_verbs() -> None:
    text = "“The talks broke down twice,” the Daily Ledger reported on Sunday."
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Daily Ledger"]
    text = "“She never backed down,” remembered Paul Granger, her former aide."
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Paul Granger"]


def test_office_resolves_to_the_lone_surname_opening_the_sentence_before() -> None:
    text = ("Regarding the raid, Hollis defended the process. “We executed the plan as well "
            "as anyone could have expected,” the president told reporters.")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Hollis"]


def test_a_work_that_speaks_is_its_authors_voice() -> None:
    text = ("Senator Dana Price is releasing a new 30-second ad that urges voters to "
            "“send a message” to the banks.")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Dana Price"]


def test_and_said_after_a_participle_goes_back_to_the_clause_subject() -> None:
    text = ("Union chief Rosa Lind issued a statement saying the remark \"has no place in our "
            "politics\" and said leaders will face a \"day of reckoning.\"")
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Rosa Lind", "Rosa Lind"]


def test_ordinal_opening_a_sentence_is_not_its_subject() -> None:
    text = "First, Byrne identified the judge as “Spanish,” which is what some call people."
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Byrne"]


def test_date_before_a_colon_is_passed_to_the_name() -> None:
    text = "Here is Harlan in December 1992: “Our new direction must rest on the new realities.”"
    assert [q.speaker for q in find_quotes(text, language="en")] == ["Harlan"]
