"""Turn one web page into an :class:`~digest.models.Article` ("send a link, get the gist").

The page is parsed once with lxml; metadata (:mod:`digest.reader.metadata`) and the body
(:mod:`digest.reader.body`) are both read from that tree. Any input — broken markup, an empty
string, a page of nothing but links — ends as an ``Article`` or :class:`NoArticleFound`.

>>> html = ("<html lang='en'><head><title>Bridge over the Dnipro reopens | Example News"
...         "</title></head><body><article><h1>Bridge over the Dnipro reopens</h1><p>"
...         + "Traffic returned to the bridge. " * 12 +
...         "</p></article></body></html>")
>>> fields = _extract_fields(html, "https://news.example/bridge")
>>> fields.title, fields.language, fields.text[:31]
('Bridge over the Dnipro reopens', 'en', 'Traffic returned to the bridge.')
"""

from __future__ import annotations

from dataclasses import replace

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from digest.errors import NoArticleFound
from digest.language.detect import guess_language
from digest.models import Article
from digest.quotes.find import find_quotes
from digest.reader.body import Block, drop_promos, extract_blocks, is_article
from digest.reader.metadata import read_metadata

# Pages are cut to this many characters before parsing: an article's text sits in its first
# megabytes, and a hostile 50 MB line should cost seconds at most, not the machine's memory.
MAX_HTML_CHARS = 5_000_000
# Parsing bytes with a fixed encoding lets lxml accept strings that carry an XML
# encoding declaration (which it refuses in a ``str``) and lone surrogates.
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
# Typographic quote marks a quoted paragraph may already start with.
_OPENING_QUOTES = "\"“”„«‘'‹"
# The headline, when repeated in the body, is among its first few paragraphs.
_HEADLINE_SEARCH = 3


def extract_article(html: str, url: str) -> Article:
    """Extract body, metadata and direct quotes from ``html`` fetched at ``url``.

    Raises :class:`NoArticleFound` for pages with no article body (home pages, link lists,
    search results, empty or unparsable pages).
    """
    article = _extract_fields(html, url)
    return replace(article, quotes=find_quotes(article.text, language=article.language))


def _extract_fields(html: str, url: str) -> Article:
    """Everything of :func:`extract_article` except the quotes."""
    tree = parse_page(html)
    meta = read_metadata(tree, url)
    blocks = _without_title(drop_promos(extract_blocks(tree)), meta.title)
    if not is_article(blocks):
        raise NoArticleFound(f"no article body found at {url}")
    text = join_blocks(blocks)
    return Article(
        url=url,
        canonical_url=meta.canonical_url,
        title=meta.title or "",
        author=meta.author,
        published=meta.published,
        site_name=meta.site_name,
        language=meta.language or guess_language(text),
        text=text,
        description=meta.description,
    )


def parse_page(html: str) -> HtmlElement:
    """Parse ``html`` into an lxml tree; unparsable or empty input is ``NoArticleFound``.

    >>> parse_page("<p>Hi").tag
    'html'
    """
    data = html[:MAX_HTML_CHARS].encode("utf-8", "replace")
    try:
        tree = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise NoArticleFound(f"the page cannot be parsed: {error}") from error
    if not isinstance(tree, HtmlElement):
        raise NoArticleFound("the page is not HTML")
    return tree


def _without_title(blocks: list[Block], title: str | None) -> list[Block]:
    """Drop the headline when it opens the body (it is already in ``title``).

    The body's headline may be the title less the site name, or the title may be a
    shortened headline: one contained in the other, covering at least half of it, counts.

    >>> [b.text for b in _without_title([Block("Bridge reopens"), Block("Cars.")], "Bridge reopens")]
    ['Cars.']
    >>> [b.text for b in _without_title([Block("Bridge reopens (Daily)"), Block("Cars.")],
    ...                                 "Bridge reopens")]
    ['Cars.']
    """
    for index, block in enumerate(blocks[:_HEADLINE_SEARCH]):
        if _repeats_title(block.text, title):
            return blocks[:index] + blocks[index + 1 :]
    return blocks


def _repeats_title(text: str, title: str | None) -> bool:
    """Whether ``text`` is the headline again (see :func:`_without_title`).

    >>> _repeats_title("Kyiv", "Kyiv hit by drones")
    False
    """
    shorter, longer = sorted((_folded(text), _folded(title)), key=len)
    return bool(shorter) and shorter in longer and len(shorter) * 2 >= len(longer)


def _folded(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def join_blocks(blocks: list[Block]) -> str:
    """Paragraphs separated by blank lines; block-quoted ones wrapped in “…” unless they
    already open with a quote mark.

    >>> join_blocks([Block("Said so."), Block("We stay.", quoted=True)])
    'Said so.\\n\\n“We stay.”'
    """
    return "\n\n".join(_quoted(block.text) if block.quoted else block.text for block in blocks)


def _quoted(text: str) -> str:
    return text if text.startswith(tuple(_OPENING_QUOTES)) else f"“{text}”"
