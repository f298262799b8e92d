"""Feed sources: the list, each one's polling state and health, and per-chat choices.

A source is identified by its feed URL. Built-in sources (and those from an OPML file) are
synced at start; admins can add or disable one from the chat. A chat gets the sources that
are on by default unless it switched them off, plus any it switched on.

>>> from storage import open_database
>>> db = open_database(":memory:")
>>> spec = SourceSpec("Kyiv Independent", "https://kyivindependent.com/feed/", "en",
...                   "ukrainian_media", True)
>>> [s.name for s in sync_sources(db, [spec], origin="builtin")]
['Kyiv Independent']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import now_iso, utc_iso
from storage.engine import Database


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source as configured (built-in list, OPML file, or an admin's command)."""

    name: str
    feed_url: str
    language: str | None
    kind: str
    enabled_by_default: bool


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: int
    name: str
    feed_url: str
    language: str | None
    kind: str
    enabled_by_default: bool
    disabled: bool
    etag: str | None
    last_modified: str | None
    next_poll_at: str | None
    failures: int
    last_success_at: str | None
    last_error: str | None
    last_error_at: str | None


def _row(row: dict[str, Any]) -> SourceRow:
    return SourceRow(
        id=row["id"], name=row["name"], feed_url=row["feed_url"], language=row["language"],
        kind=row["kind"], enabled_by_default=bool(row["enabled_by_default"]),
        disabled=bool(row["disabled"]), etag=row["etag"], last_modified=row["last_modified"],
        next_poll_at=row["next_poll_at"], failures=row["failures"] or 0,
        last_success_at=row["last_success_at"], last_error=row["last_error"],
        last_error_at=row["last_error_at"],
    )


def sync_sources(db: Database, specs: Iterable[SourceSpec], *, origin: str) -> list[SourceRow]:
    """Insert new sources and refresh the descriptions of known ones; polling state stays."""
    with db.atomic():
        for spec in specs:
            values = {"name": spec.name, "language": spec.language, "kind": spec.kind,
                      "enabled_by_default": int(spec.enabled_by_default)}
            existing = db.first("select id from sources where feed_url = ?", [spec.feed_url])
            if existing:
                db.update("sources", {"id": existing["id"]}, values)
            else:
                db.insert("sources", {**values, "feed_url": spec.feed_url, "origin": origin,
                                      "created_at": now_iso(db)})
    return all_sources(db)


def all_sources(db: Database) -> list[SourceRow]:
    return [_row(r) for r in db.query("select * from sources order by kind, name")]


def get_source(db: Database, source_id: int) -> SourceRow | None:
    row = db.first("select * from sources where id = ?", [source_id])
    return _row(row) if row else None


def set_disabled(db: Database, source_id: int, disabled: bool) -> None:
    """Switch a source off (or back on) for every chat."""
    db.update("sources", {"id": source_id}, {"disabled": int(disabled)})


def due_sources(db: Database, now: datetime) -> list[SourceRow]:
    """Sources that are not disabled and whose next poll time has come."""
    rows = db.query("select * from sources where disabled = 0 "
                    "and (next_poll_at is null or next_poll_at <= ?) order by next_poll_at",
                    [utc_iso(now)])
    return [_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What one poll learned; ``error`` None means success (304 included)."""

    next_poll_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


def record_poll(db: Database, source_id: int, outcome: PollOutcome, *, now: datetime) -> None:
    """Store a poll's result: validators and health on success, error and backoff on failure."""
    if outcome.error is None:
        changes: dict[str, Any] = {"etag": outcome.etag, "last_modified": outcome.last_modified,
                                   "failures": 0, "last_success_at": utc_iso(now)}
    else:
        current = get_source(db, source_id)
        changes = {"failures": (current.failures if current else 0) + 1,
                   "last_error": outcome.error[:500], "last_error_at": utc_iso(now)}
    db.update("sources", {"id": source_id},
              {**changes, "next_poll_at": utc_iso(outcome.next_poll_at)})


def chat_source_ids(db: Database, chat_id: int) -> set[int]:
    """The sources this chat reads: defaults it kept on, plus the ones it switched on.

    The defaults follow the chat's sources language (else its interface language): a
    Ukrainian chat starts with the Ukrainian-language outlets and channels on (state media
    stay off); an English chat, or one in a language no source is in, gets the sources that
    are on by default.
    """
    rows = db.query(
        """select s.id from sources s
           left join chat_sources c on c.source_id = s.id and c.chat_id = ?
           left join chats ch on ch.id = ?
           where s.disabled = 0 and coalesce(c.enabled, case
               when coalesce(ch.sources_language, ch.language, 'en') != 'en'
                    and coalesce(ch.sources_language, ch.language) in (
                        select language from sources where disabled = 0 and language is not null)
               then case when s.language = coalesce(ch.sources_language, ch.language)
                              and s.kind != 'russian_state' then 1 else 0 end
               else s.enabled_by_default end) = 1""",
        [chat_id, chat_id],
    )
    return {r["id"] for r in rows}


def sources_language(db: Database, chat_id: int) -> str:
    """The language whose sources the chat reads by default (``en`` when unknown)."""
    rows = db.query("select coalesce(sources_language, language, 'en') as lang from chats "
                    "where id = ?", [chat_id])
    found = next(iter(rows), None)
    return str(found["lang"]) if found else "en"


def keep_sources_language(db: Database, chat_id: int) -> None:
    """Pin the chat's sources to their current language, before its interface changes."""
    db.execute("update chats set sources_language = coalesce(sources_language, language, 'en') "
               "where id = ?", [chat_id])


def switch_sources_language(db: Database, chat_id: int, language: str) -> None:
    """Read the sources of ``language`` by default, starting afresh: the chat's own
    switches are dropped, so the new language's set is what it reads."""
    with db.atomic():
        db.execute("update chats set sources_language = ? where id = ?", [language, chat_id])
        db.execute("delete from chat_sources where chat_id = ?", [chat_id])


def set_chat_source(db: Database, chat_id: int, source_id: int, enabled: bool) -> None:
    """A chat's own choice for one source, overriding the default."""
    db.upsert("chat_sources", {"chat_id": chat_id, "source_id": source_id,
                               "enabled": int(enabled)}, pk=("chat_id", "source_id"))


def items_seen_since(db: Database, since: datetime) -> dict[int, int]:
    """How many items each source brought in since ``since``: a sign its feed is alive.

    Sources with no new item are absent (read a missing key as 0).
    """
    rows = db.query(
        "select source_id, count(*) as n from items where seen_at >= ? group by source_id",
        [utc_iso(since)],
    )
    return {r["source_id"]: r["n"] for r in rows}
