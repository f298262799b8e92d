"""Settings: read once, validated, and in step with .env.example."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from settings import BOTFATHER_HELP, ConfigError, load_settings, read_environment
from tests.files import ROOT


def test_defaults() -> None:
    s = load_settings({"BOT_TOKEN": "1:x"})
    assert s.database_path == Path("data/bot.db")
    assert s.default_timezone == "Europe/Kyiv"
    assert s.default_digest_time == time(8, 0)
    assert s.telegram_api_base_url is None
    assert s.admin_ids == frozenset()


@pytest.mark.parametrize("token", ["", "   "])
def test_missing_token_explains_botfather(token: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings({"BOT_TOKEN": token})
    assert "@BotFather" in str(err.value)
    assert str(err.value) == BOTFATHER_HELP


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Base"),
        ("DEFAULT_DIGEST_TIME", "25:99"),
        ("ADMIN_IDS", "alice"),
        ("LOG_LEVEL", "LOUD"),
        ("ARTICLE_CACHE_HOURS", "-1"),
        ("LINKS_IN_GROUPS", "sometimes"),
        ("FETCH_ALLOWED_PORTS", "80,http"),
        ("FETCH_ALLOWED_PORTS", "0"),
        ("SEND_RATE_PER_SECOND", "5000"),
        ("WEBHOOK_URL", "ftp://example.org/hook"),
        ("WEBHOOK_SECRET", "has spaces"),
    ],
)
def test_bad_values_name_the_key(key: str, value: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load_settings({"BOT_TOKEN": "1:x", key: value})


def test_file_base_url_derived_from_api_base_url() -> None:
    s = load_settings({"BOT_TOKEN": "1:x", "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot"})
    assert s.telegram_file_base_url == "http://127.0.0.1:9/file/bot"


def test_environment_wins_over_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_TOKEN=from-file\nLOG_LEVEL=DEBUG\n")
    merged = read_environment(env_file, {"BOT_TOKEN": "from-env"})
    assert merged["BOT_TOKEN"] == "from-env"
    assert merged["LOG_LEVEL"] == "DEBUG"


def test_missing_env_file_is_fine(tmp_path: Path) -> None:
    assert read_environment(tmp_path / "absent", {"A": "1"}) == {"A": "1"}


def _keys_read_by_settings() -> set[str]:
    source = (ROOT / "settings.py").read_text()
    return set(re.findall(r'"([A-Z][A-Z0-9_]+)"', source)) - {"INFO", "DEBUG", "WARNING", "ERROR", "CRITICAL"}


def test_env_example_lists_every_key_with_a_comment() -> None:
    lines = (ROOT / ".env.example").read_text().splitlines()
    documented = {}
    for index, line in enumerate(lines):
        match = re.match(r"^([A-Z][A-Z0-9_]+)=", line)
        if match:
            documented[match[1]] = lines[index - 1].startswith("# ")
    assert set(documented) == _keys_read_by_settings()
    assert all(documented.values()), "every key needs a one-line comment above it"


def test_allowed_ports_default_and_override() -> None:
    assert load_settings({"BOT_TOKEN": "1:x"}).fetch_allowed_ports == frozenset({80, 443, 8080, 8443})
    assert load_settings({"BOT_TOKEN": "1:x", "FETCH_ALLOWED_PORTS": "443"}).fetch_allowed_ports == {443}
