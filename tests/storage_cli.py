"""``python -m storage`` run as an operator runs it, and the small databases given to it.

Shared by the command-line tests of health, backup, copy and the PostgreSQL start-up.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from tests.files import ROOT


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "DATABASE_URL")}
    environ["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "storage", *args], cwd=cwd, capture_output=True,
                          text=True, env={**environ, **(env or {})}, timeout=60)


def make_database(path: Path, chats: int = 3) -> Path:
    db = open_database(path)
    for chat_id in range(1, chats + 1):
        ensure_chat(db, chat_id, NewChat(type="private", title=f"chat {chat_id}"), ChatDefaults())
    db.close()
    return path


def chat_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("select count(*) from chats").fetchone()[0])


def health(*args: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    result = run_cli("health", *args, **kwargs)
    return result.returncode, json.loads(result.stdout)
