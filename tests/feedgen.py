"""RSS documents written at run time for tests: our own headlines, any dates we need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    summary: str
    published: datetime
    link: str


def rss(title: str, entries: list[Entry], *, language: str = "en") -> bytes:
    items = "".join(
        f"<item><guid>{escape(e.guid)}</guid><title>{escape(e.title)}</title>"
        f"<link>{escape(e.link)}</link><description>{escape(e.summary)}</description>"
        f"<pubDate>{format_datetime(e.published)}</pubDate></item>"
        for e in entries
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title)}</title><link>https://example.org/</link>"
            f"<language>{language}</language>{items}</channel></rss>").encode()
