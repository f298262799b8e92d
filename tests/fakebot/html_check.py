"""Telegram's ``parse_mode=HTML`` rules, as a strict checker that also yields the entities.

``parse_telegram_html(source)`` turns Bot-API HTML into the visible text plus the
``MessageEntity`` dicts Telegram would attach, or raises :class:`TelegramHtmlError` whose
``detail`` reads like Telegram's "can't parse entities" message. Offsets and lengths are UTF-16
code units, as in the Bot API.

>>> parsed = parse_telegram_html('<b>Kyiv</b> &amp; <a href="https://example.org">more</a>')
>>> parsed.text
'Kyiv & more'
>>> [(e["type"], e["offset"], e["length"]) for e in parsed.entities]
[('bold', 0, 4), ('text_link', 7, 4)]
>>> try:
...     parse_telegram_html("a < b")
... except TelegramHtmlError as error:
...     print(error.detail)
Unescaped "<" at byte offset 2

The checker is deliberately a little *stricter* than Telegram (which silently drops some bad
markup): unknown named entities, bare ``>`` and nesting that the Bot API documentation forbids are
errors, so a bot that passes here also renders as intended on Telegram. A hand-written scanner is
used instead of :mod:`html.parser` because that parser is lenient by design (it accepts unclosed
tags, bare ``<`` and unknown entities), which is exactly what must be rejected here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAX_MESSAGE_UTF16 = 4096

# Tag name -> entity type. span/a/tg-emoji/pre/blockquote get attribute handling below.
_TAG_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
# The Bot API: these "can contain and can be part of any other entities, except pre and code".
_FREE_TYPES = frozenset({"bold", "italic", "underline", "strikethrough", "spoiler"})
_QUOTE_TYPES = frozenset({"blockquote", "expandable_blockquote"})
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_LINK_SCHEMES = ("http://", "https://", "tg://")

_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ATTR_RE = re.compile(r"""([a-zA-Z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?""")
_SPECIAL_RE = re.compile(r"[<>&]")
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]*));")


class TelegramHtmlError(ValueError):
    """Markup Telegram would answer with ``400 Bad Request: can't parse entities: <detail>``."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class ParsedText:
    """Visible text and its entities (offset-sorted dicts shaped like Bot API ``MessageEntity``)."""

    text: str
    entities: tuple[dict[str, Any], ...] = ()

    @property
    def utf16_length(self) -> int:
        """Length as Telegram counts it (``len`` in UTF-16 code units)."""
        return utf16_len(self.text)


@dataclass
class _OpenTag:
    name: str
    entity: dict[str, Any]
    order: int  # opening order: an outer entity sorts before an inner one of equal span


@dataclass
class _Scan:
    """Mutable state of one left-to-right pass over the markup."""

    source: str
    chunks: list[str] = field(default_factory=list)
    utf16_pos: int = 0
    stack: list[_OpenTag] = field(default_factory=list)
    done: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    opened: int = 0

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.chunks.append(text)
        self.utf16_pos += utf16_len(text)


def utf16_len(text: str) -> int:
    """Number of UTF-16 code units, the unit of Telegram's lengths and offsets.

    >>> utf16_len("ok"), utf16_len("🇺🇦")
    (2, 4)
    """
    return len(text.encode("utf-16-le")) // 2


def parse_telegram_html(source: str) -> ParsedText:
    """Parse Bot-API HTML into :class:`ParsedText`; raise :class:`TelegramHtmlError` if invalid."""
    scan = _Scan(source)
    index = 0
    while index < len(source):
        char = source[index]
        if char == "<":
            index = _read_tag(scan, index)
        elif char == "&":
            index = _read_entity(scan, index)
        elif char == ">":
            raise TelegramHtmlError(f'Unescaped ">" at byte offset {scan.byte_offset(index)}')
        else:
            end = _next_special(source, index)
            scan.emit(source[index:end])
            index = end
    if scan.stack:
        raise TelegramHtmlError(
            f'Can\'t find end tag corresponding to start tag "{scan.stack[-1].name}"'
        )
    ordered = sorted(scan.done, key=lambda done: (done[1]["offset"], -done[1]["length"], done[0]))
    return ParsedText("".join(scan.chunks), tuple(entity for _order, entity in ordered))


def _next_special(source: str, start: int) -> int:
    match = _SPECIAL_RE.search(source, start)
    return match.start() if match else len(source)


def _read_entity(scan: _Scan, index: int) -> int:
    match = _ENTITY_RE.match(scan.source, index)
    if match is None:
        raise TelegramHtmlError(f'Unescaped "&" at byte offset {scan.byte_offset(index)}')
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        if name not in _NAMED_ENTITIES:
            raise TelegramHtmlError(
                f'Unsupported HTML entity "&{name};" at byte offset {scan.byte_offset(index)}'
            )
        scan.emit(_NAMED_ENTITIES[name])
    else:
        code_point = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if not 0 < code_point <= 0x10FFFF or 0xD800 <= code_point <= 0xDFFF:
            raise TelegramHtmlError(
                f"Invalid character code at byte offset {scan.byte_offset(index)}"
            )
        scan.emit(chr(code_point))
    return match.end()


def _read_tag(scan: _Scan, index: int) -> int:
    match = _TAG_RE.match(scan.source, index)
    if match is None:
        raise TelegramHtmlError(f'Unescaped "<" at byte offset {scan.byte_offset(index)}')
    closing, raw_name, raw_attrs, self_closing = match.groups()
    name = raw_name.lower()
    if closing:
        _close_tag(scan, name, index)
        return match.end()
    if name not in _TAG_TYPES or self_closing:
        raise TelegramHtmlError(
            f'Unsupported start tag "{name}" at byte offset {scan.byte_offset(index)}'
        )
    entity = _entity_for_tag(name, _parse_attributes(raw_attrs, scan, index))
    _check_nesting(scan, entity, name, index)
    entity["offset"] = scan.utf16_pos
    scan.stack.append(_OpenTag(name, entity, scan.opened))
    scan.opened += 1
    return match.end()


def _close_tag(scan: _Scan, name: str, index: int) -> None:
    if not scan.stack:
        raise TelegramHtmlError(
            f'Unexpected end tag "{name}" at byte offset {scan.byte_offset(index)}'
        )
    opened = scan.stack[-1]
    if opened.name != name:
        raise TelegramHtmlError(
            f"Unmatched end tag at byte offset {scan.byte_offset(index)}, "
            f'expected "</{opened.name}>", found "</{name}>"'
        )
    scan.stack.pop()
    entity = opened.entity
    entity["length"] = scan.utf16_pos - entity["offset"]
    if name == "code" and scan.stack and scan.stack[-1].name == "pre" and "language" in entity:
        # <pre><code class="language-x"> is how a pre block names its language.
        scan.stack[-1].entity["language"] = entity["language"]
        return
    if entity["type"] == "code":
        entity.pop("language", None)  # a language only means something on a pre block
    if entity["length"] > 0:  # Telegram drops empty entities instead of failing
        scan.done.append((opened.order, entity))


def _parse_attributes(raw: str, scan: _Scan, index: int) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTR_RE.finditer(raw):
        name, double, single, bare = match.groups()
        value = next((v for v in (double, single, bare) if v is not None), "")
        # Attribute values follow the same escaping rules as text ("&amp;" inside a URL).
        attributes[name.lower()] = parse_telegram_html(value).text if "&" in value else value
    leftover = _ATTR_RE.sub("", raw).strip()
    if leftover:
        raise TelegramHtmlError(
            f"Malformed tag attributes at byte offset {scan.byte_offset(index)}"
        )
    return attributes


def _entity_for_tag(name: str, attributes: dict[str, str]) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _TAG_TYPES[name]}
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise TelegramHtmlError('Tag "span" must have class "tg-spoiler"')
    if name == "a":
        entity["url"] = _checked_href(attributes.get("href", ""))
    elif name == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise TelegramHtmlError('Tag "tg-emoji" must have a numeric "emoji-id" attribute')
        entity["custom_emoji_id"] = emoji_id
    elif name == "blockquote" and "expandable" in attributes:
        entity["type"] = "expandable_blockquote"
    elif name == "code" and attributes.get("class", "").startswith("language-"):
        entity["language"] = attributes["class"].removeprefix("language-")
    return entity


def _checked_href(href: str) -> str:
    url = href.strip()
    if not url.lower().startswith(_LINK_SCHEMES) or len(url) <= len("tg://"):
        raise TelegramHtmlError(f'Unsupported URL "{url}" in tag "a": use http(s):// or tg://')
    return url


def _check_nesting(scan: _Scan, entity: dict[str, Any], name: str, index: int) -> None:
    """Apply the Bot API nesting rules to a tag about to open inside the current stack."""
    inner = entity["type"]
    for opened in scan.stack:
        outer = opened.entity["type"]
        if _may_nest(outer, inner, is_direct_child=opened is scan.stack[-1]):
            continue
        raise TelegramHtmlError(
            f'Tag "{name}" can\'t be nested inside tag "{opened.name}" '
            f"at byte offset {scan.byte_offset(index)}"
        )


def _may_nest(outer: str, inner: str, *, is_direct_child: bool) -> bool:
    if outer in ("pre", "code"):
        return outer == "pre" and inner == "code" and is_direct_child
    if outer in _FREE_TYPES or inner in _FREE_TYPES:
        return True
    if outer in _QUOTE_TYPES:
        return inner not in _QUOTE_TYPES
    return False
