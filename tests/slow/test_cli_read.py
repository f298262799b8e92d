"""``python -m digest read``: the link reply in the terminal, as text or documented JSON."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.files import ROOT

PAGE = ROOT / "tests" / "fixtures" / "pages" / "jsonld_graph.html"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_read_json_has_the_documented_fields() -> None:
    result = run("read", str(PAGE), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"url", "title", "author", "published", "site_name", "language",
                         "key_points", "quotes", "text"}
    assert data["title"] == "Repair crews restore power in Kharkiv district"
    assert 3 <= len(data["key_points"]) <= 5
    assert all(set(q) == {"text", "speaker"} for q in data["quotes"])


def test_read_text_lists_points() -> None:
    result = run("read", str(PAGE))
    assert result.returncode == 0 and "• " in result.stdout


def test_unreadable_target_is_a_clean_error() -> None:
    result = run("read", "ftp://example.invalid/x")
    assert result.returncode == 1
    assert "InvalidURL" in result.stderr and "Traceback" not in result.stderr
