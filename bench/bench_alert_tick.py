"""What the breaking-alert check adds to a poll tick, with 10,000 chats and 5,000 stored items.

``.venv/bin/python -m bench alert_tick`` builds a real SQLite file (every migration): the
Russian realnews window (408 real Telegram posts of 23 channels over 12 hours, with their
cached e5 vectors) as the recent items, older copies as filler up to 5,000 stored items,
and 10,000 chats with alerts on (thresholds 3, 4 and 6 outlets, a fifth of them following a
place, some muting a topic). Then it times :func:`services.breaking.check_alerts` the way
the tick calls it, side by side with anchors from the same run:

* **nobody opted in**: the check's cost when no chat wants alerts (one indexed query);
* **first check**: the first 10 hours of the window at once: every story already past a
  threshold is alerted to every chat it is due for (a burst; in the bot, stories cross
  thresholds one by one over the hours);
* **steady tick, nothing new**: the same items again (best of 5): the cost of the check on a
  tick whose new reports push no story over a threshold (ticks without new reports skip
  the check altogether);
* **two more hours of reports**: the last two hours arrive at once; stories cross;
* **steady tick after them**, again best of 5, and the median of those 5.

The last column is the longest the event loop went without running other work during the
check (alerts are written 500 chats per transaction, grouping runs in the CPU pool).

Needs ../shared/corpus and the e5 vector cache (``bench cluster`` builds it).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench import realdata
from digest.language.embedding import to_blob
from digest.stories.alerts import AlertRules
from services.breaking import AlertReport, check_alerts
from services.context import Services
from settings import load_settings
from storage import Database, open_database
from storage.db import utc_iso

CHATS, STORED = 10_000, 5_000
WINDOW = "ru-2024-12-02"
FOLLOWED = ("kharkiv", "kyiv", "kursk", "zaporizhzhia")


def main(options: list[str]) -> None:
    if not realdata.available():
        print("skipped: ../shared/corpus is not there")
        return
    items = realdata.with_vectors(realdata.realnews(WINDOW))
    with tempfile.TemporaryDirectory(prefix="alert-tick-") as work:
        asyncio.run(_run(Path(work) / "bench.db", items))


async def _run(path: Path, items: list[realdata.RealItem]) -> None:
    now = max(item.published for item in items) + timedelta(minutes=5)
    late = [i for i in items if i.published > now - timedelta(hours=2)]
    early = [i for i in items if i not in late]
    db = open_database(path, clock=lambda: now)
    _seed_chats(db, now)
    sources = _seed_sources(db, items, now)
    _store(db, sources, early, now, copies=STORED // len(early) + 1, total=STORED - len(late))
    svc = Services(load_settings({"BOT_TOKEN": "1:" + "a" * 35, "DATABASE_PATH": str(path)}), db,
                   clock=lambda: now - timedelta(hours=2))
    rules = AlertRules()
    db.execute("update chats set alerts = 0")
    rows = [("nobody opted in", await _timed(check_alerts(svc, rules)))]
    db.execute("update chats set alerts = 1")
    first = await _timed(check_alerts(svc, rules))
    rows.append(("first check (burst)", first))
    steady = [await _timed(check_alerts(svc, rules)) for _ in range(5)]
    rows.append(("steady tick, nothing new", min(steady, key=lambda r: r[0])))
    _store(db, sources, late, now, copies=1)
    svc = replace(svc, clock=lambda: now)
    rows.append(("two more hours of reports", await _timed(check_alerts(svc, rules))))
    steady = [await _timed(check_alerts(svc, rules)) for _ in range(5)]
    rows.append(("steady tick after them", min(steady, key=lambda r: r[0])))
    stored = db.execute("select count(*) from items").fetchone()[0]
    print(f"{stored} stored items, {CHATS} chats with alerts on; times are wall-clock ms")
    print("| check | ms | stories alerted | messages queued | event loop held, max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, (ms, stories, queued, held) in rows:
        print(f"| {name} | {ms:.1f} | {stories} | {queued} | {held:.1f} |")
    print(f"steady-tick median of 5: {statistics.median(r[0] for r in steady):.1f} ms")


async def _timed(check: Coroutine[Any, Any, AlertReport]) -> tuple[float, int, int, float]:
    """Wall-clock ms of the check, its stories and messages, and the longest stretch the
    event loop was held (what a link reply arriving meanwhile would wait)."""
    held = [0.0]
    lag = asyncio.create_task(_loop_lag(held))
    started = time.perf_counter()
    report = await check
    elapsed = (time.perf_counter() - started) * 1000
    lag.cancel()
    await asyncio.gather(lag, return_exceptions=True)
    return elapsed, report.stories, report.queued, held[0]


async def _loop_lag(held: list[float]) -> None:
    """Wake every millisecond; keep in ``held[0]`` the longest extra wait, in ms."""
    while True:
        before = time.perf_counter()
        await asyncio.sleep(0.001)
        held[0] = max(held[0], (time.perf_counter() - before) * 1000 - 1)


def _seed_chats(db: Database, now: datetime) -> None:
    stamp = utc_iso(now)
    db.insert_many("chats", [{"id": 1000 + n, "type": "private", "title": None, "status": "active",
          "timezone": ("Europe/Kyiv", "Europe/Berlin", "America/New_York")[n % 3],
          "delivery_time": "08:00", "topic_id": None, "created_at": stamp, "updated_at": stamp,
          "alerts": 1, "alert_outlets": (3, 4, 6)[n % 3], "alert_cap": 3,
          "quiet_hours": "off" if n % 2 else "23:00-07:00"} for n in range(CHATS)])
    db.insert_many("follows", [{"chat_id": 1000 + n, "key": FOLLOWED[n % len(FOLLOWED)], "mode": "follow",
          "label": FOLLOWED[n % len(FOLLOWED)].title(), "query": FOLLOWED[n % len(FOLLOWED)],
          "ids": f'["{FOLLOWED[n % len(FOLLOWED)]}"]', "vector": None, "created_at": stamp}
         for n in range(0, CHATS, 5)])
    db.insert_many("follows", [{"chat_id": 1000 + n, "key": "sanctions", "mode": "mute", "label": "Sanctions",
          "query": "sanctions", "ids": '["sanctions"]', "vector": None, "created_at": stamp}
         for n in range(1, CHATS, 7)])


def _seed_sources(db: Database, items: list[realdata.RealItem], now: datetime) -> dict[str, int]:
    names = sorted({item.source for item in items})
    for index, name in enumerate(names):
        db.insert("sources", {"id": index + 1, "name": name, "feed_url": f"https://feeds.example/{index}",
                              "language": "ru", "kind": "international", "origin": "file",
                              "created_at": utc_iso(now)})
    return {name: index + 1 for index, name in enumerate(names)}


def _store(db: Database, sources: dict[str, int], items: list[realdata.RealItem], now: datetime,
           copies: int, total: int | None = None) -> None:
    """``items`` as stored items; copies beyond the first are shifted back a week each (the
    filler that makes up the stored total without entering the check's look-back)."""
    next_id = (db.execute("select max(id) from items").fetchone()[0] or 0) + 1
    rows: list[dict[str, object]] = []
    vectors: list[dict[str, object]] = []
    for copy in range(copies):
        shift = timedelta(days=7 * copy)
        for item in items:
            if total is not None and len(rows) >= total:
                break
            when = utc_iso(item.published - shift)
            rows.append({"id": next_id, "source_id": sources[item.source], "guid": f"{item.id}-{copy}",
                         "url": f"{item.url}?c={copy}", "url_key": f"{item.url}?c={copy}",
                         "title": item.title, "summary": item.summary, "author": None,
                         "language": item.language, "published_at": when, "seen_at": when,
                         "offered": 1})
            if item.vector is not None:
                vectors.append({"item_id": next_id, "model": "e5", "vector": to_blob(realdata.vector_of(item))})
            next_id += 1
    db.insert_many("items", rows)
    db.insert_many("item_vectors", vectors)

