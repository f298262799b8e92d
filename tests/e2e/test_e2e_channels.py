"""End to end: a chat adds a public channel, the bot reads its preview from 127.0.0.1, and
the channel's posts reach the chat's digest; bad channel input gets one clear line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.context import Services
from services.tick import tick as full_tick
from storage.sources import SourceSpec, sync_sources
from tests.channelgen import ChannelRoute, Post
from tests.e2e_world import (
    ARTICLE,
    DAY1,
    World,
    messages,
    started_app,
    stopped,
    subscribed,
    tick,
)
from tests.fakebot import parse_telegram_html
from tests.pageserver import Reply

pytestmark = pytest.mark.e2e


async def test_a_channel_added_by_a_chat_reaches_its_digest(world: World) -> None:
    w = world
    # Markup in a channel's title or posts is text: it must reach messages escaped.
    route = ChannelRoute("kharkiv_demo_ova", "Kharkiv Demo OVA <i>", [
        Post(501, "Russian missile strike hit an energy facility in Kharkiv overnight\n"
                  "Power is cut in two districts, the regional governor said.",
             DAY1 - timedelta(hours=1)),
    ])
    w.pages.route("/s/kharkiv_demo_ova", route.handler())
    w.pages.redirect("/s/someone_private", w.pages.url("/someone_private"))
    w.pages.add("/someone_private", Reply(b"<html><body><div class='tgme_page'>Contact</div></body></html>"))
    app = await started_app(w, outlets=("alpha",))
    alice = await subscribed(w, "Alice")

    for raw in ("https://t.me/+InviteOnly12", "@someone_private", "@x", "t.me/kharkiv_demo_ova"):
        w.tg.client.send_command(alice, "addsource", raw)
    private, no_preview, bad, added = (await messages(w, alice.id, 6))[2:]
    assert "private invite link" in private.text
    assert "no public preview" in no_preview.text
    assert "not a channel name" in bad.text
    assert "Added channel" in added.text and "Kharkiv Demo OVA <i>" in added.text
    for reply in (private, no_preview, bad, added):
        parse_telegram_html(reply.raw_text)
        assert "Traceback" not in reply.text and len(reply.text.splitlines()) == 1

    route.posts.append(Post(502, "Two people injured in Kharkiv after Russian drone attack <b>\n"
                                 "Rescuers are working at the site.", DAY1 + timedelta(days=1, hours=1)))
    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # 08:00 Kyiv on day 2
    await tick(app)
    digest = (await messages(w, alice.id, 7))[6]
    parse_telegram_html(digest.raw_text)
    assert "Kharkiv" in digest.text and "Kharkiv Demo OVA <i>" in digest.text
    assert "t.me/kharkiv_demo_ova/502" in digest.raw_text
    assert [r.split("?")[0] for r in route.requests] == ["/s/kharkiv_demo_ova"] * len(route.requests)
    await stopped(app)


async def test_a_post_link_is_answered_from_its_embed_view(world: World) -> None:
    w = world
    article = w.pages.url("/alpha/sumy-power")
    w.pages.add("/alpha/sumy-power", ARTICLE.format(
        title="Sumy without power after Russian strike on substation",
        lead="A Russian drone hit a substation in Sumy overnight, leaving 40,000 homes without power.",
    ).encode())
    route = ChannelRoute("sumy_demo_ova", "Sumy Demo OVA", [
        Post(77, "Russian drones attacked Sumy overnight\n"
                 "A drone hit a five-storey building in the city centre.\n"
                 "Two people were injured and taken to hospital.\n"
                 "Rescuers have finished clearing the rubble.\n"
                 "«We are helping every family that lost their home», — said Oleh Demchenko, "
                 "head of the city administration.", DAY1 - timedelta(hours=1)),
        Post(78, f"What the strike did to the grid: {article}", DAY1 - timedelta(minutes=30)),
    ])
    route.serve_embeds(w.pages)
    app = await started_app(w, outlets=("alpha",))
    bob = w.tg.client.user("Bob")
    w.tg.client.send_message(bob, "https://t.me/sumy_demo_ova/77")
    [own] = await messages(w, bob.id, 1)
    parse_telegram_html(own.raw_text)
    assert own.text.startswith("Russian drones attacked Sumy overnight")
    assert "Sumy Demo OVA" in own.text and "Oleh Demchenko" in own.text
    assert own.text.count("•") >= 2
    w.tg.client.send_message(bob, "https://t.me/s/sumy_demo_ova/78")
    linked = (await messages(w, bob.id, 2))[1]
    assert linked.text.startswith("Sumy without power after Russian strike on substation")
    w.tg.client.send_message(bob, "https://t.me/sumy_demo_ova/79")  # no such post
    missing = (await messages(w, bob.id, 3))[2]
    assert "Traceback" not in missing.text and len(missing.text.splitlines()) <= 2
    w.pages.route("/sumy_demo_ova/80", route.embed_handler())  # t.me's page for a deleted post
    w.tg.client.send_message(bob, "https://t.me/sumy_demo_ova/80")
    deleted = (await messages(w, bob.id, 4))[3]
    assert deleted.text == "Telegram shows no public text for that post (deleted, private, or only media)."
    assert [r.split("?")[1] for r in route.requests] == ["embed=1&mode=tme"] * 3
    await stopped(app)


def odesa_post(post_id: int, title: str, minutes_ago: float, w: World) -> Post:
    return Post(post_id, f"{title}\nA Russian missile attack struck the port of Odesa, killing four "
                         "people and damaging grain terminals, the regional governor said.",
                w.clock.now - timedelta(minutes=minutes_ago))


async def test_an_alert_from_channels_plus_a_feed_counts_each_outlet_once(world: World) -> None:
    w = world
    w.clock.now = DAY1 + timedelta(hours=8)  # 14:00 in Kyiv: not quiet
    channels = {name: ChannelRoute(name, title) for name, title in (
        ("alpha_tg", "Alpha (Telegram)"), ("gamma_tg", "Gamma News"), ("delta_tg", "Delta Wire"))}
    for name, route in channels.items():
        w.pages.route(f"/s/{name}", route.handler())
    app = await started_app(w, ("alpha", "beta"))
    svc = app.bot_data.services
    sync_sources(svc.db, [SourceSpec(r.title, f"https://t.me/s/{n}", "en", "international", True)
                          for n, r in channels.items()], origin="file")
    carol = await subscribed(w, "Carol")
    w.tg.client.send_command(carol, "alerts", "on")
    await messages(w, carol.id, 3)
    await full_tick(svc, app.bot_data.scheduler)  # first poll of every source: nothing yet

    w.publish("alpha", [w.entry("alpha", "odesa-port", "Russian missiles strike Odesa port, killing four",
                                "A Russian missile attack struck the port of Odesa, killing four people "
                                "and damaging grain terminals, the regional governor said.", 1)], "o1")
    w.publish("beta", [w.entry("beta", "odesa-port", "Four killed as Russian missile attack hits Odesa port",
                               "A Russian missile attack struck the port of Odesa, killing four people "
                               "and damaging grain terminals, the regional governor said.", 1)], "o1")
    channels["alpha_tg"].posts.append(odesa_post(10, "Russian missiles strike Odesa port, four killed", 50, w))
    channels["gamma_tg"].posts.append(odesa_post(20, "Russian missile strike on Odesa port kills four", 40, w))
    w.clock.now += timedelta(minutes=30)
    await full_tick(svc, app.bot_data.scheduler)
    assert _alerts(svc) == 0, "Alpha by feed and by channel is one outlet: three, not four"

    channels["delta_tg"].posts.append(odesa_post(30, "Odesa port hit by Russian missiles; four dead", 5, w))
    w.clock.now += timedelta(minutes=30)
    await full_tick(svc, app.bot_data.scheduler)
    alert = (await messages(w, carol.id, 4))[3]
    parse_telegram_html(alert.raw_text)
    assert alert.text.startswith("⚡ Breaking:") and "Odesa" in alert.text
    assert _alerts(svc) == 1
    await stopped(app)


def _alerts(svc: Services) -> int:
    return int(svc.db.execute("select count(*) from breaking_sent").fetchone()[0])


async def test_a_ukrainian_chat_reads_ukrainian_sources_with_ukrainian_headlines(world: World) -> None:
    w = world
    route = ChannelRoute("kyiv_uk_demo", "Київ Демо")
    w.pages.route("/s/kyiv_uk_demo", route.handler())
    app = await started_app(w, ("alpha",))
    svc = app.bot_data.services
    sync_sources(svc.db, [SourceSpec("Київ Демо", "https://t.me/s/kyiv_uk_demo", "uk",
                                     "ukrainian_official", False)], origin="file")
    olha = await subscribed(w, "Olha", language_code="uk")

    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # 08:00 Kyiv on day 2
    w.publish("alpha", [w.entry("alpha", "kyiv", "Russian drones attack Kyiv overnight, air defence active",
                                "Air defence shot down drones over Kyiv overnight, the city administration said.",
                                2)], "1")
    route.posts.append(Post(9, "Російські дрони атакували Київ уночі\n"
                               "Сили ППО збили дрони над столицею, повідомила міська адміністрація.",
                            w.clock.now - timedelta(hours=1)))
    await full_tick(svc, app.bot_data.scheduler)
    digest = (await messages(w, olha.id, 3))[2]
    parse_telegram_html(digest.raw_text)
    assert "Російські дрони атакували Київ уночі" in digest.text
    assert "Russian drones attack Kyiv" not in digest.text, "the English feed is off for her"
    assert "t.me/kyiv_uk_demo/9" in digest.raw_text
    await stopped(app)
