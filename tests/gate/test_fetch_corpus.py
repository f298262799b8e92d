"""fetch() on the ../shared corpus served by the local page server (skipped when the corpus
is absent): every feed decodes with the encoding its MANIFEST documents, every article
page arrives whole."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import httpx
import pytest

from digest.reader.fetch import FetchOptions, fetch
from tests.pageserver import PageServer
from tests.shared_corpus import CORPUS, require_shared


def _options(server: PageServer) -> FetchOptions:
    return FetchOptions(allow_private_hosts=frozenset({server.host_port}), total_timeout=5.0)


def _served(server: PageServer, folder: str) -> tuple[Path, str]:
    """The corpus folder (the test skips without it) and its URL on the page server."""
    path = require_shared(CORPUS / folder)
    return path, server.serve_directory(f"/{folder}", path)


def _documented_codec(label: str) -> str:
    """The codec a MANIFEST encoding note names ("ISO-8859-1 (declared)" → cp1252, as browsers)."""
    first = label.split()[0]
    name = "utf-8" if first == "none" else codecs.lookup(first).name
    return "cp1252" if name == "iso8859-1" else name


@pytest.mark.corpus
async def test_corpus_feeds_decode_with_their_documented_encoding(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    feeds, base = _served(page_server, "feeds")
    with (feeds / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    found = {}
    for row in rows:
        result = await fetch(http_client, base + row["file"], _options(page_server), kind="feed")
        found[row["file"]] = result.encoding
    assert found == {row["file"]: _documented_codec(row["encoding"]) for row in rows}


@pytest.mark.corpus
async def test_every_corpus_article_fetches_as_a_page(
    page_server: PageServer, http_client: httpx.AsyncClient
) -> None:
    articles, base = _served(page_server, "articles")
    pages = sorted(articles.glob("*.html"))
    for page in pages:
        result = await fetch(http_client, base + page.name, _options(page_server))
        assert result.content == page.read_bytes()
        assert result.text.count("\ufffd") <= len(result.text) // 1000, page.name
    assert len(pages) > 100
