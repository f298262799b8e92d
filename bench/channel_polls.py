"""The channel part of ``bench feeds``: polling public Telegram channels from a local server.

Two figures the channel sources promise, measured with the real scheduler code
(:func:`services.polling.poll_feeds`) against channel preview pages served from 127.0.0.1
(``TELEGRAM_WEB_BASE_URL`` points there):

* the catalogue shipped with the bot (every channel of ``DEFAULT_SOURCES``), polled with the
  default options by a tick every minute for three simulated hours: channel requests per
  minute (mean and the busiest minute) and the shortest gap between two requests to one
  channel (the interval is a floor: at most one request per channel per interval);
* 50 channels with 20 posts each, polled once (everything new), then again past the
  interval with nothing new: the wall time of that second poll (the per-minute cap lifted
  so one poll covers all 50; with the default cap they spread over several ticks).

* a post-link reply (:func:`services.articles.reply_for`, cold cache): 40 different post
  links read from their embed views on the local server, half plain posts (points and
  quotes from the post) and half mainly a link (the linked article read too); p50/p95/max.

``.venv/bin/python -m bench feeds --channels`` runs only this part.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from digest.feeds.sources import DEFAULT_SOURCES
from digest.feeds.telegram import channel_name, is_channel_source
from digest.reader.fetch import FetchOptions, HttpClient
from services.articles import reply_for
from services.context import Services
from services.options import SchedulerOptions
from services.polling import poll_feeds
from settings import load_settings
from storage import open_database
from storage.sources import SourceSpec, sync_sources
from tests.channelgen import ChannelRoute, Post
from tests.pageserver import Handler, PageServer, RequestHandler

START = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
HOURS = 3
GENERATED = 50


class _Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def _posts(channel: int) -> list[Post]:
    return [Post(1000 + i, f"Channel {channel} post {i}: air defence at work over the region\n"
                           f"Details of post {i} follow.", START - timedelta(minutes=20 - i))
            for i in range(20)]


def _serve(server: PageServer, names: list[str], log: list[tuple[datetime, str]],
           clock: _Clock) -> None:
    for index, name in enumerate(names):
        route = ChannelRoute(name, f"{name} title", _posts(index))
        handler = route.handler()

        def logged(request: RequestHandler, handler: Handler = handler, name: str = name) -> None:
            log.append((clock.now, name))
            handler(request)

        server.route(f"/s/{name}", logged)


def _services(server: PageServer, folder: str, clock: _Clock, client: HttpClient) -> Services:
    settings = load_settings({"BOT_TOKEN": "1:x", "TELEGRAM_WEB_BASE_URL": server.url("")})
    db = open_database(Path(folder) / "channels.db")
    options = FetchOptions(allow_private_hosts=frozenset({server.host_port}))
    return Services(settings, db, client, options, clock)


async def _catalogue(server: PageServer, folder: str) -> dict[str, str]:
    channels = [s for s in DEFAULT_SOURCES if is_channel_source(s.feed_url)]
    names, log, clock = [channel_name(s.feed_url) for s in channels], [], _Clock()
    _serve(server, names, log, clock)
    async with HttpClient(trust_env=False) as client:
        svc = _services(server, folder, clock, client)
        sync_sources(svc.db, [SourceSpec(s.name, s.feed_url, s.language, s.kind.value, True)
                              for s in channels], origin="builtin")
        options = SchedulerOptions()
        for _ in range(HOURS * 60):  # the tick runs every minute
            await poll_feeds(svc, options)
            clock.now += timedelta(minutes=1)
    per_minute = Counter(when for when, _ in log)
    interval = options.channel_poll.interval_minutes
    times: dict[str, list[datetime]] = {}
    for when, name in log:
        times.setdefault(name, []).append(when)
    gaps = [(b - a).total_seconds() / 60 for ts in times.values() for a, b in pairwise(ts)]
    return {
        "channels in the catalogue": str(len(names)),
        "requests in the run": f"{len(log)} in {HOURS} h",
        "requests per minute, mean": f"{len(log) / (HOURS * 60):.2f}",
        "requests per minute, busiest minute": str(max(per_minute.values())),
        "shortest gap between two requests to one channel": f"{min(gaps):g} min",
        "poll interval (default)": f"{interval:g} min, jitter +0–{options.channel_poll.jitter:.0%}",
    }


async def _fifty(server: PageServer, folder: str) -> dict[str, str]:
    names, log, clock = [f"bench_chan_{n:02d}" for n in range(GENERATED)], [], _Clock()
    _serve(server, names, log, clock)
    async with HttpClient(trust_env=False) as client:
        svc = _services(server, folder, clock, client)
        sync_sources(svc.db, [SourceSpec(n, f"https://t.me/s/{n}", "uk", "ukrainian_media", True)
                              for n in names], origin="builtin")
        options = replace(SchedulerOptions(), channels_per_minute=GENERATED)
        first = await poll_feeds(svc, options)
        clock.now += timedelta(minutes=15)
        started = time.perf_counter()
        second = await poll_feeds(svc, options)
        seconds = time.perf_counter() - started
    return {
        "50 channels, first poll": f"{first.polled} polled, {first.new_items} new posts",
        "50 channels, nothing new: poll wall time": f"{seconds:.2f} s ({second.polled} polled, "
                                                    f"{second.new_items} new, {second.failed} failed)",
    }


LINK_POSTS = 40
ARTICLE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>Russian drones attacked the city overnight, damaging {n} houses and a school, the regional
administration said on Tuesday morning.</p>
<p>“Rescuers worked through the night and everyone has been moved to safety,” the head of the
regional military administration, Ivan Demo, said in a statement.</p>
<p>Air defence shot down most of the drones over the region, the air force said. Power was
restored to most homes by noon, and schools will switch to remote learning until Friday.</p>
</article></body></html>"""


def _link_posts(server: PageServer) -> list[str]:
    """Serve ``LINK_POSTS`` posts (and the articles half of them point to); their links."""
    posts = []
    for i in range(LINK_POSTS):
        if i % 2:
            article = f"/articles/{i}"
            server.add(article, ARTICLE.format(title=f"Drone attack damages {i} houses", n=i).encode())
            text = f"Details of the night attack: {server.url(article)}"
        else:
            text = (f"Russian drones attacked the city overnight, damaging {i} houses\n"
                    "A school and a kindergarten were damaged; no one was killed.\n"
                    "«Everyone has been moved to safety», — said Ivan Demo, head of the "
                    "regional military administration.\nRepairs begin tomorrow.")
        posts.append(Post(500 + i, text, START - timedelta(minutes=i)))
    route = ChannelRoute("bench_links", "Bench Links OVA", posts)
    route.serve_embeds(server)
    return [f"https://t.me/bench_links/{p.post_id}" for p in posts]


async def _post_links(server: PageServer, folder: str) -> dict[str, str]:
    urls, clock = _link_posts(server), _Clock()
    async with HttpClient(trust_env=False) as client:
        svc = _services(server, folder, clock, client)
        seconds, failed = [], 0
        for url in urls:
            started = time.perf_counter()
            reply = await reply_for(svc, url, "Europe/Kyiv")
            seconds.append(time.perf_counter() - started)
            failed += "•" not in reply
    ordered = sorted(seconds)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        f"post-link reply, {LINK_POSTS} links (cold cache)":
            f"p50 {statistics.median(seconds) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms (first {seconds[0] * 1000:.0f} ms); "
            f"{failed} without points",
    }


def run() -> dict[str, str]:
    with PageServer() as server, tempfile.TemporaryDirectory() as folder:
        figures = asyncio.run(_catalogue(server, folder))
    with PageServer() as server, tempfile.TemporaryDirectory() as folder:
        figures.update(asyncio.run(_fifty(server, folder)))
    with PageServer() as server, tempfile.TemporaryDirectory() as folder:
        figures.update(asyncio.run(_post_links(server, folder)))
    return figures


def print_table(figures: dict[str, str]) -> None:
    print("\n| channels | figure |")
    print("|---|---|")
    for name, value in figures.items():
        print(f"| {name} | {value} |")
