"""Which outlets a chat reads, and the bot's shared list of them: what /sources, /addsource,
/disablesource, /enablesource, /importsources and /exportsources do.

A chat switches sources on and off for itself; only operators grow or trim the shared list
(a feed they add is off by default, so only the chats that choose it read it). Feeds are
matched by :func:`digest.feeds.sources.feed_key` (scheme, host case and a trailing slash
ignored), the same match ``SOURCES_FILE`` merging uses.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from digest.feeds.sources import OPMLError, Source, SourceKind, dump_opml, feed_key, load_opml
from digest.render.telegram_html import truncate
from digest.urls import is_http_url
from digest.workers import run_cpu
from services.context import Services
from storage import Database
from storage import sources as store
from storage.sources import SourceRow

#: Names are capped so one outline line of /exportsources always fits a message.
NAME_LIMIT = 100
#: What /addsource files a new feed under.
ADMIN_KIND = SourceKind.INTERNATIONAL
#: The most feeds one imported document may list (the built-in list has a few dozen).
MAX_OUTLINES = 1000
_KIND_ORDER = {kind: position for position, kind in enumerate(SourceKind)}


@dataclass(frozen=True, slots=True)
class Listing:
    """The shared list with one chat's choices, as the /sources menu shows it."""

    sources: Sequence[SourceRow]
    enabled: frozenset[int]
    now: datetime
    new_today: Mapping[int, int]  # items per source id in the last 24 hours (missing: none)


def listing(svc: Services, chat_id: int) -> Listing:
    now = svc.clock()
    return Listing(
        sources=store.all_sources(svc.db),
        enabled=frozenset(store.chat_source_ids(svc.db, chat_id)),
        now=now,
        new_today=store.items_seen_since(svc.db, now - timedelta(hours=24)),
    )


def ordered(sources: Sequence[SourceRow]) -> list[SourceRow]:
    """By kind in :class:`SourceKind` order (unknown kinds as international), then by name."""
    return sorted(sources, key=lambda s: (_KIND_ORDER[SourceKind.parse(s.kind)], s.name.lower()))


class Toggle(enum.StrEnum):
    """Why a source could not be flipped (the values are the reply's text keys)."""

    GONE = "source_gone"
    SWITCHED_OFF = "sources_switched_off"  # off for everyone by an operator


def toggle(svc: Services, chat_id: int, source_id: int) -> Toggle | None:
    """Flip one source for the chat; None when done, else why not."""
    source = store.get_source(svc.db, source_id)
    if source is None:
        return Toggle.GONE
    if source.disabled:
        return Toggle.SWITCHED_OFF
    switched_on = source_id not in store.chat_source_ids(svc.db, chat_id)
    store.set_chat_source(svc.db, chat_id, source_id, switched_on)
    return None


@dataclass(frozen=True, slots=True)
class AddedFeed:
    row: SourceRow
    known: bool  # the URL was on the list already: nothing changed


def add_feed(svc: Services, url: str, name: str) -> AddedFeed | None:
    """An operator's feed, off by default, unless its URL is known; None when ``url`` is
    not an http(s) URL. A feed added without a name is named after its host."""
    if not is_http_url(url):
        return None
    known = [s for s in store.all_sources(svc.db) if s.feed_url == url]
    if known:
        return AddedFeed(known[0], known=True)
    spec = store.SourceSpec(truncate(name or _host(url), NAME_LIMIT), url, None, ADMIN_KIND.value, False)
    rows = store.sync_sources(svc.db, [spec], origin="admin")
    return AddedFeed(next(s for s in rows if s.feed_url == url), known=False)


def _host(url: str) -> str:
    """A stand-in name for a feed added without one: its host without ``www.``."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def set_disabled(svc: Services, source_id: int, disabled: bool) -> SourceRow | None:
    """Switch a source off (or back on) for everyone; None when there is no such source."""
    source = store.get_source(svc.db, source_id)
    if source is not None:
        store.set_disabled(svc.db, source.id, disabled)
    return source


def chat_sources(svc: Services, chat_id: int) -> list[SourceRow]:
    """The sources the chat reads, in list order."""
    chosen = store.chat_source_ids(svc.db, chat_id)
    return [s for s in store.all_sources(svc.db) if s.id in chosen]


def chat_opml(sources: Sequence[SourceRow]) -> str:
    """The sources as an OPML document, each marked enabled (they are the chat's choice).

    >>> row = SourceRow(1, "Kyiv Independent", "https://kyivindependent.com/feed/", "en",
    ...     "ukrainian_media", False, False, None, None, None, 0, None, None, None)
    >>> 'xmlUrl="https://kyivindependent.com/feed/"' in chat_opml([row])
    True
    """
    outlets = [Source(s.name, s.feed_url, s.language, SourceKind.parse(s.kind), True)
               for s in ordered(sources)]
    return dump_opml(outlets, title="War digest sources").decode("utf-8")


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did, for the reply."""

    total: int = 0  # distinct feeds in the document (by :func:`feed_key`)
    switched_on: int = 0
    already_on: int = 0
    added: int = 0  # new to the bot's list (operators only)
    unknown: int = 0  # skipped: not in the list, and the sender may not add
    unavailable: int = 0  # in the list but switched off for everyone


class BadDocument(Exception):
    """The document cannot be imported; ``reason`` is ``bad_opml``, ``no_feeds`` or
    ``too_many`` (with ``count`` outlines)."""

    def __init__(self, reason: str, count: int = 0) -> None:
        super().__init__(reason)
        self.reason, self.count = reason, count


async def import_document(svc: Services, chat_id: int, document: bytes, *, may_add: bool) -> ImportResult:
    """Parse an OPML document (in the CPU pool: never on the event loop every other reply
    waits on) and switch its feeds on for the chat; :class:`BadDocument` when it holds none
    or too many."""
    try:
        listed = await run_cpu(load_opml, document)
    except OPMLError:
        raise BadDocument("bad_opml") from None
    if not listed or len(listed) > MAX_OUTLINES:
        raise BadDocument("too_many" if listed else "no_feeds", len(listed))
    return import_sources(svc.db, chat_id, listed, may_add=may_add)


def import_sources(db: Database, chat_id: int, listed: Sequence[Source], *,
                   may_add: bool) -> ImportResult:
    """Switch on, for ``chat_id``, every known source the document lists; with ``may_add``
    first add the unknown ones (off by default, so only this chat gets them).

    >>> from storage import open_database
    >>> from storage.chats import ChatDefaults, NewChat, ensure_chat
    >>> db = open_database(":memory:")
    >>> _ = ensure_chat(db, 7, NewChat("private"), ChatDefaults())
    >>> _ = store.sync_sources(db, [store.SourceSpec("UP", "https://up.example/rss", "uk",
    ...                                              "ukrainian_media", False)], origin="builtin")
    >>> listed = [Source("UP", "http://up.example/rss/", None, SourceKind.INTERNATIONAL, True),
    ...           Source("New", "https://new.example/feed", None, SourceKind.INTERNATIONAL, True)]
    >>> import_sources(db, 7, listed, may_add=False)
    ImportResult(total=2, switched_on=1, already_on=0, added=0, unknown=1, unavailable=0)
    """
    keys = [feed_key(source.feed_url) for source in listed]
    invalid = keys.count(None)  # not http(s): nothing could ever match or fetch it
    wanted = {key: source for key, source in zip(keys, listed, strict=True) if key is not None}
    known = _known_by_key(db)
    added = 0
    if may_add:
        added = _add_unknown(db, [s for key, s in wanted.items() if key not in known])
        known = _known_by_key(db)
    chosen = store.chat_source_ids(db, chat_id)
    counts = {"switched_on": 0, "already_on": 0, "unavailable": 0}
    for row in (known[key] for key in wanted if key in known):
        outcome = ("unavailable" if row.disabled else
                   "already_on" if row.id in chosen else "switched_on")
        counts[outcome] += 1
        if outcome == "switched_on":
            store.set_chat_source(db, chat_id, row.id, True)
    unknown = invalid + sum(key not in known for key in wanted)
    return ImportResult(total=invalid + len(wanted), added=added, unknown=unknown, **counts)


def _known_by_key(db: Database) -> dict[str, SourceRow]:
    return {key: row for row in store.all_sources(db) if (key := feed_key(row.feed_url))}


def _add_unknown(db: Database, unknown: Sequence[Source]) -> int:
    specs = [store.SourceSpec(truncate(s.name, NAME_LIMIT), s.feed_url, s.language,
                              s.kind.value, False) for s in unknown]
    store.sync_sources(db, specs, origin="admin")
    return len(specs)
