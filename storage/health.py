"""The health summary an operator (or a container healthcheck) reads: pure, read-only SQL.

:func:`check_health` looks at an open database and says whether the bot is doing its job:
the schema is current, feeds are being read, and digests go out. It never writes, so it
can run against the live file while the bot works (see ``python -m storage health``).

>>> from datetime import UTC, datetime
>>> from storage import open_database
>>> report = check_health(open_database(":memory:"), datetime(2026, 1, 2, tzinfo=UTC))
>>> report.healthy, report.subscribers
(True, {'active': 0, 'paused': 0, 'gone': 0})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.chats import count_chats
from storage.engine import Database
from storage.migrations import MIGRATIONS
from storage.outbox import DROPPED, FAILED, PENDING, SENT, counts_by_status
from storage.sources import SourceRow, all_sources
from storage.vectors import engine_state, vector_count

OUTBOX_STATUSES = (PENDING, FAILED, SENT, DROPPED)


@dataclass(frozen=True, slots=True)
class HealthPolicy:
    """When the numbers mean trouble.

    ``sources_down_after``: every enabled feed failing, and none read successfully for this
    long, means the bot has no news (a network or DNS problem, usually).
    ``outbox_window``: how far back outbox parts are counted ("today", timezone-free).
    """

    sources_down_after: timedelta = timedelta(hours=1)
    outbox_window: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class SchemaHealth:
    """Applied migrations (their count is the schema version) and those still pending."""

    version: int
    latest: str | None
    pending: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SourcesHealth:
    """Feed sources: ``ok`` have no failure since their last success; disabled ones aside."""

    ok: int
    failing: tuple[str, ...]
    disabled: int
    last_success_at: datetime | None


@dataclass(frozen=True, slots=True)
class HealthReport:
    """Everything :func:`check_health` found; sections are None when the schema is behind."""

    checked_at: datetime
    schema: SchemaHealth
    subscribers: dict[str, int] | None = None
    sources: SourcesHealth | None = None
    outbox: dict[str, int] | None = None
    last_digest_at: datetime | None = None
    embedding: dict[str, Any] | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_dict(self, policy: HealthPolicy = HealthPolicy()) -> dict[str, Any]:
        """A JSON-ready dict; instants become ISO strings plus an age in seconds."""
        return {
            "healthy": self.healthy,
            "problems": list(self.problems),
            "checked_at": self.checked_at.isoformat(timespec="seconds"),
            "schema": {"version": self.schema.version, "latest": self.schema.latest,
                       "pending": list(self.schema.pending)},
            "subscribers": self.subscribers,
            "sources": self._sources_dict(),
            "outbox": None if self.outbox is None else {
                "window_hours": policy.outbox_window / timedelta(hours=1), **self.outbox},
            "last_digest": self._instant(self.last_digest_at),
            "embedding": self.embedding,
        }

    def _sources_dict(self) -> dict[str, Any] | None:
        if self.sources is None:
            return None
        return {"ok": self.sources.ok, "failing": len(self.sources.failing),
                "failing_names": list(self.sources.failing), "disabled": self.sources.disabled,
                "last_success": self._instant(self.sources.last_success_at)}

    def _instant(self, moment: datetime | None) -> dict[str, Any] | None:
        if moment is None:
            return None
        return {"at": moment.isoformat(timespec="seconds"),
                "age_seconds": int((self.checked_at - moment).total_seconds())}


def check_health(db: Database, now: datetime,
                 policy: HealthPolicy = HealthPolicy()) -> HealthReport:
    """Summarise ``db`` at ``now`` (timezone-aware) and list what is wrong.

    Unhealthy means: migrations pending (the rest is then not read, as tables may be
    missing), every enabled feed failing with no success for ``policy.sources_down_after``,
    or outbox parts parked as failed within ``policy.outbox_window``.
    """
    schema = schema_health(db)
    if schema.pending:
        pending = f"pending migrations: {', '.join(schema.pending)}"
        return HealthReport(now, schema, problems=(pending,))
    sources = sources_health(all_sources(db))
    outbox = outbox_counts(db, now - policy.outbox_window)
    return HealthReport(
        checked_at=now, schema=schema, subscribers=count_chats(db), sources=sources,
        outbox=outbox, last_digest_at=last_digest_at(db), embedding=embedding_health(db),
        problems=tuple(_problems(sources, outbox, now, policy)),
    )


def embedding_health(db: Database) -> dict[str, Any]:
    """Which method judges relevance and stories, as the running bot last recorded it.

    Without the embedding engine the bot still works, on the lexical method; that is worth
    saying, but it is not a failure.
    """
    state = engine_state(db)
    if state is None:
        return {"method": "unknown", "state": "not recorded yet", "vectors": vector_count(db)}
    method = "embedding" if state.state == "loaded" else "lexical fallback"
    return {"method": method, "state": state.state, "model": state.model,
            "detail": state.detail, "vectors": vector_count(db),
            "recorded_at": state.updated_at.isoformat(timespec="seconds")}


def schema_health(db: Database) -> SchemaHealth:
    applied = MIGRATIONS.applied(db)
    return SchemaHealth(version=len(applied), latest=applied[-1].name if applied else None,
                        pending=tuple(m.name for m in MIGRATIONS.pending(db)))


def sources_health(sources: list[SourceRow]) -> SourcesHealth:
    """Count enabled sources by state; ``last_success_at`` is the newest success of any.

    A source never polled yet counts as ok: it has not failed.
    """
    enabled = [s for s in sources if not s.disabled]
    successes = [_parse(s.last_success_at) for s in enabled if s.last_success_at]
    return SourcesHealth(
        ok=sum(1 for s in enabled if s.failures == 0),
        failing=tuple(s.name for s in enabled if s.failures > 0),
        disabled=len(sources) - len(enabled),
        last_success_at=max(successes, default=None),
    )


def outbox_counts(db: Database, since: datetime) -> dict[str, int]:
    """Parts of digests queued since ``since``, by status, with zeros filled in."""
    found = counts_by_status(db, since=since)
    return {status: found.get(status, 0) for status in OUTBOX_STATUSES}


def last_digest_at(db: Database) -> datetime | None:
    """When the latest digest (for any chat) was queued."""
    row = db.execute("select max(created_at) from digests").fetchone()
    return _parse(row[0]) if row and row[0] else None


def _problems(sources: SourcesHealth, outbox: dict[str, int], now: datetime,
              policy: HealthPolicy) -> list[str]:
    problems = []
    if sources.failing and sources.ok == 0 and not _recent(sources.last_success_at, now, policy):
        problems.append(f"all {len(sources.failing)} enabled sources failing, "
                        f"none read in the last {policy.sources_down_after}")
    if outbox[FAILED]:
        problems.append(f"{outbox[FAILED]} outbox parts failed to send")
    return problems


def _recent(moment: datetime | None, now: datetime, policy: HealthPolicy) -> bool:
    return moment is not None and now - moment <= policy.sources_down_after


def _parse(stored: str) -> datetime:
    # Stored instants are ISO-8601 with an offset (UTC); see storage.db.now_iso.
    return datetime.fromisoformat(stored)
