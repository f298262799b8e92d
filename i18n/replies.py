"""What a user reads when a link cannot be read: one sentence per named failure."""

from __future__ import annotations

from digest import errors
from i18n.locale import DEFAULT_LANGUAGE
from i18n.texts import say

# HTTP statuses with a short explanation in the catalogue (key ``http_<code>``).
EXPLAINED_STATUSES = frozenset({401, 404, 410, 500, 502, 503, 504})
# Content types (full, or the major part) to the catalogue key that names them.
CONTENT_KINDS = {"application/pdf": "content_pdf", "image": "content_image",
                 "video": "content_video", "audio": "content_audio"}



def failure_reply(error: errors.DigestError, language: str = DEFAULT_LANGUAGE) -> str:
    """The sentence a user sees for each named failure.

    >>> failure_reply(errors.HTTPStatusError("HTTP 404", status_code=404), "uk")
    'Сайт відповів помилкою: HTTP 404 (сторінку не знайдено).'
    """
    if isinstance(error, errors.BlockedByBotWall):
        return say("link_bot_wall", language)
    if isinstance(error, errors.HTTPStatusError):
        code = error.status_code
        reason = f" ({say(f'http_{code}', language)})" if code in EXPLAINED_STATUSES else ""
        return say("link_http_status", language, code=code, reason=reason)
    if isinstance(error, errors.UnsupportedContentType):
        major = error.content_type.split("/")[0]
        kind = CONTENT_KINDS.get(error.content_type) or CONTENT_KINDS.get(major) or "content_file"
        return say("link_not_html", language, kind=say(kind, language))
    keys: dict[type[errors.DigestError], str] = {
        errors.BlockedPort: "link_blocked_port", errors.InvalidURL: "link_invalid", errors.BlockedAddress: "link_blocked_address",
        errors.FetchTimeout: "link_timeout", errors.ConnectionFailed: "link_connection",
        errors.TooManyRedirects: "link_redirects", errors.ResponseTooLarge: "link_too_large",
        errors.NoArticleFound: "link_no_article", errors.NotAChannelPage: "link_no_public_post",
    }
    return say(next((k for t, k in keys.items() if isinstance(error, t)), "link_failed"), language)
