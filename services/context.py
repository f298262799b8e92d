"""The long-lived objects the service layer works with, built once by ``bot.py``.

Handlers reach them through their typed context (:mod:`handlers.context`); services get them
as an argument, so they can be used from tests, benchmarks and the CLI without Telegram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from telegram import LinkPreviewOptions

from digest.reader.fetch import FetchOptions, HttpClient
from settings import Settings
from storage import Database
from storage.chats import ChatDefaults

# Digests and gists carry many links; a preview of the first one would only push them aside.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    """Settings, the database, the page/feed HTTP client and the clock."""

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
