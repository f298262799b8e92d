"""Main text of a page: find the node that holds the article, then clean and flatten it.

The article node is found by :mod:`digest.reader.article_node` and cleared of clutter containers
(link lists, image strips, forms) by :mod:`digest.reader.cleaning`; what else sits around the text
inside that node (share bars, "related" boxes, photo captions, "subscribe to our channel"
promos) is dropped here, and the rest is flattened into paragraphs. Paragraphs from a
``<blockquote>`` are marked so the caller can present them as direct quotes.

>>> import lxml.html
>>> page = lxml.html.document_fromstring(
...     "<body><article><p>" + "The council met on Monday to discuss repairs. " * 8 + "</p>"
...     "<blockquote><p>We will rebuild every school.</p></blockquote>"
...     "<div class='share-bar'><a href='#'>Share on Facebook</a></div></article></body>")
>>> [(b.text[:28], b.quoted) for b in extract_blocks(page)]
[('The council met on Monday to', False), ('We will rebuild every school', True)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html  # noqa: F401  (used by the doctest of flatten)
from lxml import etree
from lxml.html import HtmlElement

from digest.reader.article_node import BLOCK_TAGS, find_article
from digest.reader.cleaning import clean_conditionally

# Never reader text: captions, controls, embedded media and code.
_SKIP_TAGS = frozenset(
    "figcaption script style noscript button select textarea input template iframe svg"
    " object embed canvas audio video source picture img".split()
)
# Class/id words of page furniture that can sit inside the article node.
_FURNITURE_WORDS = frozenset(
    "share sharing social related newsletter subscribe subscription promo advert"
    " advertisement sponsored outbrain taboola breadcrumb breadcrumbs caption credit"
    " comments byline dateline author".split()
)
_CLASS_WORD = re.compile(r"[a-z]+")
# A furniture-looking element is only dropped when it holds under this share of the text,
# so a wrapper that happens to carry a class like "has-comments" never takes the article.
_FURNITURE_MAX_SHARE = 0.25

# Promo and related-link paragraphs are short; a long paragraph that mentions a channel
# is news about the channel, not an advert for it.
_PROMO_MAX_WORDS = 40
_PROMO_ACTION = re.compile(
    r"subscribe|follow us|join us|sign up|підпис|підпиш|приєдну|подпис|присоедин", re.I
)
_PROMO_CHANNEL = re.compile(
    r"telegram|channel|newsletter|youtube|viber|whatsapp|facebook|twitter|instagram|inbox"
    r"|канал|телеграм|розсилк|рассылк|ютуб",
    re.I,
)
_RELATED_LEAD = re.compile(
    r"(?:read (?:more|also)|related|see also|more on this|читайте (?:також|также)|"
    r"дивіться також|смотрите также|по теме|на тему)\b\s*[:\-–—]",
    re.I,
)
# No-article rule (see is_article).
_MAX_LINK_SHARE = 0.5
_SENTENCE_CHARS = 50  # counted in characters: Chinese and Japanese text has no spaces
_MENU_BLOCKS = 5


@dataclass(slots=True)
class Block:
    """One paragraph of body text and whether it sat inside a ``<blockquote>``."""

    text: str
    quoted: bool = False
    link_chars: int = 0


@dataclass(slots=True)
class _Flattener:
    """Collects text into paragraphs while a tree walk reports elements and text runs."""

    blocks: list[Block] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    quote_depth: int = 0
    link_depth: int = 0
    pre_depth: int = 0

    def add(self, text: str | None) -> None:
        if text:
            # A newline in the HTML source is just whitespace (pages hard-wrap paragraphs);
            # only <br> and <pre> make real line breaks.
            self.parts.append(text if self.pre_depth else text.replace("\n", " "))
            if self.link_depth:
                self.link_chars += len(text.strip())

    def flush(self) -> None:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(Block(text, self.quote_depth > 0, self.link_chars))
        self.parts, self.link_chars = [], 0


def extract_blocks(tree: HtmlElement) -> list[Block]:
    """The article's paragraphs, in reading order; empty when the page holds no text.

    ``tree`` is changed: hidden and unlikely elements are removed from it.
    """
    return flatten(clean_conditionally(find_article(tree)))


def flatten(root: HtmlElement) -> list[Block]:
    """Paragraphs of ``root`` without captions, controls and page furniture.

    >>> root = lxml.html.fragment_fromstring(
    ...     "<div><p>One <b>two</b></p><figure><img><figcaption>Photo: AP</figcaption>"
    ...     "</figure><ul><li>Three</li></ul></div>")
    >>> [block.text for block in flatten(root)]
    ['One two', 'Three']
    """
    furniture = _furniture(root)
    out = _Flattener()
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, node in walker:
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            _enter(out, node, tag)
            if not tag or tag in _SKIP_TAGS or node in furniture:
                walker.skip_subtree()
            else:
                out.add(node.text)
        else:
            _leave(out, tag)
            out.add(node.tail)
    out.flush()
    return out.blocks


def _enter(out: _Flattener, node: HtmlElement, tag: str) -> None:
    if tag in BLOCK_TAGS:
        out.flush()
    if tag == "br":
        out.parts.append("\n")
    elif tag == "td" or tag == "th":
        out.add(" ")
    out.quote_depth += tag == "blockquote"
    out.link_depth += tag == "a"
    out.pre_depth += tag == "pre"


def _leave(out: _Flattener, tag: str) -> None:
    if tag in BLOCK_TAGS:
        out.flush()
    out.quote_depth -= tag == "blockquote"
    out.link_depth -= tag == "a"
    out.pre_depth -= tag == "pre"


def _furniture(root: HtmlElement) -> set[HtmlElement]:
    """Elements whose class/id names page furniture and that hold little of the text."""
    total = len(root.text_content())
    found = set()
    for node in root.xpath("//*[@class or @id]"):
        names = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if _FURNITURE_WORDS.isdisjoint(_CLASS_WORD.findall(names)):
            continue
        if len(node.text_content()) < total * _FURNITURE_MAX_SHARE:
            found.add(node)
    return found


def drop_promos(blocks: list[Block]) -> list[Block]:
    """Remove "subscribe to our channel" promos and "Read also: …" related-link lines.

    >>> kept = drop_promos([Block("Subscribe to our Telegram channel!"), Block("Kyiv, 5 May.")])
    >>> [block.text for block in kept]
    ['Kyiv, 5 May.']
    """
    return [block for block in blocks if not _is_promo(block)]


def _is_promo(block: Block) -> bool:
    if len(block.text.split()) > _PROMO_MAX_WORDS:
        return False
    if _RELATED_LEAD.match(block.text):
        return True
    return bool(_PROMO_ACTION.search(block.text) and _PROMO_CHANNEL.search(block.text))


def is_article(blocks: list[Block]) -> bool:
    """Whether the paragraphs read as an article rather than a list of links.

    A page is rejected when it has no text, when most of its text is link text (a home
    page, a search page), or when it has many paragraphs and none is a sentence long
    (a menu or tag cloud).

    >>> is_article([Block("Markets", link_chars=7), Block("Sport", link_chars=5)])
    False
    """
    chars = sum(len(block.text) for block in blocks)
    if not chars:
        return False
    if sum(block.link_chars for block in blocks) > chars * _MAX_LINK_SHARE:
        return False
    longest = max(len(block.text) for block in blocks)
    return longest >= _SENTENCE_CHARS or len(blocks) < _MENU_BLOCKS
