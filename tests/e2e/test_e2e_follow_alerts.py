"""Issue 14 end to end: /follow, /mute and breaking alerts through the real Application (built
by bot.py) against the local Bot API server, feeds from a local server, a clock the test owns.

The tick is the bot's own (poll, encode, alert check, digests); the test runs it at the
instants it chooses and restarts the bot in between, so "never twice" is checked across a
restart too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from telegram.ext import Application

from services.context import Services
from services.tick import tick
from tests.e2e_world import DAY1, World, messages, on_engine, started_app, stopped, subscribed

pytestmark = pytest.mark.e2e
OUTLETS = ("alpha", "beta", "gamma", "delta", "epsilon")


async def run_tick(app: Application) -> None:  # type: ignore[type-arg]
    await tick(app.bot_data.services, app.bot_data.scheduler)


def strike_on_odesa(w: World, outlet: str, hours_ago: float) -> None:
    titles = {
        "alpha": "Russian missiles strike Odesa port, killing four",
        "beta": "Four killed as Russian missile attack hits Odesa port",
        "gamma": "Russian missile strike on Odesa port kills four, governor says",
        "delta": "Odesa port hit by Russian missiles; four dead",
        "epsilon": "Missile attack on Odesa port: four killed, dozens injured",
    }
    w.publish(outlet, [w.entry(outlet, "odesa-port", titles[outlet],
                               "A Russian missile attack struck the port of Odesa, killing four people "
                               "and damaging grain terminals, the regional governor said.", hours_ago)],
              f"odesa-{hours_ago}")


@pytest.fixture
def world(world: World, engine: str, request: pytest.FixtureRequest) -> Iterator[World]:
    """Each flow here runs on a SQLite file and on PostgreSQL."""
    with on_engine(world, engine, request) as chosen:
        yield chosen


async def test_follow_and_mute_shape_the_digest(world: World) -> None:
    w = world
    app = await started_app(w, OUTLETS)
    user = await subscribed(w, "Alice")
    alice = user.id
    w.tg.client.send_command(user, "follow", "Харкові")
    reply = (await messages(w, alice, 3))[2]
    assert "Following" in reply.text and "Kharkiv" in reply.text
    w.tg.client.send_command(user, "mute", "sanctions")
    reply = (await messages(w, alice, 4))[3]
    assert "Muted" in reply.text

    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # Alice's 08:00 digest, day 2
    w.publish("alpha", [
        w.entry("alpha", "kyiv", "Russian drones attack Kyiv overnight, air defence active",
                "Air defence shot down drones over Kyiv overnight, the city administration said.", 3),
        w.entry("alpha", "sanctions", "EU adopts new sanctions package against Russia's shadow fleet",
                "The European Union adopted a new package of sanctions targeting Russia's shadow fleet tankers.", 2),
    ], "1")
    w.publish("beta", [
        w.entry("beta", "kyiv", "Kyiv hit by Russian drone attack overnight",
                "Russian drones attacked Kyiv overnight; air defence was active, officials said.", 2),
        w.entry("beta", "sanctions", "New EU sanctions hit Russian shadow fleet tankers",
                "EU governments agreed new sanctions on tankers of Russia's shadow fleet.", 1),
        w.entry("beta", "kharkiv", "Glide bomb hits residential building in Kharkiv",
                "A Russian glide bomb struck a residential building in Kharkiv, injuring three, the governor said.", 4),
    ], "1")
    await run_tick(app)
    digest = (await messages(w, alice, 5))[4]
    first_story = digest.text.split("\n\n")[1]
    assert "📍" in first_story and "Kharkiv" in first_story, "the followed story comes first, marked"
    assert "Following: Kharkiv" in digest.text
    assert "sanction" not in digest.text.lower(), "a muted story is left out"
    assert "1 muted story hidden" in digest.text

    w.tg.client.send_command(user, "following")
    listing = (await messages(w, alice, 6))[5]
    buttons = [b["callback_data"] for row in listing.reply_markup["inline_keyboard"] for b in row]  # type: ignore[index]
    assert sum(b.startswith("fol:rm:") for b in buttons) == 2
    w.tg.client.press_button(user, listing, next(b for b in buttons if b.startswith("fol:rm:")))
    svc: Services = app.bot_data.services
    await _until(lambda: svc.db.execute("select count(*) from follows").fetchone()[0] == 1)

    w.tg.client.send_command(user, "mydata")
    exported = "\n".join(m.text for m in (await messages(w, alice, 8))[6:])
    assert '"follows"' in exported and "Sanctions".lower() in exported.lower()

    w.tg.client.send_command(user, "status")
    await _until(lambda: any(m.text.startswith("📬") for m in w.tg.sent(alice)))
    status = next(m.text for m in w.tg.sent(alice) if m.text.startswith("📬"))
    assert "🔇 Muted: Sanctions" in status and "Following" not in status  # Kharkiv was removed
    await stopped(app)


def quiet_feeds(w: World) -> None:
    """Every outlet answers from the start, with an old item that is not news of the war (a
    404 or an empty feed would put its feed into back-off)."""
    for outlet in OUTLETS:
        w.publish(outlet, [w.entry(outlet, "weather", "Sunny weekend ahead, forecasters say",
                                   "Warm and dry weather is expected across the region.", 30)], "quiet")


async def test_a_breaking_story_alerts_once_across_growth_and_restart(world: World) -> None:
    w = world
    w.clock.now = DAY1 + timedelta(hours=8)  # 14:00 in Kyiv: not quiet
    quiet_feeds(w)
    app = await started_app(w, OUTLETS)
    user = await subscribed(w, "Bob")
    bob = user.id
    w.tg.client.send_command(user, "alerts", "on")
    menu = (await messages(w, bob, 3))[2]
    assert "Breaking alerts" in menu.text and ": on" in menu.text
    await run_tick(app)  # first poll of every outlet: nothing yet

    for outlet in OUTLETS[:3]:
        strike_on_odesa(w, outlet, 1)
    w.clock.now += timedelta(minutes=30)
    await run_tick(app)
    svc: Services = app.bot_data.services
    assert _alerts(svc) == 0, "three outlets are not enough"

    strike_on_odesa(w, "delta", 0.2)
    w.clock.now += timedelta(minutes=30)
    await run_tick(app)
    alert = (await messages(w, bob, 4))[3]
    assert alert.text.startswith("⚡ Breaking:") and "Odesa" in alert.text
    assert "Reported by" in alert.text

    strike_on_odesa(w, "epsilon", 0.1)  # the story keeps growing
    w.clock.now += timedelta(minutes=30)
    await run_tick(app)
    await stopped(app)
    app = await started_app(w, OUTLETS)  # and the bot restarts
    await run_tick(app)
    svc = app.bot_data.services
    assert _alerts(svc) == 1
    assert len([m for m in w.tg.sent(bob) if m.text.startswith("⚡ Breaking:")]) == 1

    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # Bob's next digest: the story in one line
    await run_tick(app)
    digest = (await messages(w, bob, 5))[4]
    assert "alerted at 15:" in digest.text and "⚡" in digest.text
    await stopped(app)


async def test_quiet_hours_hold_alerts(world: World) -> None:
    w = world
    w.clock.now = DAY1 - timedelta(hours=3)  # 03:00 in Kyiv: inside the default 23:00-07:00
    quiet_feeds(w)
    app = await started_app(w, OUTLETS)
    user = await subscribed(w, "Carol")
    carol = user.id
    w.tg.client.send_command(user, "alerts", "on")
    await messages(w, carol, 3)
    await run_tick(app)
    for outlet in OUTLETS[:4]:
        strike_on_odesa(w, outlet, 0.5)
    w.clock.now += timedelta(minutes=20)
    await run_tick(app)
    svc: Services = app.bot_data.services
    assert _alerts(svc) == 0, "no alert in quiet hours"
    w.tg.client.send_command(user, "quiet", "off")
    assert "any time" in (await messages(w, carol, 4))[3].text
    w.tg.client.send_command(user, "quiet", "22.30 - 6:00")  # read like /time reads a time
    assert "Quiet hours: 22:30-06:00 (Europe/Kyiv)" in (await messages(w, carol, 5))[4].text
    w.tg.client.send_command(user, "quiet", "late")
    assert "HH:MM-HH:MM" in (await messages(w, carol, 6))[5].text
    await stopped(app)


def _alerts(svc: Services) -> int:
    return int(svc.db.execute("select count(*) from breaking_sent").fetchone()[0])


async def _until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_in_a_group_only_administrators_follow(world: World) -> None:
    w = world
    app = await started_app(w, OUTLETS)
    owner, member = w.tg.client.user("Owner"), w.tg.client.user("Member")
    group = w.tg.client.group("Kharkiv neighbours", owner=owner, members=[member])
    w.tg.client.add_bot(group, by=owner)
    w.tg.client.send_command(member, "follow", "Kharkiv", chat=group)
    w.tg.client.send_command(owner, "follow", "Kharkiv", chat=group)
    refused = "Only this chat's administrators can change its digest settings."

    def texts() -> list[str]:
        return [m.text for m in w.tg.sent(group.id)]

    await _until(lambda: refused in texts() and any(t.startswith("📍 Following Kharkiv") for t in texts()))
    svc: Services = app.bot_data.services
    assert svc.db.execute("select chat_id, key from follows").fetchall() == [(group.id, "kharkiv")]
    await stopped(app)


async def test_p2_row_03_a_paused_chat_gets_no_breaking_alert_end_to_end(world: World) -> None:
    w = world
    w.clock.now = DAY1 + timedelta(hours=8)  # 14:00 in Kyiv: not quiet
    quiet_feeds(w)
    app = await started_app(w, OUTLETS)
    paused, active = await subscribed(w, "Paula"), await subscribed(w, "Anna")
    for user in (paused, active):
        w.tg.client.send_command(user, "alerts", "on")
        await messages(w, user.id, 3)
    w.tg.client.send_command(paused, "pause")
    assert "Paused" in (await messages(w, paused.id, 4))[3].text
    await run_tick(app)  # first poll of every outlet: nothing yet
    for outlet in OUTLETS[:4]:
        strike_on_odesa(w, outlet, 0.5)
    w.clock.now += timedelta(minutes=30)
    await run_tick(app)
    alert = (await messages(w, active.id, 4))[3]
    assert alert.text.startswith("⚡ Breaking:")
    await asyncio.sleep(1.0)  # the outbox sends both chats' alerts in the same pass
    assert len(w.tg.sent(paused.id)) == 4, [m.text for m in w.tg.sent(paused.id)]
    await stopped(app)
