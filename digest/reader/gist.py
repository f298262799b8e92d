"""Send a link, get the gist: fetch → extract → key points and best quotes.

:func:`gist_of` is pure (an :class:`Article` in, a :class:`Gist` out); :func:`read_article`
adds the fetch, through the one network module.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from digest.models import Article, Gist, Quote
from digest.quotes.find import best_quotes
from digest.reader.extract import extract_article
from digest.reader.fetch import FetchOptions, HttpClient, fetch
from digest.reader.summarize import MAX_POINTS, key_points, reading_minutes
from digest.workers import run_cpu

KEY_POINTS = 4
SHOWN_QUOTES = 3


async def read_article(client: HttpClient, url: str, options: FetchOptions) -> Article:
    """Fetch ``url`` and extract its article; raises the named errors of :mod:`digest.errors`."""
    page = await fetch(client, url, options, kind="page")
    # Parsing a maximal page takes seconds of CPU: off the event loop, so the bot keeps
    # answering everyone else meanwhile.
    article = await run_cpu(extract_article, page.text, page.url)
    # Keep the URL the user sent as ``url``; the page's own canonical URL stays available.
    return Article(**{**_fields(article), "url": url})


def gist_of(article: Article) -> Gist:
    """Key points (3–5), the best 1–3 attributed quotes, and the reading time.

    A sentence that is one of the shown quotes is not also a key point: the quote, with its
    speaker, says it better.
    """
    quotes = best_quotes(article.quotes, limit=SHOWN_QUOTES)
    candidates = key_points(article.text, title=article.title, language=article.language,
                            limit=MAX_POINTS)
    points = [p for p in candidates if not _repeats_a_quote(p, quotes)][:KEY_POINTS]
    return Gist(
        article=article,
        key_points=points,
        quotes=quotes,
        reading_minutes=reading_minutes(article.text, language=article.language),
    )


def _repeats_a_quote(sentence: str, quotes: list[Quote]) -> bool:
    folded = sentence.casefold()
    return any(q.text[:40].casefold() in folded or folded[:40] in q.text.casefold() for q in quotes)


def _fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in article.__dataclass_fields__}


def article_to_json(article: Article) -> dict[str, Any]:
    """A JSON-able dict (for the cache and ``python -m digest read --json``)."""
    data = asdict(article)
    data["published"] = article.published.isoformat() if article.published else None
    return data


def article_from_json(data: dict[str, Any]) -> Article:
    """The inverse of :func:`article_to_json`."""
    published = datetime.fromisoformat(data["published"]) if data.get("published") else None
    quotes = [Quote(**q) for q in data.get("quotes", [])]
    return Article(**{**data, "published": published, "quotes": quotes})
