"""SQLite storage through sqlite-utils: schema migrations at start, small query modules.

Nothing here knows about Telegram; chats are identified by their numeric id and described
with plain strings (``private``, ``group``, ``supergroup``, ``channel``).
"""

from storage.db import open_database

__all__ = ["open_database"]
