"""The chat and alert-settings services on a real in-memory database, without Telegram."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from services import alert_settings, chats, operators
from services.context import Services
from settings import load_settings
from storage import open_database
from storage.chats import ChatStatus, NewChat, SubscribeResult
from storage.sources import SourceSpec, sync_sources

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 12:00 in Kyiv


@pytest.fixture
def svc() -> Services:
    return Services(load_settings({"BOT_TOKEN": "1:x"}), open_database(":memory:"), clock=lambda: NOW)


def test_a_chat_is_remembered_with_the_default_schedule_and_its_users_language(svc: Services) -> None:
    chat = chats.remember(svc, 7, NewChat("private", "Olha", language="uk"))
    assert (chat.timezone, chat.delivery_time, chat.language) == (
        svc.settings.default_timezone, svc.settings.default_digest_time, "uk")
    assert chats.stored_language(svc, 7) == "uk"
    assert chats.stored_language(svc, 8) is None


def test_subscribing_twice_keeps_the_first_topic_and_pausing_keeps_the_next_delivery(svc: Services) -> None:
    chat = chats.remember(svc, 7, NewChat("supergroup", "Forum"))
    result, first = chats.subscribe(svc, chat, topic_id=5)
    assert result is SubscribeResult.NEW and first.next_digest_at > NOW
    again, _ = chats.subscribe(svc, chat, topic_id=9)
    assert again is SubscribeResult.ALREADY
    assert chats.remember(svc, 7, NewChat("supergroup", "Forum")).topic_id == 5
    assert chats.pause(svc, 7) is chats.Pause.PAUSED
    assert chats.pause(svc, 7) is chats.Pause.ALREADY
    paused = chats.subscription(svc, 7)
    assert paused is not None and (paused.state, paused.next_digest_at) == ("paused", first.next_digest_at)
    resumed, _ = chats.subscribe(svc, chat, topic_id=None)
    assert resumed is SubscribeResult.RESUMED
    assert chats.unsubscribe(svc, 7) and not chats.unsubscribe(svc, 7)
    assert chats.pause(svc, 7) is chats.Pause.NOT_SUBSCRIBED


def test_a_new_time_or_zone_moves_the_next_delivery_and_a_bad_one_changes_nothing(svc: Services) -> None:
    chat = chats.remember(svc, 7, NewChat("private"))
    chats.subscribe(svc, chat, topic_id=None)
    chat = chats.set_time(svc, chat, "13:30")
    subscription = chats.subscription(svc, 7)
    assert chat.delivery_time == time(13, 30)
    assert subscription is not None and subscription.next_digest_at == datetime(2026, 3, 2, 11, 30, tzinfo=UTC)
    chat = chats.set_timezone(svc, chat, "UTC")
    assert (chat.timezone, chat.delivery_time) == ("UTC", time(13, 30))
    with pytest.raises(ValueError):
        chats.set_time(svc, chat, "25:99")
    with pytest.raises(ValueError):
        chats.set_timezone(svc, chat, "Mars/Olympus")
    assert chats.remember(svc, 7, NewChat("private")).timezone == "UTC"


def test_a_new_language_offers_the_sources_only_when_they_differ(svc: Services) -> None:
    sync_sources(svc.db, [SourceSpec("UP", "https://up.example/rss", "uk", "ukrainian_media", True)],
                 origin="builtin")
    chats.remember(svc, 7, NewChat("private"))
    offer = chats.set_language(svc, 7, "uk")
    assert chats.stored_language(svc, 7) == "uk"
    chats.switch_sources_language(svc, 7, "uk")
    assert offer and not chats.set_language(svc, 7, "uk")


def test_membership_blocked_kicked_and_back(svc: Services) -> None:
    chats.remember(svc, 7, NewChat("private"))
    assert chats.membership_changed(svc, 7, "kicked", "private") is ChatStatus.BLOCKED
    assert chats.membership_changed(svc, 7, "member", "private") is ChatStatus.ACTIVE
    assert chats.status_after("left", "group") is ChatStatus.LEFT


def test_a_migrated_group_keeps_its_subscription_and_forget_erases_it(svc: Services) -> None:
    chats.subscribe(svc, chats.remember(svc, -1, NewChat("group")), topic_id=None)
    assert chats.migrate(svc, -1, -100) and not chats.migrate(svc, -2, -200)
    assert chats.subscription(svc, -100) is not None
    assert "chat" in str(chats.export(svc, -100))
    assert chats.forget(svc, -100) >= 2
    assert chats.subscription(svc, -100) is None


def test_alert_settings_are_switched_tuned_and_quieted(svc: Services) -> None:
    chats.remember(svc, 7, NewChat("private"))
    assert not alert_settings.current(svc, 7).enabled
    assert alert_settings.switch(svc, 7, True).enabled
    assert alert_settings.set_outlets(svc, 7, 6).outlets == 6
    assert alert_settings.set_cap(svc, 7, 10).cap == 10
    quiet = alert_settings.set_quiet(svc, 7, "22.30 – 6:00")
    assert (quiet.text, quiet.off, quiet.all_day) == ("22:30-06:00", False, False)
    assert alert_settings.set_quiet(svc, 7, "0:00-24:00").all_day
    assert alert_settings.set_quiet(svc, 7, "off").off
    with pytest.raises(ValueError):
        alert_settings.set_quiet(svc, 7, "whenever")
    assert alert_settings.current(svc, 7).quiet == "off"


def test_stats_count_subscribed_chats_by_state_and_operators_keep_their_language(svc: Services) -> None:
    for chat_id in (1, 2, 3):
        chats.subscribe(svc, chats.remember(svc, chat_id, NewChat("private", language="uk")), topic_id=None)
    chats.pause(svc, 2)
    chats.membership_changed(svc, 3, "kicked", "private")
    values = operators.stats_values(svc)
    assert (values["chats_active"], values["chats_paused"], values["chats_gone"]) == (1, 1, 1)
    assert values["parts_sent"] == values["parts_pending"] == 0
    assert operators.operator_language(svc, 1) == "uk"
    assert operators.operator_language(svc, 99) == "en"
