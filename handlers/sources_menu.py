"""/sources: which outlets this chat reads, how each feed is doing, and switches to change it.

The menu lists sources grouped by kind (Ukrainian media, Russian state media, …), ten to a
page with ◀ ▶ buttons, each with its health: when it was last read, or why it failed. A
button toggles one source for the chat the menu is shown in. Operators (``ADMIN_IDS``) also
have /addsource, /disablesource, /enablesource and /exportsources (the chat's list as OPML).

Button data names a source id and a page, never a chat, so a forged press can only change
the chat it is pressed in (where group admins are checked):

>>> toggle_data(12, page=3), page_data(0)
('src:t:12:3', 'src:p:0')
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from digest.feeds.sources import Source, SourceKind, dump_opml
from digest.feeds.telegram import names_a_channel
from digest.render.telegram_html import MAX_MESSAGE, esc, line_chunks, truncate
from digest.urls import is_http_url
from handlers.common import answer_in_chat, redraw, refuse_non_admin, remember_chat
from handlers.context import App, BotContext, services
from handlers.filters import COMMAND_UPDATES
from handlers.i18n import chat_language, echo
from i18n.locale import DEFAULT_LANGUAGE
from i18n.texts import say
from services.channels import ChannelUnavailable, add_channel
from storage import Database
from storage import sources as store

PAGE_SIZE = 10
NAME_LIMIT = 48  # characters of an outlet name in the text; buttons get fewer
BUTTON_NAME_LIMIT = 28
ERROR_LIMIT = 70
ADMIN_KIND = SourceKind.INTERNATIONAL  # what /addsource files a new feed under
_KIND_ORDER = {kind: position for position, kind in enumerate(SourceKind)}


def toggle_data(source_id: int, *, page: int) -> str:
    return f"src:t:{source_id}:{page}"


def page_data(page: int) -> str:
    return f"src:p:{page}"


@dataclass(frozen=True)
class SourcesView:
    """Everything one page of the menu shows; built from storage, rendered without I/O."""

    sources: Sequence[store.SourceRow]
    enabled: frozenset[int]
    now: datetime
    new_today: Mapping[int, int] = field(default_factory=dict)
    """Items per source id in the last 24 hours (missing means none)."""
    show_ids: bool = False
    """Operators see ``#id`` after each name, the number their commands take."""
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Menu:
    text: str
    keyboard: InlineKeyboardMarkup | None


def ago(moment: datetime, now: datetime, language: str = DEFAULT_LANGUAGE) -> str:
    """How long before ``now``, in the largest whole unit that fits.

    >>> now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    >>> [ago(now - timedelta(minutes=m), now) for m in (0, 12, 150, 60 * 49)]
    ['just now', '12 min ago', '2 h ago', '2 d ago']
    >>> ago(now - timedelta(minutes=150), now, "uk")
    '2 год тому'
    """
    minutes = max(int((now - moment).total_seconds() // 60), 0)
    if minutes < 1:
        return say("ago_now", language)
    if minutes < 60:
        return say("ago_minutes", language, count=minutes)
    if minutes < 48 * 60:
        return say("ago_hours", language, count=minutes // 60)
    return say("ago_days", language, count=minutes // (24 * 60))


def _parse_stored(moment: str) -> datetime:
    parsed = datetime.fromisoformat(moment)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def health_text(source: store.SourceRow, now: datetime, new_today: int = 0,
                language: str = DEFAULT_LANGUAGE) -> str:
    """One escaped line fragment: is the feed read, and if not, why.

    The latest poll failed exactly when ``failures`` is non-zero (a success resets it).

    >>> row = store.SourceRow(1, "X", "https://x.example/rss", "en", "international", True,
    ...     False, None, None, None, 2, None, "BlockedByBotWall: HTTP 403 from an anti-bot wall",
    ...     None)
    >>> health_text(row, datetime(2026, 3, 2, tzinfo=UTC))
    '⚠️ blocked by an anti-bot wall'
    """
    if source.disabled:
        return say("sources_switched_off", language)
    since = (ago(_parse_stored(source.last_success_at), now, language)
             if source.last_success_at else None)
    if source.failures and source.last_error:
        error = truncate(source.last_error, ERROR_LIMIT)
        problem = (say("sources_wall", language) if "anti-bot" in source.last_error.lower()
                   else say("sources_failing", language, error=error))
        return "⚠️ " + problem + (say("sources_last_ok", language, ago=since) if since else "")
    if since is None:
        return say("sources_never", language)
    fresh = say("sources_new", language, count=new_today) if new_today else ""
    return say("sources_ok", language, ago=since) + fresh


def ordered(sources: Sequence[store.SourceRow]) -> list[store.SourceRow]:
    """By kind in :class:`SourceKind` order (unknown kinds as international), then by name."""
    return sorted(sources, key=lambda s: (_KIND_ORDER[SourceKind.parse(s.kind)], s.name.lower()))


def page_count(total: int) -> int:
    return max(math.ceil(total / PAGE_SIZE), 1)


def render_menu(view: SourcesView, page: int) -> Menu:
    """The text and keyboard of one page (``page`` clamped to the pages that exist)."""
    rows = ordered(view.sources)
    if not rows:
        return Menu(say("sources_empty", view.language), None)
    pages = page_count(len(rows))
    page = min(max(page, 0), pages - 1)
    shown = rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    text = say("sources_title", view.language, page=page + 1, pages=pages)
    text += "\n" + _page_body(view, shown)
    buttons = [_toggle_button(s, view, page) for s in shown if not s.disabled]
    keyboard = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    if pages > 1:
        keyboard.append(_navigation(page, pages, view.language))
    return Menu(text, InlineKeyboardMarkup(keyboard))


def _page_body(view: SourcesView, shown: Sequence[store.SourceRow]) -> str:
    """Kind headings, each followed by its sources, one line each."""
    lines: list[str] = []
    heading: SourceKind | None = None
    for source in shown:
        kind = SourceKind.parse(source.kind)
        if kind is not heading:
            heading = kind
            lines.append(f"\n<b>{kind_label(kind, view.language)}</b>")
        lines.append(_source_line(source, view))
    return "\n".join(lines)


def _source_line(source: store.SourceRow, view: SourcesView) -> str:
    mark = "🚫" if source.disabled else ("✅" if source.id in view.enabled else "▫️")
    name = esc(truncate(source.name, NAME_LIMIT))
    ident = f" <code>#{source.id}</code>" if view.show_ids else ""
    # Built-in names often carry the language already: "UNIAN (uk)".
    tag = f"({source.language})" if source.language else ""
    language = f" {esc(tag)}" if tag and not source.name.endswith(tag) else ""
    health = health_text(source, view.now, view.new_today.get(source.id, 0), view.language)
    return f"{mark} {name}{language}{ident} — <i>{health}</i>"


def _toggle_button(source: store.SourceRow, view: SourcesView, page: int) -> InlineKeyboardButton:
    # Button labels are plain text: Telegram shows them as they are, no escaping needed.
    mark = "✅" if source.id in view.enabled else "▫️"
    label = f"{mark} {truncate(source.name, BUTTON_NAME_LIMIT)}"
    return InlineKeyboardButton(label, callback_data=toggle_data(source.id, page=page))


def _navigation(page: int, pages: int, language: str) -> list[InlineKeyboardButton]:
    """◀ n/N ▶, wrapping around so both arrows always work."""
    previous, following = page_data((page - 1) % pages), page_data((page + 1) % pages)
    return [
        InlineKeyboardButton(say("button_previous", language), callback_data=previous),
        InlineKeyboardButton(f"{page + 1}/{pages}", callback_data=page_data(page)),
        InlineKeyboardButton(say("button_next", language), callback_data=following),
    ]


def kind_label(kind: SourceKind, language: str = DEFAULT_LANGUAGE) -> str:
    """The heading of a kind of outlet, in ``language`` (HTML-safe).

    >>> kind_label(SourceKind.RUSSIAN_STATE, "uk")
    'Російські державні медіа'
    """
    return say(f"kind_{kind.value}", language)


def _is_operator(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in services(context).settings.admin_ids


def _current_view(update: Update, context: BotContext) -> SourcesView:
    found, chat = services(context), update.effective_chat
    assert chat is not None
    now = found.clock()
    return SourcesView(
        sources=store.all_sources(found.db),
        enabled=frozenset(store.chat_source_ids(found.db, chat.id)),
        now=now,
        new_today=store.items_seen_since(found.db, now - timedelta(hours=24)),
        show_ids=_is_operator(update, context),
        language=chat_language(update, context),
    )


async def show_sources(update: Update, context: BotContext) -> None:
    """Anyone sees the first page; only the buttons are limited to a group's admins."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    menu = render_menu(_current_view(update, context), page=0)
    await answer_in_chat(update, context, menu.text, reply_markup=menu.keyboard)


async def sources_button(update: Update, context: BotContext) -> None:
    """A page arrow redraws; a source button flips it for this chat, then redraws."""
    query = update.callback_query
    assert query is not None and query.data is not None
    _, action, *numbers = query.data.split(":")
    try:
        values = [int(n) for n in numbers]
    except ValueError:
        await query.answer()
        return
    if action == "t" and len(values) == 2:
        if await refuse_non_admin(update, context):
            return
        problem = _toggle(update, context, values[0])
        if problem is not None:
            await query.answer(problem, show_alert=True)
            return
    await query.answer()  # the redrawn menu is the feedback
    await _redraw(update, context, page=values[-1] if values else 0)


def _toggle(update: Update, context: BotContext, source_id: int) -> str | None:
    """Flip one source for this chat; a plain-text reason when it cannot be flipped."""
    db = services(context).db
    source = store.get_source(db, source_id)
    if source is None or source.disabled:
        key = "source_gone" if source is None else "sources_switched_off"
        return html.unescape(say(key, chat_language(update, context)))
    chat = remember_chat(update, context)
    switched_on = source_id not in store.chat_source_ids(db, chat.id)
    store.set_chat_source(db, chat.id, source_id, switched_on)
    return None


async def _redraw(update: Update, context: BotContext, *, page: int) -> None:
    query = update.callback_query
    assert query is not None
    menu = render_menu(_current_view(update, context), page=page)
    await redraw(query, menu.text, menu.keyboard)  # the page counter redraws the same page


async def add_source(update: Update, context: BotContext) -> None:
    """``/addsource <feed-url> [name]``: a new feed, off by default, for operators only;
    ``/addsource @channel`` (or a t.me link): a public channel, for operators and chat admins."""
    message = update.effective_message
    args = context.args or []
    if message is not None and args and names_a_channel(args[0]):
        await _add_channel(update, context, args[0])
        return
    if message is None or await _refuse_non_operator(update, context):
        return
    language = chat_language(update, context)
    if not args:
        await message.reply_html(say("addsource_usage", language))
        return
    url, name = args[0], " ".join(args[1:]).strip()
    if not is_http_url(url):
        await message.reply_html(say("addsource_bad_url", language, raw=echo(url, language)))
        return
    # Names are capped so one outline line of /exportsources always fits a message.
    spec = store.SourceSpec(truncate(name or _host(url), 100), url, None, ADMIN_KIND.value, False)
    await message.reply_html(_add(services(context).db, spec, language))


async def _add_channel(update: Update, context: BotContext, raw: str) -> None:
    """Check the channel's public preview, add it (off by default), switch it on here."""
    message = update.effective_message
    assert message is not None
    if not _is_operator(update, context) and await refuse_non_admin(update, context):
        return
    language, chat = chat_language(update, context), remember_chat(update, context)
    try:
        added = await add_channel(services(context), raw, chat_id=chat.id, kind=ADMIN_KIND.value)
    except ChannelUnavailable as error:
        await message.reply_html(say(f"channel_{error.reason}", language, raw=truncate(raw, 80)))
        return
    key = "addchannel_known" if added.known else "addchannel_done"
    await message.reply_html(say(key, language, id=added.source.id, name=added.source.name))


def _host(url: str) -> str:
    """A stand-in name for a feed added without one: its host without ``www.``."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _add(db: Database, spec: store.SourceSpec, language: str) -> str:
    """Store the feed unless its URL is known; the reply for the operator."""
    known = [s for s in store.all_sources(db) if s.feed_url == spec.feed_url]
    if known:
        return say("addsource_known", language, id=known[0].id, name=known[0].name)
    rows = store.sync_sources(db, [spec], origin="admin")
    added = next(s for s in rows if s.feed_url == spec.feed_url)
    kind = html.unescape(kind_label(ADMIN_KIND, language))  # say() escapes it again
    return say("addsource_done", language, id=added.id, name=added.name, kind=kind)


async def disable_source(update: Update, context: BotContext) -> None:
    """``/disablesource <id>``: nobody's digest reads it until /enablesource."""
    await _set_disabled(update, context, disabled=True)


async def enable_source(update: Update, context: BotContext) -> None:
    """``/enablesource <id>``: chats that chose the source read it again."""
    await _set_disabled(update, context, disabled=False)


async def _set_disabled(update: Update, context: BotContext, *,
                        disabled: bool) -> None:
    message = update.effective_message
    if message is None or await _refuse_non_operator(update, context):
        return
    command = "disablesource" if disabled else "enablesource"
    raw = " ".join(context.args or []).strip().lstrip("#")
    db, language = services(context).db, chat_language(update, context)
    source = store.get_source(db, int(raw)) if raw.isdecimal() else None
    if source is None:
        key = "source_id_usage" if not raw.isdecimal() else "source_not_found"
        await message.reply_html(say(key, language, command=command, id=echo(raw, language)))
        return
    store.set_disabled(db, source.id, disabled)
    done = "source_disabled" if disabled else "source_enabled"
    await message.reply_html(say(done, language, id=source.id, name=source.name))


async def _refuse_non_operator(update: Update, context: BotContext) -> bool:
    if _is_operator(update, context):
        return False
    if update.effective_message is not None:
        refusal = say("sources_operators_only", chat_language(update, context))
        await update.effective_message.reply_text(refusal)
    return True


def chat_opml(sources: Sequence[store.SourceRow]) -> str:
    """The sources as an OPML document, each marked enabled (they are the chat's choice).

    >>> row = store.SourceRow(1, "Kyiv Independent", "https://kyivindependent.com/feed/", "en",
    ...     "ukrainian_media", False, False, None, None, None, 0, None, None, None)
    >>> 'xmlUrl="https://kyivindependent.com/feed/"' in chat_opml([row])
    True
    """
    outlets = [Source(s.name, s.feed_url, s.language, SourceKind.parse(s.kind), True)
               for s in ordered(sources)]
    return dump_opml(outlets, title="War digest sources").decode("utf-8")


def opml_messages(opml: str, count: int, limit: int = MAX_MESSAGE - 200, *,
                  language: str = DEFAULT_LANGUAGE) -> list[str]:
    """The document in ``<pre>`` blocks, split between lines when one message is too short.

    ``limit`` counts the document's characters per message, leaving room for the heading.

    >>> document = "<a>\\n<outline/>\\n<outline/>\\n</a>"
    >>> [m.count("&lt;outline") for m in opml_messages(document, 2, limit=22)]
    [1, 1]
    """
    parts = line_chunks(opml.rstrip("\n"), limit)
    total = len(parts)
    return [say("export_intro", language, count=count, part=f" ({n}/{total})" if total > 1 else "")
            + f"\n<pre>{html.escape(part, quote=False)}</pre>"
            for n, part in enumerate(parts, start=1)]


async def export_sources(update: Update, context: BotContext) -> None:
    """``/exportsources``: the chat's sources as OPML text another reader can import.

    The document is sent as text in ``<pre>`` (split between lines past Telegram's length
    limit) because the bot's test server has no ``sendDocument``.
    """
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or await _refuse_non_operator(update, context):
        return
    db, language = services(context).db, chat_language(update, context)
    chosen = store.chat_source_ids(db, chat.id)
    rows = [s for s in store.all_sources(db) if s.id in chosen]
    if not rows:
        await message.reply_html(say("export_empty", language))
        return
    for text in opml_messages(chat_opml(rows), len(rows), language=language):
        await message.reply_html(text)


def register(app: App) -> None:
    app.add_handler(CommandHandler("sources", show_sources, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("addsource", add_source, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("disablesource", disable_source, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("enablesource", enable_source, filters=COMMAND_UPDATES))
    app.add_handler(CommandHandler("exportsources", export_sources, filters=COMMAND_UPDATES))
    app.add_handler(CallbackQueryHandler(show_sources, pattern=r"^sources$"))
    app.add_handler(CallbackQueryHandler(sources_button, pattern=r"^src:"))
