"""Building Telegram-HTML safely: escaping, safe links, and length as Telegram counts it.

Telegram limits a message to 4096 characters *after* entity parsing, counted in UTF-16 code
units, so an emoji counts twice and tags count nothing. We only measure markup we produced
ourselves (every external string escaped), so stripping tags and unescaping is exact.

>>> link("https://example.com/?a=1&b=2", "Tom & Jerry <3")
'<a href="https://example.com/?a=1&amp;b=2">Tom &amp; Jerry &lt;3</a>'
>>> link("javascript:alert(1)", "click")
'click'
>>> visible_length("<b>Hi</b> &amp; 👋")
7
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

MAX_MESSAGE = 4096
_TAG = re.compile(r"<[^>]+>")
# Bidi overrides and zero-width joiners in a title can reorder or hide what follows it.
_UNSENDABLE = frozenset({"Cc", "Cs"})  # control characters, lone surrogates
_INVISIBLE_CONTROL = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_text(text: str) -> str:
    """Collapse whitespace and drop control and bidi-override characters from page text.

    Lone surrogates (a JSON-LD ``"\\ud800"`` decodes to one) go too: they cannot be sent
    as UTF-8 at all.
    """
    text = _INVISIBLE_CONTROL.sub("", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _UNSENDABLE or ch in "\n\t")
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def esc(text: str) -> str:
    """Escape external text for Telegram HTML (``<``, ``>``, ``&`` and quotes)."""
    return html.escape(clean_text(text), quote=True)


def safe_href(url: str) -> str | None:
    """The URL if it is absolute http(s), else None (no ``javascript:``, ``tg:``, ``data:``).

    A URL holding control characters or lone surrogates is refused too: Telegram would
    reject the whole message over it.
    """
    if any(unicodedata.category(ch) in _UNSENDABLE for ch in url.strip()):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def link(url: str, label: str) -> str:
    """``<a href>`` around the escaped label, or just the label when the URL is unsafe."""
    href = safe_href(url)
    if href is None:
        return esc(label)
    return f'<a href="{html.escape(href, quote=True)}">{esc(label)}</a>'


def truncate(text: str, limit: int) -> str:
    """Cut plain text to ``limit`` characters at a word boundary, with an ellipsis."""
    text = clean_text(text)
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def utf16_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units, so an emoji outside the BMP is two.

    >>> utf16_length("Kyiv 🇺🇦")
    9
    """
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def visible_length(markup: str) -> int:
    """Length of our own markup as Telegram counts it: visible text in UTF-16 code units."""
    return utf16_length(html.unescape(_TAG.sub("", markup)))


def line_chunks(text: str, limit: int) -> list[str]:
    """``text`` packed into pieces of at most ``limit`` UTF-16 units, cut between lines.

    A single line longer than ``limit`` is cut hard. Only ``\\n`` separates lines (not the
    other breaks ``splitlines`` knows), so joining the pieces with ``\\n`` gives ``text`` back.

    >>> line_chunks("one\\ntwo\\nthree", limit=8)
    ['one\\ntwo', 'three']
    """
    lines = [piece for line in text.split("\n") for piece in _hard_cut(line, limit)]
    chunks: list[str] = []
    current: str | None = None
    for line in lines:
        candidate = line if current is None else f"{current}\n{line}"
        if current is not None and utf16_length(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    return chunks + ([current] if current is not None else [])


def _hard_cut(line: str, limit: int) -> list[str]:
    if utf16_length(line) <= limit:
        return [line]
    step = max(limit // 2, 1)  # half the limit in characters is at most the limit in units
    return [line[i:i + step] for i in range(0, len(line), step)]
