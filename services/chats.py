"""A chat's own settings: remembering it, its subscription, its schedule, its language, and
its membership, as /subscribe, /pause, /settings, /language and the bot's joins change them.

Handlers parse the update and render the answer; everything they read or write about a
chat goes through here, so each rule (when a resumed digest is next due, which topic a
subscription posts into) has one home.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime, time

from telegram.constants import ChatMemberStatus, ChatType

from digest.schedule import next_delivery, parse_local_time, parse_timezone
from services.context import Services
from storage import chats, sources
from storage.chats import Chat, ChatStatus, NewChat, SubscribeResult, Subscription
from storage.privacy import export_chat, forget_chat

log = logging.getLogger(__name__)


def remember(svc: Services, chat_id: int, seen: NewChat) -> Chat:
    """The chat's row, created with the bot's default settings on first sight."""
    return chats.ensure_chat(svc.db, chat_id, seen, svc.chat_defaults)


def stored_language(svc: Services, chat_id: int) -> str | None:
    """The chat's chosen language without remembering the chat; None when it has none or
    the database fails (logged), so even the apology for an error can still be written."""
    try:
        chat = chats.get_chat(svc.db, chat_id)
    except svc.db.errors as exc:
        log.error("could not read the chat's language: %s", exc)
        return None
    return chat.language if chat is not None else None


def next_digest_at(svc: Services, chat: Chat) -> datetime:
    return next_delivery(chat.delivery_time, chat.timezone, svc.clock())


def subscription(svc: Services, chat_id: int) -> Subscription | None:
    return chats.get_subscription(svc.db, chat_id)


def subscribe(svc: Services, chat: Chat, topic_id: int | None) -> tuple[SubscribeResult, Subscription]:
    """Subscribe (or resume) the chat; a new or resumed subscription posts into the forum
    topic it was asked from, an unchanged one keeps its topic."""
    result = chats.subscribe(svc.db, chat.id, next_digest_at=next_digest_at(svc, chat))
    if result is not SubscribeResult.ALREADY:
        chats.set_topic(svc.db, chat.id, topic_id)
    current = chats.get_subscription(svc.db, chat.id)
    assert current is not None
    return result, current


def unsubscribe(svc: Services, chat_id: int) -> bool:
    """Stop the digest (settings kept); False when there was none."""
    return chats.unsubscribe(svc.db, chat_id)


class Pause(enum.StrEnum):
    NOT_SUBSCRIBED = "not_subscribed"
    ALREADY = "already_paused"
    PAUSED = "paused"


def pause(svc: Services, chat_id: int) -> Pause:
    """Stop deliveries until the chat resumes; its next delivery time is kept."""
    current = chats.get_subscription(svc.db, chat_id)
    if current is None:
        return Pause.NOT_SUBSCRIBED
    if current.state == "paused":
        return Pause.ALREADY
    chats.set_paused(svc.db, chat_id, True, next_digest_at=current.next_digest_at)
    return Pause.PAUSED


def reschedule(svc: Services, chat: Chat, *, at: time | None = None, zone: str | None = None) -> Chat:
    """Store a new time and/or zone, move the next delivery to match, return the chat."""
    new_time, new_zone = at or chat.delivery_time, zone or chat.timezone
    when = next_delivery(new_time, new_zone, svc.clock())
    chats.set_delivery(svc.db, chat.id, timezone=new_zone, delivery_time=new_time, next_digest_at=when)
    updated = chats.get_chat(svc.db, chat.id)
    assert updated is not None
    return updated


def set_time(svc: Services, chat: Chat, raw: str) -> Chat:
    """``raw`` ("07:30", "7.30", …) as the delivery time; ValueError when it is not one."""
    return reschedule(svc, chat, at=parse_local_time(raw))


def set_timezone(svc: Services, chat: Chat, raw: str) -> Chat:
    """``raw`` ("Europe/Kyiv", "kyiv", …) as the chat's zone; ValueError when unknown."""
    return reschedule(svc, chat, zone=parse_timezone(raw))


def set_language(svc: Services, chat_id: int, language: str) -> bool:
    """Store the interface language; True when the chat's sources are in another language
    (so switching them too can be offered). The sources stay as they are until asked."""
    sources.keep_sources_language(svc.db, chat_id)
    chats.set_language(svc.db, chat_id, language)
    return sources.sources_language(svc.db, chat_id) != language


def switch_sources_language(svc: Services, chat_id: int, language: str) -> None:
    """From now on the chat reads ``language``'s outlets and channels."""
    sources.switch_sources_language(svc.db, chat_id, language)


_PRESENT = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR,
                      ChatMemberStatus.OWNER, ChatMemberStatus.RESTRICTED})


def status_after(member_status: str, chat_type: str) -> ChatStatus:
    """What the bot's new membership status means for deliveries to that chat.

    >>> status_after("kicked", "private"), status_after("kicked", "group")
    (<ChatStatus.BLOCKED: 'blocked'>, <ChatStatus.KICKED: 'kicked'>)
    """
    if member_status in _PRESENT:
        return ChatStatus.ACTIVE
    if member_status == ChatMemberStatus.BANNED:
        # A private user "kicking" the bot is Telegram's way of saying they blocked it.
        return ChatStatus.BLOCKED if chat_type == ChatType.PRIVATE else ChatStatus.KICKED
    return ChatStatus.LEFT


def membership_changed(svc: Services, chat_id: int, member_status: str, chat_type: str) -> ChatStatus:
    """The bot joined, left or was blocked: deliveries follow; the chat's data is kept."""
    status = status_after(member_status, chat_type)
    chats.set_status(svc.db, chat_id, status)
    return status


def migrate(svc: Services, old_id: int, new_id: int) -> bool:
    """A group became a supergroup: its subscription and settings move to the new id."""
    return chats.migrate_chat(svc.db, old_id, new_id) is not None


def export(svc: Services, chat_id: int) -> dict[str, object]:
    """Everything stored about the chat, as /mydata shows it."""
    return export_chat(svc.db, chat_id)


def forget(svc: Services, chat_id: int) -> int:
    """Erase the chat's rows; how many went."""
    return sum(forget_chat(svc.db, chat_id).values())
