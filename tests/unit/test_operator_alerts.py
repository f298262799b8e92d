"""Operator alerts in storage: a feed down for a day, parked digests and a nearly full disk
are each news once; when the trouble clears, its return is news again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Database
from storage.alerts import AlertPolicy, disk_low, feeds_down, new_alerts, parked_parts, raised
from storage.chats import ChatDefaults, NewChat, ensure_chat
from storage.outbox import Part, due_messages, enqueue_digest, park_failed
from storage.sources import PollOutcome, SourceSpec, record_poll, sync_sources

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def _source(db, name: str = "Outlet"):  # type: ignore[no-untyped-def]
    [row] = sync_sources(db, [SourceSpec(name, f"https://{name}.example/rss", "en", "international", True)],
                         origin="builtin")
    db.execute("update sources set created_at = ? where id = ?", [(NOW - timedelta(days=30)).isoformat(), row.id])
    return row


def _fail(db, source_id: int, at: datetime) -> None:  # type: ignore[no-untyped-def]
    record_poll(db, source_id, PollOutcome(next_poll_at=at, error="HTTP 503"), now=at)


def test_a_feed_failing_for_a_day_is_news_once_then_again_after_it_recovered(db: Database) -> None:
    source = _source(db)
    record_poll(db, source.id, PollOutcome(next_poll_at=NOW), now=NOW - timedelta(hours=30))
    _fail(db, source.id, NOW - timedelta(hours=2))
    assert [a.values["name"] for a in new_alerts(db, feeds_down(db, NOW), now=NOW)] == ["Outlet"]
    for tick in range(1, 5):  # every later tick: still down, nothing new to say
        assert new_alerts(db, feeds_down(db, NOW + timedelta(minutes=tick)), now=NOW) == []
    record_poll(db, source.id, PollOutcome(next_poll_at=NOW), now=NOW + timedelta(hours=1))
    assert new_alerts(db, feeds_down(db, NOW + timedelta(hours=1)), now=NOW) == []
    assert raised(db) == []
    _fail(db, source.id, NOW + timedelta(days=2))
    assert len(new_alerts(db, feeds_down(db, NOW + timedelta(days=2, hours=1)), now=NOW)) == 1


def test_a_feed_failing_for_an_hour_is_not_news(db: Database) -> None:
    source = _source(db)
    record_poll(db, source.id, PollOutcome(next_poll_at=NOW), now=NOW - timedelta(hours=1))
    _fail(db, source.id, NOW)
    assert feeds_down(db, NOW) == []


def test_parked_parts_are_one_alert_however_many(db: Database) -> None:
    for chat_id in range(1, 6):
        ensure_chat(db, chat_id, NewChat(type="private"), ChatDefaults())
        enqueue_digest(db, chat_id, NOW.date(), [Part("text")], thread_id=None, now=NOW)
    for message in due_messages(db, NOW):
        park_failed(db, message.id, error="HTTP 502", retry_at=NOW + timedelta(hours=1))
    [alert] = new_alerts(db, parked_parts(db), now=NOW)
    assert alert.values["count"] == "5" and "502" in alert.values["error"]
    assert new_alerts(db, parked_parts(db), now=NOW) == []


def test_disk_low_by_either_threshold(tmp_path: Path) -> None:
    everything = AlertPolicy(disk_free_bytes=10**18)
    nothing = AlertPolicy(disk_free_bytes=0, disk_free_share=0.0)
    assert [a.kind for a in disk_low(tmp_path / "bot.db", everything)] == ["disk_low"]
    assert disk_low(tmp_path / "bot.db", nothing) == []


def test_error_reports_blank_secrets_and_are_rate_limited() -> None:
    from telegram.error import NetworkError

    from services.operators import ErrorReports, describe_error

    token = "123456:SECRET-token"
    try:
        raise NetworkError(f"request to https://api.telegram.org/bot{token}/sendMessage failed")
    except NetworkError as error:
        report = describe_error(error, token, "hook-secret")
    assert report.message is not None and token not in report.message and token not in report.trace
    assert "<redacted>" in report.message and "test_operator_alerts.py" in report.trace
    assert report.signature.startswith("NetworkError@test_operator_alerts.py:")
    reports = ErrorReports(every=timedelta(minutes=15), per_hour=2)
    assert reports.admit("a", NOW) == 0
    assert reports.admit("a", NOW + timedelta(minutes=1)) is None  # same kind: held back
    assert reports.admit("b", NOW + timedelta(minutes=2)) == 0
    assert reports.admit("c", NOW + timedelta(minutes=3)) is None  # two an hour in all
    assert reports.admit("a", NOW + timedelta(minutes=61)) == 1  # with the one held back


def test_p2_row_19_a_small_volume_is_told_the_rule_not_almost_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from i18n.texts import say
    from storage import alerts

    mib = 1024 * 1024
    usage = SimpleNamespace(total=int(2.55 * mib), used=int(0.55 * mib), free=2 * mib)
    monkeypatch.setattr(alerts.shutil, "disk_usage", lambda _path: usage)
    [alert] = disk_low(tmp_path / "bot.db")
    text = say("alert_disk_low", "en", **alert.values)
    assert "almost full" not in text
    assert "2 MB free (78.4% of it): under the 500 MB or 5%" in text
