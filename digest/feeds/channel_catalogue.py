"""The public Telegram channels shipped with the bot: where the war is reported first.

Each entry names the channel's username, its kind and language, and where its username was
confirmed (read with the project's code search, December 2026): a public repository file
("owner/repo: path") or a public page that ties ``t.me/<name>`` to that body or newsroom.
Where the code index shows a file's text but not its repository, the entry cites the index's
file id so a reviewer can open the same text with the same tool. Handles that public
catalogues record as hijacked or sold (``mykolaivskaODA``, ``pavlokyrylenko_donoda``) are
replaced by the body's current channel. Like the feeds, a channel is on
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
# Channels of the regional administrations, each checked against the body's own website.
_OBSERVATORY = "QuantuSync/droneobservatory: configuracion/canales_guerra.json"
# A 2026 catalogue of verified Ukrainian channels, with a list of hijacked handles.
_THREATLENS = "IvanSnezhok/threatlens-ua: migrations/013_source_catalog_expansion.sql"
_NYAN = "NyanNyanovich/nyan: channels.json"
# A public seed list of Ukrainian channels (username, category, title).
_CORE_LIST = "code-search file id 38020923705, a channel seed list"

CHANNELS: tuple[CatalogueChannel, ...] = (
    # Official: the Air Force's launch tallies, the General Staff's reports, the President.
    CatalogueChannel("kpszsu", "Air Force of Ukraine (Telegram)", "uk", _OFFICIAL,
                     "IvanSnezhok/threatlens-ua: migrations/001_init.sql (\"Повітряні сили ЗСУ\")"),
    CatalogueChannel("GeneralStaffZSU", "General Staff of the AFU (Telegram)", "uk", _OFFICIAL,
                     f"{_OBSERVATORY} (\"Генеральний штаб ЗСУ\", verified badge)"),
    CatalogueChannel("V_Zelenskiy_official", "President Zelensky (Telegram)", "uk", _OFFICIAL,
                     "https://t.me/s/V_Zelenskiy_official/10461 (\"Офіційний канал Президента "
                     "України\")"),
    CatalogueChannel("DIUkraine", "Defence Intelligence of Ukraine (Telegram)", "uk", _OFFICIAL,
                     "code-search file id 60534246996 (war-sanctions.gur.gov.ua footer links "
                     "t.me/DIUkraine); file id 63031924332 (\"Головне управління розвідки\")"),
    # Regional military administrations of the most-shelled regions.
    CatalogueChannel("kharkivoda", "Kharkiv Regional Military Administration", "uk", _OFFICIAL,
                     f"{_OBSERVATORY} (linked from kharkivoda.gov.ua)"),
    CatalogueChannel("synegubov", "Kharkiv RMA head Oleh Syniehubov (Telegram)", "uk",
                     _OFFICIAL, f"{_OBSERVATORY} (head's channel, linked from kharkivoda.gov.ua)"),
    CatalogueChannel("Sumy_news_ODA", "Sumy Regional Military Administration", "uk", _OFFICIAL,
                     f"{_OBSERVATORY} (linked from sm.gov.ua)"),
    CatalogueChannel("chernigivskaODA", "Chernihiv Regional Military Administration", "uk",
                     _OFFICIAL, f"{_OBSERVATORY} (its description links cg.gov.ua)"),
    CatalogueChannel("DonetskaODA", "Donetsk Regional Military Administration", "uk", _OFFICIAL,
                     f"{_OBSERVATORY} (linked from dn.gov.ua)"),
    CatalogueChannel("zoda_gov_ua", "Zaporizhzhia Regional Military Administration", "uk",
                     _OFFICIAL, f"{_OBSERVATORY} (linked from zoda.gov.ua)"),
    CatalogueChannel("dnipropetrovskaODA", "Dnipropetrovsk Regional Military Administration",
                     "uk", _OFFICIAL, f"{_THREATLENS} (\"Дніпропетровська ОВА\")"),
    CatalogueChannel("khersonskaODA", "Kherson Regional Military Administration", "uk", _OFFICIAL,
                     f"{_OBSERVATORY} (linked from khoda.gov.ua)"),
    CatalogueChannel("mykolaiv_ova", "Mykolaiv Regional Military Administration", "uk",
                     _OFFICIAL, f"{_OBSERVATORY} (announced at t.me/VitaliiKimOfficial/22733)"),
    CatalogueChannel("odeskaODA", "Odesa Regional Military Administration", "uk", _OFFICIAL,
                     f"{_THREATLENS} (\"Одеська ОВА (Олег Кіпер)\")"),
    # Newsrooms.
    CatalogueChannel("ukrpravda_news", "Ukrainska Pravda (Telegram)", "uk", _MEDIA,
                     f"{_CORE_LIST} (\"Українська правда\")"),
    CatalogueChannel("suspilnenews", "Suspilne (Telegram)", "uk", _MEDIA,
                     "https://t.me/s/suspilnenews/33458 (\"Офіційний канал новин Суспільного\")"),
    CatalogueChannel("rbc_ukraine", "RBC-Ukraine (Telegram)", "uk", _MEDIA,
                     f"{_CORE_LIST} (\"РБК-Україна\")"),
    CatalogueChannel("uniannet", "UNIAN (Telegram)", "uk", _MEDIA,
                     f"{_CORE_LIST} (\"УНІАН\")"),
    CatalogueChannel("hromadske_ua", "Hromadske (Telegram)", "uk", _MEDIA,
                     f"{_CORE_LIST} (\"Hromadske\")"),
    # Russian independent media.
    CatalogueChannel("meduzalive", "Meduza (Telegram)", "ru", _RU_INDEPENDENT,
                     f"{_NYAN} (\"Медуза — LIVE\")"),
    CatalogueChannel("tvrain", "TV Rain (Telegram)", "ru", _RU_INDEPENDENT,
                     f"{_NYAN} (\"Дождь\")"),
)
