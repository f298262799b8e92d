"""The /sources menu rendered from a real in-memory database with the built-in sources."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from digest.feeds.sources import DEFAULT_SOURCES, SourceKind, load_opml
from handlers.sources_menu import (
    PAGE_SIZE,
    SourcesView,
    ago,
    health_text,
    opml_messages,
    render_menu,
)
from services.sources import chat_opml, ordered
from storage import Database, open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.sources import (
    PollOutcome,
    SourceRow,
    SourceSpec,
    all_sources,
    chat_source_ids,
    record_poll,
    set_chat_source,
    set_disabled,
    sync_sources,
)
from tests.fakebot import MAX_MESSAGE_UTF16, parse_telegram_html, utf16_len

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
CHAT = 4_204_242  # a number no source id reaches, so the data check below can tell


@pytest.fixture
def db() -> Database:
    database = open_database(":memory:")
    specs = [SourceSpec(s.name, s.feed_url, s.language, s.kind.value, s.enabled_by_default)
             for s in DEFAULT_SOURCES]
    sync_sources(database, specs, origin="builtin")
    ensure_chat(database, CHAT, NewChat(type="private", title="Alice"),
                ChatDefaults(timezone="Europe/Kyiv", delivery_time=datetime(2026, 1, 1, 8).time()))
    return database


def view_of(db: Database, **changes: object) -> SourcesView:
    view = SourcesView(all_sources(db), frozenset(chat_source_ids(db, CHAT)), NOW)
    return dataclasses.replace(view, **changes)  # type: ignore[arg-type]


def by_name(db: Database, name: str) -> SourceRow:
    return next(s for s in all_sources(db) if s.name == name)


def all_pages(view: SourcesView) -> list[tuple[str, list[str], list[str]]]:
    """(text, button labels, button data) of every page, following the ▶ button."""
    first = render_menu(view, 0)
    pages = int(first.text.split("page 1/")[1].split("\n")[0])
    result = []
    for page in range(pages):
        menu = render_menu(view, page)
        assert menu.keyboard is not None
        buttons = [b for row in menu.keyboard.inline_keyboard for b in row]
        data = [str(b.callback_data) for b in buttons]
        result.append((menu.text, [b.text for b in buttons], data))
    return result


def test_every_source_appears_once_under_its_kind_heading(db: Database) -> None:
    pages = all_pages(view_of(db, show_ids=True))
    assert len(pages) == -(-len(DEFAULT_SOURCES) // PAGE_SIZE)
    text = "\n".join(page[0] for page in pages)
    for source in all_sources(db):
        [line] = [line for line in text.splitlines() if f"<code>#{source.id}</code>" in line]
        assert f" {source.name}" in line
    headings = [line for line in text.splitlines() if line.startswith("<b>") and "page" not in line]
    order = [h.removeprefix("<b>").removesuffix("</b>") for h in headings]
    labels = [kind.label for kind in SourceKind]
    assert [label for label in labels if label in order] == sorted(set(order), key=labels.index)


def test_sources_are_ordered_by_kind_then_name(db: Database) -> None:
    rows = ordered(all_sources(db))
    kinds = [list(SourceKind).index(SourceKind(r.kind)) for r in rows]
    assert kinds == sorted(kinds)
    ukrainian = [r.name.lower() for r in rows if r.kind == "ukrainian_media"]
    assert ukrainian == sorted(ukrainian)


def test_toggles_show_this_chats_choice(db: Database) -> None:
    tass, kyiv = by_name(db, "TASS"), by_name(db, "Kyiv Independent")
    set_chat_source(db, CHAT, tass.id, True)
    set_chat_source(db, CHAT, kyiv.id, False)
    labels = [label for _, page_labels, _ in all_pages(view_of(db)) for label in page_labels]
    assert "✅ TASS" in labels and "▫️ Kyiv Independent" in labels
    assert "✅ Meduza" in labels, "a default source the chat did not touch stays on"


def test_button_data_names_source_and_page_never_the_chat(db: Database) -> None:
    for page, (_, _, data) in enumerate(all_pages(view_of(db))):
        for item in data:
            assert len(item.encode("utf-8")) <= 64
            assert str(CHAT) not in item.split(":")
            assert item.startswith(("src:t:", "src:p:"))
        toggles = [d for d in data if d.startswith("src:t:")]
        assert toggles and all(d.endswith(f":{page}") for d in toggles)
        assert len(toggles) <= PAGE_SIZE


def test_page_arrows_wrap_around_and_out_of_range_pages_clamp(db: Database) -> None:
    pages = all_pages(view_of(db))
    last = len(pages) - 1
    assert pages[0][2][-3:] == [f"src:p:{last}", "src:p:0", "src:p:1"]
    assert pages[last][2][-1] == "src:p:0"
    assert render_menu(view_of(db), 99).text == render_menu(view_of(db), last).text


def test_pages_are_valid_telegram_html_within_the_length_limit(db: Database) -> None:
    long = "Very Long Outlet Name <with> & Ampersands " * 5
    for source in all_sources(db):
        db.update("sources", {"id": source.id}, {"name": long + str(source.id)})
        record_poll(db, source.id, PollOutcome(NOW, error="ConnectionFailed: " + "x" * 400),
                    now=NOW)
    for text, labels, _ in all_pages(view_of(db, show_ids=True)):
        parsed = parse_telegram_html(text)
        assert utf16_len(parsed.text) <= MAX_MESSAGE_UTF16
        assert "<with>" in parsed.text, "names are escaped, not swallowed as tags"
        assert all(len(label) <= 40 for label in labels)


def test_health_says_when_last_read_and_how_many_new(db: Database) -> None:
    kyiv = by_name(db, "Kyiv Independent")
    record_poll(db, kyiv.id, PollOutcome(NOW), now=NOW - timedelta(minutes=12))
    kyiv = by_name(db, "Kyiv Independent")
    assert health_text(kyiv, NOW) == "ok 12 min ago"
    assert health_text(kyiv, NOW, new_today=5) == "ok 12 min ago, 5 new in 24 h"
    assert health_text(by_name(db, "TASS"), NOW) == "not fetched yet"


def test_health_shows_the_latest_failure_until_a_success(db: Database) -> None:
    meduza = by_name(db, "Meduza")
    record_poll(db, meduza.id, PollOutcome(NOW), now=NOW - timedelta(hours=3))
    record_poll(db, meduza.id, PollOutcome(NOW, error="HTTPStatusError: HTTP 503 <Service>"),
                now=NOW - timedelta(hours=1))
    text = health_text(by_name(db, "Meduza"), NOW)
    assert text == "⚠️ failing: HTTPStatusError: HTTP 503 &lt;Service&gt;; last ok 3 h ago"
    record_poll(db, meduza.id, PollOutcome(NOW), now=NOW)
    assert health_text(by_name(db, "Meduza"), NOW) == "ok just now"


def test_health_names_an_anti_bot_wall_and_shortens_long_errors(db: Database) -> None:
    bbc, dw = by_name(db, "BBC News Europe"), by_name(db, "Deutsche Welle")
    wall = "blocked by an anti-bot wall (HTTP 403 from an anti-bot wall)"
    record_poll(db, bbc.id, PollOutcome(NOW, error=wall), now=NOW)
    record_poll(db, dw.id, PollOutcome(NOW, error="FeedParseError: " + "broken " * 50), now=NOW)
    assert health_text(by_name(db, "BBC News Europe"), NOW) == "⚠️ blocked by an anti-bot wall"
    assert len(health_text(by_name(db, "Deutsche Welle"), NOW)) < 100


def test_a_source_disabled_for_everyone_has_no_button(db: Database) -> None:
    tass = by_name(db, "TASS")
    set_disabled(db, tass.id, True)
    pages = all_pages(view_of(db))
    text = "\n".join(page[0] for page in pages)
    assert "🚫 TASS" in text and "switched off for everyone" in text
    assert not [d for page in pages for d in page[2] if d.startswith(f"src:t:{tass.id}:")]


def test_operators_see_source_numbers(db: Database) -> None:
    tass = by_name(db, "TASS")
    operator_text = "".join(p[0] for p in all_pages(view_of(db, show_ids=True)))
    assert f"<code>#{tass.id}</code>" in operator_text
    assert "<code>#" not in "".join(p[0] for p in all_pages(view_of(db)))


def test_no_sources_gives_a_short_message_without_keyboard() -> None:
    menu = render_menu(SourcesView([], frozenset(), NOW), 0)
    assert menu.keyboard is None and "No news sources" in menu.text


def test_ago_uses_the_largest_whole_unit() -> None:
    assert ago(NOW - timedelta(seconds=59), NOW) == "just now"
    assert ago(NOW + timedelta(minutes=5), NOW) == "just now", "clock skew is not negative"
    assert ago(NOW - timedelta(minutes=59), NOW) == "59 min ago"
    assert ago(NOW - timedelta(hours=47), NOW) == "47 h ago"
    assert ago(NOW - timedelta(days=9), NOW) == "9 d ago"


def test_exported_opml_reads_back_as_the_chats_sources(db: Database) -> None:
    chosen = chat_source_ids(db, CHAT)
    rows = [s for s in all_sources(db) if s.id in chosen]
    back = load_opml(chat_opml(rows).encode("utf-8"))
    assert {s.feed_url for s in back} == {r.feed_url for r in rows}
    assert all(s.enabled_by_default for s in back)
    assert {s.kind.value for s in back} == {r.kind for r in rows}


def test_long_opml_is_split_between_lines_into_valid_messages(db: Database) -> None:
    rows = all_sources(db)
    document = chat_opml(rows)
    messages = opml_messages(document, len(rows))
    assert len(messages) > 1
    for message in messages:
        parsed = parse_telegram_html(message)
        assert utf16_len(parsed.text) <= MAX_MESSAGE_UTF16
        assert f"({messages.index(message) + 1}/{len(messages)})" in parsed.text
    joined = "\n".join(parse_telegram_html(m).text.split(":\n", 1)[1] for m in messages)
    assert joined == document.rstrip("\n")
    assert len(load_opml(joined.encode("utf-8"))) == len(rows)


def test_short_opml_is_one_message_without_part_numbers(db: Database) -> None:
    rows = all_sources(db)[:3]
    [message] = opml_messages(chat_opml(rows), 3)
    assert "(1/1)" not in message and "3 sources as OPML" in message
