"""Running the Telegram application from start to stop, with start-up failures as one line.

python-telegram-bot's ``run_polling``/``run_webhook`` turn SIGTERM into a ``SystemExit``
raised inside whatever the event loop is running. Arriving during start-up (``getMe``,
``setMyCommands``, ``deleteWebhook``) it tears an HTTP request apart, and the process ends
with a traceback and exit code 1. Here a stop signal only sets an event: the start-up step
under way finishes, then the bot stops in order (exit code 0), whenever the signal came.

The same steps, run by hand, let each start-up failure become one line on stderr that says
what is wrong and what to do, with nothing secret in it:

========================================  =====  ==========================================
failure                                   exit   line
========================================  =====  ==========================================
Telegram rejects the token (401)          2      BOT_TOKEN was rejected by Telegram …
no network, DNS or Telegram down          1      cannot reach Telegram …
Telegram refuses the webhook (400)        2      Telegram refused WEBHOOK_URL=… : reason
the webhook port cannot be bound          2      cannot listen on WEBHOOK_LISTEN:WEBHOOK_PORT
========================================  =====  ==========================================
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import uvloop
from telegram import Update
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from settings import Settings

log = logging.getLogger("bot")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


class StartupError(Exception):
    """Start-up failed in a way the operator must fix; the message is the one line to print."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class StopRequest:
    """Set by a stop signal, from the first moment of ``main`` (before the loop exists)."""

    requested: bool = False
    event: asyncio.Event | None = None

    def set(self) -> None:
        self.requested = True
        if self.event is not None:
            self.event.set()

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:  # noqa: ARG002
        self.set()


def catch_stop_signals() -> StopRequest:
    """Record SIGTERM/SIGINT from now on instead of dying, so a stop during the database
    opening or imports ends as cleanly as one during polling."""
    stop = StopRequest()
    for sig in STOP_SIGNALS:
        signal.signal(sig, stop.handle_signal)
    return stop


class _BootstrapFailures(logging.Filter):
    """Drops PTB's own ERROR-with-traceback about a failed start-up call (setWebhook,
    deleteWebhook): :func:`run` reports that failure itself, as one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Network Retry Loop (Bootstrap")


def run(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings, stop: StopRequest) -> int:
    """Serve updates (long polling, or the webhook) until a stop signal; the exit code.

    The loop is uvloop's: every Bot API request goes through the event loop's transports
    and callbacks, and at 1,000 messages a second libuv's loop costs the sender about a
    tenth less CPU per message than asyncio's own (README, "At 1,000/s")."""
    logging.getLogger("telegram.ext").addFilter(_BootstrapFailures())
    try:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(_serve(app, settings, stop))
    except StartupError as error:
        print(f"Cannot start: {redact(str(error), settings.bot_token)}", file=sys.stderr)
        return error.exit_code
    return EXIT_OK


def redact(text: str, *secrets_: str) -> str:
    """``text`` with every secret replaced (a URL in an error may carry the token).

    >>> redact("POST https://api.telegram.org/bot1:abc/getMe failed", "1:abc")
    'POST https://api.telegram.org/bot<redacted>/getMe failed'
    """
    for secret in secrets_:
        if secret:
            text = text.replace(secret, "<redacted>")
    return text


async def _serve(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings,
                 stop: StopRequest) -> None:
    stop.event = asyncio.Event()
    updates: asyncio.Task[None] | None = None
    if stop.requested:
        stop.event.set()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    try:
        await _explained(app.initialize, settings)
        post_init = app.post_init
        if post_init is not None and not stop.event.is_set():
            await _explained(lambda: post_init(app), settings)
        if not stop.event.is_set():
            follower = _follows_the_lead(app, settings)
            if not follower:
                await _explained(lambda: _start_updates(app, settings), settings)
            await app.start()
            if follower:  # ended by cancel, before the updater stops
                updates = asyncio.create_task(_poll_while_leading(app, settings), name="lead")
            await stop.event.wait()
    finally:
        if updates is not None:
            updates.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await updates
        await _stop(app)


def _follows_the_lead(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> bool:
    """Several workers on PostgreSQL, and updates by long polling: only the leader may call
    getUpdates (Telegram allows one consumer per token; two get 409 Conflict). With a
    webhook, Telegram posts each update once, to whichever worker the load balancer picks,
    and every worker listens."""
    leadership = getattr(app.bot_data, "leadership", None)
    return bool(leadership is not None and leadership.shared and not settings.webhook_url)


async def _poll_while_leading(app: Application[Any, Any, Any, Any, Any, Any],
                              settings: Settings) -> None:
    """Poll updates while this worker leads; look again every ``LEAD_CHECK_SECONDS`` (a
    follower takes over polling that long after the leader dies at the latest)."""
    assert app.updater is not None
    updater, leadership = app.updater, app.bot_data.leadership
    while True:
        leading = await asyncio.to_thread(leadership.held)
        if leading and not updater.running:
            log.info("this worker leads: it runs the scheduler and polls updates")
            try:
                await _start_updates(app, settings)
            except TelegramError as error:  # Telegram unreachable for now: look again later
                log.warning("cannot poll updates yet (%s); retrying", error.message)
        elif not leading and updater.running:
            log.warning("this worker no longer leads: it stops polling updates")
            await updater.stop()
        await asyncio.sleep(settings.lead_check_seconds)


async def _start_updates(app: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    assert app.updater is not None
    if not settings.webhook_url:
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES,
                                        error_callback=PollingErrors())
        return
    # Every webhook call must carry the secret token; without a configured one, a fresh
    # random secret per start is as good (Telegram learns it from setWebhook).
    await app.updater.start_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
        allowed_updates=Update.ALL_TYPES,
    )


class PollingErrors:
    """What a failed getUpdates becomes in the log: one line, never PTB's traceback.

    PTB retries getUpdates every few seconds; by default each failure is a 30-line traceback.
    A ``Conflict`` means another process polls with this token (another machine: a second
    one on this SQLite database is refused at start, and of several workers on PostgreSQL
    only the leader polls); it is said once, then again only every
    ``repeat_seconds`` while it lasts.
    """

    def __init__(self, repeat_seconds: float = 600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.repeat_seconds, self.clock = repeat_seconds, clock
        self._last_conflict = float("-inf")

    def __call__(self, error: TelegramError) -> None:
        if not isinstance(error, Conflict):
            log.warning("getUpdates failed (%s: %s); retrying", type(error).__name__, error.message)
            return
        now = self.clock()
        if now - self._last_conflict >= self.repeat_seconds:
            self._last_conflict = now
            log.error("another process is polling Telegram with this BOT_TOKEN (getUpdates "
                      "conflict); stop it: only one bot may run per token")


async def _stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop what was started, in order; each step is a no-op for what never started."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


async def _explained(step: Callable[[], Any], settings: Settings) -> None:
    """Run one start-up step; a failure the operator must act on becomes a StartupError."""
    try:
        await step()
    except InvalidToken:
        raise StartupError(
            "BOT_TOKEN was rejected by Telegram (401 Unauthorized): it was revoked or mistyped. "
            "Copy the token again from @BotFather (/mybots → API Token) into .env", EXIT_CONFIG
        ) from None
    except BadRequest as error:  # a NetworkError subclass: catch it first
        if settings.webhook_url:
            raise StartupError(f"Telegram refused WEBHOOK_URL={settings.webhook_url!r}: "
                               f"{error.message}", EXIT_CONFIG) from None
        raise StartupError(f"Telegram refused a start-up call: {error.message}", EXIT_FAILED) from None
    except NetworkError as error:
        raise StartupError(
            f"cannot reach Telegram at {_api_host(settings)} ({error.message}); check the "
            "network, DNS or proxy of this machine, then start again", EXIT_FAILED) from None
    except TelegramError as error:
        raise StartupError(f"Telegram answered {type(error).__name__}: {error.message}",
                           EXIT_FAILED) from None
    except OSError as error:  # the webhook server could not bind its port
        raise StartupError(
            f"cannot listen on WEBHOOK_LISTEN:WEBHOOK_PORT={settings.webhook_listen}:"
            f"{settings.webhook_port} ({error.strerror or error}); choose a free port",
            EXIT_CONFIG) from None


def _api_host(settings: Settings) -> str:
    return urlsplit(settings.telegram_api_base_url or "https://api.telegram.org").netloc
