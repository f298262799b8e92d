"""Link-reply latency through the real bot: local Bot API server + local page server.

``python -m bench links [--links N] [--while-encoding M]`` starts ``bot.py`` as a subprocess, sends N links (each
a distinct URL, so nothing comes from the cache) one after another from one user, and
measures the time from the user's message to the bot's reply, as a user would feel it. Each
link comes from a different user, so the per-user link budget does not throttle the bench.
``--while-encoding=M`` first stores M feed items without vectors, so the bot's first tick
encodes them (16 per CPU-pool job) while the links are answered.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from tests.botproc import running_bot
from tests.fakebot import FakeTelegramServer
from tests.pageserver import PageServer

PAGES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pages"
ARTICLES = ("jsonld_graph.html", "og_only.html", "byline.html", "ukrainian.html")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


_WORDS = ("drones missiles overnight region officials said power homes damaged injured city "
          "air defence shot down talks ministers sanctions aid package front line village "
          "governor reported attack debris fire rescuers evacuated residents").split()


def seed_unencoded_items(database: Path, count: int) -> None:
    """``count`` fresh feed items with no vector yet, so the bot's first tick encodes them
    (in the CPU pool) while the links are being answered."""
    import random
    from datetime import UTC, datetime

    from storage import open_database
    from storage.items import NewItem, add_items
    from storage.sources import SourceSpec, sync_sources

    rng = random.Random(3)
    db = open_database(database)
    spec = SourceSpec("Bench outlet", "http://127.0.0.1:9/rss", "en", "international", False)
    source = sync_sources(db, [spec], origin="builtin")[0]
    now = datetime.now(UTC)
    items = []
    for n in range(count):
        title = " ".join(rng.choice(_WORDS) for _ in range(10)).capitalize() + f" ({n})"
        summary = " ".join(rng.choice(_WORDS) for _ in range(40)) + "."
        url = f"http://127.0.0.1:9/news/{n}"
        items.append(NewItem(f"g{n}", url, url, title, summary, None, "en", now))
    add_items(db, source.id, items, offered=True, now=now)
    db.close()


def encoded(database: Path) -> int:
    from storage import open_database

    db = open_database(database)
    try:
        return int(db.execute("select count(*) from item_vectors").fetchone()[0])
    finally:
        db.close()


def measure(count: int, encoding: int = 0) -> tuple[list[float], int]:
    """Latencies of ``count`` link replies, and how many items the bot encoded meanwhile."""
    bodies = [(PAGES / name).read_bytes() for name in ARTICLES]
    latencies: list[float] = []
    with FakeTelegramServer() as tg, PageServer() as pages, tempfile.TemporaryDirectory() as tmp:
        host = pages.url("/").split("/")[2]
        database = Path(tmp) / "bot.db"
        if encoding:
            seed_unencoded_items(database, encoding)
        with running_bot(tg, Path(tmp), {"FETCH_ALLOW_PRIVATE_HOSTS": host, "LOG_LEVEL": "WARNING"},
                         database=database):
            if encoding:
                time.sleep(3)  # past the first tick's start: encoding is under way
            for index in range(count):
                # A new reader per link: one user's link budget (10/min) must not be the bench.
                user = tg.client.user(f"Reader {index}")
                url = pages.add(f"/article/{index}", bodies[index % len(bodies)])
                started = time.perf_counter()
                tg.client.send_message(user, url)
                tg.wait_for_messages(user.id, count=1, timeout=30)
                latencies.append(time.perf_counter() - started)
            done = encoded(database) if encoding else 0
    return latencies, done


def main(argv: list[str]) -> None:
    count = next((int(a.split("=")[1]) for a in argv if a.startswith("--links=")), 300)
    encoding = next((int(a.split("=")[1]) for a in argv if a.startswith("--while-encoding=")), 0)
    latencies, done = measure(count, encoding)
    print(f"{count} links, one at a time, each a fresh URL (no cache hits), each from a new user")
    if encoding:
        print(f"while the bot encodes {encoding} stored items in its CPU pool "
              f"({done} encoded by the last reply)")
    print()
    print("| links | p50 ms | p95 ms | max ms | mean ms |")
    print("|---:|---:|---:|---:|---:|")
    ms = [v * 1000 for v in latencies]
    print(f"| {count} | {_percentile(ms, 0.5):.0f} | {_percentile(ms, 0.95):.0f} | "
          f"{max(ms):.0f} | {statistics.fmean(ms):.0f} |")
