"""The error a Bot API method answers with, shaped like Telegram's JSON error body."""

from __future__ import annotations

import math
from typing import Any


class ApiError(Exception):
    """``{"ok": false, "error_code": status, "description": ..., "parameters": ...}``.

    >>> bad_request("chat not found").body()
    {'ok': False, 'error_code': 400, 'description': 'Bad Request: chat not found'}
    >>> too_many_requests(0.2).body()["parameters"]
    {'retry_after': 1}
    """

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(f"{status} {description}")
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The JSON object Telegram sends back for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(detail: str, parameters: dict[str, Any] | None = None) -> ApiError:
    """A 400 whose description starts with ``Bad Request:`` like Telegram's."""
    return ApiError(400, f"Bad Request: {detail}", parameters)


def forbidden(detail: str) -> ApiError:
    """A 403, the answer for chats the bot may no longer write to."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(wait_seconds: float) -> ApiError:
    """A 429; ``retry_after`` is whole seconds, at least 1, rounded up as Telegram does."""
    retry_after = max(1, math.ceil(wait_seconds))
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )
