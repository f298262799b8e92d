"""The Bot API transport (bot_api.AiohttpRequest) against a tiny local HTTP server: what PTB
sends arrives as sent, a file upload arrives as multipart, and transport failures become
PTB's own errors (TimedOut, NetworkError), which the outbox sender already knows."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import NetworkError, TimedOut

from bot_api import AiohttpRequest, TransportOptions, Transports

TOKEN = "123:abc"
MESSAGE = {"message_id": 7, "date": 1_700_000_000,
           "chat": {"id": 42, "type": "private", "first_name": "Reader"}, "text": "hi"}


class Api:
    """Answers every method like the Bot API; records what came in."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict[str, object]]] = []
        self.delay = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        form = await request.post()
        fields: dict[str, object] = {}
        for name, value in form.items():
            fields[name] = value.filename if isinstance(value, web.FileField) else value
        self.received.append((method, fields))
        await asyncio.sleep(self.delay)
        return web.json_response({"ok": True, "result": MESSAGE if method != "getMe" else {
            "id": 123, "is_bot": True, "first_name": "Bot", "username": "bot"}})


@pytest.fixture
async def api() -> AsyncIterator[tuple[Api, str]]:
    fake = Api()
    app = web.Application()
    app.router.add_post(f"/bot{TOKEN}/{{method}}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield fake, f"http://127.0.0.1:{port}/bot"
    await runner.cleanup()


async def _bot(base_url: str, options: TransportOptions | None = None) -> Bot:
    request = AiohttpRequest(options)
    bot = Bot(TOKEN, base_url=base_url, request=request, get_updates_request=AiohttpRequest())
    await request.initialize()
    return bot


async def test_a_message_goes_out_with_its_fields(api: tuple[Api, str]) -> None:
    fake, base_url = api
    bot = await _bot(base_url)
    try:
        sent = await bot.send_message(chat_id=42, text="<b>Дайджест</b>", parse_mode="HTML")
    finally:
        await bot.request.shutdown()
    assert sent.message_id == 7
    [(method, fields)] = fake.received
    assert method == "sendMessage"
    assert fields == {"chat_id": "42", "text": "<b>Дайджест</b>", "parse_mode": "HTML"}


async def test_a_file_goes_out_as_multipart(api: tuple[Api, str]) -> None:
    fake, base_url = api
    bot = await _bot(base_url)
    try:
        await bot.send_document(chat_id=42, document=InputFile(b"<opml/>", filename="s.opml"),
                                caption="sources")
    finally:
        await bot.request.shutdown()
    [(method, fields)] = fake.received
    assert method == "sendDocument"
    assert fields["caption"] == "sources"
    assert "s.opml" in json.dumps(fields)


async def test_a_slow_answer_is_a_timeout(api: tuple[Api, str]) -> None:
    fake, base_url = api
    fake.delay = 1.0
    bot = await _bot(base_url, TransportOptions(read_timeout=0.1))
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(chat_id=42, text="late")
    finally:
        await bot.request.shutdown()


async def test_no_server_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bot = await _bot(f"http://127.0.0.1:{port}/bot")
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(chat_id=42, text="nobody home")
        assert not isinstance(caught.value, TimedOut)  # refused at once, not waited out
    finally:
        await bot.request.shutdown()


async def test_a_request_before_initialize_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not initialized"):
        await AiohttpRequest().do_request("http://127.0.0.1:9/bot/getMe", "POST")


async def test_both_transports_close_even_when_ptb_never_did(api: tuple[Api, str]) -> None:
    """A start that fails at getMe leaves the sessions PTB opened; the bot's shutdown hook
    closes them, and closing twice (after PTB's own shutdown) does nothing."""
    transports = Transports.build()
    await transports.calls.initialize()
    await transports.updates.initialize()
    await transports.close()
    await transports.close()
    for transport in (transports.calls, transports.updates):
        with pytest.raises(RuntimeError, match="not initialized"):
            await transport.do_request(f"{api[1]}{TOKEN}/getMe", "POST")


async def test_a_proxy_from_the_environment_is_used(api: tuple[Api, str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY applies, as it did on PTB's httpx transport: the Bot API host here does
    not resolve, so only a request through the proxy (the local server) can succeed."""
    fake, base_url = api
    monkeypatch.setenv("HTTP_PROXY", base_url.removesuffix("/bot"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    bot = await _bot("http://api.telegram.invalid/bot")
    try:
        await bot.send_message(chat_id=42, text="через прокси")
    finally:
        await bot.request.shutdown()
    assert [method for method, _ in fake.received] == ["sendMessage"]
