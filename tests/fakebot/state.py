"""The fake Telegram world: users, chats, memberships and the messages in each chat.

Everything here is plain data guarded by one re-entrant lock (``World.lock``) that both the HTTP
threads and the test-side client take, so state changes are atomic from either side.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tests.fakebot.errors import bad_request, forbidden

ChatKind = Literal["private", "group", "supergroup", "channel"]
# Telegram's ChatMember.status values; "creator" is the owner.
Status = Literal["creator", "administrator", "member", "left", "kicked"]
GROUP_KINDS = frozenset({"group", "supergroup", "channel"})


def now() -> int:
    """Telegram dates are Unix seconds."""
    return int(time.time())


@dataclass
class FakeUser:
    """A Telegram account. ``started``: has opened a private chat with the bot."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False
    started: bool = False
    blocked_bot: bool = False
    deactivated: bool = False

    def to_api(self) -> dict[str, Any]:
        """The Bot API ``User`` object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            user["username"] = self.username
        if self.language_code and not self.is_bot:
            user["language_code"] = self.language_code
        return user


@dataclass
class Topic:
    """A forum topic; its ``message_thread_id`` is the id of its creation message."""

    thread_id: int
    name: str
    closed: bool = False


@dataclass
class FakeChat:
    """A chat of any kind. ``members`` maps user id to status (the bot lives in ``bot_status``)."""

    id: int
    type: ChatKind
    title: str | None = None
    username: str | None = None
    first_name: str | None = None  # private chats are named after the user
    is_forum: bool = False
    members: dict[int, Status] = field(default_factory=dict)
    bot_status: Status = "left"
    migrated_to: int | None = None
    topics: dict[int, Topic] = field(default_factory=dict)
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1), repr=False)

    def next_message_id(self) -> int:
        """Message ids are per chat and increase, as in groups and channels."""
        return next(self._ids)

    def to_api(self) -> dict[str, Any]:
        """The short Bot API ``Chat`` object embedded in messages."""
        chat: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title is not None:
            chat["title"] = self.title
        if self.first_name is not None:
            chat["first_name"] = self.first_name
        if self.username:
            chat["username"] = self.username
        if self.is_forum:
            chat["is_forum"] = True
        return chat

    @property
    def kind_name(self) -> str:
        """How Telegram names the chat in error texts ("group chat", "supergroup chat"...)."""
        return f"{self.type} chat"


#: Telegram's cap on files a bot may download with getFile (the cloud Bot API: 20 MB).
DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    """A file a user sent: what ``getFile`` describes and ``/file/bot<token>/<path>`` serves."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str
    mime_type: str

    def document(self) -> dict[str, Any]:
        """The message's ``document`` object."""
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id,
                "file_name": self.file_name, "mime_type": self.mime_type,
                "file_size": len(self.content)}


class World:
    """Registry of users and chats plus the bot's own account."""

    def __init__(self, bot: FakeUser) -> None:
        self.lock = threading.RLock()
        self.bot = bot
        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, FakeChat] = {}
        # callback query id -> the bot's answerCallbackQuery parameters (None until answered)
        self.callback_answers: dict[str, dict[str, Any] | None] = {}
        # (scope JSON, language_code) -> the commands set with setMyCommands
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # file_id -> a file users sent (documents), for getFile and downloads
        self.files: dict[str, StoredFile] = {}
        self._file_ids = itertools.count(1)
        self._user_ids = itertools.count(1_000_001)
        self._group_ids = itertools.count(4_000_000_001)
        self._super_ids = itertools.count(1_000_000_000_001)

    def add_user(self, first_name: str, username: str | None = None, **extra: Any) -> FakeUser:
        """Register a user and their (not yet started) private chat with the bot."""
        with self.lock:
            user = FakeUser(next(self._user_ids), first_name, username, **extra)
            self.users[user.id] = user
            chat = FakeChat(
                user.id, "private", username=username, first_name=first_name, bot_status="member"
            )
            chat.members[user.id] = "member"
            self.chats[user.id] = chat
            return user

    def add_file(self, content: bytes, file_name: str, mime_type: str) -> StoredFile:
        """Keep a file a user uploads; ids and path are shaped like Telegram's."""
        with self.lock:
            number = next(self._file_ids)
            suffix = Path(file_name).suffix
            stored = StoredFile(f"BQACAgIAAx{number:08d}", f"AgAD{number:06d}",
                                f"documents/file_{number}{suffix}", content, file_name, mime_type)
            self.files[stored.file_id] = stored
            return stored

    def file_at(self, file_path: str) -> StoredFile | None:
        with self.lock:
            return next((f for f in self.files.values() if f.file_path == file_path), None)

    def add_chat(self, kind: ChatKind, title: str, **extra: Any) -> FakeChat:
        """Register a group, supergroup or channel with a Telegram-shaped negative id."""
        with self.lock:
            raw = next(self._group_ids) if kind == "group" else next(self._super_ids)
            chat = FakeChat(-raw, kind, title, **extra)
            self.chats[chat.id] = chat
            return chat

    def chat(self, ref: int | str) -> FakeChat:
        """The chat by id or ``@username``; 400 "chat not found" otherwise."""
        with self.lock:
            if isinstance(ref, str):
                name = ref.removeprefix("@").lower()
                found = [c for c in self.chats.values() if (c.username or "").lower() == name]
                if found:
                    return found[0]
            elif ref in self.chats:
                return self.chats[ref]
        raise bad_request("chat not found")

    def user(self, user_id: int) -> FakeUser:
        """A registered user (the bot included); 400 "user not found" otherwise."""
        if user_id == self.bot.id:
            return self.bot
        if user_id not in self.users:
            raise bad_request("user not found")
        return self.users[user_id]

    def writable_chat(self, ref: int | str) -> FakeChat:
        """The chat if the bot may post there now, else the error Telegram would give."""
        chat = self.chat(ref)
        if chat.migrated_to is not None:
            raise bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        if chat.type == "private":
            _check_private_peer(self.users[chat.id])
        else:
            _check_bot_membership(chat)
        return chat


def _check_private_peer(user: FakeUser) -> None:
    if user.deactivated:
        raise forbidden("user is deactivated")
    if user.blocked_bot:
        raise forbidden("bot was blocked by the user")
    if not user.started:
        raise forbidden("bot can't initiate conversation with a user")


def _check_bot_membership(chat: FakeChat) -> None:
    if chat.bot_status == "kicked":
        raise forbidden(f"bot was kicked from the {chat.kind_name}")
    if chat.bot_status == "left":
        raise forbidden(f"bot is not a member of the {chat.kind_name}")
    if chat.type == "channel" and chat.bot_status != "administrator":
        raise bad_request("need administrator rights in the channel chat")


def member_object(user: FakeUser, status: Status) -> dict[str, Any]:
    """The Bot API ``ChatMember`` variant for ``status`` (Owner, Administrator, Member...)."""
    member: dict[str, Any] = {"status": status, "user": user.to_api()}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(_ADMIN_RIGHTS, can_be_edited=False, is_anonymous=False)
    elif status == "kicked":
        member["until_date"] = 0
    return member


_ADMIN_RIGHTS: dict[str, bool] = {
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_post_messages": True,
    "can_edit_messages": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}
