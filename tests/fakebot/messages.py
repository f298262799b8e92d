"""sendMessage, editMessageText, editMessageReplyMarkup and deleteMessage with Telegram's checks."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakebot.backend import Backend
from tests.fakebot.errors import bad_request
from tests.fakebot.html_check import (
    MAX_MESSAGE_UTF16,
    ParsedText,
    TelegramHtmlError,
    parse_telegram_html,
    utf16_len,
)
from tests.fakebot.markup import validate_reply_markup
from tests.fakebot.params import Params
from tests.fakebot.recording import SentMessage
from tests.fakebot.state import GROUP_KINDS, FakeChat, now

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def render_text(text: str | None, parse_mode: str | None, entities: Any) -> ParsedText:
    """Visible text and entities of a message, or the 400 Telegram answers for it.

    Telegram trims surrounding whitespace, then requires 1-4096 UTF-16 code units.
    MarkdownV2/Markdown are refused: this fake server only implements HTML.
    """
    parsed = _parse(text or "", (parse_mode or "").lower(), entities)
    trimmed = _trim(parsed)
    if not trimmed.text:
        raise bad_request("message text is empty")
    if trimmed.utf16_length > MAX_MESSAGE_UTF16:
        raise bad_request("message is too long")
    return trimmed


def _parse(text: str, parse_mode: str, entities: Any) -> ParsedText:
    if parse_mode == "html":
        try:
            return parse_telegram_html(text)
        except TelegramHtmlError as error:
            raise bad_request(f"can't parse entities: {error.detail}") from None
    if parse_mode:
        raise bad_request(
            f"unsupported parse_mode {parse_mode!r}: the fake server implements HTML only"
        )
    if entities is not None and not isinstance(entities, list):
        raise bad_request("can't parse entities JSON object")
    return ParsedText(text, tuple(entities or ()))


def _trim(parsed: ParsedText) -> ParsedText:
    """Strip outer whitespace and move/clip entity offsets (UTF-16) to match."""
    stripped = parsed.text.strip()
    if stripped == parsed.text:
        return parsed
    start = utf16_len(parsed.text[: len(parsed.text) - len(parsed.text.lstrip())])
    end = start + utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        left, right = max(entity["offset"], start), min(entity["offset"] + entity["length"], end)
        if right > left:
            entities.append({**entity, "offset": left - start, "length": right - left})
    return ParsedText(stripped, tuple(entities))


def send_message(api: Backend, p: Params) -> dict[str, Any]:
    """``sendMessage``: validate everything, apply flood limits, store and record the message."""
    chat = api.world.writable_chat(p.chat_ref())
    thread_id = _thread_id(chat, p.integer("message_thread_id"))
    parsed = render_text(p.text("text"), p.text("parse_mode"), p.decoded("entities"))
    markup = validate_reply_markup(p.decoded("reply_markup"))
    reply_to = _reply_target(chat, p)
    _take_flood_slot(api, chat)
    message = _new_bot_message(api, chat, thread_id)
    message.update(_text_fields(parsed))
    _set_optional(
        message,
        reply_markup=markup,
        reply_to_message=reply_to,
        link_preview_options=_link_preview(p),
    )
    chat.messages[message["message_id"]] = message
    api.recorder.add_message(_record(chat, message, p))
    return copy.deepcopy(message)


def edit_message_text(api: Backend, p: Params) -> dict[str, Any]:
    """``editMessageText`` on a message the bot sent; 400 when nothing would change."""
    _chat, message = _editable(api, p)
    parsed = render_text(p.text("text"), p.text("parse_mode"), p.decoded("entities"))
    markup = validate_reply_markup(p.decoded("reply_markup"))
    new_fields = _text_fields(parsed)
    same_text = all(message.get(k) == new_fields.get(k) for k in ("text", "entities"))
    if same_text and message.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    message.pop("entities", None)
    message.update(new_fields, edit_date=now())
    _replace_markup(message, markup)
    return copy.deepcopy(message)


def edit_message_reply_markup(api: Backend, p: Params) -> dict[str, Any]:
    """``editMessageReplyMarkup``; omitting ``reply_markup`` removes the keyboard."""
    _chat, message = _editable(api, p)
    markup = validate_reply_markup(p.decoded("reply_markup"))
    if message.get("reply_markup") == markup:
        raise bad_request(NOT_MODIFIED)
    _replace_markup(message, markup)
    message["edit_date"] = now()
    return copy.deepcopy(message)


def delete_message(api: Backend, p: Params) -> bool:
    """``deleteMessage``: any message still in the chat."""
    chat = api.world.chat(p.chat_ref())
    message_id = p.integer("message_id", required=True)
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    return True


def _editable(api: Backend, p: Params) -> tuple[FakeChat, dict[str, Any]]:
    if p.has("inline_message_id"):
        raise bad_request("inline messages are not supported by the fake server")
    chat = api.world.writable_chat(p.chat_ref())
    message = chat.messages.get(p.integer("message_id", required=True) or 0)
    if message is None:
        raise bad_request("message to edit not found")
    sender = message.get("from", {}).get("id")
    if sender != api.world.bot.id and message.get("sender_chat") is None:
        raise bad_request("message can't be edited")
    return chat, message


def _take_flood_slot(api: Backend, chat: FakeChat) -> None:
    forced = api.faults.forced_429(chat.id)
    if forced is not None:
        raise forced
    api.limiter.acquire(chat.id, is_group=chat.type in GROUP_KINDS)


def _thread_id(chat: FakeChat, thread_id: int | None) -> int | None:
    if thread_id is None:
        return None
    if chat.is_forum:
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise bad_request("message thread not found")
        if topic.closed:
            raise bad_request("TOPIC_CLOSED")
        return thread_id
    if thread_id not in chat.messages:
        raise bad_request("message thread not found")
    return thread_id


def _reply_target(chat: FakeChat, p: Params) -> dict[str, Any] | None:
    reply = p.decoded("reply_parameters") or {}
    if not isinstance(reply, dict):
        raise bad_request("can't parse reply parameters JSON object")
    target_id = reply.get("message_id", p.integer("reply_to_message_id"))
    if target_id is None:
        return None
    target = chat.messages.get(int(target_id))
    if target is None:
        if reply.get("allow_sending_without_reply") or p.flag("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in target.items() if k != "reply_to_message"}


def _link_preview(p: Params) -> dict[str, Any] | None:
    options = p.decoded("link_preview_options")
    if options is None and p.flag("disable_web_page_preview"):
        options = {"is_disabled": True}
    return options


def _new_bot_message(api: Backend, chat: FakeChat, thread_id: int | None) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": chat.next_message_id(),
        "date": now(),
        "chat": chat.to_api(),
    }
    if chat.type == "channel":
        message["sender_chat"] = chat.to_api()  # channel posts carry the channel, not the bot
    else:
        message["from"] = api.world.bot.to_api()
    if thread_id is not None:
        message["message_thread_id"] = thread_id
        if chat.is_forum:
            message["is_topic_message"] = True
    return message


def _text_fields(parsed: ParsedText) -> dict[str, Any]:
    fields: dict[str, Any] = {"text": parsed.text}
    if parsed.entities:
        fields["entities"] = [dict(e) for e in parsed.entities]
    return fields


def _set_optional(message: dict[str, Any], **fields: Any) -> None:
    message.update({k: v for k, v in fields.items() if v is not None})


def _replace_markup(message: dict[str, Any], markup: dict[str, Any] | None) -> None:
    message.pop("reply_markup", None)
    _set_optional(message, reply_markup=markup)


def _record(chat: FakeChat, message: dict[str, Any], p: Params) -> SentMessage:
    return SentMessage(
        chat_id=chat.id,
        message_id=message["message_id"],
        text=message["text"],
        raw_text=p.text("text") or "",
        parse_mode=p.text("parse_mode"),
        entities=tuple(message.get("entities", ())),
        reply_markup=copy.deepcopy(message.get("reply_markup")),
        message_thread_id=message.get("message_thread_id"),
        date=message["date"],
    )
