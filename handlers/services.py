"""What handlers need from the rest of the program, put in ``bot_data`` by ``bot.py``.

Handlers reach it through :func:`services`, so they never import ``bot.py`` (dependencies
point one way: bot → handlers → digest, storage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database
from telegram.ext import CallbackContext

from digest.reader.fetch import FetchOptions, HttpClient
from settings import Settings
from storage.chats import ChatDefaults

SERVICES_KEY = "services"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    """The long-lived objects every handler may use."""

    settings: Settings
    db: Database
    http: HttpClient | None = None
    fetch_options: FetchOptions = field(default_factory=FetchOptions)
    clock: Callable[[], datetime] = utc_now

    @property
    def chat_defaults(self) -> ChatDefaults:
        return ChatDefaults(
            timezone=self.settings.default_timezone,
            delivery_time=self.settings.default_digest_time,
        )


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    return context.bot_data[SERVICES_KEY]  # type: ignore[no-any-return]
