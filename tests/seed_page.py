"""A news-like web page built at run time from the seed article in ``../shared/seed/``.

The seed is plain text (headline, author, sub-headline, paragraphs); wrapping it in the
kind of markup a news site serves lets the whole reader run on it. Its text is never
copied into the repository.
"""

from __future__ import annotations

import html
from pathlib import Path

SEED_FILE = "putin-peace-talks-article.txt"


def seed_page_html(seed_dir: Path) -> str:
    """The seed as a page: site chrome in ``<nav>``, headline, byline, sub-headline, body.

    The saved text starts with the site's chrome, then the headline, the author, and the
    headline again over a sub-headline; the headline is the first block repeated later.
    """
    blocks = [b.strip() for b in (seed_dir / SEED_FILE).read_text().split("\n\n") if b.strip()]
    at = next(i for i, b in enumerate(blocks) if any(o.startswith(b) for o in blocks[i + 1 :]))
    chrome, title, author = blocks[:at], blocks[at], blocks[at + 1]
    subtitle = blocks[at + 2].removeprefix(title).strip()
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in blocks[at + 3 :])
    nav = " ".join(f'<a href="/">{html.escape(c)}</a>' for c in chrome)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)} | RBC-Ukraine</title>
<meta property="og:site_name" content="RBC-Ukraine">
<meta property="og:title" content="{html.escape(title, quote=True)}">
<meta property="article:published_time" content="2024-05-15T10:30:00+03:00">
</head><body>
<nav>{nav} <a href="/war">War</a> <a href="/economy">Economy</a></nav>
<article><h1>{html.escape(title)}</h1>
<div class="byline">Author: <span class="author">{html.escape(author)}</span></div>
<h2>{html.escape(subtitle)}</h2>
{body}
</article>
<aside class="related"><a href="/a">Related: other news</a></aside>
<footer>© News site</footer></body></html>"""
