"""One feed item for the tests of the digest's stages (grouping, events, ranking, views),
written once: it has every field those stages read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np


@dataclass(frozen=True)
class Item:
    url: str
    title: str
    summary: str
    published: datetime
    source: str
    language: str | None = "en"
    vector: np.ndarray | None = None
    source_kind: str = "international"
