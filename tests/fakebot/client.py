"""The test's side of Telegram: users who write to the bot, press buttons and manage chats.

Every action changes the server state the way Telegram would and, when the bot would be told,
queues the matching update (``message``, ``edited_message``, ``callback_query``,
``my_chat_member``, ``channel_post``...). Actions return the Bot API object they produced.

>>> from tests.fakebot import FakeTelegramServer
>>> tg = FakeTelegramServer()            # the client works without the HTTP server running
>>> alice = tg.client.user("Alice")
>>> tg.client.send_command(alice, "time", "07:30")["entities"]
[{'type': 'bot_command', 'offset': 0, 'length': 5}]
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from tests.fakebot.backend import Backend
from tests.fakebot.entities import user_entities
from tests.fakebot.recording import SentMessage
from tests.fakebot.state import FakeChat, FakeUser, Status, Topic, member_object, now

_FORUM_ICON_COLOR = 7322096  # one of the six colours Telegram allows for topic icons


class UserClient:
    """Plays the humans around the bot. Get one as ``server.client``."""

    def __init__(self, api: Backend) -> None:
        self._api = api
        self._world = api.world
        self._query_ids = itertools.count(1)

    # -- people and chats -------------------------------------------------------------------
    def user(
        self,
        first_name: str = "Alice",
        *,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """Register a user; their private chat (id == user id) opens when they first write."""
        return self._world.add_user(first_name, username, language_code=language_code)

    def group(
        self,
        title: str,
        *,
        owner: FakeUser,
        members: Iterable[FakeUser] = (),
        admins: Iterable[FakeUser] = (),
        supergroup: bool = False,
        forum: bool = False,
        username: str | None = None,
    ) -> FakeChat:
        """A group (or supergroup/forum) without the bot; see :meth:`add_bot`."""
        kind = "supergroup" if supergroup or forum else "group"
        with self._world.lock:
            chat = self._world.add_chat(kind, title, is_forum=forum, username=username)
            chat.members.update({m.id: "member" for m in members})
            chat.members.update({a.id: "administrator" for a in admins})
            chat.members[owner.id] = "creator"
            return chat

    def channel(self, title: str, *, owner: FakeUser, username: str | None = None) -> FakeChat:
        """A channel without the bot; bots can only post once added as admins."""
        with self._world.lock:
            chat = self._world.add_chat("channel", title, username=username)
            chat.members[owner.id] = "creator"
            return chat

    def create_topic(self, chat: FakeChat, name: str, *, by: FakeUser) -> int:
        """Open a forum topic; returns its ``message_thread_id``."""
        with self._world.lock:
            message = self._new_message(chat, by, None)
            thread_id = message["message_id"]
            message.update(
                message_thread_id=thread_id,
                is_topic_message=True,
                forum_topic_created={"name": name, "icon_color": _FORUM_ICON_COLOR},
            )
            chat.topics[thread_id] = Topic(thread_id, name)
            return self._deliver(chat, "message", message)["message_thread_id"]

    def close_topic(self, chat: FakeChat, thread_id: int) -> None:
        """Later sends to the topic fail with TOPIC_CLOSED."""
        with self._world.lock:
            chat.topics[thread_id].closed = True

    # -- messages ---------------------------------------------------------------------------
    def send_message(
        self,
        user: FakeUser,
        text: str,
        *,
        chat: FakeChat | None = None,
        thread_id: int | None = None,
        text_links: Mapping[str, str] | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """``user`` writes ``text`` (private chat by default) with client-detected entities."""
        with self._world.lock:
            target = self._chat_for(user, chat)
            message = self._new_message(target, user, thread_id)
            message["text"] = text
            entities = user_entities(text, text_links)
            if entities:
                message["entities"] = entities
            if reply_to is not None:
                message["reply_to_message"] = copy.deepcopy(target.messages[reply_to])
            return self._deliver(target, "message", message)

    def send_command(
        self,
        user: FakeUser,
        command: str,
        args: str = "",
        *,
        chat: FakeChat | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """``/command args``; in groups pass ``command="start@bot_username"`` if needed."""
        text = f"/{command.removeprefix('/')}" + (f" {args}" if args else "")
        return self.send_message(user, text, chat=chat, thread_id=thread_id)

    def send_document(
        self,
        user: FakeUser,
        content: bytes,
        file_name: str,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat: FakeChat | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """``user`` sends a file; its caption (e.g. ``/importsources``) gets entities too."""
        with self._world.lock:
            target = self._chat_for(user, chat)
            message = self._new_message(target, user, None)
            message["document"] = self._world.add_file(content, file_name, mime_type).document()
            if caption:
                message["caption"] = caption
                entities = user_entities(caption)
                if entities:
                    message["caption_entities"] = entities
            if reply_to is not None:
                message["reply_to_message"] = copy.deepcopy(target.messages[reply_to])
            return self._deliver(target, "message", message)

    def edit_message(self, user: FakeUser, message: Mapping[str, Any], text: str) -> dict[str, Any]:
        """The user edits one of their messages: an ``edited_message`` update."""
        with self._world.lock:
            chat = self._world.chats[message["chat"]["id"]]
            current = chat.messages[message["message_id"]]
            if current.get("from", {}).get("id") != user.id:
                raise ValueError("users can only edit their own messages")
            current.pop("entities", None)
            current.update(text=text, edit_date=now())
            entities = user_entities(text)
            if entities:
                current["entities"] = entities
            return self._deliver(chat, "edited_message", current)

    def send_sticker(
        self,
        user: FakeUser,
        *,
        chat: FakeChat | None = None,
        emoji: str = "👍",
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """A regular (static) sticker message, something a text-only bot must shrug off."""
        with self._world.lock:
            target = self._chat_for(user, chat)
            message = self._new_message(target, user, thread_id)
            unique = f"sticker{message['message_id']}"
            message["sticker"] = {
                "file_id": f"CAACAgIAAx{unique}",
                "file_unique_id": unique,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
            }
            return self._deliver(target, "message", message)

    def press_button(
        self, user: FakeUser, message: SentMessage | Mapping[str, Any], callback_data: str
    ) -> str:
        """Press an inline button of a bot message (as it is now); returns the query id."""
        chat_id, message_id = _message_address(message)
        with self._world.lock:
            chat = self._world.chats[chat_id]
            current = chat.messages.get(message_id)
            if current is None or callback_data not in _callback_data(current):
                raise ValueError(f"message {message_id} has no button with data {callback_data!r}")
            query_id = f"{self._world.bot.id}{next(self._query_ids):08d}"
            self._world.callback_answers[query_id] = None
            self._api.updates.push(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user.to_api(),
                        "chat_instance": f"ci{abs(chat_id)}",
                        "message": copy.deepcopy(current),
                        "data": callback_data,
                    }
                }
            )
            return query_id

    def post_to_channel(self, channel: FakeChat, text: str) -> dict[str, Any]:
        """A post by the channel itself (``channel_post``, with ``sender_chat``)."""
        with self._world.lock:
            message = {
                "message_id": channel.next_message_id(),
                "date": now(),
                "chat": channel.to_api(),
                "sender_chat": channel.to_api(),
                "text": text,
            }
            entities = user_entities(text, None)
            if entities:  # a "/subscribe" post is a command, as in the Telegram apps
                message["entities"] = entities
            channel.messages[message["message_id"]] = message
            return self._deliver(channel, "channel_post", message)

    # -- the bot's membership -----------------------------------------------------------------
    def add_bot(self, chat: FakeChat, *, by: FakeUser, as_admin: bool = False) -> None:
        """``by`` adds the bot: ``my_chat_member`` (+ a ``new_chat_members`` message in groups)."""
        with self._world.lock:
            self._set_bot_status(chat, by, "administrator" if as_admin else "member")
            if chat.type != "channel":
                message = self._new_message(chat, by, None)
                message["new_chat_members"] = [self._world.bot.to_api()]
                self._deliver(chat, "message", message)

    def promote_bot(self, chat: FakeChat, *, by: FakeUser) -> None:
        """Make the bot an administrator (required for posting in channels)."""
        with self._world.lock:
            self._set_bot_status(chat, by, "administrator")

    def remove_bot(self, chat: FakeChat, *, by: FakeUser) -> None:
        """Kick the bot: later sends get 403 "bot was kicked from the group chat"."""
        with self._world.lock:
            self._set_bot_status(chat, by, "kicked")

    def block_bot(self, user: FakeUser) -> None:
        """The user blocks the bot: ``my_chat_member`` to ``kicked``; sends then get 403."""
        self._set_blocked(user, True)

    def unblock_bot(self, user: FakeUser) -> None:
        """The user restarts the bot: ``my_chat_member`` back to ``member``."""
        self._set_blocked(user, False)

    def deactivate(self, user: FakeUser) -> None:
        """The account is deleted: sends get 403 "user is deactivated" (no update is sent)."""
        with self._world.lock:
            user.deactivated = True

    def migrate_to_supergroup(self, chat: FakeChat, *, by: FakeUser) -> FakeChat:
        """Upgrade a group; the old id then answers 400 with ``migrate_to_chat_id``."""
        with self._world.lock:
            new = self._world.add_chat("supergroup", chat.title or "", username=chat.username)
            new.members.update(chat.members)
            new.bot_status = chat.bot_status
            old_note = self._new_message(chat, by, None)
            old_note["migrate_to_chat_id"] = new.id
            self._deliver(chat, "message", old_note)
            chat.migrated_to = new.id  # after the note: the bot still hears the old group once
            new_note = self._new_message(new, by, None)
            new_note["migrate_from_chat_id"] = chat.id
            self._deliver(new, "message", new_note)
            return new

    # -- helpers ------------------------------------------------------------------------------
    def _chat_for(self, user: FakeUser, chat: FakeChat | None) -> FakeChat:
        if chat is None:
            if user.blocked_bot:
                raise ValueError(f"{user.first_name} blocked the bot; call unblock_bot first")
            user.started = True
            return self._world.chats[user.id]
        if chat.members.get(user.id) not in ("creator", "administrator", "member"):
            raise ValueError(f"{user.first_name} is not a member of {chat.title!r}")
        return chat

    def _new_message(self, chat: FakeChat, user: FakeUser, thread_id: int | None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": chat.next_message_id(),
            "date": now(),
            "chat": chat.to_api(),
            "from": user.to_api(),
        }
        if thread_id is not None:
            if thread_id not in chat.topics:
                raise ValueError(f"no topic {thread_id} in {chat.title!r}")
            message.update(message_thread_id=thread_id, is_topic_message=True)
        chat.messages[message["message_id"]] = message
        return message

    def _deliver(self, chat: FakeChat, kind: str, message: dict[str, Any]) -> dict[str, Any]:
        """Queue the update when the bot is in the chat; return a copy of the message."""
        if _bot_receives(chat, self._world.users.get(chat.id)):
            self._api.updates.push({kind: copy.deepcopy(message)})
        return copy.deepcopy(message)

    def _set_bot_status(self, chat: FakeChat, by: FakeUser, status: Status) -> None:
        old, chat.bot_status = chat.bot_status, status
        self._push_member_change(chat, by, old, status)

    def _set_blocked(self, user: FakeUser, blocked: bool) -> None:
        with self._world.lock:
            user.blocked_bot = blocked
            user.started = user.started or not blocked
            old, new = ("member", "kicked") if blocked else ("kicked", "member")
            self._push_member_change(self._world.chats[user.id], user, old, new)

    def _push_member_change(self, chat: FakeChat, by: FakeUser, old: Status, new: Status) -> None:
        bot = self._world.bot
        self._api.updates.push(
            {
                "my_chat_member": {
                    "chat": chat.to_api(),
                    "from": by.to_api(),
                    "date": now(),
                    "old_chat_member": member_object(bot, old),
                    "new_chat_member": member_object(bot, new),
                }
            }
        )


def _bot_receives(chat: FakeChat, private_peer: FakeUser | None) -> bool:
    if chat.type == "private":
        return private_peer is not None and not private_peer.blocked_bot
    return chat.bot_status in ("member", "administrator") and chat.migrated_to is None


def _message_address(message: SentMessage | Mapping[str, Any]) -> tuple[int, int]:
    if isinstance(message, SentMessage):
        return message.chat_id, message.message_id
    return message["chat"]["id"], message["message_id"]


def _callback_data(message: Mapping[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [button.get("callback_data") for row in rows for button in row]
