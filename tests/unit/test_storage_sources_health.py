"""items_seen_since: per-source counts of items that arrived after a moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from storage import Database
from storage.items import NewItem, add_items
from storage.sources import SourceSpec, items_seen_since, sync_sources

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _item(n: int) -> NewItem:
    url = f"https://outlet.example/story-{n}"
    return NewItem(f"g{n}", url, url, f"Story {n}", "", None, "en", None)


def test_counts_only_items_seen_after_the_moment_per_source(db: Database) -> None:
    first, second, quiet = sync_sources(db, [
        SourceSpec("A", "https://a.example/rss", "en", "international", True),
        SourceSpec("B", "https://b.example/rss", "en", "international", True),
        SourceSpec("C", "https://c.example/rss", "en", "international", True),
    ], origin="builtin")
    add_items(db, first.id, [_item(1)], offered=True, now=NOW - timedelta(days=2))
    add_items(db, first.id, [_item(2), _item(3)], offered=True, now=NOW - timedelta(hours=1))
    add_items(db, second.id, [_item(4)], offered=False, now=NOW)
    counts = items_seen_since(db, NOW - timedelta(hours=24))
    assert counts == {first.id: 2, second.id: 1}
    assert quiet.id not in counts


def test_a_moment_in_another_timezone_is_compared_in_utc(db: Database) -> None:
    spec = SourceSpec("A", "https://a.example/rss", "en", "international", True)
    [source] = sync_sources(db, [spec], origin="builtin")
    add_items(db, source.id, [_item(1)], offered=True, now=NOW)
    # 14:00 in Kyiv is 12:00 UTC: a local-time string comparison would get this wrong.
    kyiv = NOW.astimezone(ZoneInfo("Europe/Kyiv"))
    assert items_seen_since(db, kyiv) == {source.id: 1}
    assert items_seen_since(db, kyiv + timedelta(seconds=1)) == {}
