"""The public Telegram channels shipped with the bot: where the war is reported first.

Each entry names the channel's username, its kind and language, and where its username was
confirmed: the public code and documents (read with the project's code search, December
2026) that link to ``t.me/<name>`` for that body or newsroom. Like the feeds, a channel is on
by default only for chats whose language it is in (see :mod:`digest.feeds.sources`); an
English chat starts as before.

>>> len(CHANNELS) >= 20, {c.kind for c in CHANNELS} >= {"ukrainian_official", "ukrainian_media"}
(True, True)
>>> sorted({c.language for c in CHANNELS})
['ru', 'uk']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CatalogueChannel:
    name: str  # the t.me username
    title: str  # the outlet name the digest shows
    language: str
    kind: str  # a digest.feeds.sources.SourceKind value
    confirmed: str  # where the username was confirmed


_OFFICIAL, _MEDIA, _RU_INDEPENDENT = "ukrainian_official", "ukrainian_media", "russian_independent"
_ALERT_APPS = "region-to-channel maps of public Ukrainian air-alert apps on GitHub"

CHANNELS: tuple[CatalogueChannel, ...] = (
    # Official: the Air Force's launch tallies, the General Staff's reports, the President.
    CatalogueChannel("kpszsu", "Air Force of Ukraine (Telegram)", "uk", _OFFICIAL,
                     "t.me/kpszsu in public drone-incident trackers and channel monitors on GitHub"),
    CatalogueChannel("GeneralStaffZSU", "General Staff of the AFU (Telegram)", "uk", _OFFICIAL,
                     "t.me/GeneralStaffZSU in public front-line parsers and channel lists on GitHub"),
    CatalogueChannel("V_Zelenskiy_official", "President Zelensky (Telegram)", "uk", _OFFICIAL,
                     "t.me/V_Zelenskiy_official in public source lists (\"Zelensky's official channel\")"),
    CatalogueChannel("DIUkraine", "Defence Intelligence of Ukraine (Telegram)", "uk", _OFFICIAL,
                     "t.me/DIUkraine in public channel lists (\"Головне управління розвідки\")"),
    # Regional military administrations of the most-shelled regions.
    CatalogueChannel("synegubov", "Kharkiv Regional Military Administration", "uk", _OFFICIAL,
                     f"t.me/synegubov for Kharkiv in {_ALERT_APPS}"),
    CatalogueChannel("Sumy_news_ODA", "Sumy Regional Military Administration", "uk", _OFFICIAL,
                     "t.me/Sumy_news_ODA in public official-channel registries on GitHub"),
    CatalogueChannel("chernigivskaODA", "Chernihiv Regional Military Administration", "uk",
                     _OFFICIAL, f"t.me/chernigivskaODA in {_ALERT_APPS}"),
    CatalogueChannel("pavlokyrylenko_donoda", "Donetsk Regional Military Administration", "uk",
                     _OFFICIAL, f"t.me/pavlokyrylenko_donoda for Donetsk in {_ALERT_APPS}"),
    CatalogueChannel("zoda_gov_ua", "Zaporizhzhia Regional Military Administration", "uk",
                     _OFFICIAL, "t.me/zoda_gov_ua in public regional-channel lists on GitHub"),
    CatalogueChannel("dnipropetrovskaODA", "Dnipropetrovsk Regional Military Administration",
                     "uk", _OFFICIAL, "t.me/dnipropetrovskaODA in public regional-channel lists"),
    CatalogueChannel("khersonskaODA", "Kherson Regional Military Administration", "uk", _OFFICIAL,
                     f"t.me/khersonskaODA for Kherson in {_ALERT_APPS}"),
    CatalogueChannel("mykolaivskaODA", "Mykolaiv Regional Military Administration", "uk",
                     _OFFICIAL, "t.me/mykolaivskaODA in public regional-channel lists"),
    CatalogueChannel("odeskaODA", "Odesa Regional Military Administration", "uk", _OFFICIAL,
                     "t.me/odeskaODA in public regional-channel lists"),
    # Newsrooms.
    CatalogueChannel("ukrpravda_news", "Ukrainska Pravda (Telegram)", "uk", _MEDIA,
                     "t.me/ukrpravda_news in public channel scrapers (handle for Ukrainska Pravda)"),
    CatalogueChannel("suspilnenews", "Suspilne (Telegram)", "uk", _MEDIA,
                     "t.me/suspilnenews in public channel scrapers (\"Суспільне Новини\")"),
    CatalogueChannel("rbc_ukraine", "RBC-Ukraine (Telegram)", "uk", _MEDIA,
                     "t.me/rbc_ukraine in public channel lists (\"РБК-Україна\")"),
    CatalogueChannel("uniannet", "UNIAN (Telegram)", "uk", _MEDIA,
                     "t.me/uniannet in public channel lists (\"Agenzia Stampa\", UNIAN)"),
    CatalogueChannel("hromadske_ua", "Hromadske (Telegram)", "uk", _MEDIA,
                     "t.me/hromadske_ua in public channel pickers and scrapers"),
    CatalogueChannel("liganet", "LIGA.net (Telegram)", "uk", _MEDIA,
                     "t.me/liganet in a public channel picker (\"Ліга\")"),
    CatalogueChannel("znua_live", "Dzerkalo Tyzhnia (Telegram)", "uk", _MEDIA,
                     "t.me/znua_live in a public channel picker (\"Дзеркало тижня\")"),
    # Russian independent media.
    CatalogueChannel("meduzalive", "Meduza (Telegram)", "ru", _RU_INDEPENDENT,
                     "t.me/meduzalive in public channel lists (\"Медуза — LIVE\")"),
    CatalogueChannel("tvrain", "TV Rain (Telegram)", "ru", _RU_INDEPENDENT,
                     "t.me/tvrain in public source lists (\"Телеканал Дождь\")"),
)
