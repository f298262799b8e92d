"""The schema, as an ordered list of migrations (sqlite-utils' built-in ``Migrations``).

Never edit a migration that has shipped: add a new one. ``open_database`` applies whatever
is pending, so an old database file upgrades itself at start.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("war-digest")


@MIGRATIONS()
def m001_chats_and_subscriptions(db: Database) -> None:
    """Chats the bot is in, and which of them get the daily digest."""
    db["chats"].create(
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
    db["subscriptions"].create(
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
    db["subscriptions"].create_index(["state", "next_digest_at"])


@MIGRATIONS()
def m002_article_cache(db: Database) -> None:
    """Extracted articles by normalised URL, so a link sent twice is not fetched twice."""
    db["article_cache"].create(
        {"url_key": str, "payload": str, "fetched_at": str},
        pk="url_key",
        not_null={"payload", "fetched_at"},
    )
    db["article_cache"].create_index(["fetched_at"])
