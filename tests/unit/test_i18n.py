"""Interface languages: complete catalogues, the choice of language, and rendering in it."""

from __future__ import annotations

import ast
import re
import string
from datetime import UTC, datetime, time, timedelta

import pytest
from telegram import BotCommand

from digest import errors
from digest.feeds.sources import SourceKind
from digest.models import Article, Gist, Quote
from digest.render.compose import GistStyle, Labels, StoryView, render_digest, render_gist
from digest.stories.follow import PRESETS
from handlers.sources_menu import SourcesView, ago, kind_label, render_menu
from handlers.start import BOT_COMMANDS, MENU_COMMANDS, bot_commands
from i18n.locale import (
    choose_language,
    day_label,
    detect_language,
    digest_labels,
    digest_page,
    format_local,
)
from i18n.replies import CONTENT_KINDS, EXPLAINED_STATUSES, failure_reply
from i18n.texts import ENGLISH, UKRAINIAN, say
from services.digests import queue_due_digests
from services.options import SchedulerOptions
from services.polling import poll_feeds
from storage import open_database, outbox
from storage.chats import ChatDefaults, NewChat, ensure_chat, get_chat, set_language
from storage.privacy import export_chat
from storage.sources import SourceSpec, all_sources, sync_sources
from tests.files import ROOT
from tests.scheduler_world import START, subscriber, world  # noqa: F401

SPEAKING = ("handlers", "services", "i18n")  # the packages that call say()
TAG = re.compile(r"</?[a-z]+[^>]*>")
CYRILLIC = re.compile(r"[а-яіїєґ]", re.IGNORECASE)
SAME_IN_BOTH = {"button_previous", "button_next"}  # arrows


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


# -- the catalogues --------------------------------------------------------------------------

def test_both_catalogues_have_the_same_keys() -> None:
    assert set(ENGLISH) == set(UKRAINIAN)


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_translation_keeps_placeholders_and_tags(key: str) -> None:
    english, ukrainian = ENGLISH[key], UKRAINIAN[key]
    assert placeholders(ukrainian) == placeholders(english)
    assert TAG.findall(ukrainian) == TAG.findall(english)


@pytest.mark.parametrize("key", sorted(set(UKRAINIAN) - SAME_IN_BOTH))
def test_ukrainian_texts_are_translated(key: str) -> None:
    assert CYRILLIC.search(UKRAINIAN[key]), f"{key!r} has no Ukrainian words"
    assert not re.search(r"[ыэъё]", UKRAINIAN[key], re.IGNORECASE), "Russian letters"


def literal_keys() -> set[str]:
    """First arguments of every ``say("…")`` call that are string literals."""
    found = set()
    for path in (p for folder in SPEAKING for p in (ROOT / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "say" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_key_the_handlers_use_exists() -> None:
    keys = literal_keys()
    assert len(keys) > 60, "the scan must see the handlers' calls"
    assert keys - set(ENGLISH) == set()


def test_keys_built_at_run_time_exist() -> None:
    built = {f"command_{name}" for name in MENU_COMMANDS}
    built |= {f"kind_{kind.value}" for kind in SourceKind}
    built |= {f"http_{code}" for code in EXPLAINED_STATUSES}
    built |= set(CONTENT_KINDS.values()) | {"content_file"}
    built |= {f"muted_hidden_{form}" for form in ("one", "few", "many", "other")}
    built |= {f"preset_{topic.key}" for topic in PRESETS}
    built |= {"status_follow", "status_mute"}
    assert built - set(ENGLISH) == set()


def test_say_escapes_values_in_every_language() -> None:
    assert "<code>&lt;b&gt;</code>" in say("bad_time", "uk", raw="<b>")
    assert say("help", "de") == say("help", "en"), "an unknown language falls back to English"


def test_ukrainian_sample_reads_naturally() -> None:
    values = {"at": "08:00", "zone": "Europe/Kyiv", "next": "чт, 26 листопада, 08:00"}
    assert say("subscribed", "uk", **values) == (
        "✅ Підписку оформлено. Дайджест надходитиме щодня о <b>08:00</b> (Europe/Kyiv).\n"
        "Наступний: <b>чт, 26 листопада, 08:00</b>. Змінити час можна в /settings."
    )


# -- which language --------------------------------------------------------------------------

@pytest.mark.parametrize(("stored", "chat_type", "code", "expected"), [
    (None, "private", "uk", "uk"),
    (None, "private", "uk-UA", "uk"),
    (None, "private", "en-GB", "en"),
    (None, "private", "ru", "en"),
    (None, "private", None, "en"),
    ("en", "private", "uk", "en"),
    ("uk", "private", "en", "uk"),
    (None, "supergroup", "uk", "en"),
    (None, "channel", None, "en"),
    ("uk", "group", "en", "uk"),
    ("de", "private", "uk", "uk"),
])
def test_choose_language(stored: str | None, chat_type: str, code: str | None,
                         expected: str) -> None:
    assert choose_language(stored, chat_type, code) == expected


def test_detect_language_ignores_case_and_region() -> None:
    # One parser for every language tag in the program: "uk_UA" (POSIX style) is Ukrainian too.
    assert [detect_language(c) for c in ("UK", "uk_UA", "pl", "")] == ["uk", "uk", "en", "en"]


def test_first_seen_language_is_kept_and_a_choice_replaces_it() -> None:
    db = open_database(":memory:")
    ensure_chat(db, 5, NewChat("private", "Olha", language="uk"), ChatDefaults())
    again = ensure_chat(db, 5, NewChat("private", "Olha", language="en"), ChatDefaults())
    assert again.language == "uk"
    set_language(db, 5, "en")
    assert get_chat(db, 5).language == "en"  # type: ignore[union-attr]
    assert export_chat(db, 5)["chat"]["language"] == "en", "/mydata shows it"


def test_a_chat_from_before_languages_gets_one_on_its_next_update() -> None:
    db = open_database(":memory:")
    ensure_chat(db, 6, NewChat("private", "Taras"), ChatDefaults())
    assert get_chat(db, 6).language is None  # type: ignore[union-attr]
    seen = ensure_chat(db, 6, NewChat("private", "Taras", language="uk"), ChatDefaults())
    assert seen.language == "uk"


# -- dates and rendering ---------------------------------------------------------------------

def test_dates_in_ukrainian_use_genitive_month_names() -> None:
    moment = datetime(2026, 3, 1, 6, tzinfo=UTC)
    assert format_local(moment, "Europe/Kyiv", "uk") == "нд, 1 березня, 08:00"
    assert format_local(moment, "Europe/Kyiv") == "Sun 1 Mar, 08:00"
    assert day_label(moment, "UTC", "uk") == "нд, 1 березня 2026"
    assert day_label(moment, "UTC") == "Sun 1 Mar 2026"


def gist() -> Gist:
    article = Article(
        url="https://news.example/odesa", canonical_url="https://news.example/odesa",
        title="Drones hit Odesa", author="Iryna Koval",
        published=datetime(2026, 11, 25, 12, 5, tzinfo=UTC), site_name="News Example",
        language="en", text="Drones hit Odesa.",
    )
    return Gist(article, ["Power is out in three districts."], [], 3)


def test_link_reply_in_ukrainian() -> None:
    html = render_gist(gist(), style_for("uk"))
    assert "25 листопада 2026, 14:05" in html and "автор: Iryna Koval" in html
    assert "⏱ 3 хв читання" in html and ">Відкрити статтю</a>" in html
    assert "min read" not in html and " by " not in html


def test_link_reply_in_english_is_unchanged_by_default() -> None:
    html = render_gist(gist())
    assert "25 Nov 2026, 14:05" in html and "by Iryna Koval" in html
    assert "⏱ 3 min read" in html and ">Open the article</a>" in html


def style_for(language: str) -> GistStyle:
    return GistStyle(timezone="Europe/Kyiv", labels=digest_labels(language))


def test_digest_page_in_ukrainian() -> None:
    story = StoryView("Drones hit Odesa", "https://news.example/odesa", "Power is out.",
                      Quote("We will restore heating.", "the governor"),
                      (("Alpha", "https://a.example/1"), ("Beta", "https://b.example/1"),
                       ("Gamma", "https://c.example/1")))
    [part] = render_digest([story], "ср, 25 листопада 2026", digest_page("uk"))
    assert part.text.startswith("🗞 <b>Воєнний дайджест — ср, 25 листопада 2026</b>")
    assert "Повідомляють: <a" in part.text and "+1" in part.text
    assert part.text.endswith("Змінити час чи джерела: /settings · /sources")
    [quiet] = render_digest([], "ср, 25 листопада 2026", digest_page("uk"))
    assert "Спокійний день" in quiet.text


def test_labels_default_to_english() -> None:
    assert digest_labels("en") == Labels()


def test_link_failures_in_ukrainian() -> None:
    assert failure_reply(errors.FetchTimeout("slow"), "uk") == say("link_timeout", "uk")
    pdf = errors.UnsupportedContentType("pdf", content_type="application/pdf")
    assert failure_reply(pdf, "uk") == (
        "За цим посиланням PDF-файл, а не стаття — я читаю лише вебсторінки.")
    teapot = errors.HTTPStatusError("HTTP 418", status_code=418)
    assert failure_reply(teapot, "uk") == "Сайт відповів помилкою: HTTP 418."


def test_sources_menu_in_ukrainian() -> None:
    db = open_database(":memory:")
    sync_sources(db, [SourceSpec("TASS", "https://tass.example/rss", "en", "russian_state", False)],
                 origin="builtin")
    now = datetime(2026, 3, 2, tzinfo=UTC)
    menu = render_menu(SourcesView(all_sources(db), frozenset(), now, language="uk"), 0)
    assert menu.text.startswith("📰 <b>Джерела новин</b> — сторінка 1/1")
    assert f"<b>{kind_label(SourceKind.RUSSIAN_STATE, 'uk')}</b>" in menu.text
    assert "ще не завантажувалося" in menu.text
    assert ago(now - timedelta(days=3), now, "uk") == "3 дн. тому"


def test_command_menu_in_both_languages() -> None:
    ukrainian = bot_commands("uk")
    assert [c.command for c in ukrainian] == [c.command for c in BOT_COMMANDS]
    assert {"language", "importsources"} <= {c.command for c in BOT_COMMANDS}
    for english, translated in zip(BOT_COMMANDS, ukrainian, strict=True):
        assert english.description != translated.description
        assert isinstance(translated, BotCommand) and 3 <= len(translated.description) <= 256
        assert re.fullmatch(r"[a-z0-9_]{1,32}", translated.command)


# -- the daily digest of a Ukrainian chat ----------------------------------------------------

async def test_scheduled_digest_for_a_ukrainian_chat_is_in_ukrainian(world) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    svc, clock, _ = world
    await poll_feeds(svc, SchedulerOptions())
    subscriber(svc, 7, at=time(8), next_at=START)
    set_language(svc.db, 7, "uk")
    subscriber(svc, 8, at=time(8), next_at=START)
    assert await queue_due_digests(svc, SchedulerOptions()) == 2
    texts = {m.chat_id: m.text for m in outbox.due_messages(svc.db, clock.now)}
    assert texts[7].startswith("🗞 <b>Воєнний дайджест — ср, 25 листопада 2026</b>")
    assert "Повідомляють:" in texts[7] and "Reported by" not in texts[7]
    assert texts[8].startswith("🗞 <b>War digest — Wed 25 Nov 2026</b>")
