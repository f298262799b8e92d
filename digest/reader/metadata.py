"""Page metadata: title, byline, publication time, site, language, canonical URL.

Sources are read in order of how much publishers mean them: JSON-LD article objects first
(also inside ``@graph`` or as a page's ``mainEntity``), then OpenGraph / Dublin Core /
Parse.ly / plain ``<meta>`` tags, then what a reader sees (a byline element, a ``<time>``
tag, a dateline found by htmldate).

>>> import lxml.html
>>> page = lxml.html.document_fromstring(
...     '<html lang="en-GB"><head><meta property="og:title" content="Kyiv quiet overnight">'
...     '<meta name="author" content="By Jane Doe"></head><body><p>Text</p></body></html>')
>>> meta = read_metadata(page, "https://news.example/a")
>>> meta.title, meta.author, meta.language
('Kyiv quiet overnight', 'Jane Doe', 'en')
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin

import htmldate
from dateutil import parser as date_parser
from lxml.html import HtmlElement
from readability.htmls import shorten_title

from digest.instants import aware
from digest.language.detect import normalize_language
from digest.language.words import words

Json = dict[str, object]

# schema.org types whose object describes the page's own text.
_ARTICLE_TYPE = re.compile(r"(Article|BlogPosting|Posting|Report|Review|LiveBlogPosting)$")
_BYLINE_HINT = re.compile(r"byline|author|writtenby|p-author|article-by|creator", re.I)
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|words|text|reported)\s+)?(?:by|par|von|por|di|автор(?:и|ка)?|"
    r"author(?:s)?|текст|фото)\b\s*[:\-–—]?\s*",
    re.I,
)
_NAME_SEPARATOR = re.compile(r"\s*(?:,|;|\band\b|&|\bі\b|\bи\b|\bта\b|\bund\b|\bet\b|\by\b)\s*")
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|org|net)/", re.I)
_MAX_BYLINE_CHARS = 120
# XHTML-minded pages wrap script bodies in a CDATA section, which is not JSON.
_CDATA = re.compile(r"^\s*<!\[CDATA\[|\]\]>\s*$")
# A day given without a time is placed at noon UTC: it then reads as that same calendar
# day in every time zone from UTC-11 to UTC+11, instead of slipping to the day before.
_DATE_ONLY_HOUR = 12
_EARLIEST_YEAR = 1990


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Everything about a page except its body text; ``None`` where nothing was found."""

    title: str | None
    author: str | None
    published: datetime | None
    site_name: str | None
    language: str | None
    description: str | None
    canonical_url: str


@dataclass(frozen=True, slots=True)
class _Sources:
    """The raw material, gathered once per page."""

    tree: HtmlElement
    article: Json
    meta: dict[str, str]


def read_metadata(tree: HtmlElement, url: str) -> PageMetadata:
    """Read every metadata field of a parsed page (the tree is not changed)."""
    sources = _Sources(tree, _article_fields(tree), meta_values(tree))
    return PageMetadata(
        title=_title(sources),
        author=_author(sources),
        published=_published(sources),
        site_name=_site_name(sources),
        language=_language(sources),
        description=_first(
            _json_text(sources.article, "description"), *_metas(sources, _DESCRIPTION)
        ),
        canonical_url=_canonical_url(sources, url),
    )


# ---------------------------------------------------------------- raw sources


def meta_values(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lower-cased ``property``/``name``/``itemprop``; the first wins.

    >>> import lxml.html
    >>> page = lxml.html.document_fromstring(
    ...     '<meta property="og:title article:title" content="A"><meta name="OG:TITLE" content="B">')
    >>> meta_values(page)["og:title"], meta_values(page)["article:title"]
    ('A', 'A')
    """
    values: dict[str, str] = {}
    for node in tree.iter("meta"):
        content = (node.get("content") or "").strip()
        keys = " ".join(node.get(attr) or "" for attr in ("property", "name", "itemprop"))
        equiv = (node.get("http-equiv") or "").lower()
        for key in keys.lower().split() + ([equiv] if equiv else []):
            if content:
                values.setdefault(key, content)
    return values


def json_ld_objects(tree: HtmlElement) -> Iterator[Json]:
    """Every JSON object in the page's JSON-LD scripts, nested ones included, in order."""
    for script in tree.xpath('//script[contains(@type, "ld+json")]'):
        try:
            data = json.loads(_CDATA.sub("", script.text or ""), strict=False)
        except (ValueError, RecursionError):
            continue  # a broken block must not hide the rest of the page
        yield from _walk_json(data)


def _walk_json(data: object) -> Iterator[Json]:
    # Explicit stack: a hostile page may nest JSON deeper than Python's recursion limit.
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, dict | list)]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _article_fields(tree: HtmlElement) -> Json:
    """Fields of the page's JSON-LD article objects; the first object to name a field wins
    (a page may split one story over a ``NewsArticle`` and a nested ``Article``)."""
    merged: Json = {}
    for item in json_ld_objects(tree):
        types = item.get("@type")
        names = types if isinstance(types, list) else [types]
        if any(isinstance(name, str) and _ARTICLE_TYPE.search(name) for name in names):
            for key, value in item.items():
                merged.setdefault(key, value)
    return merged


def _json_text(item: Json, key: str) -> str | None:
    return _as_text(item.get(key))


def _as_text(value: object) -> str | None:
    """A JSON-LD value as text: a string, a ``{"name": …}`` object, or the first of a list.

    Many CMSs write JSON-LD strings HTML-escaped (``&quot;``, ``&#8217;``), though JSON needs
    no such escaping inside a script element; entities are resolved once, as a browser
    would show them.

    >>> _as_text('Strike on &quot;Kharkiv&quot; &amp; Izium')
    'Strike on "Kharkiv" & Izium'
    """
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    return _clean_space(html.unescape(value)) if isinstance(value, str) else None


def _metas(sources: _Sources, keys: tuple[str, ...]) -> list[str | None]:
    return [sources.meta.get(key) for key in keys]


def _first(*values: str | None) -> str | None:
    """The first value with visible text, whitespace collapsed."""
    for value in values:
        cleaned = _clean_space(value)
        if cleaned:
            return cleaned
    return None


def _clean_space(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


# ---------------------------------------------------------------- title and site

_TITLE = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "twitter:title",
    "parsely-title",
    "sailthru.title",
    "title",
)
_SITE = ("og:site_name", "application-name", "publisher", "dc.publisher")
_DESCRIPTION = ("description", "og:description", "twitter:description", "dc.description")


def _title(sources: _Sources) -> str | None:
    """JSON-LD headline, then title metas, then the ``<title>`` cut to its headline part."""
    headline = _json_ld_headline(sources)
    # shorten_title runs CSS queries over the whole page: only when nothing better exists.
    return _first(headline, *_metas(sources, _TITLE)) or _first(shorten_title(sources.tree))


def _json_ld_headline(sources: _Sources) -> str | None:
    """JSON-LD ``headline`` or ``name``: when both are given and differ, the one sharing
    more words with the ``<title>`` (some sites put a one-line summary in ``headline``)."""
    headline = _json_text(sources.article, "headline")
    name = _json_text(sources.article, "name")
    if not (headline and name) or headline == name:
        return headline or name
    title = _word_set(sources.tree.findtext(".//title"))
    return max((headline, name), key=lambda text: len(_word_set(text) & title))


def _word_set(text: str | None) -> set[str]:
    """Lower-cased words of ``text``.

    >>> sorted(_word_set("Hermitian matrix - Wikipedia"))
    ['hermitian', 'matrix', 'wikipedia']
    """
    return set(words((text or "").lower()))


def _site_name(sources: _Sources) -> str | None:
    return _first(*_metas(sources, _SITE), _json_text(sources.article, "publisher"))


# ---------------------------------------------------------------- author

_AUTHOR = (
    "dc:creator",
    "dcterm:creator",
    "dc.creator",
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "byl",
)


def _author(sources: _Sources) -> str | None:
    """Byline from JSON-LD, then meta tags, then a visible byline element."""
    for candidate in (_json_ld_author(sources.article), *_metas(sources, _AUTHOR)):
        name = clean_byline(candidate)
        if name:
            return name
    return _visible_byline(sources.tree)


def _json_ld_author(item: Json) -> str | None:
    value = item.get("author") or item.get("creator")
    people = value if isinstance(value, list) else [value]
    names = [_as_text(person) for person in people]
    return ", ".join(name for name in names if name) or None


def clean_byline(raw: str | None) -> str | None:
    """A byline reduced to names: no "By"/"Автор:" prefix, URLs and overlong text refused.

    >>> clean_byline("By Jane Doe and John Roe")
    'Jane Doe, John Roe'
    >>> clean_byline("Автор: Олена Петренко")
    'Олена Петренко'
    >>> clean_byline("https://www.facebook.com/someone") is None
    True
    """
    text = _clean_space(raw)
    if not text or _URL_LIKE.search(text) or len(text) > _MAX_BYLINE_CHARS:
        return None
    text = _BYLINE_PREFIX.sub("", text, count=1).strip(" :|-–—·")
    names = [name.strip(" .") for name in _NAME_SEPARATOR.split(text)]
    return ", ".join(name for name in names if name) or None


def _visible_byline(tree: HtmlElement) -> str | None:
    """Text of the first short element marked as a byline (``rel=author``, ``itemprop``,
    or a class/id such as ``byline``/``author``)."""
    marked = tree.xpath(
        '//body//*[@rel="author" or @itemprop="author" or @class or @id]'
        '[not(self::script or self::style or self::meta or self::link)]'
    )
    for node in marked:
        hint = " ".join(node.get(a) or "" for a in ("rel", "itemprop", "class", "id"))
        if not _BYLINE_HINT.search(hint):
            continue
        name = clean_byline(node.text_content())
        if name and len(name.split()) <= 8:
            return name
    return None


# ---------------------------------------------------------------- publication time

_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "parsely-pub-date",
    "datepublished",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "publishdate",
    "pubdate",
    "date",
)


def _published(sources: _Sources) -> datetime | None:
    """JSON-LD ``datePublished``, then meta tags, then a ``<time>`` tag, then htmldate."""
    candidates = [
        _json_text(sources.article, "datePublished"),
        _json_text(sources.article, "dateCreated"),
        *_metas(sources, _PUBLISHED),
        *sources.tree.xpath("//time[@pubdate or @itemprop='datePublished']/@datetime")[:1],
    ]
    for candidate in candidates:
        moment = parse_datetime(candidate)
        if moment:
            return moment
    return _visible_date(sources.tree)


def _visible_date(tree: HtmlElement) -> datetime | None:
    """htmldate's reading of the page (URL, visible datelines, attributes), day only."""
    try:
        found = htmldate.find_date(tree, extensive_search=True, original_date=True)
    except (ValueError, TypeError, RecursionError):
        return None
    return parse_datetime(found)


def parse_datetime(raw: str | None) -> datetime | None:
    """A timezone-aware moment from an ISO or free-form date; naive times are taken as UTC.

    >>> parse_datetime("2024-03-12T14:05:00+02:00").isoformat()
    '2024-03-12T14:05:00+02:00'
    >>> parse_datetime("2024-03-12").isoformat()
    '2024-03-12T12:00:00+00:00'
    >>> parse_datetime("soon") is None
    True
    """
    text = _clean_space(raw)
    if not text or not any(char.isdigit() for char in text):
        return None
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except ValueError:
        moment = _parse_free_form(text)
    if moment is None or not _EARLIEST_YEAR <= moment.year <= datetime.now(UTC).year + 1:
        return None
    moment = aware(moment)
    if len(text) <= 10 and moment.hour == moment.minute == 0:
        moment += timedelta(hours=_DATE_ONLY_HOUR)
    return moment


def _parse_free_form(text: str) -> datetime | None:
    try:
        return date_parser.parse(text)
    except (ValueError, OverflowError, TypeError):
        return None


# ---------------------------------------------------------------- language and URL

_LANGUAGE = ("og:locale", "content-language", "language", "dc.language", "inlanguage")


def _language(sources: _Sources) -> str | None:
    """``<html lang>``, og:locale, JSON-LD ``inLanguage``, content-language, in that order."""
    html_lang = sources.tree.get("lang") or sources.tree.get("xml:lang")
    json_lang = _json_text(sources.article, "inLanguage")
    raw = _first(html_lang, sources.meta.get("og:locale"), json_lang, *_metas(sources, _LANGUAGE))
    return normalize_language(raw)


def _canonical_url(sources: _Sources, url: str) -> str:
    """``<link rel=canonical>``, og:url or JSON-LD ``url``, made absolute against ``url``.

    Anything that is not http(s) after joining falls back to the page's own URL.
    """
    links = sources.tree.xpath('//link[contains(concat(" ", @rel, " "), " canonical ")]/@href')
    raw = _first(*links[:1], sources.meta.get("og:url"), _json_text(sources.article, "url"))
    if not raw:
        return url
    try:
        joined = urljoin(url, raw)
    except ValueError:  # e.g. an invalid IPv6 host in the href
        return url
    return joined if joined.startswith(("http://", "https://")) else url
