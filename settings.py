"""Settings, read once at start from the environment and ``.env`` into a frozen object.

Every key is listed, with a one-line comment, in ``.env.example`` (a test keeps the two in
step). The process environment wins over ``.env`` so a deployment can override a checked-in
file without editing it.

Every value is checked here, once, and a bad one raises :class:`ConfigError` whose message
names the setting and its accepted range (never the token itself). The same object serves
``bot.py``, ``python -m digest read|preview`` and ``python -m storage``
(:func:`load_from_environment`), so each entry point honours ``.env``, ``SOURCES_FILE`` and
``FETCH_ALLOW_PRIVATE_HOSTS`` alike. ``SOURCES_FILE`` is parsed here too, before anything
creates the database.

>>> s = load_settings({"BOT_TOKEN": "123:abc", "ADMIN_IDS": "1, 2"})
>>> s.admin_ids, s.default_timezone, s.default_digest_time.isoformat()
(frozenset({1, 2}), 'Europe/Kyiv', '08:00:00')
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import TypeVar

from dotenv import dotenv_values

from digest.feeds.sources import DEFAULT_SOURCES, OPMLError, Source, load_opml, merge_sources
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
# BotFather tokens are "<bot id>:<secret>"; the secret is URL-safe base64 (35 characters today).
_TOKEN_SHAPE = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{1,200}")
TOKEN_SHAPE_HELP = ("BOT_TOKEN does not look like a token from @BotFather (digits, a colon, then "
                    "letters, digits, _ and -); copy it again from BotFather")


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot reads from its environment (see ``.env.example``)."""

    bot_token: str
    database_path: Path = Path("data/bot.db")
    database_url: str | None = field(default=None, repr=False)  # may hold a password
    """``DATABASE_URL``: a PostgreSQL server instead of the SQLite file at ``database_path``."""
    admin_ids: frozenset[int] = frozenset()
    default_timezone: str = "Europe/Kyiv"
    default_digest_time: time = time(8, 0)
    telegram_api_base_url: str | None = None
    telegram_web_base_url: str = "https://t.me"
    """Where channel previews (``/s/<channel>``) and post embeds are read; tests point it
    at a local server."""
    log_level: str = "INFO"
    fetch_allow_private_hosts: str = ""
    fetch_allowed_ports: frozenset[int] = frozenset({80, 443, 8080, 8443})
    article_cache_hours: float = 24.0
    links_in_groups: str = "mention"
    poll_interval_minutes: float = 10.0
    lead_check_seconds: float = 10.0
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
    retention_days: int = 90
    sources: tuple[Source, ...] = DEFAULT_SOURCES
    """The outlets in use: the built-in list, extended or replaced by ``SOURCES_FILE``."""

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


def load_from_environment(environ: Mapping[str, str] | None = None, env_file: Path = Path(".env"),
                          *, require_token: bool = True) -> Settings:
    """The settings every entry point uses: ``.env`` under the process environment.

    The command-line tools pass ``require_token=False``: they never talk to Telegram.
    """
    values = read_environment(env_file, os.environ if environ is None else environ)
    return load_settings(values, require_token=require_token)


def load_settings(values: Mapping[str, str], *, require_token: bool = True) -> Settings:
    """Build :class:`Settings` from raw strings, or raise :class:`ConfigError`."""
    webhook_url = _parse_webhook_url(values)
    sources_file = _parse_path("SOURCES_FILE", values)
    sources_mode = _parse_choice("SOURCES_MODE", values, ("extend", "replace"))
    if sources_mode == "replace" and sources_file is None:
        raise ConfigError("SOURCES_MODE=replace needs SOURCES_FILE (an OPML file of the feeds to "
                          "use instead of the built-in list); set it, or use SOURCES_MODE=extend")
    return Settings(
        bot_token=_parse_token(values, required=require_token),
        database_path=_parse_database_path(values),
        database_url=_parse_database_url(values),
        admin_ids=_parse_admin_ids(values.get("ADMIN_IDS", "")),
        default_timezone=_checked(parse_timezone, "DEFAULT_TIMEZONE", values, "Europe/Kyiv"),
        default_digest_time=_checked(parse_local_time, "DEFAULT_DIGEST_TIME", values, "08:00"),
        telegram_api_base_url=_parse_api_base_url(values),
        telegram_web_base_url=_parse_web_base_url(values),
        log_level=_parse_log_level(values.get("LOG_LEVEL", "")),
        fetch_allow_private_hosts=_parse_private_hosts(values),
        fetch_allowed_ports=_parse_ports(values),
        article_cache_hours=_number("ARTICLE_CACHE_HOURS", values, 24.0, RANGES["ARTICLE_CACHE_HOURS"]),
        links_in_groups=_parse_choice("LINKS_IN_GROUPS", values, ("mention", "all", "off")),
        poll_interval_minutes=_number("POLL_INTERVAL_MINUTES", values, 10.0,
                                      RANGES["POLL_INTERVAL_MINUTES"]),
        lead_check_seconds=_number("LEAD_CHECK_SECONDS", values, 10.0,
                                   RANGES["LEAD_CHECK_SECONDS"]),
        sources_file=sources_file,
        sources_mode=sources_mode,
        quiet_day=_parse_choice("QUIET_DAY", values, ("note", "skip")),
        send_rate_per_second=_number("SEND_RATE_PER_SECOND", values, 30.0,
                                     RANGES["SEND_RATE_PER_SECOND"]),
        send_max_attempts=int(_number("SEND_MAX_ATTEMPTS", values, 5, RANGES["SEND_MAX_ATTEMPTS"])),
        paid_broadcast=_parse_choice("PAID_BROADCAST", values, ("false", "true")) == "true",
        webhook_url=webhook_url,
        webhook_listen=values.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        webhook_port=int(_number("WEBHOOK_PORT", values, 8443, RANGES["WEBHOOK_PORT"])),
        webhook_secret=_parse_secret(values),
        retention_days=int(_number("RETENTION_DAYS", values, 90, RANGES["RETENTION_DAYS"])),
        sources=_load_sources(sources_file, replace=sources_mode == "replace"),
    )


@dataclass(frozen=True, slots=True)
class Range:
    """The accepted values of a numeric setting (README's configuration table lists them)."""

    low: float
    high: float
    whole: bool = False
    low_excluded: bool = False

    def __str__(self) -> str:
        kind = "a whole number" if self.whole else "a number"
        low = f"more than {self.low:g}" if self.low_excluded else f"from {self.low:g}"
        return f"{kind} {low} {'and at most' if self.low_excluded else 'to'} {self.high:g}"

    def admits(self, number: float) -> bool:
        above = number > self.low if self.low_excluded else number >= self.low
        return math.isfinite(number) and above and number <= self.high and (
            not self.whole or number == int(number))


#: Numeric settings and their accepted ranges (bounds included unless ``low_excluded``).
RANGES: dict[str, Range] = {
    # 0 turns the cache off; a month is already far longer than a link stays news.
    "ARTICLE_CACHE_HOURS": Range(0, 720),
    # Fractions of a minute serve tests with a local feed server; a day is the slowest useful.
    "POLL_INTERVAL_MINUTES": Range(0, 1440, low_excluded=True),
    "LEAD_CHECK_SECONDS": Range(0.1, 60),
    # Telegram: about 30/s for a bot; paid broadcasts (PAID_BROADCAST=true) allow up to 1000/s.
    # Below one message every 10 s, a digest for a few hundred chats would take a day.
    "SEND_RATE_PER_SECOND": Range(0.1, 1000),
    "SEND_MAX_ATTEMPTS": Range(1, 100, whole=True),
    "WEBHOOK_PORT": Range(1, 65535, whole=True),
    # A week is the least that still dedupes items feeds keep listing; ten years the most.
    "RETENTION_DAYS": Range(7, 3650, whole=True),
}


def _number(key: str, values: Mapping[str, str], default: float, accepted: Range) -> float:
    raw = values.get(key, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not accepted.admits(number):
        raise ConfigError(f"{key}={raw!r}: expected {accepted}")
    return number


def _parse_token(values: Mapping[str, str], *, required: bool) -> str:
    token = values.get("BOT_TOKEN", "").strip()
    if not required:
        return ""
    if not token:
        raise ConfigError(BOTFATHER_HELP)
    if not _TOKEN_SHAPE.fullmatch(token):
        raise ConfigError(TOKEN_SHAPE_HELP)  # never echo the value: it may be a real secret
    return token


def _parse_database_path(values: Mapping[str, str]) -> Path:
    raw = values.get("DATABASE_PATH", "").strip() or "data/bot.db"
    if "\x00" in raw:
        raise ConfigError("DATABASE_PATH: a file path must not contain a NUL character")
    if raw.startswith(":") or raw.lower().startswith("file:"):
        # ":memory:" (or a URI) would run, and lose every subscription at the next restart.
        raise ConfigError(f"DATABASE_PATH={raw!r}: expected a file path such as data/bot.db "
                          "(an in-memory or URI database would lose everything at restart)")
    return Path(raw)


def _parse_database_url(values: Mapping[str, str]) -> str | None:
    """A ``postgresql://`` URL, checked for its shape only (the server is reached at start).
    The value is never echoed: it may carry a password."""
    raw = values.get("DATABASE_URL", "").strip()
    if not raw:
        return None
    help_text = ("DATABASE_URL: expected postgresql://user:password@host:port/database (or "
                 "nothing, for the SQLite file at DATABASE_PATH)")
    if not raw.startswith(("postgresql://", "postgres://")):
        raise ConfigError(help_text)
    from psycopg.conninfo import conninfo_to_dict  # read only when PostgreSQL is chosen

    try:
        conninfo_to_dict(raw)
    except Exception:  # psycopg.ProgrammingError, whose message quotes the URL
        raise ConfigError(help_text) from None
    return raw


def check_database_path(path: Path) -> None:
    """Raise :class:`ConfigError` unless the database at ``path`` can be opened for writing
    or created (with its folders). Checked before anything is created, so a bad path costs
    nothing and the message names the setting, not a raw OS or SQLite error."""
    try:
        _check_database_path(path)
    except OSError as exc:  # a name too long, a loop of symlinks...
        raise ConfigError(f"DATABASE_PATH={str(path)!r}: {exc.strerror or exc}") from None


def _check_database_path(path: Path) -> None:
    if path.is_dir():
        raise ConfigError(f"DATABASE_PATH={str(path)!r}: is a folder; give a file path such as "
                          f"{str(path / 'bot.db')!r}")
    if _read_only_mount(path):
        raise ConfigError(f"DATABASE_PATH={str(path)!r}: is on a read-only file system; the bot "
                          "writes to its database: mount it read-write (health and backup work "
                          "read-only)")
    if path.exists():
        _need_access(path, os.R_OK | os.W_OK, path, "is not readable and writable by this user")
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        raise ConfigError(f"DATABASE_PATH={str(path)!r}: {str(folder)!r} is a file, not a folder")
    # SQLite writes -wal and -shm files next to the database, so the folder must be writable.
    _need_access(folder, os.W_OK | os.X_OK, path, f"folder {str(folder)!r} is not writable by this user")


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(_nearest_existing(path)).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _nearest_existing(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _need_access(target: Path, mode: int, path: Path, problem: str) -> None:
    if not os.access(target, mode):
        raise ConfigError(f"DATABASE_PATH={str(path)!r}: {problem}")


def _load_sources(sources_file: Path | None, *, replace: bool) -> tuple[Source, ...]:
    """The outlets in use; an OPML file that cannot be read, or an empty replacement list,
    stops the start with a message naming SOURCES_FILE."""
    if sources_file is None:
        return DEFAULT_SOURCES
    try:
        extra = load_opml(sources_file.read_bytes())
    except (OSError, OPMLError) as exc:
        raise ConfigError(f"SOURCES_FILE={str(sources_file)!r}: {exc}") from None
    if replace and not extra:
        raise ConfigError(f"SOURCES_FILE={str(sources_file)!r} lists no feeds, and SOURCES_MODE=replace "
                          "would leave the bot with no sources; add outlines with xmlUrl, or use "
                          "SOURCES_MODE=extend")
    return merge_sources(DEFAULT_SOURCES, extra, replace=replace)


def _checked(parse: Callable[[str], T], key: str, values: Mapping[str, str], default: str) -> T:
    raw = values.get(key, "").strip() or default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r}: {exc}") from None


def _parse_admin_ids(raw: str) -> frozenset[int]:
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    if not all(re.fullmatch(r"-?[0-9]{1,20}", p) for p in parts):
        raise ConfigError(f"ADMIN_IDS={raw!r}: expected comma-separated numeric user ids")
    return frozenset(int(p) for p in parts)


def _parse_log_level(raw: str) -> str:
    level = raw.strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL={raw!r}: expected one of {', '.join(sorted(LOG_LEVELS))}")
    return level


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
    if path.is_dir():
        raise ConfigError(f"{key}={raw!r} is a folder; give the path of a file in it")
    if not path.is_file():
        raise ConfigError(f"{key}={raw!r}: no such file")
    return path


def _parse_api_base_url(values: Mapping[str, str]) -> str | None:
    # PTB appends the token to this URL: without the final /bot every call (getMe first)
    # would go to a wrong path, and start-up would blame the token.
    raw = values.get("TELEGRAM_API_BASE_URL", "").strip()
    if raw and not re.fullmatch(r"https?://[^\s/]+(/\S*)?/bot/?", raw):
        raise ConfigError(f"TELEGRAM_API_BASE_URL={raw!r}: expected http://host:port/bot of a "
                          "local Bot API server, or nothing")
    return raw or None


def _parse_web_base_url(values: Mapping[str, str]) -> str:
    raw = values.get("TELEGRAM_WEB_BASE_URL", "").strip().rstrip("/")
    if raw and not re.fullmatch(r"https?://[^\s/?#]+", raw):
        raise ConfigError(f"TELEGRAM_WEB_BASE_URL={raw!r}: expected http(s)://host[:port] where "
                          "t.me pages are read, or nothing for https://t.me")
    return raw or "https://t.me"


def _parse_private_hosts(values: Mapping[str, str]) -> str:
    raw = values.get("FETCH_ALLOW_PRIVATE_HOSTS", "").strip()
    for item in (part.strip() for part in raw.split(",")):
        port = item.rpartition(":")[2] if re.search(r":[0-9]+$", item) else ""
        if item and (re.search(r"[\s/]", item) or (port and not 0 < int(port) < 65536)):
            raise ConfigError(f"FETCH_ALLOW_PRIVATE_HOSTS={raw!r}: expected comma-separated host "
                              "or host:port entries (port 1-65535)")
    return raw


def _parse_webhook_url(values: Mapping[str, str]) -> str | None:
    # Telegram calls webhooks over HTTPS only; a local Bot API server (TELEGRAM_API_BASE_URL)
    # also accepts plain http, which is how the tests and a private deployment use it.
    raw = values.get("WEBHOOK_URL", "").strip()
    schemes = ("https://", "http://") if values.get("TELEGRAM_API_BASE_URL", "").strip() else ("https://",)
    if raw and not (raw.startswith(schemes) and len(raw) > len("https://")):
        raise ConfigError(f"WEBHOOK_URL={raw!r}: expected the public https:// URL Telegram should "
                          "call (http:// only with a local Bot API server)")
    return raw or None


def _parse_secret(values: Mapping[str, str]) -> str | None:
    # Telegram accepts 1-256 characters of A-Z, a-z, 0-9, _ and - as a webhook secret token.
    raw = values.get("WEBHOOK_SECRET", "").strip()
    if raw and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
        raise ConfigError("WEBHOOK_SECRET: use 1-256 characters of letters, digits, _ and -")
    return raw or None


def _parse_ports(values: Mapping[str, str]) -> frozenset[int]:
    raw = values.get("FETCH_ALLOWED_PORTS", "").strip() or "80,443,8080,8443"
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    if not parts or not all(p.isascii() and p.isdigit() and 0 < int(p) < 65536 for p in parts):
        raise ConfigError(f"FETCH_ALLOWED_PORTS={raw!r}: expected comma-separated port numbers "
                          "from 1 to 65535")
    return frozenset(int(p) for p in parts)
