"""Validation of ``reply_markup`` as Telegram does it for inline keyboards.

>>> from tests.fakebot.errors import ApiError
>>> validate_reply_markup({"inline_keyboard": [[{"text": "More", "callback_data": "more:1"}]]})
{'inline_keyboard': [[{'text': 'More', 'callback_data': 'more:1'}]]}
>>> try:
...     validate_reply_markup({"inline_keyboard": [[{"text": "x", "callback_data": "y" * 65}]]})
... except ApiError as error:
...     print(error.description)
Bad Request: BUTTON_DATA_INVALID
"""

from __future__ import annotations

from typing import Any

from tests.fakebot.errors import bad_request

# An inline button must carry exactly one of these.
BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MARKUP_KINDS = ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply")
MAX_CALLBACK_DATA_BYTES = 64


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Return the markup unchanged when Telegram would accept it, else raise its 400."""
    if markup is None:
        return None
    if not isinstance(markup, dict) or not any(kind in markup for kind in MARKUP_KINDS):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is not None:
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'can\'t parse inline keyboard: field "inline_keyboard" must be an Array of Arrays'
            )
        for button in (button for row in rows for button in row):
            _check_button(button)
    return markup


def _check_button(button: Any) -> None:
    if (
        not isinstance(button, dict)
        or not isinstance(button.get("text"), str)
        or not button["text"]
    ):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            f"can't parse inline keyboard button: exactly one action is allowed, got {actions}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not str(button["url"]).startswith(("http://", "https://", "tg://")):
        raise bad_request("BUTTON_URL_INVALID")
