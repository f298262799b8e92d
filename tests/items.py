"""One news item for the tests of the digest's stages (grouping, events, ranking, views),
written once, with the defaults most tests want (English, an international outlet)."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from digest.models import NewsItem


def news_item(url: str, title: str, summary: str, published: datetime, source: str,
              language: str | None = "en", vector: bytes | np.ndarray | None = None,
              source_kind: str = "international") -> NewsItem:
    return NewsItem(url, title, summary, published, source, source_kind, language, vector)
