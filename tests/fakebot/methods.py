"""The Bot API methods the fake server answers, and case-insensitive dispatch to them."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from tests.fakebot import messages
from tests.fakebot.backend import Backend
from tests.fakebot.errors import ApiError, bad_request
from tests.fakebot.params import Params
from tests.fakebot.state import DOWNLOAD_LIMIT_BYTES, FakeChat, member_object
from tests.fakebot.updates import Webhook

Handler = Callable[[Backend, Params], Any]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def get_me(api: Backend, p: Params) -> dict[str, Any]:
    """The bot's full ``User`` (PTB's ``initialize`` needs ``is_bot`` and the ``can_*`` flags)."""
    return {
        **api.world.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def get_updates(api: Backend, p: Params) -> list[dict[str, Any]]:
    """Long poll: ``timeout`` seconds at most, ``limit`` 1-100 (default 100)."""
    limit = min(max(p.integer("limit") or 100, 1), 100)
    allowed = p.decoded("allowed_updates")
    return api.updates.poll(p.integer("offset"), limit, float(p.integer("timeout") or 0), allowed)


def set_webhook(api: Backend, p: Params) -> bool:
    """Deliver updates by POST to ``url``; an empty url removes the webhook.

    Unlike Telegram, plain http and any port are accepted so tests can use 127.0.0.1.
    """
    url = p.text("url") or ""
    if not url:
        api.updates.delete_webhook(p.flag("drop_pending_updates"))
        return True
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.text("secret_token")
    if secret is not None and not _SECRET_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    webhook = Webhook(url, secret, p.integer("max_connections") or 40)
    api.updates.set_webhook(webhook, p.decoded("allowed_updates"), p.flag("drop_pending_updates"))
    return True


def delete_webhook(api: Backend, p: Params) -> bool:
    api.updates.delete_webhook(p.flag("drop_pending_updates"))
    return True


def get_webhook_info(api: Backend, p: Params) -> dict[str, Any]:
    return api.updates.webhook_info()


def _commands_key(p: Params) -> tuple[str, str]:
    scope = p.decoded("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.text("language_code") or ""


def set_my_commands(api: Backend, p: Params) -> bool:
    """Commands are 1-32 of ``a-z0-9_``; descriptions 1-256 characters; at most 100."""
    commands = p.decoded("commands")
    if (
        not isinstance(commands, list)
        or len(commands) > 100
        or not all(isinstance(c, dict) for c in commands)
    ):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    api.world.commands[_commands_key(p)] = [dict(c) for c in commands]
    return True


def get_my_commands(api: Backend, p: Params) -> list[dict[str, str]]:
    return api.world.commands.get(_commands_key(p), [])


def delete_my_commands(api: Backend, p: Params) -> bool:
    api.world.commands.pop(_commands_key(p), None)
    return True


def answer_callback_query(api: Backend, p: Params) -> bool:
    """Each callback query may be answered once; alert text is at most 200 characters."""
    query_id = p.text("callback_query_id") or ""
    answers = api.world.callback_answers
    if query_id not in answers or answers[query_id] is not None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(p.text("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    api.world.callback_answers[query_id] = dict(p.raw)
    return True


def send_chat_action(api: Backend, p: Params) -> bool:
    api.world.writable_chat(p.chat_ref())
    if p.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def get_chat(api: Backend, p: Params) -> dict[str, Any]:
    """A ``ChatFullInfo`` with the fields PTB 22 requires."""
    chat = api.world.chat(p.chat_ref())
    info = chat.to_api()
    info.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    return info


def get_chat_member(api: Backend, p: Params) -> dict[str, Any]:
    """The member's status in the chat; users never seen there are ``left``."""
    chat = api.world.chat(p.chat_ref())
    user = api.world.user(p.integer("user_id", required=True) or 0)
    return member_object(user, _status(api, chat, user.id))


def get_chat_administrators(api: Backend, p: Params) -> list[dict[str, Any]]:
    chat = api.world.chat(p.chat_ref())
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    admins = [
        member_object(api.world.user(user_id), status)
        for user_id, status in chat.members.items()
        if status in ("creator", "administrator")
    ]
    if chat.bot_status == "administrator":
        admins.append(member_object(api.world.bot, "administrator"))
    return admins


def _status(api: Backend, chat: FakeChat, user_id: int) -> str:
    if user_id != api.world.bot.id:
        return chat.members.get(user_id, "left")
    if chat.type == "private":
        return "kicked" if api.world.users[chat.id].blocked_bot else "member"
    return chat.bot_status


def log_out(api: Backend, p: Params) -> bool:
    """``close``/``logOut`` succeed; the server keeps running for the rest of the test."""
    return True


def get_file(api: Backend, p: Params) -> dict[str, Any]:
    """Describe a file for download; like Telegram, refuse files past the 20 MB limit."""
    if not p.has("file_id"):
        raise bad_request("file_id is empty")
    stored = api.world.files.get(p.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if len(stored.content) > DOWNLOAD_LIMIT_BYTES:
        raise bad_request("file is too big")
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content), "file_path": stored.file_path}


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "sendMessage": messages.send_message,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getFile": get_file,
    "close": log_out,
    "logOut": log_out,
}
_BY_LOWER = {name.lower(): name for name in METHODS}
# getUpdates waits on the queue's own lock; holding the world lock there would stall everything.
UNLOCKED_METHODS = frozenset({"getUpdates"})


def canonical_name(method: str) -> str | None:
    """``sendmessage`` -> ``sendMessage``; None for methods the server does not know."""
    return _BY_LOWER.get(method.lower())


def call(api: Backend, method: str, params: Params) -> Any:
    """Run a known method (by canonical name) under the world lock where needed."""
    handler = METHODS[method]
    if method in UNLOCKED_METHODS:
        return handler(api, params)
    with api.world.lock:
        return handler(api, params)


def method_not_found() -> ApiError:
    return ApiError(404, "Not Found: method not found")
