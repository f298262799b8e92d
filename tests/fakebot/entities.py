"""Entities Telegram's clients attach to what a *user* types (commands, URLs, text links).

>>> [(e["type"], e["offset"], e["length"]) for e in user_entities("/time 07:30")]
[('bot_command', 0, 5)]
>>> [(e["type"], e["offset"]) for e in user_entities("see https://example.org/a.")]
[('url', 4)]
>>> user_entities("read this", {"this": "https://example.org"})[0]["url"]
'https://example.org'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tests.fakebot.html_check import utf16_len

# A command is only a command at offset 0 (that is what PTB's CommandHandler checks).
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)")
# A URL ends before trailing punctuation, as Telegram's clients detect it.
_URL_RE = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]'»]")


def user_entities(text: str, text_links: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """``bot_command`` at offset 0, ``url`` for each http(s) URL, ``text_link`` per mapping.

    ``text_links`` maps a visible substring (its first occurrence) to the hidden URL.
    """
    found: list[tuple[int, int, dict[str, Any]]] = []
    command = _COMMAND_RE.match(text)
    if command:
        found.append((0, command.end(), {"type": "bot_command"}))
    found.extend((m.start(), m.end(), {"type": "url"}) for m in _URL_RE.finditer(text))
    for visible, url in (text_links or {}).items():
        start = text.find(visible)
        if start < 0:
            raise ValueError(f"{visible!r} is not in the message text")
        found.append((start, start + len(visible), {"type": "text_link", "url": url}))
    return [
        {**extra, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, extra in sorted(found, key=lambda item: item[0])
    ]
