"""Tests for digest.feeds.sources: the built-in list, OPML import/export, merging."""

from __future__ import annotations

import doctest

import pytest

import digest.feeds.sources
from digest.feeds.sources import (
    DEFAULT_SOURCES,
    OPMLError,
    Source,
    SourceKind,
    dump_opml,
    load_opml,
    merge_sources,
)
from tests import files

FIXTURES = files.FIXTURES / "feeds"


def nested() -> list[Source]:
    return load_opml((FIXTURES / "nested_folders.opml").read_bytes())


# --- the built-in list ------------------------------------------------------------------


def test_default_feed_urls_are_unique_https() -> None:
    urls = [source.feed_url for source in DEFAULT_SOURCES]
    assert len(set(urls)) == len(urls)
    assert all(url.startswith("https://") for url in urls)


def test_default_names_are_unique() -> None:
    names = [source.name for source in DEFAULT_SOURCES]
    assert len(set(names)) == len(names)


def test_exactly_the_english_non_state_feeds_are_enabled() -> None:
    for source in DEFAULT_SOURCES:
        expected = source.language == "en" and source.kind is not SourceKind.RUSSIAN_STATE
        assert source.enabled_by_default is expected, source.name


def test_defaults_cover_every_language_and_kind() -> None:
    assert {source.language for source in DEFAULT_SOURCES} == {"en", "uk", "ru"}
    assert {source.kind for source in DEFAULT_SOURCES} == set(SourceKind)


def test_tass_is_state_media_and_off() -> None:
    (tass,) = [source for source in DEFAULT_SOURCES if "tass.com" in source.feed_url]
    assert tass.kind is SourceKind.RUSSIAN_STATE and not tass.enabled_by_default


def test_kind_labels_are_human() -> None:
    assert SourceKind.UKRAINIAN_MEDIA.label == "Ukrainian media"
    assert all(kind.label[0].isupper() for kind in SourceKind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [("ukrainian_official", SourceKind.UKRAINIAN_OFFICIAL), ("Russian-Independent",
     SourceKind.RUSSIAN_INDEPENDENT), ("/Russian state media", SourceKind.RUSSIAN_STATE),
     ("", SourceKind.INTERNATIONAL), (None, SourceKind.INTERNATIONAL),
     ("podcasts", SourceKind.INTERNATIONAL)],
)
def test_kind_parse(text: str | None, kind: SourceKind) -> None:
    assert SourceKind.parse(text) is kind


def test_sources_are_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_SOURCES[0].name = "x"  # type: ignore[misc]


# --- OPML -------------------------------------------------------------------------------


def test_nested_outlines_are_all_found_in_order() -> None:
    assert [source.name for source in nested()] == [
        "Kharkiv Today", "Regional Military Administration", "Exile Weekly",
        "Wire of the State", "Odd One"]


def test_folder_kind_and_language_are_inherited() -> None:
    kharkiv, rma, *_ = nested()
    assert (kharkiv.kind, kharkiv.language) == (SourceKind.UKRAINIAN_MEDIA, "uk")
    assert (rma.kind, rma.language) == (SourceKind.UKRAINIAN_OFFICIAL, "uk")


def test_outline_attributes_are_read() -> None:
    kharkiv, _, exile, state, odd = nested()
    assert kharkiv.homepage == "https://kharkiv-today.example/"
    assert (exile.kind, exile.language, exile.enabled_by_default) == (
        SourceKind.RUSSIAN_INDEPENDENT, "en", False)
    assert state.kind is SourceKind.RUSSIAN_STATE
    assert (odd.feed_url, odd.kind, odd.language) == (
        "https://odd.example/atom", SourceKind.INTERNATIONAL, None)


def test_opml1_with_latin1_encoding() -> None:
    sources = load_opml((FIXTURES / "opml1_flat.opml").read_bytes())
    assert [source.name for source in sources] == ["Café Europe", "Front Notes"]
    assert all(source.enabled_by_default for source in sources)


def test_round_trip_of_the_defaults() -> None:
    assert load_opml(dump_opml(DEFAULT_SOURCES)) == list(DEFAULT_SOURCES)


def test_dump_is_opml_2_with_kind_and_category() -> None:
    text = dump_opml(DEFAULT_SOURCES[:1], title="Mine").decode()
    assert text.startswith("<?xml") and '<opml version="2.0">' in text
    assert "<title>Mine</title>" in text
    assert 'kind="ukrainian_media"' in text and 'category="/Ukrainian media"' in text


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml", b"<rss><channel/></rss>", b"<opml version='2.0'><head/></opml>",
     b"<opml><body><outline text='unclosed'></body></opml>"],
)
def test_bad_documents_raise_opml_error(data: bytes) -> None:
    with pytest.raises(OPMLError):
        load_opml(data)


def test_external_entities_are_refused() -> None:
    data = (b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
            b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/>'
            b"</body></opml>")
    with pytest.raises(OPMLError):
        load_opml(data)


def test_entity_expansion_bomb_is_refused() -> None:
    entities = '<!ENTITY a0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE o [{entities}]><opml version="2.0"><body>'
            '<outline text="&a9;" xmlUrl="https://a.example/"/></body></opml>').encode()
    with pytest.raises(OPMLError):
        load_opml(data)


# --- merging ----------------------------------------------------------------------------


def test_replace_keeps_only_the_user_list() -> None:
    assert merge_sources(DEFAULT_SOURCES, nested(), replace=True) == tuple(nested())


def test_extend_appends_new_feeds_after_the_built_in_ones() -> None:
    merged = merge_sources(DEFAULT_SOURCES, nested(), replace=False)
    assert merged[: len(DEFAULT_SOURCES)] == DEFAULT_SOURCES
    assert merged[len(DEFAULT_SOURCES):] == tuple(nested())


def test_extend_overrides_a_built_in_feed_in_place() -> None:
    first = DEFAULT_SOURCES[0]
    override = Source("Mine", first.feed_url.replace("https://", "http://").rstrip("/"),
                      "en", first.kind, enabled_by_default=False)
    merged = merge_sources(DEFAULT_SOURCES, [override], replace=False)
    assert merged[0] == override and len(merged) == len(DEFAULT_SOURCES)


def test_duplicates_within_the_user_list_keep_the_last() -> None:
    one = Source("One", "https://dup.example/rss", "en", SourceKind.INTERNATIONAL, True)
    two = Source("Two", "https://DUP.example/rss/", "en", SourceKind.INTERNATIONAL, True)
    assert merge_sources([], [one, two], replace=True) == (two,)


@pytest.mark.parametrize("module", [digest.feeds.sources], ids=lambda module: module.__name__)
def test_docstring_examples(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]
