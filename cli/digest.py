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
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, bot_settings
from digest.errors import DigestError, ResponseTooLarge, UnsupportedContentType
from digest.feeds.sources import OPMLError, Source, load_opml
from digest.models import Article, Gist
from digest.preview import MAX_STORIES, PreviewOptions, parse_since, preview
from digest.reader.decode import BINARY_DATA, decode_body, looks_binary, sniff_binary_type
from digest.reader.extract import extract_article
from digest.reader.fetch import FetchOptions, HttpClient, parse_allow_list
from digest.reader.gist import article_to_json, gist_of, read_article
from settings import Settings

# Shown targets are cut here: a 4 KB URL in an error line helps nobody.
_SHOWN_TARGET = 100


class TargetError(Exception):
    """The command-line target is neither a link nor a readable saved page."""


def fetch_options(settings: Settings) -> FetchOptions:
    """The fetch policy of the bot, from the same settings (private hosts, ports)."""
    return FetchOptions(allow_private_hosts=parse_allow_list(settings.fetch_allow_private_hosts),
                        allowed_ports=settings.fetch_allowed_ports)


def shown(target: str) -> str:
    """``target`` as shown in messages: at most 100 characters.

    >>> shown("x" * 500)[-5:], len(shown("x" * 500))
    ('xxxx…', 100)
    """
    return target if len(target) <= _SHOWN_TARGET else f"{target[:_SHOWN_TARGET - 1]}…"


def saved_page(target: str) -> Path | None:
    """The saved page ``target`` names, or None when it is a link (it has a scheme).

    Raises :class:`TargetError` for an empty target, a folder or a missing file.
    """
    if not target.strip():
        raise TargetError("give a link (https://…) or a saved HTML file")
    if "://" in target:
        return None
    path = Path(target)
    try:
        if path.is_dir():
            raise TargetError(f"{shown(target)} is a folder, not a saved page")
        if path.is_file():
            return path
    except OSError as error:  # a name too long for the file system is not a file
        raise TargetError(f"{shown(target)}: {error.strerror or error}") from None
    raise TargetError(f"{shown(target)}: no such file (links start with http:// or https://)")


def page_text(content: bytes, options: FetchOptions) -> str:
    """A saved page's bytes as text, exactly as a fetched one: same size cap, binary formats
    refused, charset from the BOM or the page's ``<meta charset>``, else guessed."""
    if len(content) > options.max_decompressed_bytes:
        raise ResponseTooLarge(f"file is larger than {options.max_decompressed_bytes} bytes")
    binary_type = sniff_binary_type(content[:16])
    if binary_type:
        raise UnsupportedContentType(f"not a web page: {binary_type}", content_type=binary_type)
    text = decode_body(content, None).text
    if looks_binary(text):
        raise UnsupportedContentType("not a web page: binary data", content_type=BINARY_DATA)
    return text


async def _load(target: str, options: FetchOptions) -> Article:
    path = saved_page(target)
    if path is not None:
        return extract_article(page_text(path.read_bytes(), options), path.resolve().as_uri())
    async with HttpClient(trust_env=False) as client:
        return await read_article(client, target, options)


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


def _read(args: argparse.Namespace, settings: Settings) -> int:
    try:
        gist = gist_of(asyncio.run(_load(args.target, fetch_options(settings))))
    except TargetError as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return EXIT_FAILED
    except (DigestError, OSError) as error:
        name = type(error).__name__
        detail = error.strerror if isinstance(error, OSError) and error.strerror else error
        print(f"cannot read {shown(args.target)}: {name}: {detail}", file=sys.stderr)
        return EXIT_FAILED
    return emit(json.dumps(gist_json(gist), ensure_ascii=False, indent=2) if args.json
                else gist_text(gist))


def emit(text: str) -> int:
    """Print ``text``; a reader that went away (``| head``) ends the command quietly."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        # As the Python docs advise: point stdout at devnull so the interpreter's own flush
        # at exit does not raise again, and exit non-zero as other tools cut short do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    return EXIT_OK


def _since(text: str) -> timedelta:
    try:
        return parse_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_STORIES:
        raise argparse.ArgumentTypeError(f"expected a whole number of stories from 1 to {MAX_STORIES}, "
                                         f"not {shown(text)!r}")
    return int(text)


def _enabled_sources(opml: Path | None, settings: Settings) -> list[Source]:
    """The sources the bot would use (built-in, or as ``SOURCES_FILE``/``SOURCES_MODE`` say)
    that are on by default, or the enabled outlines of ``opml`` when given."""
    sources = load_opml(opml.read_bytes()) if opml else list(settings.sources)
    return [source for source in sources if source.enabled_by_default]


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


async def _fetch_preview(sources: list[Source], options: PreviewOptions) -> str:
    async with HttpClient(trust_env=False) as client:
        return await preview(client, sources, options, now=datetime.now(UTC), progress=_progress)


def _preview(args: argparse.Namespace, settings: Settings) -> int:
    try:
        sources = _enabled_sources(args.sources, settings)
    except (OSError, OPMLError) as error:
        print(f"cannot read sources from {args.sources}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if not sources:
        print("no enabled feeds to preview", file=sys.stderr)
        return EXIT_FAILED
    if args.debug:  # the pipeline logs why an article could not be read
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(message)s")
    options = PreviewOptions(since=args.since, limit=args.limit, debug=args.debug,
                             timezone=settings.default_timezone, fetch=fetch_options(settings))
    try:
        text = asyncio.run(_fetch_preview(sources, options))
    except DigestError as error:  # every feed failed: no digest to show
        print(f"preview failed: {error}", file=sys.stderr)
        return EXIT_FAILED
    return emit(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m digest", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    read = commands.add_parser("read", help="summarise one article (URL or saved HTML file)")
    read.add_argument("target")
    read.add_argument("--json", action="store_true", help="print JSON instead of text")
    show = commands.add_parser("preview", help="print today's digest from the feeds, as text")
    show.add_argument("--since", type=_since, default=timedelta(hours=24),
                      help="look-back window such as 6h, 24h or 2d, at most 365d (default 24h)")
    show.add_argument("--sources", type=Path, help="OPML file of feeds (default: built-in list)")
    show.add_argument("--limit", type=_positive, default=7, help=f"stories to show, 1 to {MAX_STORIES} (default 7)")
    show.add_argument("--debug", action="store_true", help="show why each story ranks where it does")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    # As the bot has them: FETCH_ALLOW_PRIVATE_HOSTS, FETCH_ALLOWED_PORTS, SOURCES_FILE,
    # SOURCES_MODE, DEFAULT_TIMEZONE.
    settings = bot_settings()
    if settings is None:
        return EXIT_USAGE
    return _read(args, settings) if args.command == "read" else _preview(args, settings)
