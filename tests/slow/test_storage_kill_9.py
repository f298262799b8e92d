"""Storage under attack: a writer process killed with kill -9 mid-transaction, twice, leaves
a database that opens, passes its integrity check and keeps what was committed."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage import open_database
from tests.files import ROOT

WRITER = """
import sys, itertools
from datetime import UTC, datetime
from storage import open_database
from storage import article_cache
db = open_database(sys.argv[1])
for n in itertools.count():
    with db.atomic():  # a multi-row transaction, so kills land inside transactions too
        for k in range(20):
            db.execute("insert or replace into article_cache values (?, ?, ?)",
                            (f"k{n % 500}-{k}", "x" * (n % 4000), datetime.now(UTC).isoformat()))
    article_cache.put(db, f"p{n}", {"n": n, "body": "y" * 1000}, now=datetime.now(UTC))
    if n == 50:
        print("writing", flush=True)
"""


def _kill_writer_mid_flight(path: Path, after_seconds: float) -> None:
    with subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        try:
            assert process.stdout is not None and process.stdout.readline() == b"writing\n"
            time.sleep(after_seconds)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("after_seconds", [0.0, 0.05, 0.2, 0.5])
def test_database_survives_kill_9_during_writes(tmp_path: Path, after_seconds: float) -> None:
    path = tmp_path / "bot.db"
    for _ in range(2):  # killed twice: the second run starts from a crashed database
        _kill_writer_mid_flight(path, after_seconds)
        db = open_database(path)
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
        assert db.execute("pragma journal_mode").fetchone() == ("wal",)
        assert db.execute("select count(*) from article_cache").fetchone()[0] > 0
        db.close()
