"""A faithful local Telegram Bot API server for tests and benchmarks.

Real HTTP on 127.0.0.1 (``/bot<token>/<method>``, GET or POST; form, multipart or JSON
parameters; method names case-insensitive), Telegram-shaped JSON and Telegram's own checks, so a
bot that works here is unlikely to be rejected by Telegram. It runs in a daemon thread of the
test process, so a bot under test may run in the same event loop or in a subprocess.

Quick start::

    with FakeTelegramServer() as tg:                      # or tg = FakeTelegramServer().start()
        alice = tg.client.user("Alice")
        # bot: ApplicationBuilder().token(tg.token).base_url(tg.base_url)
        #      .base_file_url(tg.base_file_url); subprocess: TELEGRAM_API_BASE_URL=tg.base_url
        tg.client.send_command(alice, "start")
        [reply] = tg.wait_for_messages(alice.id, count=1, timeout=10)

Public API
----------
``FakeTelegramServer(options: ServerOptions | None = None)``
    ``start() -> self``, ``stop()``, context manager; ``url``, ``base_url`` (ends in ``/bot``),
    ``base_file_url``, ``port``, ``token``; ``client`` (:class:`UserClient`); ``faults``
    (:class:`FaultInjector`); ``sent(chat_id=None) -> list[SentMessage]``;
    ``requests(method=None) -> list[RecordedRequest]``;
    ``wait_for_messages(chat_id, count=1, timeout=5.0) -> list[SentMessage]``;
    ``wait_for_request(method, where=None, timeout=5.0, after=0) -> RecordedRequest``;
    ``count_429() -> int``; ``message(chat_id, message_id) -> dict | None`` (current state);
    ``backend`` (world, updates, limiter, faults, recorder) for deeper assertions;
    ``internal_errors`` (exceptions of the fake itself, answered as 500; should stay empty).
``ServerOptions(token="123456:TEST-TOKEN", bot_id=123456, bot_username="digest_test_bot",
bot_first_name="Digest Test Bot", host="127.0.0.1", port=0, limits=RateLimits(),
clock=time.monotonic, fault_seed=0, long_poll_cap=50.0)``
``RateLimits(per_chat=None, per_group=None, overall=None)`` of ``Window(limit, seconds)``;
    ``RateLimits.telegram()`` = 1/s per chat, 20/60 s per group or channel, 30/s overall.
``FaultInjector``: ``fail_next(method, status=500, count=1, description=None)``,
    ``set_error_rate(method, probability, status=500)`` (seeded), ``force_429(chat_id,
    retry_after=1, count=1)``, ``set_delay(seconds, method=None)``.
``UserClient`` (``server.client``): ``user``, ``group``, ``channel``, ``create_topic``,
    ``close_topic``, ``send_message``, ``send_command``, ``send_document`` (bytes, file name,
    caption), ``edit_message``, ``send_sticker``,
    ``press_button``, ``post_to_channel``, ``add_bot``, ``promote_bot``, ``remove_bot``,
    ``block_bot``, ``unblock_bot``, ``deactivate``, ``migrate_to_supergroup``.
``parse_telegram_html(text) -> ParsedText(text, entities)`` raises ``TelegramHtmlError``;
    ``utf16_len``; ``MAX_MESSAGE_UTF16`` — for asserting "valid Telegram HTML of allowed length".
Pytest: in ``tests/conftest.py``, ``from tests.fakebot.fixtures import fake_telegram,
    fake_telegram_factory  # noqa: F401`` gives every test ``fake_telegram`` (a started server)
    and ``fake_telegram_factory(options=None)`` (servers with custom options, all stopped after).
Standalone: ``python -m tests.fakebot --port 8081 [--token T] [--telegram-limits]``.

Methods: getMe, getUpdates, setWebhook, deleteWebhook, getWebhookInfo, setMyCommands,
getMyCommands, deleteMyCommands, sendMessage, editMessageText, editMessageReplyMarkup,
deleteMessage, answerCallbackQuery, sendChatAction, getChat, getChatMember,
getChatAdministrators, getFile (400 "file is too big" past 20 MB, as Telegram), close, logOut;
files users sent are served at ``/file/bot<token>/<file_path>``. Others answer 404 "Not Found: method not found"; a wrong
token answers 401 "Unauthorized". ``parse_mode`` HTML only: MarkdownV2/Markdown answer 400.
Deliberate differences from Telegram: http webhooks on any port are accepted; the HTML checker is
a little stricter (see :mod:`tests.fakebot.html_check`); a user must write to the bot before the
bot can message them (403 "bot can't initiate conversation with a user"), as on Telegram.
"""

from tests.fakebot.client import UserClient
from tests.fakebot.errors import ApiError
from tests.fakebot.faults import FaultInjector
from tests.fakebot.html_check import (
    MAX_MESSAGE_UTF16,
    ParsedText,
    TelegramHtmlError,
    parse_telegram_html,
    utf16_len,
)
from tests.fakebot.limits import RateLimits, Window
from tests.fakebot.recording import RecordedRequest, SentMessage
from tests.fakebot.server import FakeTelegramServer, ServerOptions
from tests.fakebot.state import FakeChat, FakeUser

__all__ = [
    "MAX_MESSAGE_UTF16",
    "ApiError",
    "FakeChat",
    "FakeTelegramServer",
    "FakeUser",
    "FaultInjector",
    "ParsedText",
    "RateLimits",
    "RecordedRequest",
    "SentMessage",
    "ServerOptions",
    "TelegramHtmlError",
    "UserClient",
    "Window",
    "parse_telegram_html",
    "utf16_len",
]
