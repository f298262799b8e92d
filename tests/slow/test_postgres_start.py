"""DATABASE_URL selects PostgreSQL: the setting, several workers and one leader, and
one-line refusals.

The SQLite file stays the default; these tests run against the session's throwaway server
(skipped in one line where no server binaries are installed).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

import bot
from services.leadership import Leadership
from settings import ConfigError, Settings, load_settings
from storage.engine import PostgresDatabase, SqliteDatabase
from storage.instance import hold_server_database
from tests.botproc import REPO_ROOT
from tests.postgres import PostgresServer
from tests.storage_cli import run_cli

SECRET = "s3cret-pw"


def _settings(**values: str) -> Settings:
    return load_settings({"BOT_TOKEN": "1:" + "a" * 35, **values})


def _leads_soon(lock: Leadership, seconds: float = 10) -> bool:
    """Whether ``lock`` leads at one of its looks within ``seconds``, as a worker's tick
    looks again. A lock another session held is free only once the server has processed
    that session's end, a moment after the holder closed it or died: not at once."""
    deadline = time.monotonic() + seconds
    while not lock.held():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def test_without_database_url_the_sqlite_file_is_used(tmp_path: Path) -> None:
    settings = _settings(DATABASE_PATH=str(tmp_path / "bot.db"))
    assert settings.database_url is None
    db = bot.open_or_explain(settings)
    assert isinstance(db, SqliteDatabase)
    db.close()


@pytest.mark.parametrize("url", ["mysql://bot@db/bot", f"postgresql://bot:{SECRET}@db:x:y/bot?%zz"])
def test_a_malformed_url_is_refused_without_echoing_it(url: str) -> None:
    with pytest.raises(ConfigError) as refused:
        _settings(DATABASE_URL=url)
    assert "DATABASE_URL" in str(refused.value) and SECRET not in str(refused.value)


def test_the_url_never_shows_in_the_settings_repr() -> None:
    settings = _settings(DATABASE_URL=f"postgresql://bot:{SECRET}@db/bot")
    assert SECRET not in repr(settings)


def test_an_unreachable_server_is_one_line_without_the_password(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"postgresql://bot:{SECRET}@/bot?host={tmp_path}"  # no server on that socket
    settings = _settings(DATABASE_URL=url)
    assert bot.lock_or_explain(settings) is None
    assert bot.open_or_explain(settings) is None
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("Cannot start: DATABASE_URL=") for line in lines)
    assert SECRET not in "".join(lines)


def test_database_url_opens_postgresql_with_the_sources(postgres_server: PostgresServer) -> None:
    url = postgres_server.empty_database()
    db = bot.open_or_explain(_settings(DATABASE_URL=url))
    assert isinstance(db, PostgresDatabase)
    try:
        assert db.execute("select count(*) from sources").fetchone()[0] > 0
    finally:
        db.close()


def test_several_workers_share_a_database_and_a_dead_leaders_lock_is_taken_over(
        postgres_server: PostgresServer) -> None:
    """Another worker starts beside a leader (no refusal), does not lead while the leader
    lives, and leads at its next look once the leader is killed with kill -9."""
    url = postgres_server.empty_database()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from storage.instance import hold_server_database; "
         "lock = hold_server_database(sys.argv[1]); print(lock.held(), flush=True); time.sleep(60)",
         url], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True)
    worker = bot.lock_or_explain(_settings(DATABASE_URL=url))
    assert worker is not None and worker.shared
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        assert not worker.held() and not worker.held()
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=10)
        assert _leads_soon(worker), "the dead leader's lock was not taken over"
    finally:
        holder.kill()
        worker.release()


def test_the_lead_passes_on_release_and_a_leader_that_lost_its_session_stops_leading(
        postgres_server: PostgresServer) -> None:
    url = postgres_server.empty_database()
    first, second = hold_server_database(url), hold_server_database(url)
    try:
        assert first.held() and not second.held()
        first.release()
        assert _leads_soon(second) and not first.held()
        with psycopg.connect(url, autocommit=True) as admin:  # the server cuts its session
            # ... and, given a timeout (PostgreSQL 14+), waits until that backend has ended,
            # so its lock is gone before the next look (without, the look could come first).
            admin.execute("select pg_terminate_backend(pid, 10000) from pg_locks where granted "
                          "and locktype = 'advisory' and objsubid = 2 and database = "
                          "(select oid from pg_database where datname = current_database())")
        assert not second.held()  # noticed at the next look, and let go
        assert first.held() and not second.held()
    finally:
        first.release()
        second.release()


def test_a_bot_alone_on_its_sqlite_file_leads(tmp_path: Path) -> None:
    lock = bot.lock_or_explain(_settings(DATABASE_PATH=str(tmp_path / "bot.db")))
    assert lock is not None and lock.held() and not lock.shared
    lock.release()


def test_the_health_command_reads_the_server_named_by_database_url(
        postgres_server: PostgresServer, tmp_path: Path) -> None:
    url = postgres_server.empty_database()
    assert bot.open_or_explain(_settings(DATABASE_URL=url)) is not None  # migrated, sources in
    result = run_cli("health", cwd=tmp_path, env={"DATABASE_URL": url})
    summary = json.loads(result.stdout)
    assert result.returncode == 0 and summary["healthy"] is True
    assert summary["database"].startswith("postgresql:///") and "postgres@" not in result.stdout


def test_the_health_command_on_an_unreachable_server_is_one_problem(tmp_path: Path) -> None:
    url = f"postgresql://bot:{SECRET}@/bot?host={tmp_path}"
    result = run_cli("health", cwd=tmp_path, env={"DATABASE_URL": url})
    summary = json.loads(result.stdout)
    assert result.returncode == 1 and len(summary["problems"]) == 1
    assert summary["problems"][0].startswith("database unreadable")
    assert SECRET not in result.stdout + result.stderr


def test_backup_of_a_server_database_points_to_pg_dump(tmp_path: Path) -> None:
    url = f"postgresql://bot:{SECRET}@/bot?host={tmp_path}"
    result = run_cli("backup", str(tmp_path / "copy.db"), cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 2 and "pg_dump" in result.stderr
    assert result.stderr.count("\n") == 1 and SECRET not in result.stderr


def test_workers_started_together_on_an_empty_database_both_start(
        postgres_server: PostgresServer) -> None:
    """compose starts its replicas at once: they take turns at migrating the database and
    syncing the sources, instead of one failing on the other's rows."""
    url = postgres_server.empty_database()
    settings = _settings(DATABASE_URL=url)
    with ThreadPoolExecutor(3) as pool:
        opened = list(pool.map(lambda _: bot.open_or_explain(settings), range(3)))
    try:
        assert all(db is not None for db in opened)
    finally:
        for db in opened:
            if db is not None:
                db.close()
