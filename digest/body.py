"""Main text of a page: find the node that holds the article, then clean and flatten it.

The article node is found with a Readability-style vote (readability-lxml itself was
measured at ~4x slower than this on the benchmark pages, too slow for the speed target);
what sits around the text inside that node (share bars, "related" boxes, photo captions,
"subscribe to our channel" promos) is dropped, and the rest is flattened into paragraphs. Paragraphs from a
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

import copy
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

# Elements that end one paragraph and start another.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figure footer form h1 h2 h3"
    " h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr ul"
    " body html".split()
)
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


# Scoring follows the Arc90/Readability idea: paragraphs vote for the ancestors that hold
# them, weighted by their length and commas, and the best-voted node, less its share of
# link text, is the article.
_UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer"
    r"|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social"
    r"|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote",
    re.I,
)
_MAYBE = re.compile(r"and|article|body|column|content|main|shadow", re.I)
_POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story", re.I
)
_NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr"
    r"|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper"
    r"|sponsor|shopping|tags|widget",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_UNLIKELY_ROLES = frozenset(
    "menu menubar complementary navigation alert alertdialog dialog".split()
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "nav", "aside", "footer")
_SCORED_TAGS = frozenset("p pre td h2 h3 h4 h5 h6".split())
_TAG_BONUS = {
    "div": 5, "article": 5, "pre": 3, "td": 3, "blockquote": 3, "address": -3, "ol": -3,
    "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3, "form": -3, "h1": -5, "h2": -5,
    "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
}
_MIN_PARAGRAPH_CHARS = 25
_ANCESTOR_LEVELS = 5
_CLASS_WEIGHT = 25
_RETRY_CHARS = 500
_SHORTLIST = 20


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

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
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
    return flatten(find_article(tree))


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
    if tag in _BLOCK_TAGS:
        out.flush()
    if tag == "br":
        out.add("\n")
    elif tag == "td" or tag == "th":
        out.add(" ")
    out.quote_depth += tag == "blockquote"
    out.link_depth += tag == "a"


def _leave(out: _Flattener, tag: str) -> None:
    if tag in _BLOCK_TAGS:
        out.flush()
    out.quote_depth -= tag == "blockquote"
    out.link_depth -= tag == "a"


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


# ---------------------------------------------------------------- finding the article


def find_article(tree: HtmlElement) -> HtmlElement:
    """A ``<div>`` holding the best-scored node and the siblings that belong with it.

    Menus and sidebars (by class/id) are set aside first; when that leaves under
    ``_RETRY_CHARS`` of text — a site whose wrapper is called "sidebar-layout" — the
    search runs again with them in. With no paragraph long enough to vote, the whole
    ``<body>`` is returned.
    """
    body = tree.find("body")
    root = body if body is not None else tree
    _drop_invisible(root)
    strict = _best_node(_without_unlikely(copy.deepcopy(root)))
    if len(_text(strict)) >= _RETRY_CHARS:
        return strict
    lenient = _best_node(root)
    return max(strict, lenient, key=lambda node: len(_text(node)))


def _best_node(root: HtmlElement) -> HtmlElement:
    scores = _Scores(_votes(root))
    if not scores.votes:
        return root
    top = _promote(scores.best(), scores, root)
    return _with_siblings(_climb_single_children(top, root), scores)


def _drop_invisible(root: HtmlElement) -> None:
    """Remove scripts, styles, navigation and hidden elements in place."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for node in root.xpath(".//*[@style or @hidden or @aria-hidden]"):
        if _is_hidden(node):
            node.drop_tree()


def _without_unlikely(root: HtmlElement) -> HtmlElement:
    """``root`` less the elements whose class, id or role says menu, sidebar, comments…"""
    for node in root.xpath(".//*[@class or @id or @role]"):
        if _is_unlikely(node):
            node.drop_tree()
    return root


def _is_hidden(node: HtmlElement) -> bool:
    return (
        node.get("hidden") is not None
        or node.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(node.get("style") or ""))
    )


def _is_unlikely(node: HtmlElement) -> bool:
    if node.tag in ("body", "a", "article", "main", "table", "tbody", "tr", "td"):
        return False
    if (node.get("role") or "") in _UNLIKELY_ROLES:
        return True
    names = f"{node.get('class') or ''} {node.get('id') or ''}"
    return bool(_UNLIKELY.search(names)) and not _MAYBE.search(names)


def _is_paragraph(node: HtmlElement) -> bool:
    """A ``<p>``-like node: a scored tag, or a ``<div>`` with no block children."""
    if node.tag in _SCORED_TAGS:
        return True
    return node.tag == "div" and all(
        not isinstance(child.tag, str) or child.tag not in _BLOCK_TAGS for child in node
    )


def _votes(root: HtmlElement) -> dict[HtmlElement, float]:
    """Votes of every paragraph for its ancestors (nearer ancestors get more)."""
    votes: dict[HtmlElement, float] = {}
    for node in root.iter("p", "pre", "td", "div", "h2", "h3", "h4", "h5", "h6"):
        if not _is_paragraph(node):
            continue
        text = _text(node)
        if len(text) < _MIN_PARAGRAPH_CHARS:
            continue
        score = 1 + text.count(",") + text.count("，") + min(len(text) // 100, 3)
        for level, ancestor in enumerate(_ancestors(node, _ANCESTOR_LEVELS)):
            if ancestor not in votes:
                votes[ancestor] = _TAG_BONUS.get(ancestor.tag, 0) + class_weight(ancestor)
            votes[ancestor] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
    return votes


@dataclass(slots=True)
class _Scores:
    """Votes scaled by ``1 - link density``, computed only for the nodes asked about
    (link density walks the node's whole text, so scaling every voter would be slow)."""

    votes: dict[HtmlElement, float]
    scaled: dict[HtmlElement, float] = field(default_factory=dict)

    def get(self, node: HtmlElement) -> float | None:
        if node not in self.votes:
            return None
        if node not in self.scaled:
            self.scaled[node] = self.votes[node] * (1 - link_density(node))
        return self.scaled[node]

    def ranked(self) -> list[HtmlElement]:
        """The best scaled candidates among the most-voted ones, best first."""
        shortlist = sorted(self.votes, key=self.votes.__getitem__, reverse=True)[:_SHORTLIST]
        return sorted(shortlist, key=lambda node: self.get(node) or 0.0, reverse=True)

    def best(self) -> HtmlElement:
        return self.ranked()[0]


def _promote(top: HtmlElement, scores: _Scores, root: HtmlElement) -> HtmlElement:
    """Prefer a common ancestor when the article is split over sibling blocks.

    When three of the five best candidates score close to the winner, their nearest
    shared ancestor wins; otherwise climb while a parent scores higher than its child.
    """
    best = scores.get(top) or 0.0
    close = [n for n in scores.ranked()[1:5] if (scores.get(n) or 0.0) >= best * 0.75]
    if len(close) >= 3:
        for ancestor in top.iterancestors():
            if ancestor is root:
                break
            if sum(_contains(ancestor, node) for node in close) >= 3:
                return ancestor
    return _climb_while_better(top, scores, root)


def _contains(ancestor: HtmlElement, node: HtmlElement) -> bool:
    return any(parent is ancestor for parent in node.iterancestors())


def _climb_while_better(top: HtmlElement, scores: _Scores, root: HtmlElement) -> HtmlElement:
    last = scores.get(top) or 0.0
    floor = last / 3
    for parent in top.iterancestors():
        if parent is root:
            break
        score = scores.get(parent)
        if score is None:
            continue
        if score < floor:
            break
        if score > last:
            return parent
        last = score
    return top


def _ancestors(node: HtmlElement, levels: int) -> list[HtmlElement]:
    found = []
    parent = node.getparent()
    while parent is not None and len(found) < levels:
        found.append(parent)
        parent = parent.getparent()
    return found


def class_weight(node: HtmlElement) -> int:
    """+25 / -25 for class and id names that sound like content / like furniture.

    >>> class_weight(lxml.html.fragment_fromstring('<div class="article-body"></div>'))
    25
    """
    weight = 0
    for name in (node.get("class"), node.get("id")):
        if name:
            weight -= _CLASS_WEIGHT if _NEGATIVE.search(name) else 0
            weight += _CLASS_WEIGHT if _POSITIVE.search(name) else 0
    return weight


def link_density(node: HtmlElement) -> float:
    """Share of the node's text that sits inside links (0 for an empty node)."""
    total = len(_text(node))
    if not total:
        return 0.0
    linked = sum(len(_text(link)) for link in node.iter("a"))
    return min(1.0, linked / total)


def _text(node: HtmlElement) -> str:
    return " ".join(node.text_content().split())


def _climb_single_children(top: HtmlElement, root: HtmlElement) -> HtmlElement:
    """Move up while the winner is its parent's only element child (one wrapper per level)."""
    parent = top.getparent()
    while parent is not None and top is not root and len(parent) == 1:
        top, parent = parent, parent.getparent()
    return top


def _with_siblings(top: HtmlElement, scores: _Scores) -> HtmlElement:
    """``top`` plus neighbouring nodes that score well or read like paragraphs."""
    parent = top.getparent()
    article = lxml.html.Element("div")
    if parent is None:
        article.append(_detached(top))
        return article
    threshold = max(10.0, (scores.get(top) or 0.0) * 0.2)
    for sibling in list(parent):
        if sibling is top or _belongs(sibling, top, scores, threshold):
            article.append(_detached(sibling))
    return article


def _belongs(
    sibling: HtmlElement, top: HtmlElement, scores: _Scores, threshold: float
) -> bool:
    if not isinstance(sibling.tag, str):
        return False
    same_class = bool(sibling.get("class")) and sibling.get("class") == top.get("class")
    bonus = (scores.get(top) or 0.0) * 0.2 if same_class else 0.0
    score = scores.get(sibling)
    if score is not None and score + bonus >= threshold:
        return True
    if sibling.tag != "p":
        return False
    text, density = _text(sibling), link_density(sibling)
    if len(text) > 80:
        return density < 0.25
    return density == 0 and bool(re.search(r"\.( |$)", text))


def _detached(node: HtmlElement) -> HtmlElement:
    """``node`` without its tail (the tail is text of the parent, not of the node)."""
    node.tail = None
    return node
