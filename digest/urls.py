"""URL helpers: a canonical form for de-duplication, a scheme check, and plain-text link finding.

Normalisation builds on :func:`courlan.normalize_url` (lower-case scheme and host, default
port dropped, tracking parameters such as ``utm_*``, ``fbclid``, ``gclid``, ``yclid``,
``mc_cid`` removed, remaining parameters sorted) and additionally drops the fragment, so two
links to the same article compare equal.

>>> normalize_url("HTTPS://Example.COM:443/war/item?utm_source=tg&id=7#comments")
'https://example.com/war/item?id=7'
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import courlan

from digest.errors import InvalidURL

_HTTP_SCHEMES = frozenset({"http", "https"})

# A link in free text runs to the next whitespace or a character that never appears raw in
# a URL but often right after one in prose (quotes, angle brackets, guillemets).
_URL_IN_TEXT = re.compile(r"""https?://[^\s<>"'«»“”„`]+""", re.IGNORECASE)
# Sentence punctuation glued to the end of a link belongs to the sentence.
_TRAILING_PUNCTUATION = ".,;:!?…"


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host.

    >>> is_http_url("https://kyivindependent.com/x"), is_http_url("ftp://a.b/"), is_http_url("/x")
    (True, False, False)
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (parsing the port is the check: it raises when malformed)
        return parts.scheme.lower() in _HTTP_SCHEMES and bool(parts.hostname)
    except ValueError:  # an unbalanced "[" in the host, a non-numeric or out-of-range port
        return False


def normalize_url(url: str) -> str:
    """Canonical form of an http(s) URL, for de-duplication and as a cache key.

    Raises :class:`~digest.errors.InvalidURL` for anything that is not an absolute http(s)
    URL. The result is stable: ``normalize_url(normalize_url(u)) == normalize_url(u)``.

    >>> normalize_url("http://news.example:80/a?b=2&fbclid=x&a=1")
    'http://news.example/a?a=1&b=2'
    >>> normalize_url("https://news.example/story?")
    'https://news.example/story'
    """
    if not is_http_url(url):
        raise InvalidURL(f"not an absolute http(s) URL: {url!r}", url=url)
    try:
        normalized = courlan.normalize_url(url.strip())
        scheme, netloc, path, query, _fragment = urlsplit(normalized)
    except ValueError as error:  # courlan re-parses; odd ports or hosts can still fail
        raise InvalidURL(f"cannot normalise URL {url!r}: {error}", url=url) from error
    return urlunsplit((scheme, netloc, path or "/", query, ""))


def find_urls(text: str) -> list[str]:
    """The http(s) links written out in ``text``, in order, without duplicates.

    Trailing sentence punctuation and an unbalanced closing bracket are not part of the link.

    >>> find_urls("Read https://a.example/x. Or (see http://b.example/y?q=1), https://a.example/x")
    ['https://a.example/x', 'http://b.example/y?q=1']
    """
    found = (_trim(match.group()) for match in _URL_IN_TEXT.finditer(text))
    return list(dict.fromkeys(url for url in found if is_http_url(url)))


def _trim(candidate: str) -> str:
    """Strip punctuation and closing brackets that belong to the surrounding prose."""
    while candidate:
        if candidate[-1] in _TRAILING_PUNCTUATION:
            candidate = candidate[:-1]
        elif candidate[-1] == ")" and candidate.count("(") < candidate.count(")"):
            candidate = candidate[:-1]
        else:
            break
    return candidate
