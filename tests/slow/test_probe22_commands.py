"""Issue 22 (the second probe), the rows that run the command-line tools and the bot as an
operator would: on a read-only file system, and with a huge argument. Named
``test_p2_row_NN_…`` after their row, as in ``test_probe22.py``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage import open_database
from storage.chats import ChatDefaults, NewChat, ensure_chat
from tests.botproc import REPO_ROOT


def _in_read_only_mount(folder: Path, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with ``folder`` remounted read-only in a private mount namespace."""
    mount = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && {script}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    return subprocess.run(["unshare", "-m", "sh", "-c", mount], cwd=REPO_ROOT, env=environ,
                          capture_output=True, text=True, timeout=120)


def test_p2_row_12_health_backup_and_start_on_a_read_only_file_system(tmp_path: Path) -> None:
    volume, copies = tmp_path / "volume", tmp_path / "copies"
    volume.mkdir(), copies.mkdir()
    db = open_database(volume / "bot.db")
    ensure_chat(db, 7, NewChat(type="private"), ChatDefaults())
    db.close()
    probe = _in_read_only_mount(volume, "true")
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.strip()}")
    python = f"{sys.executable}"
    health = _in_read_only_mount(volume, f"{python} -m storage health --db {volume / 'bot.db'}")
    assert health.returncode == 0 and '"healthy": true' in health.stdout, health.stdout + health.stderr
    backup = _in_read_only_mount(volume, f"{python} -m storage backup {copies}/ --db {volume / 'bot.db'}")
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert len(list(copies.glob("bot-*.db"))) == 1
    start = _in_read_only_mount(
        volume, f"BOT_TOKEN=1:x DATABASE_PATH={volume / 'bot.db'} {python} bot.py")
    assert start.returncode == 2 and "read-only file system" in start.stderr, start.stderr
    assert "not readable and writable" not in start.stderr


def test_p2_row_16_a_huge_read_target_gets_a_clean_one_line_message(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "SOURCES_"))}
    result = subprocess.run([sys.executable, "-m", "digest", "read", "a" * 4000], cwd=tmp_path,
                            env={**environ, "PYTHONPATH": str(REPO_ROOT)},
                            capture_output=True, text=True, timeout=120)
    [line] = result.stderr.splitlines()
    assert result.returncode != 0 and line == f"cannot read: {'a' * 99}…: File name too long"
