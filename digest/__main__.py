"""Command line: ``python -m digest read <url-or-file> [--json]`` and ``python -m digest preview``.

``read`` prints what the bot would reply to a link — headline, outlet, date, author, key
points, attributed quotes — as text, or as JSON (see the README for its fields). A local
file is read as HTML with ``file://`` as its URL, which is handy for saved pages.

``preview [--since 24h] [--sources FILE] [--limit 7] [--debug]`` fetches the feeds (the
built-in sources that are on by default, or an OPML file) and prints today's digest as plain
text, with progress on stderr. It never touches the database or Telegram. Hosts listed in
``FETCH_ALLOW_PRIVATE_HOSTS`` (as for the bot) may be private, e.g. a local test server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from digest.errors import DigestError
from digest.feeds.sources import DEFAULT_SOURCES, OPMLError, Source, load_opml
from digest.models import Article, Gist
from digest.preview import PreviewOptions, parse_since, preview
from digest.reader.extract import extract_article
from digest.reader.fetch import FetchOptions, HttpClient, parse_allow_list
from digest.reader.gist import article_to_json, gist_of, read_article


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


def _read(args: argparse.Namespace) -> int:
    try:
        gist = gist_of(asyncio.run(_load(args.target)))
    except DigestError as error:
        print(f"cannot read {args.target}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(gist_json(gist), ensure_ascii=False, indent=2) if args.json else gist_text(gist))
    return 0


def _since(text: str) -> timedelta:
    try:
        return parse_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of stories, not {text!r}")
    return int(text)


def _enabled_sources(opml: Path | None) -> list[Source]:
    """The built-in sources that are on by default, or the enabled outlines of ``opml``."""
    sources = load_opml(opml.read_bytes()) if opml else list(DEFAULT_SOURCES)
    return [source for source in sources if source.enabled_by_default]


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def _fetch_preview(sources: list[Source], options: PreviewOptions) -> str:
    async with HttpClient(trust_env=False) as client:
        return await preview(client, sources, options, now=datetime.now(UTC), progress=_progress)


def _preview(args: argparse.Namespace) -> int:
    try:
        sources = _enabled_sources(args.sources)
    except (OSError, OPMLError) as error:
        print(f"cannot read sources from {args.sources}: {error}", file=sys.stderr)
        return 1
    if args.debug:  # the pipeline logs why an article could not be read
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    allowed = parse_allow_list(os.environ.get("FETCH_ALLOW_PRIVATE_HOSTS", ""))
    options = PreviewOptions(since=args.since, limit=args.limit, debug=args.debug,
                             fetch=FetchOptions(allow_private_hosts=allowed))
    print(asyncio.run(_fetch_preview(sources, options)))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m digest", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("read", help="summarise one article (URL or saved HTML file)")
    read.add_argument("target")
    read.add_argument("--json", action="store_true", help="print JSON instead of text")
    show = commands.add_parser("preview", help="print today's digest from the feeds, as text")
    show.add_argument("--since", type=_since, default=timedelta(hours=24),
                      help="look-back window such as 6h, 24h or 2d (default 24h)")
    show.add_argument("--sources", type=Path, help="OPML file of feeds (default: built-in list)")
    show.add_argument("--limit", type=_positive, default=7, help="stories to show (default 7)")
    show.add_argument("--debug", action="store_true", help="show why each story ranks where it does")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    return _read(args) if args.command == "read" else _preview(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
