"""Months of running: database size after 180 days of a busy deployment, with and without
retention (``RETENTION_DAYS``, :mod:`storage.retention`).

``.venv/bin/python -m bench retention`` simulates day by day, on a real SQLite file opened
with :func:`storage.open_database` (WAL, incremental auto-vacuum, every migration): 38 feeds
bringing 2,000 items a day (title, link, a 300-character summary), and every subscribed chat
getting one digest a day — a 3,500-character message in the outbox, sent, with the 30
items it carried recorded as delivered. Rows are written in bulk (the bench measures
storage, not the sender). The "with retention" run prunes once a simulated day with the
default 90 days (the bot prunes on every tick; a day's rows are what one day adds).

The default run is scaled down 1:``--scale`` (40: 250 chats, 50 items a day) so it takes
seconds; every table grows linearly in chats and items, so the last column multiplies the
measured size back up, as an estimate. ``--full`` runs the real 10,000 chats and 2,000
items a day (about 6 GB without retention: minutes, and that much free disk).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import Database, open_database
from storage.db import utc_iso
from storage.retention import RetentionPolicy, prune

FEEDS, ITEMS_PER_DAY, CHATS, DAYS = 38, 2000, 10_000, 180
ITEMS_PER_DIGEST, DIGEST_CHARS, SUMMARY_CHARS = 30, 3500, 300
START = datetime(2026, 1, 1, 6, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Load:
    """One simulated deployment: how many chats and items a day, for how many days."""

    chats: int
    items_per_day: int
    days: int = DAYS
    retention_days: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    load: Load
    size_bytes: int
    rows: dict[str, int]
    seconds: float
    prune_seconds: float


def _seed(db: Database, load: Load) -> None:
    now = utc_iso(START)
    db.insert_many("sources", [
        {"id": n + 1, "name": f"Outlet {n}", "feed_url": f"https://o{n}.example/rss", "kind": "international",
         "origin": "builtin", "created_at": now} for n in range(FEEDS)])
    db.insert_many("chats", [
        {"id": n + 1, "type": "private", "status": "active", "timezone": "Europe/Kyiv",
         "delivery_time": "08:00", "created_at": now, "updated_at": now} for n in range(load.chats)])


def _day(db: Database, load: Load, day: int) -> None:
    """One day: the feeds' items, then every chat's digest, sent and recorded."""
    at = START + timedelta(days=day)
    stamp = utc_iso(at)
    first = day * load.items_per_day
    with db.atomic():
        db.executemany(
            """insert into items (id, source_id, guid, url, url_key, title, summary, language,
                                  published_at, seen_at, offered) values (?,?,?,?,?,?,?,?,?,?,1)""",
            ((first + n + 1, n % FEEDS + 1, f"g{first + n}", f"https://o{n % FEEDS}.example/news/{first + n}",
              f"o{n % FEEDS}.example/news/{first + n}", f"Headline number {first + n} about the war",
              "s" * SUMMARY_CHARS, "en", stamp, stamp) for n in range(load.items_per_day)))
        carried = list(range(first + 1, first + 1 + min(ITEMS_PER_DIGEST, load.items_per_day)))
        digest_base = day * load.chats
        ids_json = json.dumps(carried)
        db.executemany(
            "insert into digests (id, chat_id, local_date, created_at, item_ids) values (?,?,?,?,?)",
            ((digest_base + c + 1, c + 1, at.date().isoformat(), stamp, ids_json) for c in range(load.chats)))
        db.executemany(
            """insert into outbox (digest_id, chat_id, part, text, item_ids, status, attempts,
                                   next_attempt_at, message_id, sent_at) values (?,?,0,?,?,'sent',1,?,?,?)""",
            ((digest_base + c + 1, c + 1, "d" * DIGEST_CHARS, ids_json, stamp, c, stamp)
             for c in range(load.chats)))
        db.executemany(
            "insert into deliveries (chat_id, item_id, digest_id, delivered_at) values (?,?,?,?)",
            ((c + 1, item, digest_base + c + 1, stamp) for c in range(load.chats) for item in carried))


def simulate(load: Load, folder: Path) -> Outcome:
    path = folder / f"bot-{load.retention_days or 'keep'}.db"
    db = open_database(path)
    _seed(db, load)
    started, pruning = time.perf_counter(), 0.0
    for day in range(load.days):
        _day(db, load, day)
        if load.retention_days:
            tick = time.perf_counter()
            prune(db, now=START + timedelta(days=day, hours=1), policy=RetentionPolicy(days=load.retention_days))
            pruning += time.perf_counter() - tick
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows = {t: int(db.execute(f"select count(*) from {t}").fetchone()[0])
            for t in ("items", "deliveries", "digests", "outbox")}
    elapsed = time.perf_counter() - started
    db.close()
    return Outcome(load, path.stat().st_size, rows, elapsed, pruning)


def _mb(size: float) -> str:
    return f"{size / 1e6:,.0f} MB" if size < 1e9 else f"{size / 1e9:,.1f} GB"


def print_table(outcomes: list[Outcome], scale: float) -> None:
    print(f"| run | chats | items/day | days | items | deliveries | outbox | DB size | "
          f"{'estimate at full size' if scale > 1 else 'seconds (prune)'} |")
    print("|---|---|---|---|---|---|---|---|---|")
    for o in outcomes:
        name = f"retention {o.load.retention_days} d" if o.load.retention_days else "no retention"
        last = _mb(o.size_bytes * scale) if scale > 1 else f"{o.seconds:.0f} ({o.prune_seconds:.0f})"
        print(f"| {name} | {o.load.chats:,} | {o.load.items_per_day:,} | {o.load.days} | "
              f"{o.rows['items']:,} | {o.rows['deliveries']:,} | {o.rows['outbox']:,} | "
              f"{_mb(o.size_bytes)} | {last} |")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench retention")
    parser.add_argument("--full", action="store_true", help="10,000 chats, 2,000 items a day (GBs)")
    parser.add_argument("--scale", type=int, default=40, help="scale-down factor without --full")
    parser.add_argument("--days", type=int, default=DAYS)
    args = parser.parse_args(argv)
    scale = 1 if args.full else max(1, args.scale)
    chats, items = CHATS // scale, ITEMS_PER_DAY // scale
    if scale > 1:
        print(f"scaled 1:{scale} ({chats:,} chats, {items:,} items a day); --full for the real size")
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="bench-retention-") as folder:
        for keep in (None, 90):
            outcome = simulate(Load(chats, items, args.days, keep), Path(folder))
            print(f"{'retention 90 d' if keep else 'no retention'}: {outcome.seconds:.1f} s "
                  f"(pruning {outcome.prune_seconds:.1f} s)", flush=True)
            outcomes.append(outcome)
    print_table(outcomes, scale)
