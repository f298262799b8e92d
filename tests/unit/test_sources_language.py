"""Sources follow the chat's language: a Ukrainian chat starts with the Ukrainian-language
outlets and channels on, an English chat as before, and a language switch keeps the sources
until the chat accepts to switch them too."""

from __future__ import annotations

import pytest

from storage import Database
from storage.chats import ChatDefaults, NewChat, ensure_chat, set_language
from storage.sources import (
    SourceSpec,
    all_sources,
    chat_source_ids,
    keep_sources_language,
    set_chat_source,
    sources_language,
    switch_sources_language,
    sync_sources,
)

SPECS = [
    SourceSpec("Kyiv Independent", "https://en.example/rss", "en", "ukrainian_media", True),
    SourceSpec("Ukrainska Pravda (uk)", "https://uk.example/rss", "uk", "ukrainian_media", False),
    SourceSpec("Air Force (Telegram)", "https://t.me/s/air_demo", "uk", "ukrainian_official", False),
    SourceSpec("Meduza (ru)", "https://ru.example/rss", "ru", "russian_independent", False),
    SourceSpec("State (uk)", "https://state.example/rss", "uk", "russian_state", False),
]


@pytest.fixture
def db(db: Database) -> Database:
    database = db
    sync_sources(database, SPECS, origin="builtin")
    return database


def names(db: Database, chat_id: int) -> set[str]:
    chosen = chat_source_ids(db, chat_id)
    return {s.name for s in all_sources(db) if s.id in chosen}


def chat(db: Database, chat_id: int, language: str | None) -> None:
    ensure_chat(db, chat_id, NewChat("private", "x", language=language), ChatDefaults())


def test_a_ukrainian_chat_starts_with_ukrainian_outlets_and_channels(db: Database) -> None:
    chat(db, 1, "uk")
    assert names(db, 1) == {"Ukrainska Pravda (uk)", "Air Force (Telegram)"}


@pytest.mark.parametrize("language", ["en", None, "de"])
def test_an_english_or_unknown_chat_starts_as_before(db: Database, language: str | None) -> None:
    chat(db, 2, language)
    assert names(db, 2) == {"Kyiv Independent"}


def test_a_chats_own_switch_wins_over_the_language_default(db: Database) -> None:
    chat(db, 3, "uk")
    kyiv = next(s for s in all_sources(db) if s.name == "Kyiv Independent")
    set_chat_source(db, 3, kyiv.id, True)
    assert "Kyiv Independent" in names(db, 3)


def test_changing_the_interface_keeps_sources_until_the_switch_is_accepted(db: Database) -> None:
    chat(db, 4, "en")
    keep_sources_language(db, 4)
    set_language(db, 4, "uk")
    assert sources_language(db, 4) == "en" and names(db, 4) == {"Kyiv Independent"}
    pravda = next(s for s in all_sources(db) if s.name == "Ukrainska Pravda (uk)")
    set_chat_source(db, 4, pravda.id, False)
    switch_sources_language(db, 4, "uk")
    assert sources_language(db, 4) == "uk"
    assert names(db, 4) == {"Ukrainska Pravda (uk)", "Air Force (Telegram)"}


def test_an_unknown_chat_reads_english(db: Database) -> None:
    assert sources_language(db, 99) == "en"
