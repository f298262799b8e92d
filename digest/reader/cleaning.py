"""Readability-style "conditional cleaning" of the chosen article node.

The node that won the vote still holds clutter between its paragraphs: lists of related
links, share bars, image strips, sign-up forms, tables of links. Each container is judged on
its own counts — paragraphs, images, list items, form inputs, link density, class
names — and dropped when it reads as clutter rather than prose. Containers with ten or more
commas are prose and always kept. Inner containers are judged before outer ones, so an
outer block is judged on what is left of it.

>>> import lxml.html
>>> node = lxml.html.fragment_fromstring(
...     "<div><p>Crews repaired the line overnight, residents said.</p><div>"
...     "<p><a href='/a'>More from Kyiv</a></p><p><a href='/b'>Markets today</a></p></div></div>")
>>> [p.text_content() for p in clean_conditionally(node).iter("p")]
['Crews repaired the line overnight, residents said.']
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from digest.reader.article_node import class_weight, is_text_div, link_density, node_text

# Containers that may be clutter, judged from the innermost out.
_JUDGED_TAGS = ("form", "fieldset", "table", "ul", "ol", "div", "section")
_LISTS = frozenset({"ul", "ol"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Controls only count against forms: elsewhere they are skipped when flattening anyway.
_FORMS = frozenset({"form", "fieldset"})
_INPUTS = ("input", "select", "textarea", "button")
# A container with this many commas is running prose, whatever else it holds.
_PROSE_COMMAS = 10
# Class weights at or above this mark a container as content (see ``class_weight``).
_CONTENT_WEIGHT = 25
_MAX_LINK_DENSITY = 0.2
_MAX_LINK_DENSITY_CONTENT = 0.5
_MIN_TEXT_CHARS = 25
# Readability's allowance: a list item only counts against a non-list container past 100.
_LIST_ITEM_ALLOWANCE = 100


@dataclass(frozen=True, slots=True)
class _Counts:
    """What a container holds, as the clutter rules look at it."""

    paragraphs: int
    images: int
    list_items: int
    inputs: int
    text_chars: int
    heading_share: float
    link_share: float
    weight: int
    in_figure: bool

    @classmethod
    def of(cls, node: HtmlElement) -> _Counts:
        text = node_text(node)
        heading_chars = sum(len(node_text(h)) for h in node.iter(*_HEADINGS))
        return cls(
            paragraphs=_count(node, "p"),
            images=_count(node, "img"),
            list_items=_count(node, "li") - _LIST_ITEM_ALLOWANCE,
            inputs=_count(node, *_INPUTS) if node.tag in _FORMS else 0,
            text_chars=len(text),
            heading_share=heading_chars / len(text) if text else 0.0,
            link_share=link_density(node),
            weight=class_weight(node),
            in_figure=any(a.tag == "figure" for a in node.iterancestors()),
        )


def clean_conditionally(root: HtmlElement) -> HtmlElement:
    """Remove clutter containers under ``root`` (in place) and return ``root``.

    Text-only ``<div>``s (and wrappers of one) are paragraphs, not containers, and whatever
    sits in a data table is the table's content: neither is judged.
    """
    data_tables = {table for table in root.iter("table") if _is_data_table(table)}
    judged = [
        node
        for node in root.iter(*_JUDGED_TAGS)
        if node is not root
        and not _is_paragraph(node)
        and not any(a in data_tables for a in (node, *node.iterancestors("table")))
    ]
    for node in reversed(judged):  # innermost first: outer blocks see the cleaned inside
        if node.getparent() is not None and is_clutter(node):
            node.drop_tree()
    return root


def is_clutter(node: HtmlElement) -> bool:
    """Whether a container reads as clutter (links, images, controls) rather than prose.

    >>> import lxml.html
    >>> is_clutter(lxml.html.fragment_fromstring(
    ...     "<div><p><a href='/x'>Sport</a></p><p><a href='/y'>Weather</a></p></div>"))
    True
    >>> is_clutter(lxml.html.fragment_fromstring("<div>Shelling, sirens, queues, calm, "
    ...     "rain, fog, wind, snow, sun, heat, cold.</div>"))
    False
    """
    if _has_ancestor(node, "code") or _holds_code(node):
        return False
    # Prose outranks class names: an id like "example-shared-changeset" says "share".
    if node_text(node).count(",") >= _PROSE_COMMAS:
        return False
    return class_weight(node) < 0 or _clutter_counts(_Counts.of(node), is_list=node.tag in _LISTS)


def _clutter_counts(c: _Counts, *, is_list: bool) -> bool:
    """Readability's rules, one line each."""
    return (
        (c.images > 1 and c.paragraphs / c.images < 0.5 and not c.in_figure)
        or (not is_list and c.list_items > c.paragraphs)
        or c.inputs > c.paragraphs // 3
        or (
            not is_list
            and c.heading_share < 0.9
            and c.text_chars < _MIN_TEXT_CHARS
            and (c.images == 0 or c.images > 2)
            and not c.in_figure
        )
        or (not is_list and c.weight < _CONTENT_WEIGHT and c.link_share > _MAX_LINK_DENSITY)
        or (c.weight >= _CONTENT_WEIGHT and c.link_share > _MAX_LINK_DENSITY_CONTENT)
    )


def _is_paragraph(node: HtmlElement) -> bool:
    """A text-only ``<div>``, or a ``<div>`` whose only child is (in the end) one paragraph;
    never a run of images.

    >>> import lxml.html
    >>> _is_paragraph(lxml.html.fragment_fromstring("<div><div><span>He stood.</span></div></div>"))
    True
    """
    if _count(node, "img") > 1:
        return False  # an image strip, whatever its markup
    while not is_text_div(node):
        if node.tag != "div" or len(node) != 1 or (node.text or "").strip():
            return node.tag == "p"
        node = node[0]
    return True


def _count(node: HtmlElement, *tags: str) -> int:
    return sum(1 for _ in node.iter(*tags))


def _has_ancestor(node: HtmlElement, tag: str) -> bool:
    return any(ancestor.tag == tag for ancestor in node.iterancestors())


def _holds_code(node: HtmlElement) -> bool:
    """Code listings are short and comma-free yet are the text of a technical article."""
    return next(node.iter("pre", "code"), None) is not None


def _is_data_table(node: HtmlElement) -> bool:
    """A table of data (caption, header cells, or a real grid), not a layout table."""
    if node.tag != "table":
        return False
    if node.get("role") == "presentation" or node.get("datatable") == "0":
        return False
    if node.find("caption") is not None or next(node.iter("th", "thead"), None) is not None:
        return True
    rows = _count(node, "tr")
    columns = max((len(row) for row in node.iter("tr")), default=0)
    return rows >= 10 or rows * columns > 10
