"""Settings, read once at start from the environment and ``.env`` into a frozen object.

Every key is listed, with a one-line comment, in ``.env.example`` (a test keeps the two in
step). The process environment wins over ``.env`` so a deployment can override a checked-in
file without editing it.

>>> s = load_settings({"BOT_TOKEN": "123:abc", "ADMIN_IDS": "1, 2"})
>>> s.admin_ids, s.default_timezone, s.default_digest_time.isoformat()
(frozenset({1, 2}), 'Europe/Kyiv', '08:00:00')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import TypeVar

from dotenv import dotenv_values

from digest.schedule import parse_local_time, parse_timezone

BOTFATHER_HELP = (
    "BOT_TOKEN is not set.\n"
    "  1. Open Telegram and talk to @BotFather (https://t.me/BotFather).\n"
    "  2. Send /newbot, pick a name and a username ending in 'bot'.\n"
    "  3. BotFather answers with a token like 123456789:AAE...; put it in .env:\n"
    "       BOT_TOKEN=123456789:AAE...\n"
    "     (copy .env.example to .env for every other setting)."
)

T = TypeVar("T")

LOG_LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot reads from its environment (see ``.env.example``)."""

    bot_token: str
    database_path: Path = Path("data/bot.db")
    admin_ids: frozenset[int] = frozenset()
    default_timezone: str = "Europe/Kyiv"
    default_digest_time: time = time(8, 0)
    telegram_api_base_url: str | None = None
    log_level: str = "INFO"
    fetch_allow_private_hosts: str = ""
    fetch_allowed_ports: frozenset[int] = frozenset({80, 443, 8080, 8443})
    article_cache_hours: float = 24.0
    links_in_groups: str = "mention"
    poll_interval_minutes: float = 10.0
    sources_file: Path | None = None
    sources_mode: str = "extend"
    quiet_day: str = "note"
    send_rate_per_second: float = 30.0
    send_max_attempts: int = 5
    paid_broadcast: bool = False
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None

    @property
    def telegram_file_base_url(self) -> str | None:
        """PTB wants ``…/bot`` for methods and ``…/file/bot`` for files on a local server."""
        if not self.telegram_api_base_url:
            return None
        root = self.telegram_api_base_url.removesuffix("/").removesuffix("/bot")
        return f"{root}/file/bot"


def read_environment(env_file: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """Merge ``env_file`` (if present) under ``environ``; the process environment wins."""
    merged = {k: v for k, v in dotenv_values(env_file).items() if v is not None}
    merged.update(environ)
    return merged


def load_settings(values: Mapping[str, str]) -> Settings:
    """Build :class:`Settings` from raw strings, or raise :class:`ConfigError`."""
    token = values.get("BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError(BOTFATHER_HELP)
    return Settings(
        bot_token=token,
        database_path=Path(values.get("DATABASE_PATH", "").strip() or "data/bot.db"),
        admin_ids=_parse_admin_ids(values.get("ADMIN_IDS", "")),
        default_timezone=_checked(parse_timezone, "DEFAULT_TIMEZONE", values, "Europe/Kyiv"),
        default_digest_time=_checked(parse_local_time, "DEFAULT_DIGEST_TIME", values, "08:00"),
        telegram_api_base_url=values.get("TELEGRAM_API_BASE_URL", "").strip() or None,
        log_level=_parse_log_level(values.get("LOG_LEVEL", "")),
        fetch_allow_private_hosts=values.get("FETCH_ALLOW_PRIVATE_HOSTS", "").strip(),
        fetch_allowed_ports=_parse_ports(values),
        article_cache_hours=_parse_float("ARTICLE_CACHE_HOURS", values, 24.0),
        links_in_groups=_parse_choice("LINKS_IN_GROUPS", values, ("mention", "all", "off")),
        poll_interval_minutes=_parse_float("POLL_INTERVAL_MINUTES", values, 10.0) or 10.0,
        sources_file=_parse_path("SOURCES_FILE", values),
        sources_mode=_parse_choice("SOURCES_MODE", values, ("extend", "replace")),
        quiet_day=_parse_choice("QUIET_DAY", values, ("note", "skip")),
        send_rate_per_second=_parse_rate(values),
        send_max_attempts=max(1, int(_parse_float("SEND_MAX_ATTEMPTS", values, 5))),
        paid_broadcast=_parse_choice("PAID_BROADCAST", values, ("false", "true")) == "true",
        webhook_url=_parse_webhook_url(values),
        webhook_listen=values.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        webhook_port=int(_parse_float("WEBHOOK_PORT", values, 8443)),
        webhook_secret=_parse_secret(values),
    )


def _checked(parse: Callable[[str], T], key: str, values: Mapping[str, str], default: str) -> T:
    raw = values.get(key, "").strip() or default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r}: {exc}") from None


def _parse_admin_ids(raw: str) -> frozenset[int]:
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    try:
        return frozenset(int(p) for p in parts)
    except ValueError:
        raise ConfigError(f"ADMIN_IDS={raw!r}: expected comma-separated numeric user ids") from None


def _parse_log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL={raw!r}: expected one of {', '.join(sorted(LOG_LEVELS))}")
    return level


def _parse_float(key: str, values: Mapping[str, str], default: float) -> float:
    raw = values.get(key, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise ConfigError(f"{key}={raw!r}: expected a number") from None
    if number < 0:
        raise ConfigError(f"{key}={raw!r}: must not be negative")
    return number


def _parse_choice(key: str, values: Mapping[str, str], choices: tuple[str, ...]) -> str:
    raw = values.get(key, "").strip().lower() or choices[0]
    if raw not in choices:
        raise ConfigError(f"{key}={raw!r}: expected one of {', '.join(choices)}")
    return raw


def _parse_path(key: str, values: Mapping[str, str]) -> Path | None:
    raw = values.get(key, "").strip()
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        raise ConfigError(f"{key}={raw!r}: no such file")
    return path


def _parse_webhook_url(values: Mapping[str, str]) -> str | None:
    raw = values.get("WEBHOOK_URL", "").strip()
    if raw and not raw.startswith(("https://", "http://")):
        raise ConfigError(f"WEBHOOK_URL={raw!r}: expected the public https:// URL Telegram should call")
    return raw or None


def _parse_secret(values: Mapping[str, str]) -> str | None:
    # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as a webhook secret token.
    raw = values.get("WEBHOOK_SECRET", "").strip()
    if raw and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
        raise ConfigError("WEBHOOK_SECRET: use 1-256 characters of letters, digits, _ and -")
    return raw or None


def _parse_rate(values: Mapping[str, str]) -> float:
    # Telegram: about 30/s for a bot; paid broadcasts (PAID_BROADCAST=true) allow up to 1000/s.
    rate = _parse_float("SEND_RATE_PER_SECOND", values, 30.0)
    if not 0 < rate <= 1000:
        raise ConfigError(f"SEND_RATE_PER_SECOND={rate:g}: expected more than 0 and at most 1000")
    return rate


def _parse_ports(values: Mapping[str, str]) -> frozenset[int]:
    raw = values.get("FETCH_ALLOWED_PORTS", "").strip() or "80,443,8080,8443"
    try:
        ports = frozenset(int(p) for p in raw.replace(";", ",").split(",") if p.strip())
    except ValueError:
        raise ConfigError(f"FETCH_ALLOWED_PORTS={raw!r}: expected comma-separated port numbers") from None
    if not ports or not all(0 < p < 65536 for p in ports):
        raise ConfigError(f"FETCH_ALLOWED_PORTS={raw!r}: ports must be between 1 and 65535")
    return ports
