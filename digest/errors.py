"""Every failure the pipeline names, in one place (modelled on httpx's exception tree).

::

    DigestError
    ├── FetchError                  – getting the bytes failed
    │   ├── InvalidURL              – not an absolute http(s) URL, or a port we do not fetch
    │   ├── BlockedAddress          – resolves to a private/loopback/link-local/… address
    │   ├── FetchTimeout            – connect or total time ran out
    │   ├── ConnectionFailed        – DNS failure, refused, reset, TLS error
    │   ├── TooManyRedirects        – more than the allowed redirects, or a loop
    │   ├── HTTPStatusError         – a 4xx/5xx answer (``status_code`` says which)
    │   │   └── BlockedByBotWall    – 403/429/503 anti-bot challenge pages (Cloudflare & co.)
    │   ├── UnsupportedContentType  – PDF, image, video, or anything not HTML/XML
    │   └── ResponseTooLarge        – body (compressed or decompressed) over the cap
    ├── ExtractionError             – the bytes are there but hold no article
    │   └── NoArticleFound          – a home page, a search page, an empty page
    └── FeedError                   – a feed that cannot be read
        └── FeedParseError          – not RSS/Atom, or broken beyond recovery

Handlers turn each into a friendly reply; nothing else should escape a stage.
"""

from __future__ import annotations


class DigestError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class FetchError(DigestError):
    """Fetching a URL failed. ``url`` is the URL that was being fetched."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.url = url


class InvalidURL(FetchError):
    """The URL is not an absolute http(s) URL on an allowed port."""


class BlockedPort(InvalidURL):
    """The URL names a port outside the fetcher's allow-list (``FETCH_ALLOWED_PORTS``)."""

    def __init__(self, message: str, *, url: str = "", port: int) -> None:
        super().__init__(message, url=url)
        self.port = port


class BlockedAddress(FetchError):
    """The host resolves to an address the bot must not reach (SSRF guard)."""


class FetchTimeout(FetchError):
    """The site did not answer (connect) or finish (total) in time."""


class ConnectionFailed(FetchError):
    """DNS, TCP or TLS failed before an HTTP answer arrived."""


class TooManyRedirects(FetchError):
    """Redirects went on longer than allowed, or came back to a URL already seen."""


class HTTPStatusError(FetchError):
    """The server answered with a 4xx or 5xx status (``retry_after``: its Retry-After, s)."""

    def __init__(self, message: str, *, url: str = "", status_code: int,
                 retry_after: float | None = None) -> None:
        super().__init__(message, url=url)
        self.status_code = status_code
        self.retry_after = retry_after


class BlockedByBotWall(HTTPStatusError):
    """The site answered with an anti-bot challenge instead of the page."""


class UnsupportedContentType(FetchError):
    """The URL is not a web page (PDF, image, video, archive, …)."""

    def __init__(self, message: str, *, url: str = "", content_type: str = "") -> None:
        super().__init__(message, url=url)
        self.content_type = content_type


class ResponseTooLarge(FetchError):
    """The body exceeded the byte cap, before or after decompression."""


class ExtractionError(DigestError):
    """A page was fetched but no article could be extracted from it."""


class NoArticleFound(ExtractionError):
    """The page has no article body (home page, search page, empty page)."""


class FeedError(DigestError):
    """A feed could not be read."""


class FeedParseError(FeedError):
    """The bytes are not RSS/Atom, or are broken beyond what a tolerant parser accepts."""


class NotAChannelPage(FeedParseError):
    """A t.me page is not a channel's public preview or post (a login wall, an app page, a
    redirect, a deleted or private post)."""
