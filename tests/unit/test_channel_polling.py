"""Polling channel sources against channel pages served from 127.0.0.1: new posts only, one
request per channel per interval, one older page after downtime, the per-minute cap, and
pages that are no preview failing only their own source."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

import bot
from digest.feeds.polling import next_poll_at
from digest.feeds.sources import DEFAULT_SOURCES, dump_opml, load_opml
from digest.feeds.telegram import is_channel_source
from services.channels import ChannelUnavailable, check_channel
from services.context import Services
from services.options import SchedulerOptions
from services.polling import poll_feeds
from settings import load_settings
from storage import Database, open_database
from storage.channels import last_post_id
from storage.sources import SourceSpec, all_sources, get_source, sync_sources
from tests.channelgen import ChannelRoute, Post
from tests.e2e_world import Clock
from tests.pageserver import PageServer, Reply

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@dataclass
class World:
    svc: Services
    db: Database
    pages: PageServer
    clock: Clock

    def channel(self, name: str, posts: list[Post], *, language: str = "uk") -> ChannelRoute:
        route = ChannelRoute(name, f"{name} title", posts)
        self.pages.route(f"/s/{name}", route.handler())
        sync_sources(self.db, [SourceSpec(f"{name} title", f"https://t.me/s/{name}", language,
                                          "ukrainian_official", True)], origin="builtin")
        return route

    def source(self, name: str) -> int:
        return next(s.id for s in all_sources(self.db) if s.feed_url.endswith(f"/s/{name}"))


@pytest.fixture
async def world() -> AsyncIterator[World]:
    with PageServer() as pages:
        settings = load_settings({"FETCH_ALLOW_PRIVATE_HOSTS": pages.host_port,
                                  "TELEGRAM_WEB_BASE_URL": pages.url("")}, require_token=False)
        db = open_database(":memory:")
        clock = Clock(NOW)
        svc = replace(bot.build_services(settings, db), clock=clock)
        yield World(svc, db, pages, clock)
        assert svc.http is not None
        await svc.http.aclose()


def posts(first: int, last: int, minutes_apart: int = 10) -> list[Post]:
    return [Post(i, f"Post {i} about shelling of the district\nDetails of post {i}.",
                 NOW - timedelta(minutes=(last - i) * minutes_apart)) for i in range(first, last + 1)]


def stored(db: Database, source_id: int) -> list[str]:
    return [r["url"] for r in db.query("select url from items where source_id = ? order by url",
                                       [source_id])]


async def test_a_channel_is_read_once_per_interval_and_only_new_posts_are_stored(world: World) -> None:
    route = world.channel("oblast_one", posts(1, 5))
    report = await poll_feeds(world.svc, SchedulerOptions())
    source = world.source("oblast_one")
    assert report.new_items == 5 and len(route.requests) == 1
    assert last_post_id(world.db, source) == 5
    assert "https://t.me/oblast_one/5" in stored(world.db, source)
    world.clock.now += timedelta(minutes=4)  # within the interval: not asked again
    await poll_feeds(world.svc, SchedulerOptions())
    assert len(route.requests) == 1
    route.posts += posts(6, 7)
    world.clock.now += timedelta(minutes=10)
    report = await poll_feeds(world.svc, SchedulerOptions())
    assert report.new_items == 2 and len(route.requests) == 2
    assert route.requests == ["/s/oblast_one", "/s/oblast_one"]


async def test_after_downtime_one_older_page_and_no_more(world: World) -> None:
    route = world.channel("oblast_two", posts(1, 3))
    await poll_feeds(world.svc, SchedulerOptions())
    route.posts += posts(4, 80)  # 77 posts while the bot was down: four pages' worth
    world.clock.now += timedelta(hours=6)
    report = await poll_feeds(world.svc, SchedulerOptions())
    assert route.requests[1:] == ["/s/oblast_two", "/s/oblast_two?before=61"]
    assert report.new_items == 40  # the newest page and one older page
    assert last_post_id(world.db, world.source("oblast_two")) == 80


async def test_channel_requests_per_minute_are_capped(world: World) -> None:
    routes = [world.channel(f"chan_{n:02d}", posts(1, 2)) for n in range(5)]
    options = SchedulerOptions(channels_per_minute=3)
    await poll_feeds(world.svc, options)
    assert sum(len(r.requests) for r in routes) == 3
    await poll_feeds(world.svc, options)  # same minute: no room left
    assert sum(len(r.requests) for r in routes) == 3
    world.clock.now += timedelta(minutes=1, seconds=1)
    await poll_feeds(world.svc, options)
    assert sum(len(r.requests) for r in routes) == 5


async def test_a_page_that_is_no_preview_fails_its_source_alone(world: World) -> None:
    good = world.channel("oblast_good", posts(1, 2))
    world.channel("oblast_gone", [])
    world.pages.redirect("/s/oblast_gone", world.pages.url("/oblast_gone"))
    world.pages.add("/oblast_gone", b"<html><body><div class='tgme_page'>Send Message</div></body></html>")
    world.channel("oblast_busy", [])
    world.pages.add("/s/oblast_busy", Reply(b"slow down", status=429, headers={"Retry-After": "3600"}))
    report = await poll_feeds(world.svc, SchedulerOptions())
    assert report.failed == 2 and report.new_items == 2 and len(good.requests) == 1
    gone = get_source(world.db, world.source("oblast_gone"))
    assert gone is not None and gone.last_error is not None and "no public preview" in gone.last_error
    busy = get_source(world.db, world.source("oblast_busy"))
    assert busy is not None and busy.next_poll_at is not None
    assert datetime.fromisoformat(busy.next_poll_at) >= NOW + timedelta(minutes=59)


async def test_checking_a_channel_before_adding_it(world: World) -> None:
    world.channel("oblast_ok", posts(1, 2))
    world.pages.redirect("/s/private_person", world.pages.url("/private_person"))
    world.pages.add("/private_person", b"<html><body><div class='tgme_page'>Contact</div></body></html>")
    world.pages.add("/s/missing_chan", Reply(b"not found", status=404))
    found = await check_channel(world.svc, "https://t.me/oblast_ok")
    assert (found.name, found.title, found.feed_url) == ("oblast_ok", "oblast_ok title",
                                                         "https://t.me/s/oblast_ok")
    for raw, reason in [("@private_person", "no_preview"), ("t.me/+AbCdEf", "private"),
                        ("@x", "invalid"), ("@missing_chan", "unreachable")]:
        with pytest.raises(ChannelUnavailable) as caught:
            await check_channel(world.svc, raw)
        assert caught.value.reason == reason, raw


def test_channel_jitter_only_lengthens_the_interval() -> None:
    policy = SchedulerOptions().channel_poll
    rng = random.Random(3)
    delays = [next_poll_at(NOW, policy, rng=rng) - NOW for _ in range(500)]
    assert policy.interval_minutes >= 5
    assert min(delays) >= timedelta(minutes=policy.interval_minutes)
    assert max(delays) > timedelta(minutes=policy.interval_minutes * 1.1)  # still spread out


async def test_a_huge_or_slow_channel_page_costs_that_source_only(world: World) -> None:
    good = world.channel("oblast_fine", posts(1, 2))
    world.channel("oblast_huge", [])
    world.pages.add("/s/oblast_huge", b"<div>" + b"x" * (6 * 1024 * 1024) + b"</div>")
    world.channel("oblast_slow", [])
    world.pages.add("/s/oblast_slow", Reply(b"<html>" + b" " * 64, drip_delay=0.5))
    svc = replace(world.svc, fetch_options=replace(world.svc.fetch_options, total_timeout=2.0))
    report = await poll_feeds(svc, SchedulerOptions())
    assert report.failed == 2 and report.new_items == 2 and len(good.requests) == 1
    errors = {s.feed_url.rsplit("/", 1)[1]: s.last_error for s in all_sources(world.db)}
    assert errors["oblast_huge"] is not None and "ResponseTooLarge" in errors["oblast_huge"]
    assert errors["oblast_slow"] is not None and "Timeout" in errors["oblast_slow"]
    assert errors["oblast_fine"] is None


def test_opml_export_and_import_carry_channels() -> None:
    channels = [s for s in DEFAULT_SOURCES if is_channel_source(s.feed_url)]
    assert len(channels) >= 20
    assert load_opml(dump_opml(channels)) == channels
