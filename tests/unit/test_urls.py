"""URL normalisation, the http(s) check and link finding in free text."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digest.errors import InvalidURL
from digest.urls import find_urls, is_http_url, normalize_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/Path", "https://www.example.com/Path"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://example.com/n?utm_source=telegram&utm_medium=social", "https://example.com/n"),
        ("https://example.com/a?id=5&fbclid=IwAR0x", "https://example.com/a?id=5"),
        ("https://example.com/a?gclid=1&yclid=2&id=5", "https://example.com/a?id=5"),
        ("https://example.com/a?mc_cid=1&mc_eid=2&page=3", "https://example.com/a?page=3"),
        ("https://example.com/a?igshid=1&_ga=2.1&page=3", "https://example.com/a?page=3"),
        ("https://example.com/a?ref_src=twsrc%5Etfw&page=3", "https://example.com/a?page=3"),
        ("https://xn--b1amnebsh.xn--p1ai/a", "https://новости.рф/a"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_same_article_with_different_trackers_normalises_equal() -> None:
    from_telegram = "https://kyiv.example/war/123?utm_source=tg&utm_campaign=daily#top"
    from_facebook = "https://KYIV.example:443/war/123?fbclid=abc"
    assert normalize_url(from_telegram) == normalize_url(from_facebook)


def test_query_parameters_that_matter_are_kept() -> None:
    assert normalize_url("https://e.example/search?q=%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0&page=2") == (
        "https://e.example/search?page=2&q=%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0"
    )


@pytest.mark.parametrize(
    "url",
    ["ftp://e.example/", "mailto:a@b.c", "/relative", "e.example/a", "", "http://", "http://[::1"],
)
def test_normalize_refuses_non_http(url: str) -> None:
    with pytest.raises(InvalidURL):
        normalize_url(url)


@given(st.text())
def test_normalize_never_raises_anything_but_invalid_url(text: str) -> None:
    try:
        normalize_url(text)
    except InvalidURL:
        pass


http_urls = st.builds(
    "{}://{}{}/{}?{}#{}".format,
    st.sampled_from(["http", "https", "HTTP"]),
    st.from_regex(r"[a-zA-Z0-9-]{1,12}(\.[a-zA-Z]{2,6}){1,2}", fullmatch=True),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20),
    st.lists(
        st.tuples(st.sampled_from(["id", "utm_source", "q", "fbclid"]), st.text(max_size=5)),
        max_size=4,
    ).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)),
    st.text(max_size=5),
)


@given(st.one_of(http_urls, st.text().map("https://".__add__)))
def test_normalize_is_idempotent(url: str) -> None:
    try:
        once = normalize_url(url)
    except InvalidURL:
        return
    assert normalize_url(once) == once
    assert is_http_url(once)
    keys = {key for key, _ in parse_qsl(urlsplit(once).query)}
    assert "#" not in once and not keys & {"utm_source", "fbclid"}


@given(st.text())
def test_is_http_url_never_raises(text: str) -> None:
    assert is_http_url(text) in (True, False)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a", True),
        ("HTTP://example.com", True),
        ("ftp://example.com", False),
        ("https:///nohost", False),
        ("www.example.com", False),
        ("http://[::1", False),
        ("http://example.com:notaport/", False),
    ],
)
def test_is_http_url(url: str, expected: bool) -> None:
    assert is_http_url(url) is expected


def test_find_urls_in_a_message() -> None:
    text = (
        "Срочно: https://news.example/war/kharkiv-strike?id=7. Подробности "
        "(см. https://ru.wikipedia.org/wiki/Битва_за_Бахмут_(2022—2023)) "
        "и «https://t.me/s/channel»!"
    )
    assert find_urls(text) == [
        "https://news.example/war/kharkiv-strike?id=7",
        "https://ru.wikipedia.org/wiki/Битва_за_Бахмут_(2022—2023)",
        "https://t.me/s/channel",
    ]


def test_find_urls_without_links_is_empty() -> None:
    assert find_urls("No links here, just example.com and ftp://files.example/x") == []


def test_find_urls_drops_duplicates_keeping_order() -> None:
    assert find_urls("http://b.example/ http://a.example/ http://b.example/") == [
        "http://b.example/",
        "http://a.example/",
    ]
