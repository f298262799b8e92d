"""The page scripts/render_screenshots.py photographs, checked without a browser.

The script wraps the bot's Telegram-HTML messages in a chat-bubble page; these tests pin that
the page shows exactly what Telegram would show: every entity escaped once, line breaks kept,
and only the tags Telegram accepts.
"""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests import files
from tests.fakebot.html_check import parse_telegram_html

SCRIPT = files.ROOT / "scripts" / "render_screenshots.py"


def _load_script() -> ModuleType:
    # scripts/ is not a package; dataclasses need the module registered while it loads.
    spec = importlib.util.spec_from_file_location("render_screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


shots = _load_script()


def visible(page_html: str) -> str:
    """What a browser shows of page HTML: ``<br>`` as a line break, tags gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html.replace("<br>", "\n")))


def test_line_breaks_become_br() -> None:
    assert shots.telegram_to_html("one\n\ntwo") == "one<br><br>two"


def test_entities_are_escaped_once() -> None:
    out = shots.telegram_to_html("Tom &amp; Jerry &lt;3 &quot;hi&quot; &#x27;yo&#x27;")
    assert "&amp;amp;" not in out
    assert visible(out) == "Tom & Jerry <3 \"hi\" 'yo'"


def test_link_keeps_its_href_escaped_once() -> None:
    out = shots.telegram_to_html('<a href="https://x.example/?a=1&amp;b=2">A &amp; B</a>')
    assert out == '<a href="https://x.example/?a=1&amp;b=2">A &amp; B</a>'


def test_unsafe_link_loses_its_href_but_keeps_its_text() -> None:
    out = shots.telegram_to_html('<a href="javascript:alert(1)">click</a>')
    assert out == "<span>click</span>"


@pytest.mark.parametrize("tag", ["script", "img", "div", "iframe", "style"])
def test_tags_telegram_refuses_are_dropped(tag: str) -> None:
    out = shots.telegram_to_html(f'<{tag} onload="x()">text</{tag}>')
    assert f"<{tag}" not in out and "onload" not in out
    assert visible(out) == "text"


@pytest.mark.parametrize("tag", ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre"])
def test_telegram_formatting_tags_are_kept(tag: str) -> None:
    assert shots.telegram_to_html(f"<{tag}>x</{tag}>") == f"<{tag}>x</{tag}>"


def test_spoilers_get_the_spoiler_style() -> None:
    assert shots.telegram_to_html("<tg-spoiler>a</tg-spoiler>") == '<span class="spoiler">a</span>'
    assert shots.telegram_to_html('<span class="tg-spoiler">a</span>') == '<span class="spoiler">a</span>'
    assert shots.telegram_to_html('<span class="x">a</span>') == "<span>a</span>"


def test_expandable_blockquote_is_marked() -> None:
    assert shots.telegram_to_html("<blockquote expandable>q</blockquote>") == (
        '<blockquote class="expandable">q</blockquote>')


def test_dropped_tags_do_not_unbalance_the_kept_ones() -> None:
    assert shots.telegram_to_html("<b><div>x</div><br>y</b>z") == "<b>xy</b>z"


def test_attributes_on_formatting_tags_are_not_copied() -> None:
    out = shots.telegram_to_html('<b onclick="x()" style="color:red">bold</b>')
    assert out == "<b>bold</b>"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n")))
def test_any_escaped_text_reads_back_unchanged(text: str) -> None:
    assert visible(shots.telegram_to_html(html.escape(text))) == text


def test_chat_page_shows_the_users_link_and_the_bots_reply() -> None:
    scene = shots.ChatScene(bot_name="Bot <1>", sent_at="09:12", user_text="https://x.example/?a=1&b=2", width=480)
    page = shots.chat_page("<b>Hello</b>", scene)
    assert page.startswith("<!DOCTYPE html>")
    assert "https://x.example/?a=1&amp;b=2" in page
    assert "Bot &lt;1&gt;" in page
    assert "<b>Hello</b>" in page
    assert "width: 480px" in page
    assert page.index('class="bubble user"') < page.index('class="bubble bot"')


def test_chat_page_without_a_user_message_has_one_bubble() -> None:
    assert shots.chat_page("hi").count('class="bubble ') == 1


def _bot_bubble_text(message: str) -> str:
    return visible(shots.telegram_to_html(message))


@pytest.mark.parametrize("make", ["link_summary_message", "digest_message"])
def test_pictured_messages_are_valid_telegram_html_and_shown_verbatim(make: str) -> None:
    message = getattr(shots, make)()
    parsed = parse_telegram_html(message)  # raises on anything Telegram would refuse
    assert _bot_bubble_text(message) == parsed.text


def test_link_summary_comes_from_the_whole_reader() -> None:
    text = parse_telegram_html(shots.link_summary_message()).text
    assert text.startswith("Kherson restores water supply after week of shelling\nKyiv Ledger · ")
    assert "by Olena Kravets" in text
    assert text.count("• ") >= 3
    assert "💬 Serhiy Bondar: “" in text


def test_digest_shows_three_stories_from_several_outlets() -> None:
    text = parse_telegram_html(shots.digest_message()).text
    assert [line[:2] for line in text.splitlines() if re.match(r"\d\. ", line)] == ["1.", "2.", "3."]
    assert text.count("Reported by ") == 3
    assert "+1" in text  # the Odesa story: three outlets, two named


def test_missing_chromium_is_reported_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no browser to find
    assert shots.main(["--out", str(tmp_path / "img")]) == 2
    assert "Chromium not found" in capsys.readouterr().err
    assert not (tmp_path / "img").exists()
