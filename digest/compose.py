"""Rendering pipeline results as Telegram HTML that Telegram will accept.

Every string that came from a page or a feed is escaped, links are http(s) only, and the
visible length is checked the way Telegram counts it, shrinking the least important parts
first so a reply never goes over the 4096-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from digest.models import Gist, Quote
from digest.telegram_html import MAX_MESSAGE, esc, link, truncate, visible_length

TITLE_LIMIT = 300
POINT_LIMIT = 400
QUOTE_LIMIT = 450


@dataclass(frozen=True, slots=True)
class GistStyle:
    """Knobs for :func:`render_gist`; the defaults are what users see."""

    timezone: str = "Europe/Kyiv"
    point_limit: int = POINT_LIMIT
    quote_limit: int = QUOTE_LIMIT


def outlet_name(site_name: str | None, url: str) -> str:
    """The outlet as people know it: the page's site name, else the bare host.

    >>> outlet_name(None, "https://www.kyivindependent.com/x")
    'kyivindependent.com'
    """
    if site_name and site_name.strip():
        return site_name.strip()
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def format_date(moment: datetime | None, timezone: str) -> str | None:
    """``25 Nov 2026, 14:05`` in the reader's timezone (dates without time stay dates)."""
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%-d %b %Y, %H:%M")


def render_quote(quote: Quote, limit: int = QUOTE_LIMIT) -> str:
    """``<i>Vladimir Putin:</i> “…”`` — the speaker first, as people quote in chat."""
    body = f"“{esc(truncate(quote.text, limit))}”"
    return f"<i>{esc(quote.speaker)}:</i> {body}" if quote.speaker else body


def _byline(gist: Gist, style: GistStyle) -> str:
    article = gist.article
    parts = [esc(outlet_name(article.site_name, article.url))]
    date = format_date(article.published, style.timezone)
    if date:
        parts.append(esc(date))
    if article.author:
        parts.append(f"by {esc(truncate(article.author, 120))}")
    return " · ".join(parts)


def _render(gist: Gist, style: GistStyle) -> str:
    article = gist.article
    url = article.canonical_url or article.url
    lines = [f"<b>{link(url, truncate(article.title or url, TITLE_LIMIT))}</b>", _byline(gist, style)]
    if gist.key_points:
        lines.append("")
        lines += [f"• {esc(truncate(p, style.point_limit))}" for p in gist.key_points]
    if gist.quotes:
        lines.append("")
        lines += [f"💬 {render_quote(q, style.quote_limit)}" for q in gist.quotes]
    lines += ["", f"⏱ {gist.reading_minutes} min read · {link(url, 'Open the article')}"]
    return "\n".join(lines)


def render_gist(gist: Gist, style: GistStyle = GistStyle()) -> str:
    """The link reply: headline, outlet · date · author, key points, quotes, reading time.

    If the result would exceed Telegram's limit, points and quotes are shortened step by
    step (a reply with shorter points beats no reply).
    """
    current = style
    for _ in range(8):
        markup = _render(gist, current)
        if visible_length(markup) <= MAX_MESSAGE:
            return markup
        current = GistStyle(current.timezone, current.point_limit // 2, current.quote_limit // 2)
    return _render(Gist(gist.article, gist.key_points[:1], gist.quotes[:1], gist.reading_minutes), current)
