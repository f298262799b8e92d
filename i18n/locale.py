"""Which language a chat is answered in, and the language-dependent parts of rendering.

Shared by the handlers (replies) and the service layer (digests, sent with no update at
hand), so it knows nothing of Telegram's objects.

A chat's stored choice (``/language``) wins. Without one, a private chat follows its user's
Telegram app: Ukrainian for ``uk``, English for anything else (Russian included — the bot
offers Ukrainian, not Russian). Groups and channels without a choice get English, since
their members' languages differ.

>>> choose_language(None, "private", "uk-UA"), choose_language(None, "private", "ru")
('uk', 'en')
>>> choose_language("uk", "supergroup", None), choose_language(None, "group", "uk")
('uk', 'en')
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, get_month_names

from digest.language.detect import normalize_language
from digest.render.compose import DigestPage, Labels
from i18n.texts import ENGLISH as TEXTS_BY_KEY
from i18n.texts import LANGUAGES, say

DEFAULT_LANGUAGE = "en"
# Each language's name in itself: the /language buttons must be readable to its speakers.
LANGUAGE_NAMES = {"en": "English", "uk": "Українська"}


def detect_language(language_code: str | None) -> str:
    """The interface language for a Telegram ``language_code`` (an IETF tag).

    >>> detect_language("uk"), detect_language("UK-ua"), detect_language(None)
    ('uk', 'uk', 'en')
    """
    primary = normalize_language(language_code)
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def choose_language(stored: str | None, chat_type: str, user_language_code: str | None) -> str:
    """The chat's stored choice, else (private chats only) its user's app language."""
    if stored in LANGUAGES:
        return stored
    if chat_type == "private":
        return detect_language(user_language_code)
    return DEFAULT_LANGUAGE


# How a day is written in each interface language, as CLDR patterns (Babel): "Thu 26 Nov" in
# English, "чт, 26 листопада" in Ukrainian (months in the genitive, as a date needs them).
DAY_PATTERNS = {"en": "EEE d MMM", "uk": "EEE, d MMMM"}
_MONTH_WIDTHS: dict[str, Literal["abbreviated", "wide"]] = {"en": "abbreviated", "uk": "wide"}


def _day(moment: datetime, language: str) -> str:
    if language not in DAY_PATTERNS:
        language = DEFAULT_LANGUAGE
    return format_date(moment, DAY_PATTERNS[language], locale=language)


@cache
def month_names(language: str) -> tuple[str, ...]:
    """The twelve month names a date in ``language`` uses (CLDR "format" context).

    >>> month_names("uk")[10], month_names("en")[10]
    ('листопада', 'Nov')
    """
    if language not in _MONTH_WIDTHS:
        language = DEFAULT_LANGUAGE
    names = get_month_names(_MONTH_WIDTHS[language], context="format", locale=language)
    return tuple(names[month] for month in range(1, 13))


def format_local(moment: datetime, timezone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A delivery time in the chat's timezone and language.

    >>> from datetime import UTC
    >>> moment = datetime(2026, 11, 26, 6, tzinfo=UTC)
    >>> format_local(moment, "Europe/Kyiv"), format_local(moment, "Europe/Kyiv", "uk")
    ('Thu 26 Nov, 08:00', 'чт, 26 листопада, 08:00')
    """
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{_day(local, language)}, {local:%H:%M}"


def day_label(now: datetime, timezone: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The day a digest is for, as its header shows it.

    >>> from datetime import UTC
    >>> day_label(datetime(2026, 11, 25, 22, tzinfo=UTC), "Europe/Kyiv", "uk")
    'чт, 26 листопада 2026'
    """
    local = now.astimezone(ZoneInfo(timezone))
    return f"{_day(local, language)} {local.year}"


def digest_labels(language: str) -> Labels:
    """The words around link replies and digest stories, in ``language``."""
    return Labels(
        by=say("label_by", language), min_read=say("label_min_read", language),
        open_article=say("label_open_article", language),
        reported_by=say("label_reported_by", language),
        following=say("label_following", language), alerted_at=say("label_alerted_at", language),
        months=month_names(language),
    )


def digest_page(language: str, *, show_debug: bool = False, muted: int = 0) -> DigestPage:
    """Header, footer and quiet-day note of a digest in ``language``; ``muted`` stories left
    out are counted above the footer."""
    return DigestPage(
        title=say("digest_title", language), footer=say("digest_footer", language),
        quiet_note=say("digest_quiet", language), show_debug=show_debug,
        muted_note=muted_note(muted, language), labels=digest_labels(language),
    )


def muted_note(count: int, language: str) -> str:
    """``2 muted stories hidden`` with the plural form CLDR gives the language; empty for 0.

    >>> muted_note(1, "en"), muted_note(5, "uk"), muted_note(0, "en")
    ('1 muted story hidden', '5 приглушених історій приховано', '')
    """
    return plural("muted_hidden", count, language) if count > 0 else ""


def plural(key: str, count: int, language: str) -> str:
    """The text ``key_<form>`` for ``count``, the form (one, few, many, other) chosen by
    CLDR's plural rules for the language (babel), never guessed per string.

    >>> plural("outlets", 3, "uk"), plural("outlets", 5, "uk"), plural("outlets", 21, "uk")
    ('3 видання', '5 видань', '21 видання')
    """
    form = Locale.parse(language).plural_form(count)
    return say(f"{key}_{form}", language, count=count)


def topic_label(key: str, label: str, language: str) -> str:
    """How a followed topic is named to the reader: a preset by its name in ``language``
    (``Харків``), anything else as it was followed.

    >>> topic_label("kharkiv", "Kharkiv", "uk"), topic_label("text:scholz", "Scholz", "uk")
    ('Харків', 'Scholz')
    """
    name = f"preset_{key}"
    return say(name, language) if name in TEXTS_BY_KEY else label
