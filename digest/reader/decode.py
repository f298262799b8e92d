"""Turn a fetched body into text: undo gzip/deflate within a size cap, then find the charset.

:class:`BoundedInflater` undoes ``Content-Encoding`` chunk by chunk and never produces more
than its limit, however well the input compresses: a gzip bomb costs at most ``limit`` bytes.

:func:`decode_body` finds the character set the way browsers do, tolerating the usual
mislabelling:

1. a byte-order mark wins (it cannot be there by accident);
2. else the first of header ``charset``, in-document declaration (``<?xml encoding?>``,
   ``<meta charset>``, ``<meta http-equiv>``) and UTF-8 that decodes the bytes strictly
   (a server default "utf-8" header on a windows-1251 page with a correct meta is common);
3. else the first of those that decodes with at most 0.1 % replacement characters
   (a UTF-8 page with one stray byte must not turn into mojibake);
4. else charset_normalizer's guess among legacy encodings found on news sites,
   ties going to the commoner one (windows-1252 before windows-1257 for Portuguese);
5. else windows-1252 with replacement characters.

``DecodedText.encoding`` is Python's codec name (``cp1251``, ``koi8-r``, ``utf-8``).

bs4's :class:`~bs4.dammit.EncodingDetector` sniffs the BOM and the declarations.

>>> decode_body("Война".encode("cp1251"), "windows-1251").text
'Война'
"""

from __future__ import annotations

import codecs
import contextlib
import re
import zlib
from dataclasses import dataclass

import charset_normalizer
from bs4.dammit import EncodingDetector

from digest.errors import ResponseTooLarge, UnsupportedContentType

#: What we advertise in Accept-Encoding: only codings we can inflate with a hard output cap.
ACCEPT_ENCODING = "gzip, deflate"
# wbits 32 + 15: zlib auto-detects a gzip or a zlib header (servers label them loosely).
_AUTO_HEADER_WBITS = 32 + zlib.MAX_WBITS
_INFLATED_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})

#: The media type reported for a body that is binary data by its content, not its label.
BINARY_DATA = "application/octet-stream"

#: How many leading bytes :func:`sniff_binary_type` needs to see.
SNIFF_BYTES = 16
# Leading bytes of formats that are never a page or a feed, whatever the header says.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG", "image/png"),
    (b"GIF8", "image/gif"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"RIFF", "application/x-riff"),  # WebP, WAV, AVI
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"Rar!", "application/vnd.rar"),
    (b"7z\xbc\xaf", "application/x-7z-compressed"),
    (b"\xd0\xcf\x11\xe0", "application/msword"),
    (b"ID3", "audio/mpeg"),
    (b"OggS", "audio/ogg"),
    (b"fLaC", "audio/flac"),
    (b"\x1aE\xdf\xa3", "video/webm"),
)

# Legacy encodings a news page or feed may still use, commonest first (the tie-break order).
_LEGACY_ENCODINGS = (
    "cp1252",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "cp1250",
    "iso8859_2",
    "iso8859_5",
    "iso8859_15",
    "cp866",
    "mac_cyrillic",
    "cp1253",
    "cp1254",
    "cp1257",
)
# Readings whose chaos differs by less than this are equally plausible.
_CHAOS_TIE = 0.01
# WHATWG Encoding Standard: these labels mean windows-1252 on the web, and pages labelled
# latin-1 routinely contain its curly quotes in the 0x80–0x9F range.
_WEB_ALIASES = {"iso8859-1": "cp1252", "ascii": "cp1252"}


@dataclass(frozen=True)
class DecodedText:
    """Decoded text and the name of the encoding that produced it."""

    text: str
    encoding: str


def decode_body(content: bytes, header_charset: str | None) -> DecodedText:
    """Decode ``content`` using the header charset, BOM, in-document declarations or a guess.

    >>> decode_body(b'<meta charset="koi8-r"><p>\\xf7\\xcf\\xca\\xce\\xc1', None).text[-5:]
    'Война'
    >>> decode_body(b"caf\\xc3\\xa9 \\xff", "utf-8")
    DecodedText(text='café \\ufffd', encoding='utf-8')
    """
    data, bom_encoding = EncodingDetector.strip_byte_order_mark(content)
    if bom_encoding:
        return DecodedText(data.decode(bom_encoding, errors="replace"), bom_encoding)
    declared = EncodingDetector.find_declared_encoding(content, is_html=True)
    labels = [_web_label(header_charset), _web_label(declared), "utf-8"]
    candidates = list(dict.fromkeys(label for label in labels if label))
    for encoding in candidates:
        with contextlib.suppress(UnicodeDecodeError):
            return DecodedText(content.decode(encoding), encoding)
    for encoding in candidates:
        text = content.decode(encoding, errors="replace")
        if text.count("\ufffd") <= max(1, len(text) // 1000):
            return DecodedText(text, encoding)
    encoding = _guess_legacy_encoding(content) or "cp1252"
    return DecodedText(content.decode(encoding, errors="replace"), encoding)


def _guess_legacy_encoding(content: bytes) -> str | None:
    """charset_normalizer's least chaotic reading; near-ties go to the commoner encoding.

    >>> _guess_legacy_encoding("Сводка Генштаба за сутки".encode("koi8-r"))
    'koi8-r'
    """
    matches = charset_normalizer.from_bytes(content, cp_isolation=list(_LEGACY_ENCODINGS))
    if not matches:
        return None
    calmest = min(match.chaos for match in matches)
    near_ties = [m.encoding for m in matches if m.chaos <= calmest + _CHAOS_TIE]
    return _web_label(min(near_ties, key=_LEGACY_ENCODINGS.index))


#: Above this share of control or undecodable characters, "text" is binary data: real pages
#: and feeds have next to none, random bytes read as windows-1252 have over 10 %.
_BINARY_SHARE = 0.02
_BINARY_SAMPLE = 64 * 1024
_ODD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def looks_binary(text: str) -> bool:
    """True when decoded ``text`` is mostly not text (an image, archive or random bytes
    that no magic number gave away); such a body is "not a web page".

    >>> looks_binary("<p>Ordinary page, with a stray \ufffd replacement.</p>")
    False
    >>> looks_binary(bytes(range(256)).decode("cp1252", errors="replace") * 4)
    True
    """
    sample = text[:_BINARY_SAMPLE]
    return len(_ODD_CHARACTERS.findall(sample)) > max(2, len(sample) * _BINARY_SHARE)


def sniff_binary_type(head: bytes) -> str | None:
    """The media type of a binary format recognised from its first bytes, else None.

    >>> sniff_binary_type(b"%PDF-1.7 ..."), sniff_binary_type(b"\\x00\\x00\\x00\\x18ftypmp42")
    ('application/pdf', 'video/mp4')
    >>> sniff_binary_type(b"<!doctype html>") is None
    True
    """
    if head[4:8] == b"ftyp":  # ISO media: MP4, MOV, M4A, HEIC
        return "video/mp4"
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


def _web_label(label: str | None) -> str | None:
    """Python's codec name for a charset label, mapped as browsers map it; None if unknown.

    >>> _web_label("ISO-8859-1"), _web_label("cp1251"), _web_label("no-such-charset")
    ('cp1252', 'cp1251', None)
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _WEB_ALIASES.get(name, name)


class BoundedInflater:
    """Undo a ``Content-Encoding`` chunk by chunk, refusing output beyond ``limit`` bytes.

    Raises :class:`~digest.errors.ResponseTooLarge` as soon as the output would pass the limit
    (zlib is asked for at most ``limit + 1`` bytes, so memory stays bounded), and
    :class:`~digest.errors.UnsupportedContentType` for codings other than gzip/deflate.

    >>> inflater = BoundedInflater("gzip", limit=10)
    >>> inflater.feed(zlib.compress(b"hello", wbits=31)) + inflater.flush()
    b'hello'
    >>> BoundedInflater("gzip", limit=10).feed(zlib.compress(bytes(11), wbits=31))
    Traceback (most recent call last):
    digest.errors.ResponseTooLarge: body inflates past 10 bytes
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c not in ("", "identity")]
        if len(codings) > 1 or (codings and codings[0] not in _INFLATED_CODINGS):
            raise UnsupportedContentType(
                f"unsupported content-encoding {content_encoding!r}",
                content_type=f"content-encoding: {content_encoding}",
            )
        self._zlib = zlib.decompressobj(_AUTO_HEADER_WBITS) if codings else None
        self._limit = limit
        self._produced = 0

    def feed(self, data: bytes) -> bytes:
        """Inflate the next chunk of the body (``zlib.error`` if it is corrupt)."""
        if self._zlib is None:
            return self._counted(data)
        return self._counted(self._zlib.decompress(data, self._limit - self._produced + 1))

    def flush(self) -> bytes:
        """Whatever zlib still buffers once the body has ended."""
        return self._counted(self._zlib.flush()) if self._zlib is not None else b""

    def _counted(self, output: bytes) -> bytes:
        self._produced += len(output)
        if self._produced > self._limit:
            raise ResponseTooLarge(f"body inflates past {self._limit} bytes")
        return output
