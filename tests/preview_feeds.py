"""Four feeds for ``python -m digest preview``, served by a local page server.

Two outlets report the same strike, a third carries an unrelated item and a second war
story, a fourth feed is broken; every headline and article here is our own writing.
Shared by the preview tests in-process and through the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from digest.feeds.sources import Source, SourceKind
from tests.feedgen import Entry, rss
from tests.pageserver import PageServer, Reply

NOW = datetime.now(UTC).replace(microsecond=0)
ARTICLE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>A Russian missile struck a power substation on the edge of Zaporizhzhia before dawn on Thursday, cutting electricity to about 40,000 households, the regional military administration said.</p>
<p>“Engineers have isolated the damaged transformers and we will bring the first districts back online within hours,” Ivan Fedorov, the head of the regional administration, said in a video statement.</p>
<p>Two workers at the site were injured and taken to hospital, officials added. Air defence units reported that a second missile was shot down over the Dnipro river.</p>
</article></body></html>"""


def _strike(outlet: str, title: str, base: str) -> Entry:
    summary = ("A Russian missile hit a Zaporizhzhia power substation overnight, leaving "
               "about 40,000 homes without electricity, regional officials said.")
    return Entry(f"{outlet}-strike", title, summary, NOW - timedelta(hours=2),
                 f"{base}/{outlet}/zaporizhzhia-substation")


def _feeds(server: PageServer) -> list[Source]:
    """Serve four feeds and two articles; return the sources pointing at them."""
    base = server.url("").rstrip("/")
    feeds = {
        "alpha": [_strike("alpha", "Russian missile strike knocks out Zaporizhzhia substation", base)],
        "beta": [_strike("beta", "Missile hits Zaporizhzhia power substation, 40,000 homes without power", base),
                 Entry("beta-old", "Russian shelling damages school in Kherson", "Shelling hit a school in Kherson.",
                       NOW - timedelta(days=3), f"{base}/beta/kherson-school")],
        "gamma": [Entry("gamma-bake", "Village bakery wins national sourdough prize",
                        "A family bakery took first place at the annual bread festival.",
                        NOW - timedelta(hours=1), f"{base}/gamma/bakery"),
                  Entry("gamma-drones", "Ukraine says it downed 30 Russian drones over Kharkiv region",
                        "Air defence destroyed 30 Shahed drones launched at Kharkiv region overnight, the air force said.",
                        NOW - timedelta(hours=5), f"{base}/gamma/kharkiv-drones")],
    }
    for outlet, entries in feeds.items():
        server.add(f"/{outlet}/rss", Reply(rss(outlet.title(), entries), content_type="application/rss+xml",
                                           etag=f'"{outlet}-1"'))
    for outlet in ("alpha", "beta"):
        title = f"Substation hit in Zaporizhzhia ({outlet})"
        server.add(f"/{outlet}/zaporizhzhia-substation", ARTICLE.format(title=title).encode())
    server.add("/broken/rss", Reply(b"gone", status=410, content_type="text/plain"))
    names = [*feeds, "broken"]
    return [Source(n.title(), f"{base}/{n}/rss", "en", SourceKind.INTERNATIONAL, True) for n in names]


@pytest.fixture
def served() -> Iterator[tuple[PageServer, list[Source]]]:
    with PageServer() as server:
        yield server, _feeds(server)
