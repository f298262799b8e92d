"""Issue 22 (the second probe), the rows that need the real ``bot.py`` on the local Bot API
server: two instances on one database, the retention-and-return case, the paused chat."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from storage.instance import hold_database
from tests.botproc import REPO_ROOT, bot_environment, running_bot
from tests.e2e_world import World, messages, started_app, stopped
from tests.fakebot import FakeTelegramServer, SentMessage

pytestmark = pytest.mark.e2e


def test_p2_row_01_a_second_bot_on_the_same_database_refuses_naming_the_first(
    fake_telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    (tmp_path / "second").mkdir()
    with running_bot(fake_telegram, tmp_path) as first:
        environ = bot_environment(fake_telegram, first.database, {"LOG_LEVEL": "INFO"})
        second = subprocess.run([sys.executable, str(REPO_ROOT / "bot.py")], cwd=tmp_path / "second",
                                env=environ, capture_output=True, text=True, timeout=30)
        output = second.stdout + second.stderr
        assert second.returncode == 2, output
        assert output.splitlines() == [output.strip()], output  # one line
        assert "another process is using the database" in output
        assert f"pid {first.process.pid}" in output
        assert first.process.poll() is None  # the first one runs on
    assert first.process.returncode == 0
    # Released on exit: nothing stale is left to stop the next start.
    hold_database(first.database).release()


class Chat:
    """One user talking to the in-process bot; each call returns the bot's next reply."""

    def __init__(self, w: World, name: str) -> None:
        self.w, self.user, self.seen = w, w.tg.client.user(name), 0

    async def command(self, command: str, argument: str = "") -> str:
        self.w.tg.client.send_command(self.user, command, argument)
        return await self.next()

    async def next(self) -> str:
        self.seen += 1
        return (await messages(self.w, self.user.id, self.seen))[-1].text


async def test_p2_row_05_a_huge_argument_is_quoted_cut_short(world: World) -> None:
    app = await started_app(world)
    try:
        alice = Chat(world, "Alice")
        for command in ("time", "timezone", "quiet", "follow"):
            reply = await alice.command(command, "x" * 4500)
            assert len(reply) < 400 and "x" * 59 + "…" in reply, (command, reply[:200])
            assert "Sorry" not in reply
    finally:
        await stopped(app)


def outlines(count: int, padding: int = 0) -> bytes:
    body = "".join(f'<outline text="Feed {n}" xmlUrl="https://f{n}.example/rss" note="{"x" * padding}"/>'
                   for n in range(count))
    return f'<opml version="2.0"><head/><body>{body}</body></opml>'.encode()


async def test_p2_row_06_huge_or_repeated_opml_imports_are_refused_cheaply(world: World) -> None:
    app = await started_app(world)
    try:
        alice = Chat(world, "Alice")
        send = world.tg.client.send_document
        send(alice.user, outlines(20_000, padding=100), "huge.opml", caption="/importsources")
        assert "larger than 1 MB" in await alice.next()
        send(alice.user, outlines(1500), "many.opml", caption="/importsources")
        assert "lists 1500 feeds; I import at most 1000" in await alice.next()
        send(alice.user, outlines(3), "small.opml", caption="/importsources")
        assert "Import done" in await alice.next()
        send(alice.user, outlines(3), "again.opml", caption="/importsources")
        assert "Too many imports in a row" in await alice.next()
        send(alice.user, outlines(3), "again.opml", caption="/importsources")  # told once
        assert await alice.command("status")  # the next reply is the status, not the import
        assert "Too many imports" not in world.tg.sent(alice.user.id)[-1].text
    finally:
        await stopped(app)


@pytest.mark.parametrize("after", [0.25, 0.5, 0.8])
def test_p2_row_17_sigterm_in_the_first_second_of_start_up_exits_0(
    fake_telegram: FakeTelegramServer, tmp_path: Path, after: float
) -> None:
    environ = bot_environment(fake_telegram, tmp_path / "bot.db", {"LOG_LEVEL": "INFO"})
    process = subprocess.Popen([sys.executable, str(REPO_ROOT / "bot.py")], cwd=tmp_path, env=environ,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(after)  # while Python loads the bot's modules
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "Traceback" not in output


async def test_p2_row_23_an_opml_file_without_the_command_gets_how_to_import_it(world: World) -> None:
    app = await started_app(world)
    try:
        alice = Chat(world, "Alice")
        world.tg.client.send_document(alice.user, outlines(2), "feeds.opml", mime_type="text/x-opml")
        reply = await alice.next()
        assert "reply /importsources to it" in reply and "Send me a link" not in reply
    finally:
        await stopped(app)


async def test_p2_row_24_tapping_the_ticked_time_changes_nothing_and_is_no_error(world: World) -> None:
    app = await started_app(world)
    try:
        alice = Chat(world, "Alice")
        await alice.command("settings")
        [menu] = world.tg.sent(alice.user.id)
        ticked = next(data for data, label in _buttons(menu) if label.startswith("✓") and "time" in data)
        world.tg.client.press_button(alice.user, menu, ticked)
        await asyncio.to_thread(world.tg.wait_for_request, "answerCallbackQuery", None, 10)
        await asyncio.to_thread(world.tg.wait_for_request, "editMessageText", None, 10)
        await asyncio.sleep(2.0)  # an apology, if any, would come now
        assert len(world.tg.sent(alice.user.id)) == 1, [m.text for m in world.tg.sent(alice.user.id)]
    finally:
        await stopped(app)


def _buttons(message: SentMessage) -> list[tuple[str, str]]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [(b.get("callback_data", ""), b.get("text", "")) for row in rows for b in row]


UNDATED_RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Alpha</title>
<item><guid>alpha-undated-1</guid><title>Russian drones strike Kharkiv power station overnight</title>
<link>{link}</link><description>Russian drones hit a power station in Kharkiv overnight, the
regional governor said, leaving districts without electricity.</description></item>
</channel></rss>"""


async def test_p2_row_02_an_undated_item_pruned_by_retention_never_returns(world: World) -> None:
    from services.tick import tick as bot_tick
    from tests.e2e_world import ARTICLE, DAY1
    from tests.pageserver import Reply

    w = world
    w.pages.add("/beta/rss", Reply(b'<rss version="2.0"><channel><title>Beta</title></channel></rss>',
                                   content_type="application/rss+xml"))
    w.pages.add("/alpha/kharkiv", ARTICLE.format(
        title="Russian drones strike Kharkiv power station overnight",
        lead="Russian drones hit a power station in Kharkiv overnight.").encode())
    app = await started_app(w)
    reader = Chat(w, "Rita")
    w.tg.client.send_command(reader.user, "subscribe")
    confirmation = await reader.next()
    [menu] = [m for m in w.tg.sent(reader.user.id) if m.text == confirmation]
    w.tg.client.press_button(reader.user, menu, "first:later")
    await reader.next()  # the first digest comes tomorrow at 08:00
    db = app.bot_data.services.db
    for _ in range(200):  # the bot's own first tick has polled (Alpha had no feed yet)
        if db.execute("select count(*) from sources where last_success_at is not null").fetchone()[0]:
            break
        await asyncio.sleep(0.05)
    w.pages.add("/alpha/rss", Reply(UNDATED_RSS.format(link=w.pages.url("/alpha/kharkiv")).encode(),
                                    content_type="application/rss+xml"))

    async def digest_on(day: int) -> str:
        """That day's 08:00 digest (a tick the day before moves past the days skipped)."""
        for moment in (timedelta(days=day - 1, hours=3), timedelta(days=day, hours=2)):
            w.clock.now = DAY1 + moment  # 09:00 the day before, then 08:00, in Kyiv
            await bot_tick(app.bot_data.services, app.bot_data.scheduler)
        return await reader.next()

    assert "Kharkiv power station" in await digest_on(1)
    for day in (30, 60, 90, 97):  # the feed keeps listing it; retention prunes it on day 97
        assert "Kharkiv power station" not in await digest_on(day)
    assert db.execute("select count(*) from items").fetchone()[0] == 0
    assert "Kharkiv power station" not in await digest_on(98), "an item seen once is never new again"
    await stopped(app)
