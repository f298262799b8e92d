"""Issue 13, command-line rows 11-17, 19-22: every odd target, file, pipe and value gets a
clear line and a non-zero exit, and the tools honour the bot's settings (``.env`` included).

The commands run as an operator runs them (``python -m digest …`` in a folder of their own,
with a ``.env`` there); pages and feeds come from the local page server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from digest.errors import BlockedPort, InvalidURL
from digest.feeds.sources import Source, SourceKind, dump_opml
from digest.reader.extract import extract_article
from digest.reader.fetch import FetchOptions, HttpClient, fetch
from i18n.replies import failure_reply
from i18n.texts import say
from tests.feedgen import Entry, rss
from tests.files import ROOT
from tests.pageserver import PageServer, Reply

PAGE = ROOT / "tests" / "fixtures" / "pages" / "jsonld_graph.html"
NOW = datetime.now(UTC).replace(microsecond=0)

ARTICLE = """<html><head><meta charset="{charset}"><title>{title}</title></head><body><article>
<h1>{title}</h1>
<p>{first}</p>
<p>The regional administration said repair crews were working through the night to restore
power and water to the affected districts, and that schools would stay closed on Friday.</p>
<p>Officials added that two people were injured and taken to hospital with shrapnel wounds.</p>
</article></body></html>"""


def run(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
        stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if not k.startswith(("FETCH_", "SOURCES_", "BOT_", "DATABASE_"))}
    environ["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "digest", *args], cwd=cwd, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120, check=False,
                          env={**environ, **(env or {})})


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) >= 1
    for text in expected:
        assert text in result.stderr, result.stderr


@pytest.fixture
def server() -> Iterator[PageServer]:
    with PageServer() as pages:
        yield pages


def _english_page() -> bytes:
    return ARTICLE.format(charset="utf-8", title="Drone strike damages power lines in Sumy",
                          first="A Russian drone strike damaged power lines in Sumy overnight, "
                                "leaving several villages without electricity, officials said.").encode()


# -- digest read --------------------------------------------------------------------------

def test_row_11_read_honours_fetch_allow_private_hosts_from_dotenv(server: PageServer, tmp_path: Path) -> None:
    url = server.add("/sumy", _english_page())
    refused = run("read", url, cwd=tmp_path)  # a private host on an odd port: refused
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    (tmp_path / ".env").write_text(f"FETCH_ALLOW_PRIVATE_HOSTS={server.host_port}\n")
    allowed = run("read", url, "--json", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["title"] == "Drone strike damages power lines in Sumy"


def test_row_12_read_with_a_4kb_url_is_a_clean_error(server: PageServer, tmp_path: Path) -> None:
    long_url = server.url("/sumy") + "?q=" + "a" * 4096
    server.add("/sumy", _english_page())
    (tmp_path / ".env").write_text(f"FETCH_ALLOW_PRIVATE_HOSTS={server.host_port}\n")
    fetched = run("read", long_url, cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    # The same length without a scheme is not a file either: one line, the target shortened.
    result = run("read", "a" * 4096, cwd=tmp_path)
    assert_clean_failure(result, "cannot read")
    assert len(result.stderr) < 400


@pytest.mark.parametrize("target", ["", ".", "folder"])
def test_row_13_read_of_nothing_or_a_folder_is_a_clean_error(tmp_path: Path, target: str) -> None:
    (tmp_path / "folder").mkdir()
    result = run("read", target, cwd=tmp_path)
    assert_clean_failure(result, "cannot read")
    assert "folder" in result.stderr or "give a link" in result.stderr


def test_row_13_read_of_a_missing_file_says_so(tmp_path: Path) -> None:
    assert_clean_failure(run("read", "saved.html", cwd=tmp_path), "no such file")


def test_row_14_binary_file_named_html_is_not_a_web_page(tmp_path: Path) -> None:
    random_bytes = bytes((n * 7919 + n // 3) % 256 for n in range(60_000))
    (tmp_path / "page.html").write_bytes(random_bytes)
    result = run("read", "page.html", cwd=tmp_path)
    assert_clean_failure(result, "not a web page")
    assert result.stdout == ""
    (tmp_path / "scan.html").write_bytes(b"%PDF-1.7\n" + random_bytes)
    assert_clean_failure(run("read", "scan.html", cwd=tmp_path), "not a web page", "application/pdf")


async def test_row_14_binary_body_served_as_html_is_refused(server: PageServer) -> None:
    random_bytes = bytes((n * 7919 + n // 3) % 256 for n in range(60_000))
    url = server.add("/blob.html", Reply(random_bytes, content_type="text/html"))
    async with HttpClient(trust_env=False) as client:
        with pytest.raises(Exception) as error:
            await fetch(client, url, FetchOptions(allow_private_hosts=frozenset({server.host_port})),
                        kind="page")
    assert "binary data" in str(error.value)
    assert failure_reply(error.value) == say("link_not_html", "en", kind=say("content_file", "en"))


def test_row_15_saved_windows_1251_page_honours_its_meta_charset(tmp_path: Path) -> None:
    title = "Обстріл Харкова: пошкоджено підстанцію"
    first = ("Російська ракета влучила в енергетичну підстанцію на околиці Харкова вночі, "
             "без світла залишилися тисячі родин, повідомила обласна адміністрація.")
    page = ARTICLE.format(charset="windows-1251", title=title, first=first)
    (tmp_path / "saved.html").write_bytes(page.encode("cp1251"))
    result = run("read", "saved.html", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["title"] == title
    assert "\ufffd" not in result.stdout and "підстанцію" in data["text"]


def test_row_16_read_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "digest", "read", str(PAGE), "--json"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head -c 10` that has already gone
    errors = process.stderr.read().decode()
    process.stderr.close()
    process.wait(timeout=120)
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors
    assert process.returncode == 1


def test_row_17_json_ld_headline_entities_are_unescaped() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@type": "NewsArticle", "headline": "Zelensky: &quot;We will rebuild&quot; &amp; more",
     "author": {"@type": "Person", "name": "O&#39;Brien"}}</script></head><body><article>
    <p>The president spoke in Kyiv on Monday about plans to rebuild damaged cities and towns.</p>
    </article></body></html>"""
    article = extract_article(html, "https://news.example/a")
    assert article.title == 'Zelensky: "We will rebuild" & more'
    assert article.author == "O'Brien"


async def test_row_19_refused_port_gets_the_port_message() -> None:
    async with HttpClient(trust_env=False) as client:
        with pytest.raises(BlockedPort) as error:
            await fetch(client, "http://127.0.0.1:1/x", FetchOptions(), kind="page")
    assert isinstance(error.value, InvalidURL) and error.value.port == 1
    for language in ("en", "uk"):
        reply = failure_reply(error.value, language)
        assert reply == say("link_blocked_port", language) != say("link_invalid", language)
    assert "port" in failure_reply(error.value, "en")
    assert "only http and https" not in failure_reply(error.value, "en")


def test_a_bad_setting_in_dotenv_stops_the_tools_in_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("FETCH_ALLOWED_PORTS=http\n")
    result = run("read", str(PAGE), cwd=tmp_path)
    assert result.returncode == 2 and "FETCH_ALLOWED_PORTS" in result.stderr
    assert "Traceback" not in result.stderr


# -- digest preview -----------------------------------------------------------------------

def _strike_feed(server: PageServer, outlet: str) -> Source:
    article = server.add(f"/{outlet}/strike", _english_page())
    entry = Entry(f"{outlet}-1", "Russian drone strike damages power lines in Sumy region",
                  "A drone strike cut power to villages in Sumy region, officials said.",
                  NOW - timedelta(hours=1), article)
    feed = server.add(f"/{outlet}/rss", Reply(rss(outlet, [entry]), content_type="application/rss+xml"))
    return Source(outlet.title(), feed, "en", SourceKind.INTERNATIONAL, True)


def test_row_20_preview_honours_sources_file_and_mode_from_dotenv(server: PageServer, tmp_path: Path) -> None:
    sources = [_strike_feed(server, "alpha"), _strike_feed(server, "beta")]
    (tmp_path / "mine.opml").write_bytes(dump_opml(sources))
    (tmp_path / ".env").write_text(f"SOURCES_FILE=mine.opml\nSOURCES_MODE=replace\n"
                                   f"FETCH_ALLOW_PRIVATE_HOSTS={server.host_port}\n")
    result = run("preview", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "fetching 2/2 feeds…" in result.stderr, "only the file's feeds, not the built-in list"
    assert "Sumy" in result.stdout
    assert server.hits("/alpha/rss") == 1 and server.hits("/beta/rss") == 1


def test_row_21_preview_reports_failed_feeds_and_fails_when_all_did(server: PageServer, tmp_path: Path) -> None:
    good = _strike_feed(server, "alpha")
    broken = [Source(name, server.url(f"/{name}/missing"), "en", SourceKind.INTERNATIONAL, True)
              for name in ("Gone", "Lost")]
    (tmp_path / "some.opml").write_bytes(dump_opml([good, *broken]))
    (tmp_path / "none.opml").write_bytes(dump_opml(broken))
    (tmp_path / ".env").write_text(f"FETCH_ALLOW_PRIVATE_HOSTS={server.host_port}\n")
    partly = run("preview", "--sources", "some.opml", cwd=tmp_path)
    assert partly.returncode == 0, partly.stderr
    assert "2 of 3 feeds failed: Gone, Lost" in partly.stderr
    failed = run("preview", "--sources", "none.opml", cwd=tmp_path)
    assert_clean_failure(failed, "2 of 2 feeds failed: Gone, Lost")
    assert "A quiet day" not in failed.stdout


@pytest.mark.parametrize("since", ["1000000d", "99999999999999999999d", "366d", "1e400d"])
def test_row_22_preview_checks_the_since_range_before_fetching(tmp_path: Path, since: str) -> None:
    result = run("preview", "--since", since, "--sources", "absent.opml", cwd=tmp_path)
    assert result.returncode == 2 and "--since" in result.stderr and "at most 365d" in result.stderr
    assert "Traceback" not in result.stderr and "fetching" not in result.stderr


def test_row_22_preview_limit_is_checked_too(tmp_path: Path) -> None:
    result = run("preview", "--limit", "9" * 40, cwd=tmp_path)
    assert result.returncode == 2 and "--limit" in result.stderr and "Traceback" not in result.stderr


def test_row_18_an_anonymous_official_is_the_speaker_not_since_nato() -> None:
    from digest.quotes import find_quotes

    text = ("Since the talks stalled, allies have been cautious. A Nato official told the BBC "
            'that "the alliance will not be drawn into a wider war this winter".')
    # Before: "Nato" or "Since Nato", a sentence opener glued to the organisation.
    assert [q.speaker for q in find_quotes(text, language="en")] == ["A Nato official"]
