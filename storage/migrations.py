"""The schema, as an ordered list of migrations, applied the same way on both engines.

Never edit a migration that has shipped: add a new one. ``open_database`` applies whatever
is pending, so an old database file upgrades itself at start. Migrations create tables
through the engine (:class:`storage.engine.Database`), which writes each engine's DDL; the
record of what was applied is the table sqlite-utils' ``Migrations`` always kept
(``_sqlite_migrations``), so a SQLite file from before PostgreSQL came upgrades as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils.migrations import Migrations as SqliteMigrations

from storage.engine import Database, SqliteDatabase

Migration = Callable[[Database], None]
RECORD = SqliteMigrations.migrations_table


@dataclass(frozen=True, slots=True)
class Applied:
    name: str
    applied_at: str


class Migrations:
    """A named, ordered set of migrations; ``@MIGRATIONS()`` registers the next one."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[tuple[str, Migration]] = []

    def __call__(self) -> Callable[[Migration], Migration]:
        def register(fn: Migration) -> Migration:
            self._migrations.append((fn.__name__, fn))
            return fn
        return register

    def applied(self, db: Database) -> list[Applied]:
        """What was applied, in order (read-only: nothing is created)."""
        if RECORD not in db.table_names():
            return []
        rows = db.execute("select name, applied_at from _sqlite_migrations "
                          "where migration_set = ? order by id", [self.name])
        return [Applied(name, at) for name, at in rows]

    def pending(self, db: Database) -> list[Applied]:
        """Migrations not applied yet (``applied_at`` empty), in order."""
        done = {m.name for m in self.applied(db)}
        return [Applied(name, "") for name, _ in self._migrations if name not in done]

    def apply(self, db: Database, *, stop_before: str | Iterable[str] = ()) -> None:
        """Each pending migration and its record, one transaction each; ``stop_before``
        leaves that migration and the ones after it pending (tests of upgrades use it)."""
        stops = {stop_before} if isinstance(stop_before, str) else set(stop_before)
        self._ensure_record(db)
        functions = dict(self._migrations)
        for migration in self.pending(db):
            if migration.name in stops:
                return
            with db.atomic():
                functions[migration.name](db)
                db.insert(RECORD, {"migration_set": self.name, "name": migration.name,
                                   "applied_at": str(datetime.now(UTC))})

    def _ensure_record(self, db: Database) -> None:
        if isinstance(db, SqliteDatabase):  # the library's own table, upgraded as it does
            SqliteMigrations(self.name).ensure_migrations_table(db.sqlite)
        elif RECORD not in db.table_names():
            db.create_table(RECORD, {"id": int, "migration_set": str, "name": str,
                                     "applied_at": str}, pk="id")
            db.create_index(RECORD, ["migration_set", "name"], unique=True)


MIGRATIONS = Migrations("war-digest")


@MIGRATIONS()
def m001_chats_and_subscriptions(db: Database) -> None:
    """Chats the bot is in, and which of them get the daily digest."""
    db.create_table(
        "chats",
        {
            "id": int,
            "type": str,  # private, group, supergroup, channel
            "title": str,
            "status": str,  # active, left, kicked, blocked
            "timezone": str,
            "delivery_time": str,  # local wall-clock HH:MM
            "topic_id": int,  # forum topic the subscription came from, or NULL
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"type", "status", "timezone", "delivery_time", "created_at", "updated_at"},
    )
    db.create_table(
        "subscriptions",
        {
            "chat_id": int,
            "state": str,  # active, paused
            "next_digest_at": str,  # UTC ISO instant of the next delivery
            "created_at": str,
            "updated_at": str,
        },
        pk="chat_id",
        foreign_keys=[("chat_id", "chats", "id")],
        not_null={"state", "next_digest_at", "created_at", "updated_at"},
    )
    db.create_index("subscriptions", ["state", "next_digest_at"])


@MIGRATIONS()
def m002_article_cache(db: Database) -> None:
    """Extracted articles by normalised URL, so a link sent twice is not fetched twice."""
    db.create_table(
        "article_cache",
        {"url_key": str, "payload": str, "fetched_at": str},
        pk="url_key",
        not_null={"payload", "fetched_at"},
    )
    db.create_index("article_cache", ["fetched_at"])


@MIGRATIONS()
def m003_sources_and_items(db: Database) -> None:
    """Feed sources with their polling state, and the items read from them."""
    db.create_table(
        "sources",
        {
            "id": int, "name": str, "feed_url": str, "language": str, "kind": str,
            "enabled_by_default": int, "origin": str,  # builtin, file, admin
            "disabled": int,  # switched off for everyone by an admin
            "etag": str, "last_modified": str, "next_poll_at": str, "failures": int,
            "last_success_at": str, "last_error": str, "last_error_at": str, "created_at": str,
        },
        pk="id",
        not_null={"name", "feed_url", "kind", "origin", "created_at"},
        defaults={"enabled_by_default": 0, "disabled": 0, "failures": 0},
    )
    db.create_index("sources", ["feed_url"], unique=True)
    db.create_table(
        "items",
        {
            "id": int, "source_id": int, "guid": str, "url": str, "url_key": str, "title": str,
            "summary": str, "author": str, "language": str, "published_at": str,
            "seen_at": str, "offered": int,  # 0: backlog from a source's first poll
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
        not_null={"source_id", "guid", "url", "url_key", "title", "seen_at", "offered"},
    )
    db.create_index("items", ["source_id", "guid"], unique=True)
    db.create_index("items", ["url_key"])
    db.create_index("items", ["seen_at"])
    db.create_table(
        "chat_sources",
        {"chat_id": int, "source_id": int, "enabled": int},
        pk=("chat_id", "source_id"),
        foreign_keys=[("chat_id", "chats", "id"), ("source_id", "sources", "id")],
    )


@MIGRATIONS()
def m004_digests_outbox_deliveries(db: Database) -> None:
    """A digest per chat and local day, its message parts to send, and what was delivered."""
    db.create_table(
        "digests",
        {"id": int, "chat_id": int, "local_date": str, "created_at": str, "item_ids": str},
        pk="id",
        foreign_keys=[("chat_id", "chats", "id")],
        not_null={"chat_id", "local_date", "created_at"},
    )
    db.create_index("digests", ["chat_id", "local_date"], unique=True)
    db.create_table(
        "outbox",
        {
            "id": int, "digest_id": int, "chat_id": int, "part": int, "text": str,
            "thread_id": int, "item_ids": str,  # JSON list: recorded as delivered on success
            "status": str,  # pending, sent, failed, dropped
            "attempts": int, "next_attempt_at": str, "last_error": str,
            "message_id": int, "sent_at": str, "plain_text": int,
        },
        pk="id",
        foreign_keys=[("digest_id", "digests", "id")],
        not_null={"digest_id", "chat_id", "part", "text", "status", "attempts", "next_attempt_at"},
        defaults={"attempts": 0, "plain_text": 0},
    )
    db.create_index("outbox", ["digest_id", "part"], unique=True)
    db.create_index("outbox", ["status", "next_attempt_at"])
    db.create_table(
        "deliveries",
        {"chat_id": int, "item_id": int, "digest_id": int, "delivered_at": str},
        pk=("chat_id", "item_id"),
        foreign_keys=[("item_id", "items", "id")],
    )


@MIGRATIONS()
def m005_chat_language(db: Database) -> None:
    """The interface language of a chat (``en``, ``uk``); NULL until known or chosen."""
    db.add_column("chats", "language", str)


@MIGRATIONS()
def m006_items_by_source_and_time(db: Database) -> None:
    """The digest reads a chat's recent items per source: index exactly that."""
    db.create_index("items", ["source_id", "seen_at"], if_not_exists=True)


@MIGRATIONS()
def m007_on_demand_digests(db: Database) -> None:
    """``/digest`` goes through the outbox too: a digest has a kind, and only the daily one
    is unique per chat and local day (a chat may ask for news now as often as it likes)."""
    db.add_column("digests", "kind", str, not_null_default="daily")
    db.execute("drop index if exists idx_digests_chat_id_local_date")
    db.execute("create unique index if not exists idx_digests_daily_per_day "
               "on digests(chat_id, local_date) where kind = 'daily'")


@MIGRATIONS()
def m008_retention_indexes(db: Database) -> None:
    """Pruning old rows (storage.retention) finds digests by age and deliveries by item."""
    db.create_index("digests", ["created_at"], if_not_exists=True)
    db.create_index("deliveries", ["item_id"], if_not_exists=True)


@MIGRATIONS()
def m009_operator_alerts(db: Database) -> None:
    """Trouble operators were told about (a feed down for a day, parked digests, a full
    disk), so each reaches them once and again only after it cleared."""
    db.create_table(
        "alerts",
        {"key": str, "raised_at": str, "notified_at": str, "detail": str},
        pk="key",
        not_null={"raised_at", "notified_at"},
    )


@MIGRATIONS()
def m010_item_vectors(db: Database) -> None:
    """A sentence embedding per item (computed once, reused by every digest), and what the
    running bot says about its embedding engine (for the health report). A vector goes with
    its item (``on delete cascade``), so pruning items needs no extra step."""
    db.execute(
        f"""create table item_vectors (
               item_id {db.dialect.integer} primary key references items(id) on delete cascade,
               model {db.dialect.text} not null,
               vector {db.dialect.blob} not null)"""
    )
    db.create_table(
        "engine_status",
        {"name": str, "model": str, "state": str, "detail": str, "updated_at": str},
        pk="name",
        not_null={"state", "updated_at"},
    )


@MIGRATIONS()
def m011_follows_and_breaking_alerts(db: Database) -> None:
    """What a chat follows or mutes, its breaking-alert settings, and the stories alerted.

    ``follows``: one row per chat and topic key (a lexicon id such as ``kharkiv``, or
    ``text:…`` for free text); ``mode`` is ``follow`` or ``mute``; ``vector`` is the encoded
    topic query (NULL without the embedding engine).
    ``breaking_stories``: every story that reached an alert threshold, with the items it
    has gathered, so a growing story is recognised after a restart and never alerted twice.
    ``breaking_sent``: which chat got which story, and when (the daily cap, the digest's
    "alerted at" line, and the primary key that makes a second alert impossible).
    """
    db.create_table(
        "follows",
        {"chat_id": int, "key": str, "mode": str, "label": str, "query": str, "ids": str,
         "vector": bytes, "created_at": str},
        pk=("chat_id", "key"),
        foreign_keys=[("chat_id", "chats", "id")],
        not_null={"mode", "label", "query", "ids", "created_at"},
    )
    db.create_index("follows", ["key", "mode"])
    db.add_column("chats", "alerts", int, not_null_default=0)
    db.add_column("chats", "alert_outlets", int, not_null_default=4)
    db.add_column("chats", "alert_cap", int, not_null_default=3)
    db.add_column("chats", "quiet_hours", str, not_null_default="23:00-07:00")
    # Covers "which thresholds do chats with alerts on use" without reading the rows.
    db.create_index("chats", ["alerts", "status", "alert_outlets"])
    db.create_table(
        "breaking_stories",
        {"key": str, "item_ids": str, "first_seen_at": str, "updated_at": str,
         "outlets_done": int, "followed_done": int},
        pk="key",
        not_null={"item_ids", "first_seen_at", "updated_at"},
        defaults={"outlets_done": 0, "followed_done": 0},
    )
    db.create_index("breaking_stories", ["updated_at"])
    db.create_table(
        "breaking_sent",
        {"chat_id": int, "story_key": str, "digest_id": int, "queued_at": str},
        pk=("chat_id", "story_key"),
        foreign_keys=[("chat_id", "chats", "id")],
        not_null={"queued_at"},
    )
    db.create_index("breaking_sent", ["chat_id", "queued_at"])


@MIGRATIONS()
def m012_channel_cursor(db: Database) -> None:
    """The newest post id read from a Telegram channel source (NULL for feeds), so a poll
    stores only newer posts and knows when a gap needs the older page."""
    db.add_column("sources", "channel_last_post_id", int)


@MIGRATIONS()
def m013_chat_sources_language(db: Database) -> None:
    """The language whose sources a chat reads by default, once it differs from the
    interface language (NULL: the chat's language decides)."""
    db.add_column("chats", "sources_language", str)


@MIGRATIONS()
def m014_outbox_claims(db: Database) -> None:
    """An outbox part is claimed (``status = 'sending'``, ``claimed_by`` the sender's pid)
    before it is sent, so two senders on one database never send the same part."""
    db.add_column("outbox", "claimed_by", int)


@MIGRATIONS()
def m015_seen_item_keys(db: Database) -> None:
    """The identity keys of every item ever stored (``storage.items.identity_keys``: its
    GUID in its source, its normalised URL, its text), kept after retention prunes the item,
    so an item a feed still lists is never stored as new again. A key is 16 bytes of its
    hash; ``listed_day`` (days since 1970) is the last poll that listed the item: keys go
    only when no feed has listed them for a long time (``storage.retention.key_cutoff``)."""
    from storage.items import key_digest, listed_day  # the one definition of a key

    db.execute(f"create table seen_keys (key {db.dialect.blob} primary key, "
               f"listed_day integer not null){db.dialect.without_rowid}")
    db.execute("create index idx_seen_keys_listed_day on seen_keys(listed_day)")
    rows = db.execute("select source_id, guid, url_key, seen_at from items")
    while batch := rows.fetchmany(2000):
        db.executemany(
            "insert into seen_keys (key, listed_day) values (?, ?) on conflict do nothing",
            [(key_digest(key), listed_day(datetime.fromisoformat(seen)))
             for source_id, guid, url_key, seen in batch
             for key in (f"guid:{source_id}:{guid}", f"url:{url_key}")])


@MIGRATIONS()
def m016_outbox_claim_time(db: Database) -> None:
    """When a part was claimed, so that a claim left by a worker that died (on another
    machine, where its pid means nothing) expires and another worker takes the part over
    (``storage.outbox.claim_due``)."""
    db.add_column("outbox", "claimed_at", str)


@MIGRATIONS()
def m017_outbox_by_chat(db: Database) -> None:
    """The outbox by chat: a claim looks at the chat's other parts (one worker per chat at
    a time, ``storage.outbox.claim_due``) for every part it takes."""
    db.create_index("outbox", ["chat_id", "status"])


@MIGRATIONS()
def m018_workers(db: Database) -> None:
    """The workers sending from this database and when each was last seen up
    (``storage.workers``): they share Telegram's overall limit among the live ones."""
    db.create_table("workers", {"id": int, "seen_at": str}, pk="id", not_null={"seen_at"})
