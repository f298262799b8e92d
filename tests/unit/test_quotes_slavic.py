"""Ukrainian and Russian speakers as real copy writes them: dictionary forms, and the words
next to a speech verb that are not speakers. Sentences written for these tests."""

from __future__ import annotations

import pytest

from digest.models import Quote
from digest.quotes.find import best_quotes, find_quotes
from digest.quotes.morph import speaker_form
from digest.quotes.titles import strip_titles


def speakers(text: str, language: str) -> list[str | None]:
    return [q.speaker for q in find_quotes(text, language=language)]


@pytest.mark.parametrize(
    ("written", "language", "shown"),
    [
        ("Марии Захаровой", "ru", "Мария Захарова"),
        ("Володимира Зеленського", "uk", "Володимир Зеленський"),
        ("Учора Нафтогаз", "uk", "Нафтогаз"),
        ("представника міністерства оборони", "uk", "представник міністерства оборони"),
        ("Кремле", "ru", "Кремль"),
        ("Joe Biden", "uk", "Joe Biden"),
    ],
)
def test_speaker_in_dictionary_form(written: str, language: str, shown: str) -> None:
    assert speaker_form(written, language) == shown


@pytest.mark.parametrize(
    ("written", "language"),
    [("Ранее", "ru"), ("Водночас", "uk"), ("После Украине", "ru"), ("Страсбурзі", "uk"),
     ("Воздушные", "ru"), ("Державний", "uk"), ("Як", "uk"), ("Его", "ru"), ("Ему", "ru")],
)
def test_adverbs_oblique_places_and_fragments_are_no_speakers(written: str, language: str) -> None:
    assert speaker_form(written, language) is None


def test_genitive_lead_gives_the_nominative_name() -> None:
    text = "По словам Ивана Сидоренко, «поставки зерна восстановятся к концу месяца»."
    assert speakers(text, "ru") == ["Иван Сидоренко"]


def test_adverb_before_the_verb_is_not_the_speaker() -> None:
    text = "«Мы не видим никаких причин менять наши планы на эту весну», — ранее заявил он."
    assert speakers(text, "ru") == [None]


def test_names_of_things_in_quotation_marks_are_not_quotes() -> None:
    text = ("Компанія «Зелена енергія» оголосила тендер. Проєкт «Нова Гавань» коштуватиме "
            "мільярд, повідомив міністр Іван Коваль.")
    assert find_quotes(text, language="uk") == []


def test_titles_of_laws_and_films_are_not_quotes_but_a_verdict_on_one_is() -> None:
    text = ("Депутат Ольга Жукова предложила поправки в закон «О защите прав потребителей». "
            "Об этом она рассказала для документального фильма «Как живут в провинции?». "
            "Министр Павел Орлов назвал закон «безнадёжно устаревшим».")
    assert [q.text for q in find_quotes(text, language="ru")] == ["безнадёжно устаревшим"]


def test_short_quote_with_dash_attribution_stays_a_quote() -> None:
    text = "«Переговоры продолжатся», — заявил Олег Смирнов."
    assert speakers(text, "ru") == ["Олег Смирнов"]


def test_impersonal_attribution_makes_a_quote() -> None:
    text = ("Депутати ухвалили звернення.\n«Закликаємо партнерів посилити санкції проти "
            "агресора негайно», - сказано у зверненні.")
    assert [q.kind for q in find_quotes(text, language="uk")] == ["full"]


def test_role_without_a_name_resolves_to_the_person_just_named() -> None:
    text = ("Игорь Волков выступил на форуме в среду.\n"
            "«Рынок переживёт эту зиму без серьёзных потрясений», — отметил зампред комитета.")
    assert speakers(text, "ru") == ["Игорь Волков"]


def test_role_stays_a_description_when_no_person_is_named() -> None:
    text = "«Рынок переживёт эту зиму без серьёзных потрясений», — отметил зампред комитета."
    assert speakers(text, "ru") == ["зампред комитета"]


def test_statement_quote_credits_the_source_named_before_it() -> None:
    text = ("Про це повідомила прес-служба Укрзалізниці, передає агентство Новини.\n"
            "«Усі потяги курсують за графіком попри нічні атаки», — йдеться в повідомленні.")
    assert speakers(text, "uk") == ["Укрзалізниця"]


def test_replies_show_only_quotes_with_a_proper_speaker() -> None:
    quotes = [
        Quote("Ми відбудуємо кожну школу до осені.", "вона", 0),
        Quote("Мы восстановим каждый мост к лету.", "Ранее", 50),
        Quote("Мы восстановим каждую дорогу к осени.", "Пескову", 100),
        Quote("Ми відбудуємо кожну лікарню до зими.", "Юлія Свириденко", 150),
        Quote("Нам нужно больше времени на ремонт.", None, 200),
    ]
    assert [q.speaker for q in best_quotes(quotes)] == ["Юлія Свириденко"]


def test_forgotten_closing_guillemet_ends_at_the_next_quote() -> None:
    text = ("«Цены вырастут, — говорит один продавец. — Но полки не опустеют. "
            "«Паники нет и не будет в ближайшие месяцы», — добавил другой торговец.")
    found = find_quotes(text, language="ru")
    assert [q.speaker for q in found] == ["один продавец", "другой торговец"]
    assert found[0].text.startswith("Цены вырастут") and "Паники" not in found[0].text


def test_one_word_inside_reported_speech_is_a_partial_quote() -> None:
    text = "Компания заявила, что спишет «устаревшие» танкеры до конца года."
    assert [(q.kind, q.text) for q in find_quotes(text, language="ru")] == [("partial", "устаревшие")]


def test_reporters_one_word_term_is_not_a_quote() -> None:
    text = "Власти продолжают так называемую «мобилизацию» в регионах."
    assert find_quotes(text, language="ru") == []


def test_person_named_after_a_capitalised_office_is_the_subject() -> None:
    text = ("Генеральний прокурор області Ірина Коваль назвала позов безпідставним і заявила, "
            "що позивачі «просто тягнуть час».")
    assert speakers(text, "uk") == ["Ірина Коваль"]


def test_single_letter_is_never_a_speaker() -> None:
    assert speaker_form("В", "ru") is None


def test_capitalised_conjunction_opening_the_lead_in_is_nobody() -> None:
    text = "Как заявила официальный представитель ведомства Анна Белова, «решение уже принято»."
    assert speakers(text, "ru") == ["Анна Белова"]


def test_statement_named_by_its_author_credits_the_author() -> None:
    text = ("Об этом говорится в заявлении Росавиации.\n"
            "«Полёты в южные аэропорты возобновятся не раньше пятницы», — отмечается в документе.")
    assert speakers(text, "ru") == ["Росавиация"]


def test_unnamed_source_stays_a_described_source() -> None:
    text = "«Полёты возобновятся не раньше пятницы», — рассказал источник в ведомстве."
    assert speakers(text, "ru") == ["источник в ведомстве"]


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        ("«Ночью над городом сбиты два беспилотника», — написал в Telegram-канале "
         "губернатор области Пётр Соколов.", "ru", "Пётр Соколов"),
        ("«Вночі над містом збито два дрони», — сказав в ефірі телемарафону речник "
         "обласної адміністрації Олег Мельник.", "uk", "Олег Мельник"),
        ("«Переговоры возможны в любой момент», — цитирует Андрея Смирнова агентство.",
         "ru", "Андрей Смирнов"),
    ],
)
def test_speaker_after_where_it_was_said(text: str, language: str, speaker: str) -> None:
    assert speakers(text, language) == [speaker]


def test_quote_inside_a_that_clause_belongs_to_the_framing_verb() -> None:
    text = ("Олег Смирнов добавил, что страны союза выступили против "
            "«любых попыток изменить границы силой».")
    assert speakers(text, "ru") == ["Олег Смирнов"]


def test_statement_after_a_sentence_about_a_body_credits_that_body() -> None:
    text = ("Депутати внесли проєкт постанови в понеділок.\n"
            "«Уряд має звітувати щомісяця про витрати на оборону», — йдеться в тексті постанови.")
    assert speakers(text, "uk") == ["Депутати"]


def test_according_to_data_of_a_source() -> None:
    text = "За даними Укрзалізниці, «рух потягів відновлено на всіх напрямках»."
    assert speakers(text, "uk") == ["Укрзалізниця"]


def test_body_in_the_locative_before_an_impersonal_verb_speaks() -> None:
    text = "Позже в министерстве обороны Эстонии пояснили: «Учения пройдут по плану и без изменений»."
    assert speakers(text, "ru") == ["министерство обороны Эстонии"]


def test_word_unknown_to_the_dictionary_is_left_as_written() -> None:
    assert speaker_form("Укртрансгаз", "uk") == "Укртрансгаз"


def test_name_in_quotes_followed_by_a_relative_clause_is_not_a_quote() -> None:
    text = ("Міністр Іван Коваль у Брюсселі заявив, що Європі не потрібен проєкт "
            "\"Східний міст\" , який посилить залежність від імпорту.")
    assert find_quotes(text, language="uk") == []


def test_pronoun_takes_the_person_of_its_gender_named_beside_the_subject() -> None:
    text = ("Депутат Олег Синицын и сенатор Ирина Ковалёва обсудили поправки. "
            "«Закон нужно принять до конца сессии», — сказала она.")
    assert speakers(text, "ru") == ["Ирина Ковалёва"]


def test_office_after_a_feminine_verb_is_the_woman_just_named() -> None:
    text = ("Глава верхней палаты Ольга Семёнова выступила в Казани.\n"
            "«Мы ждём ответа от партнёров до весны», — заявила председатель Совета Федерации.")
    assert speakers(text, "ru") == ["Ольга Семёнова"]


def test_sentences_glued_without_a_space_still_end() -> None:
    text = ("Об этом заявил посол Нигерии в Минске Карим Обаси.Обаси прибыл в город "
            "в марте, после того как МИД выдал ему аккредитацию.\"Мы справимся сами, помощь "
            "нам не нужна\", - сказал глава дипмиссии.")
    assert speakers(text, "ru") == ["Карим Обаси"]


def test_announcing_verb_frames_a_partial_quote_and_the_office_speaks() -> None:
    text = ("Незрозуміло, що мав на увазі прем'єр Угорщини, який нещодавно оголосив "
            "про \"велику перемогу\" на переговорах.")
    assert speakers(text, "uk") == ["прем'єр Угорщини"]


def test_reported_to_verb_counts_as_speech() -> None:
    text = "«Все поставленные задачи выполнены в срок», — доложил генерал Игорь Соколов."
    assert speakers(text, "ru") == ["Игорь Соколов"]


def test_straight_quote_opening_merged_with_a_nested_name_ends_at_the_attribution() -> None:
    text = ("У компанії заявили, що \"Сигма\" маніпулює словами. \"Сигма\" свідомо маніпулює "
            "словами і підміняє поняття. Суд призупинив рішення щодо \"Омеги Груп\" на час "
            "розгляду скарги \", - пояснюється в коментарі НАК.")
    quotes = find_quotes(text, language="uk")
    assert [q.text[:15] for q in quotes] == ["Сигма\" свідомо "]
    assert quotes[0].text.endswith("розгляду скарги")
    assert quotes[0].speaker == "НАК"


def test_impersonal_statement_verb_names_the_document_author() -> None:
    text = "«Противник потерял до трёхсот военнослужащих», — говорится в сообщении Минобороны России."
    assert speakers(text, "ru") == ["Минобороны России"]


def test_verb_after_a_comma_credits_the_person_after_it_and_he_refers_to_that_person() -> None:
    text = ("Финляндия не планирует закрывать границу, заявил посол страны в Москве Мартин "
            "Андерсен.\n\"Нет, таких планов сейчас нет\", - сказал он в интервью радио.")
    assert speakers(text, "ru") == ["Мартин Андерсен"]


def test_first_name_in_the_genitive_keeps_its_gender() -> None:
    text = ("Рубль упадёт до 150 за доллар, прогноз экономиста Игоря Соболева. "
            "«В целом всё идёт к этому», заявил он, добавив подробности.")
    assert speakers(text, "ru") == ["Игорь Соболев"]


@pytest.mark.parametrize(
    ("written", "shown"),
    [("НАТО Столтенберг", "Столтенберг"), ("News Зеленский", "Зеленский"), ("МУС", "МУС"),
     ("МИДе", "МИД"), ("НАКу", "НАК"), ("Алексея Кричевского", "Алексей Кричевский"),
     ("Кустов", "Кустов"), ("Демократов", "Демократы"), ("Кая Лаас", "Кая Лаас")],
)
def test_labels_acronyms_and_unknown_surnames_beside_a_known_first_name(written: str, shown: str) -> None:
    assert speaker_form(written, "ru") == shown


def test_medium_after_a_preposition_before_the_verb_is_not_the_speaker() -> None:
    text = ("Губернатор области Павел Зимин в своем Telegram-канале написал: "
            "«Ночью над регионом сбиты восемь беспилотников».")
    assert speakers(text, "ru") == ["Павел Зимин"]


def test_indeclinable_body_opening_the_sentence_authors_the_statement() -> None:
    text = ("Минобороны России опубликовало сводку. «Подразделения заняли более выгодные "
            "рубежи», — говорится в сообщении.")
    assert speakers(text, "ru") == ["Минобороны России"]


def test_first_name_the_dictionary_lacks_is_not_declined() -> None:
    assert speaker_form("Ллойд Остин", "ru") == "Ллойд Остин"


def test_company_name_in_quotes_before_a_speech_verb_is_still_a_name() -> None:
    text = ("Водители вышли на акцию протеста против комиссии со стороны \"Северный Путь\", "
            "сообщил \"Интерфакс\".")
    assert find_quotes(text, language="ru") == []


def test_one_word_a_named_speaker_calls_something_is_a_quote() -> None:
    assert speakers("Ирина Белова назвала это решение «провокацией».", "ru") == ["Ирина Белова"]
    assert speakers("Сенатор Марк Стоун назвав вибори \"сфальсифікованими\".", "uk") == ["Марк Стоун"]


def test_impersonal_naming_is_the_reporters_label() -> None:
    assert find_quotes("Март оказался худшим месяцем, так что его назвали «чёрным».", language="ru") == []


def test_person_inside_the_sentence_beats_its_capitalised_adjective() -> None:
    text = ("Военный эксперт Игорь Лаптев в беседе с «Газетой.ру» объяснил, почему это важно. "
            "«Противник пытается перебросить резервы», — пояснил аналитик.")
    assert speakers(text, "ru") == ["Игорь Лаптев"]


def test_name_after_a_document_noun_is_whose_statement_not_who_speaks() -> None:
    text = ("В Кремле прокомментировали заявление Макрона. «Это очень опасная тенденция», "
            "— отметил пресс-секретарь президента.")
    assert speakers(text, "ru") == ["пресс-секретарь президента"]


def test_quote_standing_after_a_sentence_of_reported_speech_is_its_speakers() -> None:
    text = ("Министр финансов Олег Рябов отметил, что бюджет выполняется по плану. "
            "«Дефицит не превысит прогнозных значений».")
    assert speakers(text, "ru") == ["Олег Рябов"]


def test_speech_verb_in_a_clause_of_its_own_after_the_quote_is_not_its_attribution() -> None:
    text = ("Депутат Олег Синицын заявил о провокации.\nОн отметил, что первые \"коктейли "
            "Молотова\" полетели сразу после того, как глава миссии Анна Берг публично назвала "
            "протесты законными.")
    assert speakers(text, "ru") == ["Олег Синицын"]


def test_sentence_final_verb_still_attributes_a_partial_quote() -> None:
    text = ("США предоставят Украине \"все необходимое оружие\" в ближайшие месяцы, "
            "заявил госсекретарь Марк Дэвис.")
    assert speakers(text, "ru") == ["Марк Дэвис"]


def test_word_about_words_before_the_marks_is_a_term() -> None:
    text = "Оксфордский словарь назвал слово «думскроллинг» словом года, сообщил издатель."
    assert find_quotes(text, language="ru") == []


def test_hyphen_typed_dialogue_with_its_author_is_a_quote_a_bulleted_line_is_not() -> None:
    text = ("Втрати:\n- 5 танків - знищено біля села.\n"
            "- Ми не відступимо ні на крок, - сказав міністр Павло Мельник.")
    quotes = find_quotes(text, language="uk")
    assert [(q.text, q.speaker) for q in quotes] == [("Ми не відступимо ні на крок", "Павло Мельник")]


def test_capitalised_office_of_a_body_stays_the_office() -> None:
    text = "Речник Пентагону зауважив, що \"ситуація залишається складною, але контрольованою\"."
    assert speakers(text, "uk") == ["речник Пентагону"]


def test_interview_answer_is_the_interviewees() -> None:
    text = ("Посол Олег Ветров дал интервью агентству.\n"
            "— Олег Петрович, как вы оцениваете перспективы диалога?\n"
            "— Перспективы пока туманные. Партнёры не готовы к равноправному разговору.")
    assert speakers(text, "ru")[-1] == "Олег Ветров"


def test_foreign_first_name_that_reads_as_a_mans_genitive_is_not_a_man() -> None:
    text = ("Глава миссии Кая Лаас посетила Киев.\nЛаас тем временем напомнила о санкциях. "
            "«Новый пакет станет самым жёстким из всех», — сказала она журналистам.")
    assert speakers(text, "ru") == ["Кая Лаас"]


def test_bare_office_after_a_gendered_verb_still_takes_an_office_subject() -> None:
    text = ("Глава администрации района пообещал выплатить компенсации. «Все заявления будут "
            "рассмотрены в течение недели», — уверил чиновник.")
    assert speakers(text, "ru") == ["глава администрации района"]


def test_words_of_a_named_person_lead_a_quote() -> None:
    text = "Слова Виктора Орлова «мы готовы к диалогу в любой момент» прозвучали на форуме."
    assert speakers(text, "ru") == ["Виктор Орлов"]
    text = "«Это провокация Запада и никак иначе», — приводит слова Ирины Беловой ТАСС."
    assert [s.split()[-1] for s in speakers(text, "ru") if s] == ["Белова"]  # not the agency


@pytest.mark.parametrize("word", ["Государство", "Мир", "Ёлка", "Решение"])
def test_a_capitalised_common_noun_is_no_speaker(word: str) -> None:
    """A sentence-opening noun the dictionary knows only as a thing is not a name."""
    assert speaker_form(word, "ru") is None


@pytest.mark.parametrize("word", ["Кремль", "Суд", "Канцелярия", "Газпром", "Арчаков"])
def test_bodies_and_unknown_surnames_stay_speakers(word: str) -> None:
    assert speaker_form(word, "ru") == word


def test_sentence_opening_noun_before_a_quote_is_not_credited() -> None:
    text = "Государство вводит новые правила «для защиты граждан от мошенников» с января."
    assert speakers(text, "ru") in ([], [None])


def test_a_preposition_makes_a_verb_form_a_noun() -> None:
    """"до начала" is "before the start", not "she began"."""
    text = "Каток заработает незадолго до начала «зимнего сезона» в парке."
    assert speakers(text, "ru") in ([], [None])


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # The outlet relaying a reported quote is not its speaker.
        ("Министр финансов Олег Веретенников сообщил, что «бюджет будет исполнен без "
         "дефицита», пишет Интерфакс.", "Олег Веретенников"),
        # Nor is the outlet named before the body that speaks through a document.
        ("Об этом сообщает Reuters. В Минфине считают, что новые меры «помогут удержать "
         "инфляцию в пределах цели», говорится в записке.", "Минфин"),
        # A past speech verb after the quote still attributes it.
        ("Глава совета Анна Ковалёва сказала, что «решение уже принято», — добавил Пётр Лунин.",
         "Пётр Лунин"),
    ],
)
def test_a_quote_inside_a_reported_clause(text: str, speaker: str) -> None:
    assert speakers(text, "ru") == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Как считает правительство, новые выплаты «помогут семьям пережить зиму».",
         "правительство"),
        ("«Переговоры идут трудно», — сообщил агентству источник в ведомстве.",
         "источник в ведомстве"),
        ("Представитель министерства также заявил, что «сроки не изменятся».",
         "представитель министерства"),
        # An unnamed source after "по словам" stays its description, in the nominative.
        ("По словам опытного юриста, суд «вряд ли пойдёт на уступки».", "опытный юрист"),
        # A spokesman tied to a person in the genitive speaks, not the person.
        ("Представитель Ивана Сорокина сказал, что «встреча перенесена на осень».",
         "представитель Ивана Сорокина"),
        # "который" stands for the name before it; the outlet after the verb listened.
        ("Снимок сделал фермер Олег Миронов, который сказал ТАСС, что это «редкая удача».",
         "Олег Миронов"),
        # The place a preposition governs is where, not part of the name.
        ("В Кремле Сидоров заявил, что «вопрос закрыт».", "Сидоров"),
        # The outlet told sits between the verb and its subject, or after the verb.
        ("«Задержанный дал показания», — рассказал ТАСС источник в силовых структурах.",
         "источник в силовых структурах"),
        ("Источник в силовых структурах рассказал ТАСС: «Задержанный дал показания».",
         "источник в силовых структурах"),
        # A prepositional phrase after the speaker is no part of the name.
        ("«Мы обсудили всё», — сказал Лесков по итогам переговоров с Ли Мин.", "Лесков"),
        # A bare office or a pronoun resolves to the person opening the sentence before.
        ("Зеленский обратился к нации. «Мы выстоим», — подчеркнул украинский президент.",
         "Зеленский"),
        ("Экс-генсек НАТО Ольсен допустил уступки. «Это будет болезненно», — заявил он.",
         "Ольсен"),
        # A short quote after "verb:" is speech, and the outlet after "с" is no speaker.
        ("Военный эксперт Иван Петров в беседе с РИА Новости отметил: «Это переломный момент».",
         "Иван Петров"),
        # The sentence after the quote names its speaker ("Об этом заявил …").
        ("Он пояснил: «Европа должна быть готова». Об этом заявил президент Франции Жак Ренар.",
         "Жак Ренар"),
        # "— уточнили там": the body the previous sentence named.
        ("Город обстреляли ночью, сообщили в штабе обороны. «Пострадали двое», — уточнили там.",
         "штаб обороны"),
        # A role opening the sentence with its domain resolves to the person before it.
        ("Лесков встретился с Ли Мином. Глава МИД России сказал: «Разговор был трудным».",
         "Лесков"),
        # A short quote after ", что" is speech; "датский лидер" is the one named before.
        ("Ольсен позвонил коллеге. Датский лидер заявил, что «Копенгаген готов помочь».",
         "Ольсен"),
        # "Издание" stands for the outlet named before it.
        ("Об этом пишет Bloomberg. Издание отмечает, что «поставки задерживаются».",
         "Bloomberg"),
        # A plural body opening the sentence before is no "он".
        ("Журналисты спросили Лескова о санкциях. «Это незаконные меры», — ответил он.", None),
        # A headline's person, "о" and the topic, then the colon.
        ("Сидоренко о переговорах с соседями: «Пока об этом говорить рано»", "Сидоренко"),
        ("Лесков — о ситуации на границе: «Противник отступает»", "Лесков"),
        # "Так X ответил" after the quote names its speaker.
        ("«Мы не отдадим ни метра». Так Лесков ответил на вопрос о переговорах.", "Лесков"),
        # A plural verb, the outlet told, then the body it was said in.
        ("Как сообщили ТАСС в пресс-службе ведомства, «работы завершат к вечеру».",
         "пресс-служба ведомства"),
        # "Такое мнение" is no one; the name after the verb speaks.
        ("Такое мнение высказал политолог Иван Петров: «Запад устал».", "Иван Петров"),
        # A channel in quotation marks a preposition governs is where, not who.
        ("Депутат Андрей Гурин в эфире «Первого канала» заявил: «Нужно усилить ПВО».",
         "Андрей Гурин"),
        # "он" is the person inside the previous sentence's subject phrase, not the
        # capitalised place opening the quote's own sentence.
        ("Бывший генсек НАТО Ольсен допустил уступки.\nПосле Украине потребуются "
         "\"гарантии безопасности\", заявил он.", "Ольсен"),
        # A bare office after "по словам" resolves to the person named before.
        ("Страна не будет строить стену, заявил посол Иван Лесков.\n"
         "По словам дипломата, решение «окончательное и обсуждению не подлежит».", "Иван Лесков"),
    ],
)
def test_sources_named_by_grammar(text: str, speaker: str) -> None:
    """A common noun agreeing with the verb, a description, a spokesman, a relative."""
    assert speakers(text, "ru") == [speaker]


def test_a_verb_inside_an_earlier_quote_has_no_subject_outside_it() -> None:
    text = 'За даними газети, лідер "охоче визнає поразку", якщо "не буде іншого виходу".'
    assert speakers(text, "uk") == [None, None]


def test_a_place_in_apposition_that_disagrees_with_the_verb_is_not_the_speaker() -> None:
    text = ("Анна Петрова, 40 лет, учитель из Джексона, штат Мичиган, сказала, что "
            "«такое бывает раз в жизни».")
    assert "Мичиган" not in speakers(text, "ru")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # An office phrase opening the sentence stays whole, its body included.
        ("Представник Білого дому сказав, що «санкції будуть посилені».", "представник Білого дому"),
        # "За інформацією телеканалу": the outlet named before, never the person it wrote
        # about; with no outlet named, nobody.
        ("Про це повідомив телеканал CNN. За інформацією телеканалу, посол \"не повернеться\".",
         "CNN"),
        ("Президент Іван Коваль готовий піти у відставку. За інформацією телеканалу, він "
         "\"визнає поразку\".", None),
        # A body headed by an office noun issues the document quoted next.
        ("Верховна Рада ухвалила звернення. «Закликаємо партнерів посилити санкції», – йдеться "
         "в документі.", "Верховна Рада"),
        # The General Staff is a body, not a place in the locative that names nobody.
        ("«Противник зосередив резерви під Куп'янськом», — йдеться в заяві Генштабу ЗСУ.",
         "Генштаб ЗСУ"),
    ],
)
def test_ukrainian_offices_and_bodies(text: str, speaker: str | None) -> None:
    assert speakers(text, "uk") == [speaker]


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        # A body named by adjectives and an institution noun, with the name it governs:
        # never its first word, nor the acronym after it alone.
        ("Воздушные силы ВСУ сообщили: «Сбиты 40 беспилотников».", "ru", "Воздушные силы ВСУ"),
        ("«Сбиты 40 беспилотников», — сообщили в Воздушных силах ВСУ.", "ru", "Воздушные силы ВСУ"),
        ("Сухопутные войска сообщили: «Атака отбита у Часова Яра».", "ru", "Сухопутные войска"),
        ("Британская военная разведка заявила: «Фронт менее стабилен».", "ru",
         "Британская военная разведка"),
        ("Національна гвардія повідомила: «Атаку відбито».", "uk", "Національна гвардія"),
        ("У Повітряних силах заявили: «Збито 40 дронів».", "uk", "Повітряні сили"),
        # The author of a document keeps the words in the genitive its name governs.
        ("«Ответ будет», — говорится в заявлении Министерства обороны России.", "ru",
         "Министерство обороны России"),
        ("«Ответ будет», — говорится в сообщении Службы внешней разведки.", "ru",
         "Служба внешней разведки"),
        ("«Ворог втратив 1200 осіб», — йдеться у повідомленні Сил оборони.", "uk", "Сили оборони"),
        # A spokesman of such a body is a person: the person speaks.
        ("Речник Повітряних сил Юрій Ігнат заявив: «Збито 40 дронів».", "uk", "Юрій Ігнат"),
        # Headlines sign a quote with a dash and a name, no verb.
        ("В ЕС нет решения, но «все опции на столе» — Еврокомиссия", "ru", "Еврокомиссия"),
        ("«Поранено двох людей», — Синєгубов.", "uk", "Синєгубов"),
        ("«Статут на нас не распространяется», — сенатор США Линдси Грэм. @chan", "ru",
         "Линдси Грэм"),
        ("«Выездов не было», — источник Москвача.", "ru", "источник Москвача"),
        # "сказала она": the one woman the sentence before names, not the genitive name
        # of unknown gender that the subject finder took ("патриарха Кирилла").
        ("Письма патриарха Кирилла получили беременные в больнице, об этом сообщила "
         "координатор проекта Наталья Москвитина. «Эти письма поддержат женщин», сказала она.",
         "ru", "Наталья Москвитина"),
        # "X в интервью Y:" — X speaks; Y is where.
        ("Зеленский в интервью Kyodo: «У нас нет сил вернуть территории».", "ru", "Зеленский"),
        ("Зеленський в інтерв'ю Kyodo: «У нас немає сил повернути території».", "uk",
         "Зеленський"),
    ],
)
def test_who_speaks_in_news_patterns(text: str, language: str, speaker: str) -> None:
    assert speakers(text, language) == [speaker]


@pytest.mark.parametrize(
    ("text", "language", "found"),
    [
        # A headline's "Name: «…»" quotes the name, whatever the words quoted look like
        # (Ukrainian has no short adjective to tell "готова" is a predicate).
        ("Кличко: «Столиця готова до зими».", "uk", [("Столиця готова до зими", "Кличко")]),
        ("Дмитро Кулеба: «Росія програє»", "uk", [("Росія програє", "Дмитро Кулеба")]),
        ("Минобороны РФ: «Сбиты 12 беспилотников».", "ru",
         [("Сбиты 12 беспилотников", "Минобороны РФ")]),
        # Words going on after the marks make the quoted words a name, not the statement.
        ("Нафтогаз: «Північний потік-2» зупинено.", "uk", []),
    ],
)
def test_a_name_and_a_colon_quote_the_name(text: str, language: str,
                                          found: list[tuple[str, str]]) -> None:
    assert [(q.text, q.speaker) for q in find_quotes(text, language=language)] == found


def test_accusing_reports_words_and_its_object_is_not_the_speaker() -> None:
    text = ("Партія звинуватила Коваленка у «свідомому зриві переговорів».\n\n"
            "Опозиція звинуватила уряд у \"бездіяльності\". "
            "Міністр заявив, що \"Східний міст\" є \"комерційним проєктом\".")
    found = [(q.text, q.speaker) for q in find_quotes(text, language="uk")]
    assert found[0] == ("свідомому зриві переговорів", "Партія")
    assert "Східний міст" not in [quoted for quoted, _ in found]


def test_a_blank_line_between_paragraphs_is_one_break() -> None:
    """A statement quoted in the next paragraph, after a blank line, is still the body's."""
    text = ("Депутати внесли проєкт, у якому вони звинувачують мера у \"зриві опалювального "
            "сезону\".\n\n\"Він поставив під загрозу тисячі родин\", - йдеться в тексті проєкту.")
    assert speakers(text, "uk") == ["Депутати", "Депутати"]


def test_a_relative_clause_after_quoted_words_attributes_nothing() -> None:
    text = "Всё началось со звонка «сотрудника банка», который попросил назвать код из SMS."
    assert find_quotes(text, language="ru") == []


def test_a_name_never_runs_across_a_line_break_or_keeps_a_headline_word() -> None:
    text = ("Фото Олександра Бойка\nЧому Коваленко мовчить\n"
            "На засіданні в Раді Коваленко заявила: \"Я отримала лист лише ввечері\".")
    assert speakers(text, "uk") == ["Коваленко"]


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        # The document first, the impersonal verb after it: the body that issued it, named
        # in the sentence before, speaks.
        ("Суд высказался против отсрочки. В решении говорится, что отсрочка приведёт к "
         "«необратимым потерям для кредиторов».", "ru", "суд"),
        ("Суд висловився проти відстрочки. У рішенні зазначено, що затримка створить «значні "
         "ризики для кредиторів».", "uk", "суд"),
        # The document names its author itself.
        ("В заявлении Минобороны говорится, что «противник понёс тяжёлые потери».", "ru",
         "Минобороны"),
        # "У суді заявили, що …": a body named where the statement came from, no nominative
        # subject, issues the statement quoted next.
        ("У суді заявили, що рішення набуде чинності за тиждень.\n\n«Сторони мають десять днів "
         "на оскарження», — йдеться в повідомленні.", "uk", "суд"),
    ],
)
def test_statements_credited_to_the_body_that_issued_them(
    text: str, language: str, speaker: str
) -> None:
    found = speakers(text, language)
    assert found and found[-1] is not None and speaker.lower() in found[-1].lower()


def test_a_quote_broken_twice_is_credited_to_the_described_speaker_not_to_he() -> None:
    text = ("«Цены на овощи вырастут к зиме, — говорит первый собеседник. — Это неизбежно».\n"
            "«Я не уверен, что полки опустеют, — продолжает он. — Поставщики найдутся, — "
            "сказал сотрудник, отвечающий за закупки. — Просто дороже».")
    found = speakers(text, "ru")
    assert found[1] is not None and found[1].startswith("сотрудник")


def test_an_unnamed_source_does_not_point_back_to_another_unnamed_source() -> None:
    text = ("«Закупки сократятся вдвое, — говорит другой поставщик. — Мы к этому готовы».\n"
            "Потерь опрошенные не ждут. «Рынок перестроится быстро, — говорит наш собеседник. — "
            "Месяц, не больше».")
    assert speakers(text, "ru") == ["другой поставщик", "наш собеседник"]


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        # "за даними/по данным" a body, not only a person: the commission, the ministry.
        ("Перерахунок завершили в понеділок. Як з'ясувалося, за даними комісії, розбіжність "
         "виникла \"через технічний збій у сканері\".", "uk", "комісія"),
        ("Потери удалось сократить. По данным ведомства, ущерб составил \"меньше трети от "
         "прошлогоднего\".", "ru", "ведомство"),
        # The outlet noun points back to the medium a sentence before relayed with a
        # present-tense verb after a comma, not to the person that sentence is about.
        ("Прем'єр Іван Коваль може піти у відставку вже цього тижня, повідомляє Radio Nord з "
         "посиланням на джерела.\n\nЗа інформацією радіостанції, прем'єр \"не чіплятиметься за "
         "крісло\".", "uk", "Radio Nord"),
        ("Министр Олег Сомов покинет пост до конца месяца, пишет Nordic Times.\n\nПо данным "
         "газеты, Сомов «устал от постоянных проверок».", "ru", "Nordic Times"),
    ],
)
def test_according_to_a_body_or_a_relayed_outlet(text: str, language: str, speaker: str) -> None:
    assert speakers(text, language)[-1] == speaker


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        # The legal form alone or "the company's press service" refers back to the company
        # the text has named, not to another body of the same sentence.
        ("У ПАТ \"Укрзалізниця\" заявили, що графік руху не зміниться.\n\n\"Усі поїзди "
         "курсують вчасно, затримок немає\", - пояснюється в коментарі ПАТ.", "uk",
         "Укрзалізниця"),
        ("В «Ростелекоме» заявили, что связь восстановят к утру.\n\n«Мы вернём все каналы "
         "до полуночи», — сообщили в пресс-службе компании.", "ru", "Ростелеком"),
    ],
)
def test_the_company_by_its_legal_form_or_press_service(
    text: str, language: str, speaker: str
) -> None:
    found = speakers(text, language)[-1]
    assert found is not None and found.split()[-1] == speaker


@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        # A body named by adjectives and an institution noun is taken whole, not its first
        # adjective nor the bare noun, whichever side of the verb it stands.
        ("Апелляционный суд высказался однозначно: «Сделка заключена с нарушениями».", "ru",
         "Апелляционный суд"),
        ("«Тарифы на воду завышены почти вдвое», — заявил Антимонопольный комитет.", "ru",
         "Антимонопольный комитет"),
        ("Окружной суд Самары постановил: «Иск удовлетворить частично».", "ru",
         "Окружной суд Самары"),
        ("Господарський суд вирішив: «Угода про оренду причалу недійсна».", "uk",
         "Господарський суд"),
        # No letter only Ukrainian writes: the words are read in both languages.
        ("Державна митна служба повідомила: «Черги на пунктах пропуску скоротилися».", "uk",
         "Державна митна служба"),
    ],
)
def test_an_institution_is_named_whole(text: str, language: str, speaker: str) -> None:
    assert speakers(text, language) == [speaker]



@pytest.mark.parametrize(
    ("text", "language", "speaker"),
    [
        # A conjunction opening the sentence before the quote is nobody "він/он" could mean;
        # the search goes on back to the person the text named.
        ("Міський голова Петро Гнатюк зібрав нараду. Хоча, за даними синоптиків, відлига "
         "близько, запаси солі поповнять. «Дороги не замете», — сказав він.", "uk", "Петро Гнатюк"),
        ("Губернатор Олег Савин провёл совещание. Хотя, по данным синоптиков, оттепель "
         "близко, запасы соли пополнят. «Дороги не заметёт», — сказал он.", "ru", "Олег Савин"),
    ],
)
def test_a_sentence_opening_conjunction_is_no_antecedent(text: str, language: str, speaker: str) -> None:
    assert speakers(text, language) == [speaker]


@pytest.mark.parametrize("word", ["Хоча", "Хотя", "Втім", "Кто"])
def test_function_words_and_pronouns_are_no_names(word: str) -> None:
    assert strip_titles([word]) == ""
    assert strip_titles([word, "Олег", "Савин"]) == "Олег Савин"


@pytest.mark.parametrize(("written", "language"), [("синоптики", "uk"), ("аналітики", "uk")])
def test_a_plural_of_people_stays_in_the_nominative(written: str, language: str) -> None:
    # Also the genitive of an inanimate noun ("синоптика"), but a speaker is a person; the
    # dictionary form is a fixed point, as the reader applies it more than once.
    assert speaker_form(written, language) == written
