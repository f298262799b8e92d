"""Issue 22 (the second probe): each row pinned by a fast test on real SQLite databases,
named ``test_p2_row_NN_…`` after its row. The rows needing the real bot process are in
``test_e2e_probe22.py``, those running the command-line tools in ``test_probe22_commands.py``."""

from __future__ import annotations

import errno
import logging
import os
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from telegram.error import Conflict, NetworkError

import bot
from digest.schedule import parse_local_time, parse_quiet_hours
from handlers.follows import _result_text
from handlers.operators import Where, _error_text
from i18n.texts import say
from lifecycle import PollingErrors
from services.context import Services
from services.follows import Outcome, follow_text
from services.operators import describe_error
from settings import Settings, load_settings
from storage import follows as follow_store
from storage import open_database
from storage.breaking import in_quiet_hours, parse_quiet, quiet_text
from storage.chats import ChatDefaults, NewChat, ensure_chat, set_language
from storage.follows import FOLLOW
from storage.instance import DatabaseInUse, hold_database
from tests.botproc import REPO_ROOT


def test_p2_row_01_the_lock_names_the_holder_and_dies_with_it(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from storage.instance import hold_database; lock = hold_database(Path(sys.argv[1])); "
         "print('held', flush=True); time.sleep(60)", str(path)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse) as refused:
            hold_database(path)
        assert refused.value.pid == holder.pid
        assert f"pid {holder.pid}" in str(refused.value)
        open_database(path).close()  # SQLite itself is not blocked (backup, health)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=10)
    hold_database(path).release()  # a crash leaves no stale lock behind


def test_p2_row_01_a_getupdates_conflict_is_one_line_not_a_traceback_loop(
    caplog: pytest.LogCaptureFixture
) -> None:
    clock = iter(float(second) for second in range(0, 100, 5))
    errors = PollingErrors(repeat_seconds=600, clock=lambda: next(clock))
    with caplog.at_level(logging.INFO):
        for _ in range(10):
            errors(Conflict("Conflict: terminated by other getUpdates request"))
        errors(NetworkError("Bad Gateway"))
    assert [r.levelname for r in caplog.records] == ["ERROR", "WARNING"]
    assert all(r.exc_info is None for r in caplog.records)
    assert "getUpdates conflict" in caplog.records[0].getMessage()
    assert os.linesep not in caplog.records[0].getMessage()


def _settings(path: Path, **extra: str) -> Settings:
    return load_settings({"BOT_TOKEN": "123:abc", "DATABASE_PATH": str(path), **extra})


def test_p2_row_04_a_busy_database_at_start_names_the_other_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.db"
    open_database(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], "
         "isolation_level=None); c.execute('begin exclusive'); print('held', flush=True); "
         "time.sleep(60)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert bot.open_or_explain(_settings(path)) is None
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=10)
    line = capsys.readouterr().err.strip()
    assert "another process is using the database" in line and f"pid {holder.pid}" in line
    assert "move the file away" not in line and "not a usable" not in line


@pytest.mark.parametrize(("error", "expected"), [
    (sqlite3.OperationalError("database or disk is full"), "the disk is full ("),
    (OSError(errno.ENOSPC, "No space left on device"), "the disk is full ("),
    (sqlite3.OperationalError("database is locked"), "another process is using the database"),
])
def test_p2_row_04_a_full_disk_or_busy_database_is_never_called_unusable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    error: Exception, expected: str
) -> None:
    def failing(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(bot, "open_database", failing)
    assert bot.open_or_explain(_settings(tmp_path / "bot.db")) is None
    [line] = capsys.readouterr().err.splitlines()
    assert expected in line and "MB free" in line if "disk" in expected else expected in line
    assert "move the file away" not in line and "not a usable" not in line


def _follow_service() -> Services:
    from storage.sources import SourceSpec, sync_sources

    db = open_database(":memory:")
    # Outlets are known by the bot's own source list (the built-in one has both).
    sync_sources(db, [SourceSpec("BBC News Україна", "https://bbc.example/rss", "uk",
                                 "international", True),
                      SourceSpec("Kyiv Independent", "https://kyivindependent.example/feed", "en",
                                 "ukrainian_media", True)], origin="builtin")
    ensure_chat(db, 7, NewChat(type="private"), ChatDefaults())
    ensure_chat(db, 8, NewChat(type="private"), ChatDefaults())
    return Services(load_settings({"BOT_TOKEN": "1:x"}), db)


@pytest.mark.parametrize(("typed", "outcome", "reply"), [
    ("Gaza", Outcome.OUTSIDE, "outside what this bot covers"),
    ("weather", Outcome.OUTSIDE, "outside what this bot covers"),
    ("Kyiv Independent", Outcome.OUTLET, "/sources"),
    ("BBC", Outcome.OUTLET, "/sources"),
])
async def test_p2_row_07_buckets_and_outlets_are_never_followed(
    typed: str, outcome: Outcome, reply: str
) -> None:
    svc = _follow_service()
    result = await follow_text(svc, 7, typed, FOLLOW)
    assert result.outcome is outcome
    assert reply in _result_text(result.outcome, result.label, typed, FOLLOW, "en")
    assert follow_store.chat_follows(svc.db, 7) == []


@pytest.mark.parametrize(("typed", "label"), [
    ("ЗСУ", "Ukrainian armed forces"), ("США", "USA"),
])
async def test_p2_row_07_labels_are_proper_names(typed: str, label: str) -> None:
    svc = _follow_service()
    result = await follow_text(svc, 7, typed, FOLLOW)
    assert result.outcome is Outcome.DONE and result.label == label


@pytest.mark.parametrize(("typed", "label"), [
    ("ЗСУ", "ЗСУ"), ("залужний", "Залужний"), ("Zaluzhny", "Zaluzhny"),
])
async def test_p2_row_07_a_ukrainian_reader_sees_the_name_in_their_language(
        typed: str, label: str) -> None:
    svc = _follow_service()
    set_language(svc.db, 8, "uk")
    result = await follow_text(svc, 8, typed, FOLLOW)
    assert result.outcome is Outcome.DONE and result.label == label
    [row] = follow_store.chat_follows(svc.db, 8)
    assert row.label == label
    english = await follow_text(svc, 7, typed, FOLLOW)
    assert english.key == result.key  # one topic, whatever language names it


async def test_p2_row_11_a_list_is_one_at_a_time_and_invisible_characters_go() -> None:
    svc = _follow_service()
    result = await follow_text(svc, 7, "Kharkiv, Odesa, Kyiv", FOLLOW)
    assert result.outcome is Outcome.LIST
    assert "one place, person or topic at a time" in _result_text(
        result.outcome, result.label, "Kharkiv, Odesa, Kyiv", FOLLOW, "en")
    assert follow_store.chat_follows(svc.db, 7) == []
    free = await follow_text(svc, 7, "Scholz\u200b \u2060visit", FOLLOW)
    assert free.outcome is Outcome.FREE and free.label == "Scholz visit"
    again = await follow_text(svc, 7, "Scholz visit", FOLLOW)
    assert again.key == free.key
    assert [row.label for row in follow_store.chat_follows(svc.db, 7)] == ["Scholz visit"]


@pytest.mark.parametrize(("typed", "window"), [
    ("23:00–07:00", (time(23), time(7))), ("23:00 — 7:00", (time(23), time(7))),
    ("0:00-24:00", (time(0), time(0))),
])
def test_p2_row_08_quiet_hours_take_any_dash_and_24_00(typed: str, window: tuple[time, time]) -> None:
    assert parse_quiet_hours(typed) == window


def test_p2_row_08_equal_times_mean_all_day_and_the_reply_says_so() -> None:
    window = parse_quiet_hours("22:00-22:00")
    assert window is not None and all(in_quiet_hours(time(h), window) for h in range(24))
    assert all(in_quiet_hours(time(h, 30), parse_quiet(quiet_text(window))) for h in range(24))
    assert "Quiet all day" in say("quiet_all_day", "en", zone="Europe/Kyiv")


def _failing_parse(raw: str) -> None:
    try:
        parse_local_time(raw)
    except ValueError as error:
        raise RuntimeError("could not set the time") from error


def test_p2_row_09_error_reports_carry_ids_type_and_frames_never_user_text() -> None:
    typed = "my secret plans " * 20
    try:
        _failing_parse(typed)
    except RuntimeError as error:
        report = describe_error(error, "1:x")
    text = _error_text(report, Where(update_id=41, chat_id=7), 0, "en")
    assert "my secret plans" not in text and report.message is None
    assert "update 41 in chat 7" in text and "RuntimeError" in text and "ValueError" in text
    assert "_failing_parse" in text and "parse_local_time" in text  # the stack frames
    database = describe_error(sqlite3.OperationalError("database is locked"))
    assert database.message == "database is locked"  # the system's words stay


def test_p2_row_09_a_ukrainian_report_is_all_ukrainian() -> None:
    try:
        _failing_parse("25:99")
    except RuntimeError as error:
        report = describe_error(error)
    text = _error_text(report, Where(update_id=41, chat_id=7), 2, "uk")
    head = text.split("<pre>")[0] + text.split("</pre>")[1]  # all but the code frames
    assert "оновленні 41 у чаті 7" in head and "приховано" in head
    assert not re.search(r"\b(update|chat|in|message|more|like)\b", head), head


def test_p2_row_15_ukrainian_has_no_typo_and_counts_take_cldr_plural_forms() -> None:
    from handlers.alerts_menu import OUTLET_CHOICES, alerts_keyboard, alerts_text
    from i18n.texts_uk import UKRAINIAN
    from storage.breaking import AlertSettings

    assert not [key for key, text in UKRAINIAN.items() if "Торніться" in text]
    expected = {1: "1 видання", 2: "2 видання", 3: "3 видання", 4: "4 видання", 5: "5 видань",
                6: "6 видань", 8: "8 видань"}
    buttons = [b.text.removeprefix("✓ ") for b in
               alerts_keyboard(AlertSettings(True, 4), "uk").inline_keyboard[1]]
    assert buttons == [expected[n] for n in OUTLET_CHOICES]
    assert "<b>4 видання</b> повідомляють" in alerts_text(AlertSettings(True, 4), 3, "uk")
    assert "<b>3 outlets</b> report" in alerts_text(AlertSettings(True, 3), 3, "en")


def test_p2_row_18_two_folder_backups_in_one_second_get_distinct_names(tmp_path: Path) -> None:
    from cli.storage import main as storage_main

    database, folder = tmp_path / "bot.db", tmp_path / "backups"
    open_database(database).close()
    folder.mkdir()
    for _ in range(3):  # well within one second
        assert storage_main(["backup", f"{folder}/", "--db", str(database)]) == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 3 and all(re.fullmatch(r"bot-\d{8}T\d{6}Z(-[23])?\.db", n) for n in names)


def test_p2_row_15_a_parked_count_reads_right_for_any_number_in_ukrainian() -> None:
    for count in ("1", "2", "5", "21"):
        text = say("alert_parked", "uk", count=count, error="502")
        assert f"невдалі: {count} (" in text, text
