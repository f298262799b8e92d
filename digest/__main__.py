"""Command line: ``python -m digest read <url-or-file> [--json]``.

Prints what the bot would reply to a link — headline, outlet, date, author, key points,
attributed quotes — as text, or as JSON (see the README for its fields). A local file is
read as HTML with ``file://`` as its URL, which is handy for saved pages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from digest.errors import DigestError
from digest.extract import extract_article
from digest.fetch import FetchOptions, HttpClient
from digest.models import Article, Gist
from digest.reader import article_to_json, gist_of, read_article


async def _load(target: str) -> Article:
    path = Path(target)
    if path.exists():
        return extract_article(path.read_text(errors="replace"), path.resolve().as_uri())
    async with HttpClient(trust_env=False) as client:
        return await read_article(client, target, FetchOptions())


def gist_json(gist: Gist) -> dict[str, object]:
    """The documented JSON: url, title, author, published, site_name, language,
    key_points, quotes [{text, speaker}], text."""
    data = article_to_json(gist.article)
    return {
        "url": data["url"], "title": data["title"], "author": data["author"],
        "published": data["published"], "site_name": data["site_name"],
        "language": data["language"], "key_points": gist.key_points,
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in gist.quotes],
        "text": data["text"],
    }


def gist_text(gist: Gist) -> str:
    a = gist.article
    lines = [a.title, " · ".join(x for x in (a.site_name, a.published and a.published.isoformat(), a.author) if x), ""]
    lines += [f"• {point}" for point in gist.key_points] + [""]
    lines += [f"{q.speaker or '(unattributed)'}: “{q.text}”" for q in gist.quotes]
    lines += ["", f"{gist.reading_minutes} min read · {a.url}"]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m digest", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("read", help="summarise one article (URL or saved HTML file)")
    read.add_argument("target")
    read.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    try:
        gist = gist_of(asyncio.run(_load(args.target)))
    except DigestError as error:
        print(f"cannot read {args.target}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(gist_json(gist), ensure_ascii=False, indent=2) if args.json else gist_text(gist))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
