"""Link-reply latency through the real bot: local Bot API server + local page server.

``python -m bench links [--links N]`` starts ``bot.py`` as a subprocess, sends N links (each
a distinct URL, so nothing comes from the cache) one after another from one user, and
measures the time from the user's message to the bot's reply, as a user would feel it. Each
link comes from a different user, so the per-user link budget does not throttle the bench.
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


def measure(count: int) -> list[float]:
    bodies = [(PAGES / name).read_bytes() for name in ARTICLES]
    latencies: list[float] = []
    with FakeTelegramServer() as tg, PageServer() as pages, tempfile.TemporaryDirectory() as tmp:
        host = pages.url("/").split("/")[2]
        with running_bot(tg, Path(tmp), {"FETCH_ALLOW_PRIVATE_HOSTS": host, "LOG_LEVEL": "WARNING"}):
            for index in range(count):
                # A new reader per link: one user's link budget (10/min) must not be the bench.
                user = tg.client.user(f"Reader {index}")
                url = pages.add(f"/article/{index}", bodies[index % len(bodies)])
                started = time.perf_counter()
                tg.client.send_message(user, url)
                tg.wait_for_messages(user.id, count=1, timeout=30)
                latencies.append(time.perf_counter() - started)
    return latencies


def main(argv: list[str]) -> None:
    count = next((int(a.split("=")[1]) for a in argv if a.startswith("--links=")), 300)
    latencies = measure(count)
    print(f"{count} links, one at a time, each a fresh URL (no cache hits), each from a new user\n")
    print("| links | p50 ms | p95 ms | max ms | mean ms |")
    print("|---:|---:|---:|---:|---:|")
    ms = [v * 1000 for v in latencies]
    print(f"| {count} | {_percentile(ms, 0.5):.0f} | {_percentile(ms, 0.95):.0f} | "
          f"{max(ms):.0f} | {statistics.fmean(ms):.0f} |")
