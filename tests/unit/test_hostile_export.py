"""/mydata with a hostile chat title: every part is a valid message and nothing is lost."""

from __future__ import annotations

import html
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.privacy import PART_CHARS, export_parts
from tests.fakebot import MAX_MESSAGE_UTF16, parse_telegram_html, utf16_len

TITLES = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.sampled_from(["</code></pre><b>x", "&amp;", "😀" * 10_000, "\u202eevil", "x" * 20_000]),
)


@settings(max_examples=40, deadline=None)
@given(TITLES)
def test_any_title_exports_as_valid_pre_blocks_that_join_back(title: str) -> None:
    data = {"chat": {"id": 7, "title": title}, "sources": [{"name": title}] * 3}
    parts = export_parts(data)
    for part in parts:
        markup = f'<pre><code class="language-json">{html.escape(part)}</code></pre>'
        assert utf16_len(parse_telegram_html(markup).text) <= min(PART_CHARS, MAX_MESSAGE_UTF16)
    # Cuts fall between lines or inside an overlong one: gluing the parts back loses nothing.
    assert json.loads("".join(parts).replace("\n", "")) == data
