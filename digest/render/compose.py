"""Rendering pipeline results as Telegram HTML that Telegram will accept.

Every string that came from a page or a feed is escaped, links are http(s) only, and the
visible length is checked the way Telegram counts it, shrinking the least important parts
first so a reply never goes over the 4096-character limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from digest.models import Gist, Quote
from digest.render.telegram_html import MAX_MESSAGE, esc, link, truncate, visible_length

TITLE_LIMIT = 300
POINT_LIMIT = 400
QUOTE_LIMIT = 450
NAME_LIMIT = 120  # outlets, speakers: a 10,000-character "name" is an attack, not a name


ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                  "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Labels:
    """The few words rendering adds around pipeline text, in the reader's language.

    Plain text (escaped when rendered); the caller supplies a translation, this module
    only knows the English defaults. ``months`` are the twelve names dates use.
    """

    by: str = "by"
    min_read: str = "min read"
    open_article: str = "Open the article"
    reported_by: str = "Reported by"
    following: str = "Following"
    alerted_at: str = "alerted at"
    months: tuple[str, ...] = ENGLISH_MONTHS


@dataclass(frozen=True, slots=True)
class GistStyle:
    """Knobs for :func:`render_gist`; the defaults are what users see."""

    timezone: str = "Europe/Kyiv"
    point_limit: int = POINT_LIMIT
    quote_limit: int = QUOTE_LIMIT
    labels: Labels = field(default_factory=Labels)


def outlet_name(site_name: str | None, url: str) -> str:
    """The outlet as people know it: the page's site name, else the bare host.

    >>> outlet_name(None, "https://www.kyivindependent.com/x")
    'kyivindependent.com'
    """
    if site_name and site_name.strip():
        return truncate(site_name, NAME_LIMIT)
    try:
        host = urlsplit(url).hostname or url
    except ValueError:  # "http://[::1" and the like
        host = url
    return truncate(host.removeprefix("www."), NAME_LIMIT)


def format_date(moment: datetime | None, timezone: str,
                months: tuple[str, ...] = ENGLISH_MONTHS) -> str | None:
    """``25 Nov 2026, 14:05`` in the reader's timezone, with the reader's month names.

    >>> from datetime import UTC
    >>> format_date(datetime(2026, 11, 25, 12, 5, tzinfo=UTC), "Europe/Kyiv")
    '25 Nov 2026, 14:05'
    """
    if moment is None:
        return None
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.day} {months[local.month - 1]} {local.year}, {local:%H:%M}"


def render_quote(quote: Quote, limit: int = QUOTE_LIMIT) -> str:
    """``<i>Vladimir Putin:</i> “…”`` — the speaker first, as people quote in chat."""
    body = f"“{esc(truncate(quote.text, limit))}”"
    return f"<i>{esc(truncate(quote.speaker, NAME_LIMIT))}:</i> {body}" if quote.speaker else body


def _byline(gist: Gist, style: GistStyle) -> str:
    article = gist.article
    parts = [esc(outlet_name(article.site_name, article.url))]
    date = format_date(article.published, style.timezone, style.labels.months)
    if date:
        parts.append(esc(date))
    if article.author:
        parts.append(f"{esc(style.labels.by)} {esc(truncate(article.author, 120))}")
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
    labels = style.labels
    lines += ["", f"⏱ {gist.reading_minutes} {esc(labels.min_read)} · "
                  f"{link(url, labels.open_article)}"]
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
        current = replace(current, point_limit=current.point_limit // 2,
                          quote_limit=current.quote_limit // 2)
    return _render(Gist(gist.article, gist.key_points[:1], gist.quotes[:1], gist.reading_minutes), current)


@dataclass(frozen=True, slots=True)
class PointView:
    """One more statement or development of a story's event: a short line, its quote."""

    text: str
    quote: Quote | None = None


@dataclass(frozen=True, slots=True)
class StoryView:
    """One digest story as shown: what happened, who said what, and who reported it."""

    headline: str
    url: str
    lead: str
    quote: Quote | None
    outlets: tuple[tuple[str, str], ...]  # (outlet name, its article URL), distinct outlets
    debug: str = ""
    followed: tuple[str, ...] = ()  # labels of the chat's follows this story concerns
    alerted_at: str = ""  # local time the chat was alerted of it: shown as one line
    points: tuple[PointView, ...] = ()  # the event's other statements, at most SHOWN_POINTS


SHOWN_OUTLETS = 2
SHOWN_POINTS = 3
POINT_LINE_LIMIT = 160
STORY_LEAD_LIMIT = 420


def render_reported_by(outlets: tuple[tuple[str, str], ...], label: str = "Reported by") -> str:
    """``Reported by Kyiv Independent, BBC +3`` with each named outlet linked.

    >>> render_reported_by((("BBC", "https://bbc.example/1"),))
    'Reported by <a href="https://bbc.example/1">BBC</a>'
    """
    named = ", ".join(link(url, truncate(name, NAME_LIMIT)) for name, url in outlets[:SHOWN_OUTLETS])
    more = len(outlets) - SHOWN_OUTLETS
    return f"{esc(label)} {named}" + (f" +{more}" if more > 0 else "")


def render_story(number: int, story: StoryView, *, show_debug: bool = False,
                 labels: Labels = Labels()) -> str:
    """A story in full; one already sent as a breaking alert is one line, since the reader
    has seen it (``⚡ headline — alerted at 14:05``)."""
    headline = link(story.url, truncate(story.headline, TITLE_LIMIT))
    if story.alerted_at:
        return f"{number}. ⚡ {headline} — {esc(labels.alerted_at)} {esc(story.alerted_at)}"
    lines = [f"<b>{number}. {'📍 ' if story.followed else ''}{headline}</b>"]
    if story.followed:
        names = ", ".join(truncate(label, NAME_LIMIT) for label in story.followed[:3])
        lines.append(f"<i>{esc(labels.following)}: {esc(names)}</i>")
    if story.lead:
        lines.append(esc(truncate(story.lead, STORY_LEAD_LIMIT)))
    if story.quote is not None:
        lines.append(f"💬 {render_quote(story.quote, QUOTE_LIMIT // 2)}")
    lines += [render_point(point) for point in story.points[:SHOWN_POINTS]]
    lines.append(render_reported_by(story.outlets, labels.reported_by))
    if show_debug and story.debug:
        lines.append(f"<code>{esc(truncate(story.debug, STORY_LEAD_LIMIT))}</code>")
    return "\n".join(lines)


def render_point(point: PointView) -> str:
    """``• Short line — 💬 Speaker: “quote”``: one statement of the story's event.

    >>> render_point(PointView("Aid package of €650m", Quote("Ukraine can rely on us", "Scholz")))
    '• Aid package of €650m — 💬 <i>Scholz:</i> “Ukraine can rely on us”'
    """
    line = f"• {esc(truncate(point.text, POINT_LINE_LIMIT))}"
    if point.quote is not None:
        line += f" — 💬 {render_quote(point.quote, POINT_LINE_LIMIT)}"
    return line


def render_alert(story: StoryView, title: str, labels: Labels = Labels()) -> str:
    """A breaking alert: one short message, the headline with its link and who reports it.

    >>> view = StoryView("Strike on Odesa port", "https://a.example/1", "", None,
    ...                  (("A", "https://a.example/1"), ("B", "https://b.example/2")))
    >>> print(render_alert(view, "Breaking"))
    ⚡ <b>Breaking:</b> <a href="https://a.example/1">Strike on Odesa port</a>
    Reported by <a href="https://a.example/1">A</a>, <a href="https://b.example/2">B</a>
    """
    headline = link(story.url, truncate(story.headline, TITLE_LIMIT))
    return f"⚡ <b>{esc(title)}:</b> {headline}\n{render_reported_by(story.outlets, labels.reported_by)}"


@dataclass(frozen=True, slots=True)
class DigestPage:
    """Header and footer of a digest message, and the words around each story."""

    title: str = "War digest"
    footer: str = "Change the time or sources: /settings · /sources"
    quiet_note: str = "A quiet day: no new war stories since your last digest."
    muted_note: str = ""  # "2 muted stories hidden", already in the reader's language
    show_debug: bool = False
    labels: Labels = field(default_factory=Labels)


@dataclass(frozen=True, slots=True)
class DigestPart:
    """One message of a digest and which stories (indexes into the input) it carries."""

    text: str
    stories: tuple[int, ...] = ()


def render_digest(stories: list[StoryView], day_label: str, page: DigestPage = DigestPage()) -> list[DigestPart]:
    """The digest as one or more messages, split only between stories.

    The header opens the first message and the footer closes the last. Every field of a
    story is truncated (headline, lead, quote, two named outlets), so one story is always
    far shorter than a message and a split never has to cut through markup.
    """
    header = f"🗞 <b>{esc(page.title)} — {esc(day_label)}</b>"
    footer = esc(page.footer)
    if page.muted_note:
        footer = f"🔇 {esc(page.muted_note)}\n{footer}"
    if not stories:
        return [DigestPart(f"{header}\n\n{esc(page.quiet_note)}\n\n{footer}")]
    parts: list[DigestPart] = []
    current, carried = header, list[int]()
    for index, story in enumerate(stories):
        block = render_story(index + 1, story, show_debug=page.show_debug, labels=page.labels)
        candidate = f"{current}\n\n{block}"
        if visible_length(candidate) > MAX_MESSAGE - visible_length(footer) - 2:
            parts.append(DigestPart(current, tuple(carried)))
            candidate, carried = block, []
        current = candidate
        carried.append(index)
    parts.append(DigestPart(f"{current}\n\n{footer}", tuple(carried)))
    return parts
