"""The outlets the digest reads: a built-in list, OPML import/export, and merging.

The built-in feeds come from the feed-URL notes in ``shared/sources/war-news-feeds.md``
(confidence A = in a maintained calibre recipe, B = in several public projects; C-grade
URLs are left out). English feeds are on by default; Ukrainian- and Russian-language feeds
are present but off, so an English digest does not mix languages unless asked to. TASS is
kept, off, and labelled ``russian_state`` so the digest can show it as such.

>>> enabled = [s.name for s in DEFAULT_SOURCES if s.enabled_by_default]
>>> "Kyiv Independent" in enabled, "TASS" in enabled
(True, False)
>>> SourceKind.RUSSIAN_STATE.label
'Russian state media'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from digest.errors import InvalidURL
from digest.feeds.channel_catalogue import CHANNELS
from digest.feeds.telegram import preview_url
from digest.language.detect import normalize_language
from digest.urls import normalize_url


class SourceKind(StrEnum):
    """Who publishes a feed; the digest shows the label next to each item."""

    UKRAINIAN_MEDIA = "ukrainian_media"
    UKRAINIAN_OFFICIAL = "ukrainian_official"
    RUSSIAN_INDEPENDENT = "russian_independent"
    RUSSIAN_STATE = "russian_state"
    INTERNATIONAL = "international"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @classmethod
    def parse(cls, value: str | None) -> SourceKind:
        """Read a kind from its value or label, any case, with or without a leading ``/``.

        Unknown or missing kinds fall back to ``international``, the most neutral label.

        >>> SourceKind.parse("/Ukrainian media").value, SourceKind.parse("blog").value
        ('ukrainian_media', 'international')
        """
        wanted = (value or "").strip().strip("/").lower().replace("-", "_").replace(" ", "_")
        for kind in cls:
            if wanted in (kind.value, kind.label.lower().replace(" ", "_")):
                return kind
        return cls.INTERNATIONAL


_KIND_LABELS = {
    SourceKind.UKRAINIAN_MEDIA: "Ukrainian media",
    SourceKind.UKRAINIAN_OFFICIAL: "Ukrainian official",
    SourceKind.RUSSIAN_INDEPENDENT: "Russian independent media",
    SourceKind.RUSSIAN_STATE: "Russian state media",
    SourceKind.INTERNATIONAL: "International media",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One feed of one outlet. ``language`` is a primary subtag (``en``, ``uk``, ``ru``)."""

    name: str
    feed_url: str
    language: str | None
    kind: SourceKind
    enabled_by_default: bool
    homepage: str | None = None


class OPMLError(ValueError):
    """The bytes are not an OPML document the bot can read."""


def _source(name: str, url: str, lang: str, kind: SourceKind, home: str) -> Source:
    # Enabled by default exactly when the feed is in English, except state media.
    enabled = lang == "en" and kind is not SourceKind.RUSSIAN_STATE
    return Source(name, url, lang, kind, enabled, home)


_UA = SourceKind.UKRAINIAN_MEDIA
_UA_OFFICIAL = SourceKind.UKRAINIAN_OFFICIAL
_RU_INDEPENDENT = SourceKind.RUSSIAN_INDEPENDENT
_WORLD = SourceKind.INTERNATIONAL

_FEEDS: tuple[Source, ...] = (
    # Ukrainian outlets, English editions (on by default).
    _source("Kyiv Independent", "https://kyivindependent.com/feed/", "en", _UA,
            "https://kyivindependent.com/"),
    _source("Ukrainska Pravda", "https://www.pravda.com.ua/eng/rss/", "en", _UA,
            "https://www.pravda.com.ua/eng/"),
    # Ukrinform is the state news agency of Ukraine: the official voice among these feeds.
    _source("Ukrinform", "https://www.ukrinform.net/rss/block-lastnews", "en", _UA_OFFICIAL,
            "https://www.ukrinform.net/"),
    _source("UNIAN", "https://rss.unian.net/site/news_eng.rss", "en", _UA,
            "https://www.unian.info/"),
    _source("NV", "https://english.nv.ua/rss/all_english.xml", "en", _UA,
            "https://english.nv.ua/"),
    _source("Kyiv Post", "https://www.kyivpost.com/feed", "en", _UA, "https://www.kyivpost.com/"),
    _source("Euromaidan Press", "https://euromaidanpress.com/feed/", "en", _UA,
            "https://euromaidanpress.com/"),
    # International outlets (on by default; the relevance filter keeps the war items).
    _source("BBC News Europe", "https://feeds.bbci.co.uk/news/world/europe/rss.xml", "en",
            _WORLD, "https://www.bbc.com/news/world/europe"),
    _source("The Guardian World", "https://www.theguardian.com/world/rss", "en", _WORLD,
            "https://www.theguardian.com/world"),
    _source("Al Jazeera", "https://www.aljazeera.com/xml/rss/all.xml", "en", _WORLD,
            "https://www.aljazeera.com/"),
    _source("Deutsche Welle", "https://rss.dw.com/xml/rss-en-all", "en", _WORLD,
            "https://www.dw.com/en/"),
    _source("New York Times World", "https://rss.nytimes.com/services/xml/rss/nyt/World.xml",
            "en", _WORLD, "https://www.nytimes.com/section/world"),
    _source("Bellingcat", "https://www.bellingcat.com/feed/", "en", _WORLD,
            "https://www.bellingcat.com/"),
    # Russian independent outlets in English (on by default).
    _source("Meduza", "https://meduza.io/rss2/en/news", "en", _RU_INDEPENDENT,
            "https://meduza.io/en"),
    _source("The Moscow Times", "https://www.themoscowtimes.com/rss/news", "en", _RU_INDEPENDENT,
            "https://www.themoscowtimes.com/"),
    _source("Novaya Gazeta Europe", "https://novayagazeta.eu/feed/rss/en", "en", _RU_INDEPENDENT,
            "https://novayagazeta.eu/"),
    # Russian state media, for contrast only (off by default).
    _source("TASS", "https://tass.com/rss/v2.xml", "en", SourceKind.RUSSIAN_STATE,
            "https://tass.com/"),
    # Ukrainian-language feeds (off by default).
    _source("Ukrainska Pravda (uk)", "https://www.pravda.com.ua/rss/", "uk", _UA,
            "https://www.pravda.com.ua/"),
    _source("Ukrinform (uk)", "https://www.ukrinform.ua/rss/block-lastnews", "uk", _UA_OFFICIAL,
            "https://www.ukrinform.ua/"),
    _source("UNIAN (uk)", "https://rss.unian.net/site/news_ukr.rss", "uk", _UA,
            "https://www.unian.ua/"),
    _source("RBC-Ukraine (uk)", "https://www.rbc.ua/static/rss/all.ukr.rss.xml", "uk", _UA,
            "https://www.rbc.ua/"),
    _source("Suspilne", "https://suspilne.media/rss/all.rss", "uk", _UA, "https://suspilne.media/"),
    _source("Radio Svoboda (uk)", "https://www.radiosvoboda.org/api/zrqiteuuir", "uk", _WORLD,
            "https://www.radiosvoboda.org/"),
    _source("Interfax-Ukraine (uk)", "https://interfax.com.ua/news/last.rss", "uk", _UA,
            "https://interfax.com.ua/"),
    _source("LIGA.net (uk)", "https://www.liga.net/newsua/all/rss.xml", "uk", _UA,
            "https://www.liga.net/"),
    _source("Dzerkalo Tyzhnia (uk)", "https://zn.ua/ukr/rss/full.rss", "uk", _UA, "https://zn.ua/"),
    _source("Kyiv Post (uk)", "https://www.kyivpost.com/uk/feed", "uk", _UA,
            "https://www.kyivpost.com/uk"),
    _source("BBC News Ukrainian", "https://feeds.bbci.co.uk/ukrainian/rss.xml", "uk", _WORLD,
            "https://www.bbc.com/ukrainian"),
    _source("Bellingcat (uk)", "https://uk.bellingcat.com/feed/", "uk", _WORLD,
            "https://uk.bellingcat.com/"),
    # Russian-language feeds (off by default).
    _source("Ukrainska Pravda (ru)", "https://www.pravda.com.ua/rus/rss/", "ru", _UA,
            "https://www.pravda.com.ua/rus/"),
    _source("Ukrinform (ru)", "https://www.ukrinform.ru/rss/block-lastnews", "ru", _UA_OFFICIAL,
            "https://www.ukrinform.ru/"),
    _source("UNIAN (ru)", "https://rss.unian.net/site/news_rus.rss", "ru", _UA,
            "https://www.unian.net/"),
    _source("RBC-Ukraine (ru)", "https://www.rbc.ua/static/rss/all.rus.rss.xml", "ru", _UA,
            "https://www.rbc.ua/rus/"),
    _source("Meduza (ru)", "https://meduza.io/rss2/news", "ru", _RU_INDEPENDENT,
            "https://meduza.io/"),
    _source("Novaya Gazeta Europe (ru)", "https://novayagazeta.eu/feed/rss/ru", "ru",
            _RU_INDEPENDENT, "https://novayagazeta.eu/"),
    _source("Current Time", "https://www.currenttime.tv/api/zgbip_e_tpp_", "ru", _WORLD,
            "https://www.currenttime.tv/"),
    _source("BBC News Russian", "https://feeds.bbci.co.uk/russian/rss.xml", "ru", _WORLD,
            "https://www.bbc.com/russian"),
    _source("Deutsche Welle (ru)", "https://rss.dw.com/xml/rss-ru-all", "ru", _WORLD,
            "https://www.dw.com/ru/"),
)

# Public Telegram channels (digest.feeds.channel_catalogue), on or off by language like
# the feeds; the "feed" is the channel's public preview page.
_CHANNELS: tuple[Source, ...] = tuple(
    _source(c.title, preview_url(c.name), c.language, SourceKind(c.kind), f"https://t.me/{c.name}")
    for c in CHANNELS
)

DEFAULT_SOURCES: tuple[Source, ...] = (*_FEEDS, *_CHANNELS)


def load_opml(data: bytes) -> list[Source]:
    """Read every outline with an ``xmlUrl``, however deeply nested, in document order.

    ``kind`` comes from a ``kind`` attribute, else OPML's ``category``, else the nearest
    enclosing folder outline that has one; ``language`` likewise. Outlines are enabled
    unless ``enabled="false"``. DTDs, entities and network access are refused.

    >>> load_opml(b'<opml version="2.0"><body><outline text="War" kind="ukrainian_media" '
    ...           b'language="uk"><outline text="UP" xmlUrl="https://up.example/rss"/>'
    ...           b'</outline></body></opml>')  # doctest: +NORMALIZE_WHITESPACE
    [Source(name='UP', feed_url='https://up.example/rss', language='uk',
            kind=<SourceKind.UKRAINIAN_MEDIA: 'ukrainian_media'>, enabled_by_default=True,
            homepage=None)]
    """
    body = _opml_root(data).find("body")
    if body is None:
        raise OPMLError("OPML document has no <body>")
    return list(_outline_sources(body, kind=None, language=None))


def dump_opml(sources: Iterable[Source], *, title: str = "War digest sources") -> bytes:
    """Write ``sources`` as an OPML 2.0 document that :func:`load_opml` reads back.

    >>> load_opml(dump_opml(DEFAULT_SOURCES)) == list(DEFAULT_SOURCES)
    True
    """
    root = etree.Element("opml", version="2.0")
    etree.SubElement(etree.SubElement(root, "head"), "title").text = title
    body = etree.SubElement(root, "body")
    for source in sources:
        etree.SubElement(body, "outline", _outline_attributes(source))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def merge_sources(
    base: Iterable[Source], extra: Iterable[Source], *, replace: bool
) -> tuple[Source, ...]:
    """Combine the built-in list with a user's list (the ``SOURCES_FILE`` setting).

    ``replace=True`` keeps only ``extra``. Otherwise ``extra`` extends ``base``: a feed URL
    already in ``base`` is overridden in place (so a user can rename, re-label or disable a
    built-in feed), new ones are appended. Duplicate feed URLs keep their last definition;
    URLs are compared without scheme, letter case of the host, or trailing slash.

    >>> user = Source("TASS", "http://TASS.com/rss/v2.xml/", "en", SourceKind.RUSSIAN_STATE, True)
    >>> merged = merge_sources(DEFAULT_SOURCES, [user], replace=False)
    >>> len(merged) == len(DEFAULT_SOURCES), [s for s in merged if s.name == "TASS"] == [user]
    (True, True)
    """
    merged: dict[str, Source] = {}
    for source in [*([] if replace else base), *extra]:
        merged[feed_key(source.feed_url) or source.feed_url] = source
    return tuple(merged.values())


def _opml_root(data: bytes) -> etree._Element:
    # No DTD, no entity expansion, no network: an OPML file from a user is untrusted input
    # (billion-laughs and XXE documents come back as errors or unexpanded text).
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"not well-formed OPML: {exc}") from exc
    if root is None or etree.QName(root).localname != "opml":
        raise OPMLError("not an OPML document (the root element is not <opml>)")
    return root


def _outline_sources(
    parent: etree._Element, *, kind: str | None, language: str | None
) -> Iterator[Source]:
    """Walk outlines depth-first, passing folder kind/language down to their feeds."""
    for outline in parent:
        if not isinstance(outline.tag, str) or etree.QName(outline).localname != "outline":
            continue
        own_kind = outline.get("kind") or outline.get("category") or kind
        own_language = outline.get("language") or language
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            yield _outline_source(outline, url, own_kind, own_language)
        yield from _outline_sources(outline, kind=own_kind, language=own_language)


def _outline_source(
    outline: etree._Element, url: str, kind: str | None, language: str | None
) -> Source:
    name = (outline.get("title") or outline.get("text") or "").strip() or url
    return Source(
        name=name,
        feed_url=url,
        language=normalize_language(language),
        kind=SourceKind.parse(kind),
        enabled_by_default=(outline.get("enabled") or "true").strip().lower()
        not in {"false", "0", "no", "off"},
        homepage=(outline.get("htmlUrl") or "").strip() or None,
    )


def _outline_attributes(source: Source) -> dict[str, str]:
    attributes = {
        "type": "rss",
        "text": source.name,
        "title": source.name,
        "xmlUrl": source.feed_url,
        "kind": source.kind.value,
        "category": f"/{source.kind.label}",
        "enabled": "true" if source.enabled_by_default else "false",
    }
    if source.language:
        attributes["language"] = source.language
    if source.homepage:
        attributes["htmlUrl"] = source.homepage
    return attributes


def feed_key(url: str) -> str | None:
    """A feed URL in a form that ignores scheme, host case, default port and trailing slash;
    None when it is not an http(s) URL at all.

    >>> feed_key("HTTP://Example.org:80/rss/") == feed_key("https://example.org/rss")
    True
    """
    try:
        normalized = normalize_url(url)
    except InvalidURL:
        return None
    return normalized.split("://", 1)[1].rstrip("/")
