"""Storage: SQLite by default (sqlite-utils) or PostgreSQL (psycopg), one set of migrations
run at start and small query modules written once for both (see :mod:`storage.engine`).

Nothing here knows about Telegram; chats are identified by their numeric id and described
with plain strings (``private``, ``group``, ``supergroup``, ``channel``).
"""

from storage.db import Database, open_database

__all__ = ["Database", "open_database"]
