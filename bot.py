"""The composition root: settings → logging → storage → Telegram application → polling.

Run it with ``make run`` (or ``.venv/bin/python bot.py``). Importing this module does
nothing; all work starts in :func:`main`.
"""

# The stop-signal guard below must run before the slow imports that follow it.
# ruff: noqa: E402

from __future__ import annotations

import signal

#: Stop signals that arrived while the modules below were loading (about a second): run as
#: a script, the bot records them instead of dying with exit code 143, and :func:`main`
#: honours them, so a SIGTERM at any moment of start-up ends it cleanly (exit 0).
EARLY_STOPS: list[int] = []
if __name__ == "__main__":
    for _stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(_stop_signal, lambda signum, _frame: EARLY_STOPS.append(signum))

import functools
import logging
import os
import sqlite3
import sys
from pathlib import Path

import httpx
from telegram.ext import ApplicationBuilder

import handlers
import lifecycle
from bot_api import Transports
from digest.feeds.polling import PollPolicy
from digest.feeds.sources import Source
from digest.reader.fetch import FetchOptions, parse_allow_list
from handlers.context import CONTEXT_TYPES, App
from services.context import Services, utc_now
from services.gate import GateOptions, SendGate
from services.leadership import Leadership
from services.options import SchedulerOptions
from services.pacing import PacingLimits
from settings import ConfigError, Settings, check_database_path, load_from_environment
from storage import Database, open_database
from storage.db import describe_url, error_line
from storage.instance import (
    DatabaseInUse,
    explain_open_failure,
    hold_database,
    hold_server_database,
    one_start_at_a_time,
)
from storage.sources import SourceSpec, sync_sources

log = logging.getLogger("bot")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats log lines with every secret (the bot token) replaced, tracebacks included.

    The HTTP libraries log request URLs, and Telegram's URLs contain the token; those
    loggers are also quietened, but redacting the final text is the guarantee.
    """

    def __init__(self, fmt: str, *secrets: str) -> None:
        super().__init__(fmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return text


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, settings.bot_token))
    logging.basicConfig(level=settings.log_level, handlers=[handler], force=True)
    # httpx/httpcore log every request URL (with the token) at INFO/DEBUG.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def build_services(settings: Settings, db: Database) -> Services:
    return Services(
        settings=settings,
        db=db,
        # Only for fetching pages and feeds: the fetcher connects to checked IPs itself, so
        # proxies from the environment would bypass its address checks.
        http=httpx.AsyncClient(trust_env=False, follow_redirects=False),
        fetch_options=FetchOptions(
            allow_private_hosts=parse_allow_list(settings.fetch_allow_private_hosts),
            allowed_ports=settings.fetch_allowed_ports,
        ),
    )


def build_gate(settings: Settings) -> SendGate:
    """The one rate limiter for every Bot API request, at SEND_RATE_PER_SECOND overall."""
    return SendGate(GateOptions(limits=PacingLimits.at_rate(settings.send_rate_per_second)))


def build_application(settings: Settings, db: Database) -> App:
    transports = Transports.build()
    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        # Bot API calls go over aiohttp (bot_api.py says why).
        .request(transports.calls)
        .get_updates_request(transports.updates)
        .context_types(CONTEXT_TYPES)
        .rate_limiter(build_gate(settings))
        .post_init(_post_init)
        .post_shutdown(functools.partial(_post_shutdown, transports=transports))
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
        if settings.telegram_file_base_url:
            builder = builder.base_file_url(settings.telegram_file_base_url)
    app: App = builder.build()
    app.bot_data.services = build_services(settings, db)
    app.bot_data.scheduler = SchedulerOptions(
        poll=PollPolicy(interval_minutes=settings.poll_interval_minutes),
        # A channel's page is asked at most once per interval, and never more than every 5 min.
        channel_poll=PollPolicy(interval_minutes=max(5.0, settings.poll_interval_minutes),
                                jitter=0.2, jitter_up_only=True),
    )
    handlers.register(app)
    return app


def configured_sources(settings: Settings) -> tuple[Source, ...]:
    """The built-in outlets, extended or replaced by the operator's OPML file (read and
    checked with the other settings, before the database exists)."""
    return settings.sources


def sync_configured_sources(db: Database, settings: Settings) -> None:
    specs = [SourceSpec(s.name, s.feed_url, s.language, s.kind.value, s.enabled_by_default)
             for s in configured_sources(settings)]
    sync_sources(db, specs, origin="file" if settings.sources_file else "builtin")
    log.info("%d news sources configured", len(specs))


async def _post_init(app: App) -> None:
    # The default menu is English; Telegram shows Ukrainian apps their own list.
    await app.bot.set_my_commands(list(handlers.BOT_COMMANDS))
    await app.bot.set_my_commands(list(handlers.bot_commands("uk")), language_code="uk")
    log.info("bot @%s is up", app.bot.username)


async def _post_shutdown(app: App, *, transports: Transports) -> None:
    await transports.close()
    services = app.bot_data.services
    if services.http is not None:
        await services.http.aclose()
    services.db.close()
    log.info("database closed; bye")


def load_or_explain(environ: dict[str, str]) -> Settings | None:
    """Settings, or None after printing what is missing and how to fix it (one line per
    problem, naming the setting; the token itself is never printed)."""
    try:
        settings = load_from_environment(environ, Path(".env"))
        if settings.database_url is None:  # PostgreSQL: the server is reached when opened
            check_database_path(settings.database_path)
    except ConfigError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return None
    return settings


def open_or_explain(settings: Settings) -> Database | None:
    """The migrated database with the configured sources, or None after one line saying
    why it cannot be used (a truncated or foreign file, a busy database, a full or
    read-only disk)."""
    if settings.database_url is not None:
        return _open_server_or_explain(settings, settings.database_url)
    path = settings.database_path
    try:
        db = open_database(path, clock=utc_now)  # the one clock of the bot
        sync_configured_sources(db, settings)
    except (sqlite3.Error, OSError) as exc:
        print(f"Cannot start: DATABASE_PATH={str(path)!r} {explain_open_failure(path, exc)}",
              file=sys.stderr)
        return None
    return db


def _open_server_or_explain(settings: Settings, url: str) -> Database | None:
    """:func:`open_or_explain` for ``DATABASE_URL``: the server's own one-line reason (no
    password in it: the URL is shown as host, port and database only)."""
    import psycopg
    import psycopg_pool

    try:
        with one_start_at_a_time(url):  # workers started together would race here
            db = open_database(url, clock=utc_now)
            sync_configured_sources(db, settings)
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        print(f"Cannot start: DATABASE_URL={describe_url(url)!r}: {error_line(exc)}",
              file=sys.stderr)
        return None
    return db



def lock_or_explain(settings: Settings) -> Leadership | None:
    """This process's hold on the database, or None after one line saying why not: on
    SQLite, the bot that already runs on it (two bots would both poll Telegram and both send
    the outbox); on PostgreSQL, a server it cannot reach (several workers may run there,
    and the one holding the scheduler lock leads)."""
    if settings.database_url is not None:
        return _lock_server_or_explain(settings.database_url)
    try:
        return hold_database(settings.database_path)
    except DatabaseInUse as busy:
        print(f"Cannot start: {busy}", file=sys.stderr)
    except OSError as exc:
        print(f"Cannot start: DATABASE_PATH={str(settings.database_path)!r}: "
              f"{exc.strerror or exc}", file=sys.stderr)
    return None


def _lock_server_or_explain(url: str) -> Leadership | None:
    import psycopg

    try:
        return hold_server_database(url)
    except psycopg.Error as exc:  # the server cannot be reached, or refused us
        print(f"Cannot start: DATABASE_URL={describe_url(url)!r}: {error_line(exc)}",
              file=sys.stderr)
    return None


def main() -> int:
    stop = lifecycle.catch_stop_signals()
    if EARLY_STOPS:
        stop.set()
    settings = load_or_explain(dict(os.environ))
    if settings is None:
        return 2
    lock = lock_or_explain(settings)
    if lock is None:
        return 2
    try:
        return _run_locked(settings, stop, lock)
    finally:
        lock.release()


def _run_locked(settings: Settings, stop: lifecycle.StopRequest, lock: Leadership) -> int:
    # PTB 22 hands out durations as timedelta when asked to (and warns otherwise).
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    configure_logging(settings)
    db = open_or_explain(settings)
    if db is None:
        return 2
    app = build_application(settings, db)
    app.bot_data.leadership = lock
    # Long polling, or the webhook when WEBHOOK_URL is set; a stop signal at any moment ends
    # it in order, and a start-up failure is one line (see lifecycle.py).
    return lifecycle.run(app, settings, stop)


if __name__ == "__main__":
    sys.exit(main())
