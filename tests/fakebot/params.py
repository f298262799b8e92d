"""Typed access to Bot API parameters, which arrive as strings (form) or JSON values."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tests.fakebot.errors import bad_request


class Params:
    """Read a method's parameters the way Telegram does: ``"123"`` and ``123`` are the same.

    >>> p = Params({"chat_id": "42", "disable_notification": "true", "reply_markup": "{}"})
    >>> p.integer("chat_id"), p.flag("disable_notification"), p.decoded("reply_markup")
    (42, True, {})
    """

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = dict(raw)

    def has(self, name: str) -> bool:
        """Whether the parameter was given with a non-empty value."""
        return self.raw.get(name) not in (None, "")

    def text(self, name: str) -> str | None:
        """The value as text, or None when absent."""
        value = self.raw.get(name)
        return None if value is None else str(value)

    def integer(self, name: str, *, required: bool = False) -> int | None:
        """The value as an integer; a 400 when it is not one (or missing but required)."""
        if not self.has(name):
            if required:
                raise bad_request(f"{name} is empty")
            return None
        try:
            return int(self.raw[name])
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        """True for ``true``/``1``/True, as Telegram reads booleans."""
        value = self.raw.get(name)
        return value is True or str(value).lower() in ("true", "1")

    def decoded(self, name: str) -> Any:
        """A JSON-valued parameter, decoded when it arrived as a string; None when absent."""
        value = self.raw.get(name)
        if not isinstance(value, str):
            return value
        if not value:
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_ref(self) -> int | str:
        """``chat_id`` as an int, or an ``@username`` string for public chats."""
        value = self.text("chat_id")
        if not value:
            raise bad_request("chat_id is empty")
        if value.startswith("@"):
            return value
        try:
            return int(value)
        except ValueError:
            raise bad_request("chat not found") from None
