"""Find the node of a page that holds the article: a Readability-style vote.

Paragraph-like nodes (``<p>``, ``<section>``, text-only ``<div>``…) vote for the ancestors
that hold them, weighted by length and commas; class/id names that sound like content or
like furniture add or take points; the best node, less its share of link text, wins, and
takes along the siblings that score well or read like paragraphs. readability-lxml itself
was measured at ~4x slower than this on the benchmark pages, too slow for the speed target.

>>> import lxml.html
>>> page = lxml.html.document_fromstring(
...     "<body><div class='menu'><a href='/'>Home</a></div><div class='story'><p>"
...     + "The council met on Monday, and repairs were agreed. " * 6 + "</p></div></body>")
>>> find_article(page).xpath("string()")[:28]
'The council met on Monday, a'
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

# Elements that end one paragraph and start another.
BLOCK_TAGS = frozenset(
    "address article aside blockquote dd details div dl dt fieldset figure footer form h1 h2 h3"
    " h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr ul"
    " body html".split()
)


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
# Sections vote too (as in Readability.js): a landing page built of sections of short list
# items would otherwise be won by its one long notice box.
_SCORED_TAGS = frozenset("section p pre td h2 h3 h4 h5 h6".split())
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
    if len(node_text(strict)) >= _RETRY_CHARS:
        return strict
    lenient = _best_node(root)
    return max(strict, lenient, key=lambda node: len(node_text(node)))


def _best_node(root: HtmlElement) -> HtmlElement:
    scores = _Scores(_votes(root))
    if not scores.votes:
        return root
    top = _promote(scores.best(), scores, root)
    return _with_siblings(_climb_single_children(top, root), scores)


def _drop_invisible(root: HtmlElement) -> None:
    """Remove scripts, styles, navigation and hidden elements in place; unwrap script links."""
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    for node in root.xpath(".//*[@style or @hidden or @aria-hidden]"):
        if _is_hidden(node):
            node.drop_tree()
    # A ``javascript:`` link leads nowhere: its text is the page's, not a navigation link.
    for link in root.xpath(".//a[starts-with(normalize-space(@href), 'javascript:')]"):
        link.drop_tag()


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
    return node.tag in _SCORED_TAGS or is_text_div(node)


def is_text_div(node: HtmlElement) -> bool:
    """A ``<div>`` with no block children: it reads as one paragraph.

    >>> is_text_div(lxml.html.fragment_fromstring("<div>He stood <b>firm</b>.</div>"))
    True
    """
    return node.tag == "div" and all(
        not isinstance(child.tag, str) or child.tag not in BLOCK_TAGS for child in node
    )


def _votes(root: HtmlElement) -> dict[HtmlElement, float]:
    """Votes of every paragraph for its ancestors (nearer ancestors get more)."""
    votes: dict[HtmlElement, float] = {}
    for node in root.iter("section", "p", "pre", "td", "div", "h2", "h3", "h4", "h5", "h6"):
        if not _is_paragraph(node):
            continue
        text = node_text(node)
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
    found: list[HtmlElement] = []
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
    total = len(node_text(node))
    if not total:
        return 0.0
    linked = sum(len(node_text(link)) for link in node.iter("a"))
    return min(1.0, linked / total)


def node_text(node: HtmlElement) -> str:
    """The node's text with whitespace runs collapsed to single spaces."""
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
    text, density = node_text(sibling), link_density(sibling)
    if len(text) > 80:
        return density < 0.25
    return density == 0 and bool(re.search(r"\.( |$)", text))


def _detached(node: HtmlElement) -> HtmlElement:
    """``node`` without its tail (the tail is text of the parent, not of the node)."""
    node.tail = None
    return node
