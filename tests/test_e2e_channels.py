"""End to end: a chat adds a public channel, the bot reads its preview from 127.0.0.1, and
the channel's posts reach the chat's digest; bad channel input gets one clear line."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.channelgen import ChannelRoute, Post
from tests.e2e_world import DAY1, World, messages, started_app, stopped, tick
from tests.fakebot import parse_telegram_html
from tests.pageserver import Reply

pytestmark = pytest.mark.e2e


async def test_a_channel_added_by_a_chat_reaches_its_digest(world: World) -> None:
    w = world
    route = ChannelRoute("kharkiv_demo_ova", "Kharkiv Demo OVA", [
        Post(501, "Russian missile strike hit an energy facility in Kharkiv overnight\n"
                  "Power is cut in two districts, the regional governor said.",
             DAY1 - timedelta(hours=1)),
    ])
    w.pages.route("/s/kharkiv_demo_ova", route.handler())
    w.pages.redirect("/s/someone_private", w.pages.url("/someone_private"))
    w.pages.add("/someone_private", Reply(b"<html><body><div class='tgme_page'>Contact</div></body></html>"))
    app = await started_app(w, outlets=("alpha",))
    alice = w.tg.client.user("Alice")
    w.tg.client.send_command(alice, "subscribe")
    [confirmation] = await messages(w, alice.id, 1)
    w.tg.client.press_button(alice, confirmation, "first:later")
    await messages(w, alice.id, 2)

    for raw in ("https://t.me/+InviteOnly12", "@someone_private", "@x", "t.me/kharkiv_demo_ova"):
        w.tg.client.send_command(alice, "addsource", raw)
    private, no_preview, bad, added = (await messages(w, alice.id, 6))[2:]
    assert "private invite link" in private.text
    assert "no public preview" in no_preview.text
    assert "not a channel name" in bad.text
    assert "Added channel" in added.text and "Kharkiv Demo OVA" in added.text
    for reply in (private, no_preview, bad, added):
        parse_telegram_html(reply.raw_text)
        assert "Traceback" not in reply.text and len(reply.text.splitlines()) == 1

    route.posts.append(Post(502, "Two people injured in Kharkiv after Russian drone attack\n"
                                 "Rescuers are working at the site.", DAY1 + timedelta(days=1, hours=1)))
    w.clock.now = DAY1 + timedelta(days=1, hours=2)  # 08:00 Kyiv on day 2
    await tick(app)
    digest = (await messages(w, alice.id, 7))[6]
    parse_telegram_html(digest.raw_text)
    assert "Kharkiv" in digest.text and "Kharkiv Demo OVA" in digest.text
    assert "t.me/kharkiv_demo_ova/502" in digest.raw_text
    assert [r.split("?")[0] for r in route.requests] == ["/s/kharkiv_demo_ova"] * len(route.requests)
    await stopped(app)
