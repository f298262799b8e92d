"""Turn the bytes of an RSS/Atom feed into plain, typed items for the digest.

feedparser does the heavy lifting (RSS 0.9x/1.0/2.0, Atom, the userland default namespace,
illegally nested tags, truncated documents). This module adds what a digest needs on top:

* it always feeds feedparser *bytes*, so the XML declaration and BOM decide the encoding;
* when that decoding looks wrong (no declaration, a lying declaration, mojibake) it tries
  the plausible Cyrillic/Unicode decodings again and keeps the most readable result;
* gzip bytes are unpacked by their magic number (a ``.xml.gz`` served without
  ``Content-Encoding``);
* titles and summaries become plain text; dates become aware UTC datetimes;
* a feed with a huge number of entries is cut early, so one bad feed cannot stall a run.

Anything that yields no usable item raises :class:`digest.errors.FeedParseError`; no other
exception escapes :func:`parse_feed`.

>>> feed = parse_feed(
...     b'<rss version="2.0"><channel><title>Demo</title>'
...     b'<item><title>Drone strike on &lt;b&gt;Kharkiv&lt;/b&gt;</title>'
...     b'<link>/news/1</link><pubDate>Mon, 06 Jan 2025 07:30:00 +0200</pubDate></item>'
...     b'</channel></rss>',
...     url="https://example.org/rss",
... )
>>> item = feed.items[0]
>>> item.title, item.url, item.published.isoformat()
('Drone strike on Kharkiv', 'https://example.org/news/1', '2025-01-06T05:30:00+00:00')
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import dateparser
import feedparser
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from charset_normalizer import from_bytes

from digest.errors import FeedParseError
from digest.language.detect import guess_language, normalize_language
from digest.language.sentences import end_within

MAX_ITEMS = 500
"""Items kept per feed (the newest ones)."""

MAX_SCANNED_ENTRIES = 2000
"""Entries read from the document before the rest is cut off unparsed.

Feeds list their newest entries first, so cutting a 100,000-entry document after the first
2,000 loses nothing a daily digest wants and keeps parsing time bounded.
"""

SUMMARY_CHARS = 600
MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024
_TITLE_FROM_SUMMARY_CHARS = 160

_GZIP_MAGIC = b"\x1f\x8b"
_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"(<\?xml[^>]{0,200}?encoding\s*=\s*)([\"'])[^\"']*\2")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")
# Typical traces of a wrong decoding: UTF-8 read as Latin-1/cp1252 ("Ð°", "Ã©", "â€™"),
# UTF-8 read as cp1251 ("Р°", "СЃ"), replacement characters, and KOI8-R/cp1251 swaps,
# which turn lower-case words into "лБЛ"-style case salad, and KOI8-U read as KOI8-R,
# which puts box-drawing characters where і, ї, є stood.
_MOJIBAKE = re.compile(
    r"[ÐÑ][\u0080-\u00bf]|Ã[\u0080-\u00bf]|â€|[РС][ЂЃ‚ѓ„…†‡€‰Љ‹ЊЌЋЏђ‘’“”•–—™љ›њќћџ°±]"
    r"|\ufffd|[а-яё][А-ЯЁ]{2,}|[\u2500-\u257f]"
)
_SY_PERIOD_MINUTES = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200}
_DATEPARSER_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC"}
_FALLBACK_ENCODINGS = ("utf-8", "windows-1251", "koi8-r", "koi8-u")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, as plain text.

    ``guid`` is the entry id, else its link, else a hash of title and date, so it stays
    stable across fetches. ``url`` is absolute (resolved against the feed URL), or ``""``
    when the entry has no link at all. ``published`` is aware UTC, or None.
    """

    guid: str
    url: str
    title: str
    summary: str
    published: datetime | None
    source: str
    language: str | None
    author: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's channel data and its items, newest first (undated items last)."""

    title: str
    link: str
    language: str | None
    ttl_minutes: int | None
    items: list[FeedItem]


@dataclass(frozen=True, slots=True)
class _ItemContext:
    """What every item of one feed shares."""

    feed_url: str
    source: str
    language: str | None


def parse_feed(
    data: bytes, *, url: str, source: str = "", language: str | None = None
) -> ParsedFeed:
    """Parse feed ``data`` fetched from ``url``; ``source`` names the outlet.

    ``language`` (the configured language of the source) wins over the feed's own
    ``<language>``; when neither is known each item's language is guessed from its text.

    An empty reply, or a well-formed feed with no entries, is a feed with nothing new today
    (no items, no error): a quiet outlet must not be backed off and reported down. Raises
    :class:`FeedParseError` when the bytes are not a feed, or its entries are all unusable.
    """
    data = _decompress(data)
    if not data.strip():
        return ParsedFeed(title="", link="", language=normalize_language(language), ttl_minutes=None,
                          items=[])
    parsed = _parse_best(_cut_entries(data))
    channel = parsed.feed
    declared = normalize_language(language) or normalize_language(_text(channel, "language"))
    context = _ItemContext(url, source or _plain(_text(channel, "title")), declared)
    items = _newest(_items(parsed.entries, context))
    if not items and not (parsed.get("version") and not parsed.entries and not parsed.get("bozo")):
        raise FeedParseError(_failure_message(parsed, url))
    return ParsedFeed(
        title=_plain(_text(channel, "title")),
        link=_absolute(url, _text(channel, "link")),
        language=declared or guess_language(" ".join(item.title for item in items[:20])),
        ttl_minutes=_ttl_minutes(channel),
        items=items,
    )


def _decompress(data: bytes) -> bytes:
    """Gunzip ``data`` when it starts with the gzip magic number, with a size cap."""
    if not data.startswith(_GZIP_MAGIC):
        return data
    # A decompressor with max_length instead of gzip.decompress: a small gzip bomb must
    # not be able to allocate gigabytes.
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_DECOMPRESSED_BYTES)
    except zlib.error as exc:
        raise FeedParseError(f"gzip-compressed feed is corrupt: {exc}") from exc
    if inflater.unconsumed_tail:
        raise FeedParseError("gzip-compressed feed is larger than the decompression cap")
    if not inflater.eof:
        raise FeedParseError("gzip-compressed feed is truncated")
    return out


def _cut_entries(data: bytes) -> bytes:
    """Drop everything after the ``MAX_SCANNED_ENTRIES``-th closing item/entry tag.

    feedparser's loose parser copes with the unclosed channel this leaves behind.
    """
    for count, match in enumerate(_ENTRY_END.finditer(data), start=1):
        if count == MAX_SCANNED_ENTRIES:
            return data[: match.end()]
    return data


def _parse_best(data: bytes) -> Any:
    """Parse ``data``; when the decoding looks doubtful, retry others and keep the best.

    feedparser trusts the XML declaration (or UTF-8 when there is none) and only falls back
    to charset detection when that fails outright, so a feed whose bytes *happen* to decode
    under the wrong charset comes out as mojibake. Re-decoding is cheap next to fetching.
    """
    first = _feedparser(data)
    if not _doubtful(first):
        return first
    candidates = [first, *(_feedparser(text) for text in _redecodings(data))]
    return max(candidates, key=_readability)


def _feedparser(data: bytes) -> Any:
    """Run feedparser on ``data`` as a stream.

    A stream, not the bytes themselves: given bytes that look like a path or URL,
    ``feedparser.parse`` would open that file or fetch that URL.
    """
    try:
        return feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile bytes
        # feedparser reports malformed XML through ``bozo``, but its loose parser can still
        # trip over pathological input; the contract is that only FeedParseError escapes.
        raise FeedParseError(f"feed parser crashed: {type(exc).__name__}: {exc}") from exc


def _doubtful(parsed: Any) -> bool:
    """True when the result has no entries, or its encoding was guessed, or reads garbled."""
    overridden = isinstance(
        parsed.get("bozo_exception"),
        feedparser.CharacterEncodingOverride | feedparser.CharacterEncodingUnknown,
    )
    return not parsed.entries or overridden or _mojibake_count(parsed) > 0


def _redecodings(data: bytes) -> Iterator[bytes]:
    """``data`` re-encoded as UTF-8 from each plausible source charset that decodes it."""
    best = from_bytes(data[:200_000]).best()
    guessed = [best.encoding] if best is not None else []
    tried: set[str] = set()
    for encoding in (*guessed, *_FALLBACK_ENCODINGS):
        key = encoding.replace("_", "-").lower()
        if key in tried:
            continue
        tried.add(key)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        yield _XML_ENCODING.sub(rb"\1\2utf-8\2", text.lstrip("\ufeff").encode("utf-8"), 1)


def _readability(parsed: Any) -> tuple[int, int]:
    """Rank parse results: more titled entries first, then fewer garbled characters."""
    titled = sum(1 for entry in parsed.entries if _text(entry, "title").strip())
    return titled, -_mojibake_count(parsed)


def _mojibake_count(parsed: Any) -> int:
    sample = " ".join(
        _text(entry, "title") + " " + _text(entry, "summary")[:300] for entry in parsed.entries[:30]
    )
    return len(_MOJIBAKE.findall(sample))


def _items(entries: Iterable[Any], context: _ItemContext) -> Iterator[FeedItem]:
    for entry in entries:
        item = _item(entry, context)
        if item is not None:
            yield item


def _item(entry: Any, context: _ItemContext) -> FeedItem | None:
    """Build one item, or None when the entry has neither a title nor a link."""
    link = _absolute(context.feed_url, _text(entry, "link"))
    own_title = _plain(_text(entry, "title"))
    summary = _truncate(_plain(_summary_html(entry)), SUMMARY_CHARS)
    title = own_title or _truncate(summary, _TITLE_FROM_SUMMARY_CHARS)
    if not title or not (own_title or link):
        return None
    published = _published(entry)
    return FeedItem(
        guid=_text(entry, "id").strip() or link or _hash_guid(title, published),
        url=link,
        title=title,
        summary=summary,
        published=published,
        source=context.source,
        language=context.language or guess_language(f"{title} {summary}"),
        author=_plain(_text(entry, "author")) or None,
    )


def _newest(items: Iterable[FeedItem]) -> list[FeedItem]:
    """The ``MAX_ITEMS`` newest items, newest first; undated ones keep document order last."""
    items = list(items)
    dated = [item for item in items if item.published is not None]
    undated = [item for item in items if item.published is None]
    dated.sort(key=lambda item: item.published or _EPOCH, reverse=True)
    return (dated + undated)[:MAX_ITEMS]


def _text(mapping: Any, key: str) -> str:
    """A string field of a feedparser dict, ``""`` when absent or not a string."""
    # dict.get, not the FeedParserDict lookup: that maps a missing "updated" onto
    # "published" with a DeprecationWarning.
    value = dict.get(mapping, key, "")
    return value if isinstance(value, str) else ""


def _summary_html(entry: Any) -> str:
    """The entry's summary, or the first content block when there is no summary."""
    summary = _text(entry, "summary")
    if summary.strip():
        return summary
    for block in entry.get("content", []) or []:
        value = block.get("value", "") if hasattr(block, "get") else ""
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _plain(value: str) -> str:
    """HTML fragment or text → plain text with entities unescaped and spaces collapsed.

    >>> _plain("  <p>Talks in <b>Istanbul</b>&nbsp;&amp;amp; Geneva</p>\\n")
    'Talks in Istanbul & Geneva'
    """
    if "<" in value or "&" in value:
        with warnings.catch_warnings():
            # Short fragments that look like a URL or filename make bs4 warn; they are text.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            value = BeautifulSoup(value, "html.parser").get_text(" ")
        # Many feeds escape their HTML twice; one more pass undoes the outer layer.
        if _ENTITY.search(value):
            value = html.unescape(value)
    return " ".join(value.split())


def _truncate(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` characters, at a sentence end when one is near, else a word.

    >>> _truncate("First sentence here. Second one is much longer than the limit.", 40)
    'First sentence here.'
    >>> _truncate("no sentence end in this long run of words", 20)
    'no sentence end in…'
    """
    if len(text) <= limit:
        return text
    head = text[:limit]
    end = end_within(text, limit)
    if end >= limit // 2:
        return head[:end].strip()
    cut = head.rsplit(" ", 1)[0] if " " in head else head[: limit - 1]
    return cut.rstrip(" ,;:-–—") + "…"


def _absolute(base: str, link: str) -> str:
    link = link.strip()
    if not link:
        return ""
    try:
        return urljoin(base, link)
    except ValueError:  # e.g. an invalid IPv6 literal in the link
        return ""


def _published(entry: Any) -> datetime | None:
    """Aware UTC date from published/updated, with dateparser for dates feedparser misses.

    feedparser understands RFC 822/3339 and friends; dateparser rescues localised ones
    such as ``Seg, 24 Set 2018 19:42:40 -0300`` or ``29 сентября 2020``.
    """
    for key in ("published_parsed", "updated_parsed"):
        value = dict.get(entry, key)
        if value:
            try:
                year, month, day, hour, minute, second = value[:6]
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    for key in ("published", "updated"):
        raw = _text(entry, key).strip()
        if raw and len(raw) <= 64:
            parsed = _dateparser(raw)
            if parsed is not None:
                return parsed
    return None


def _dateparser(raw: str) -> datetime | None:
    try:
        value = dateparser.parse(raw, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError, re.error, AttributeError):
        return None
    if value is None or value.tzinfo is None:
        return None
    return value.astimezone(UTC)


def _ttl_minutes(channel: Any) -> int | None:
    """Minutes between updates from ``<ttl>``, else from ``sy:updatePeriod``/``Frequency``.

    >>> _ttl_minutes({"ttl": " 30 "}), _ttl_minutes({"sy_updateperiod": "hourly",
    ...     "sy_updatefrequency": "2"}), _ttl_minutes({})
    (30, 30, None)
    """
    ttl = _text(channel, "ttl").strip()
    if ttl.isdigit() and int(ttl) > 0:
        return int(ttl)
    period = _SY_PERIOD_MINUTES.get(_text(channel, "sy_updateperiod").strip().lower())
    if period is None:
        return None
    frequency = _text(channel, "sy_updatefrequency").strip()
    per_period = int(frequency) if frequency.isdigit() and int(frequency) > 0 else 1
    return max(1, period // per_period)


def _hash_guid(title: str, published: datetime | None) -> str:
    stamp = published.isoformat() if published else ""
    return "sha256:" + hashlib.sha256(f"{title}\n{stamp}".encode()).hexdigest()[:32]


def _failure_message(parsed: Any, url: str) -> str:
    """Say why nothing usable came out: broken XML, not a feed, or simply no items."""
    problem = parsed.get("bozo_exception")
    detail = f" ({type(problem).__name__}: {problem})" if problem else ""
    if not parsed.get("version") and not parsed.entries:
        return f"not an RSS/Atom feed: {url or '<bytes>'}{detail}"
    return f"feed has no usable items (no entry with a title or link): {url or '<bytes>'}{detail}"
