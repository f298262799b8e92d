"""Telegram channels as sources: poll a channel's public preview, check one before adding,
and read one post (its embed view) for a post link's gist.

A channel is polled like a feed (same fetcher, so the same SSRF guard, size cap and
timeouts; same backoff and ``Retry-After``), with what a channel needs on top:

* one request per channel per poll interval; after downtime, when the newest page does not
  reach back to the last post read, one older page (``?before=``) and no more;
* only posts newer than the last one read are stored (the id is remembered);
* a page that is not a preview (a redirect to the app page, a login wall) fails that
  source alone, with a status ``/sources`` shows.

A post link (``t.me/<channel>/<id>``, ``t.me/s/…``) is read from the post's public embed
page: its own text becomes the article (lines as paragraphs, so key points and quotes with
speakers come from it); a post that is mainly a link gives the linked article instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from digest.errors import DigestError, NotAChannelPage
from digest.feeds.parse import ParsedFeed
from digest.feeds.polling import PollPolicy, next_poll_at
from digest.feeds.telegram import (
    ChannelNameError,
    ChannelPage,
    ChannelPost,
    channel_name,
    embed_url,
    post_link,
    preview_url,
    read_channel_page,
    read_post_embed,
)
from digest.language.detect import guess_language
from digest.models import Article
from digest.quotes.find import find_quotes
from digest.reader.fetch import FetchOptions, FetchResult, HttpClient, fetch
from digest.reader.gist import read_article
from digest.workers import run_cpu
from services.context import Services
from storage import channels as cursor
from storage import sources


@dataclass(frozen=True, slots=True)
class ChannelCheck:
    """A channel that has a public preview: its name, title and the language of its posts."""

    name: str
    title: str
    language: str | None = None

    @property
    def feed_url(self) -> str:
        return preview_url(self.name)


class ChannelUnavailable(DigestError):
    """A channel cannot be added; ``reason`` picks the one-line answer."""

    def __init__(self, reason: str, raw: str) -> None:
        super().__init__(f"{reason}: {raw}")
        self.reason = reason  # private, invalid, no_preview, unreachable
        self.raw = raw


async def check_channel(svc: Services, raw: str) -> ChannelCheck:
    """The channel ``raw`` names, when it has a public preview; else :class:`ChannelUnavailable`."""
    try:
        name = channel_name(raw)
    except ChannelNameError as error:
        raise ChannelUnavailable(error.reason, raw) from error
    try:
        page = await _read_page(svc, name, before=None)
    except NotAChannelPage as error:
        raise ChannelUnavailable("no_preview", raw) from error
    except DigestError as error:
        raise ChannelUnavailable("unreachable", raw) from error
    sample = " ".join(post.text for post in page.posts[-10:])
    return ChannelCheck(page.channel or name, page.title or name,
                        guess_language(sample) if sample else None)


@dataclass(frozen=True, slots=True)
class AddedChannel:
    source: sources.SourceRow
    known: bool  # it was a source already (now switched on for the chat all the same)


async def add_channel(svc: Services, raw: str, *, chat_id: int, kind: str) -> AddedChannel:
    """Add the channel ``raw`` names (after checking its preview) and switch it on for the
    chat that asked; :class:`ChannelUnavailable` says why not. Off by default elsewhere."""
    checked = await check_channel(svc, raw)
    existing = [s for s in sources.all_sources(svc.db)
                if s.feed_url.lower() == checked.feed_url.lower()]
    if existing:
        source = existing[0]
    else:
        spec = sources.SourceSpec(checked.title[:100], checked.feed_url, checked.language, kind,
                                  False)
        rows = sources.sync_sources(svc.db, [spec], origin="admin")
        source = next(s for s in rows if s.feed_url == checked.feed_url)
    sources.set_chat_source(svc.db, chat_id, source.id, True)
    return AddedChannel(source, known=bool(existing))


async def poll_channel(svc: Services, source: sources.SourceRow, policy: PollPolicy,
                       now: datetime) -> tuple[sources.PollOutcome, ParsedFeed | None]:
    """Read a channel's newest page (and one older page after a gap); the posts not read yet.

    Raises :class:`DigestError` like a feed poll, so the caller records it with backoff.
    """
    name = channel_name(source.feed_url)
    assert svc.http is not None
    result = await fetch(svc.http, _web_url(svc, name, None), svc.fetch_options,
                         etag=source.etag, last_modified=source.last_modified, kind="page")
    outcome = sources.PollOutcome(next_poll_at(now, policy, retry_after=result.retry_after),
                                  etag=result.etag, last_modified=result.last_modified)
    if result.not_modified:
        return outcome, None
    page = await _parse(result, name)
    last = cursor.last_post_id(svc.db, source.id)
    pages = [page]
    if last is not None and page.oldest_id is not None and page.oldest_id > last + 1:
        pages.insert(0, await _read_page(svc, name, before=page.oldest_id))  # one, no more
    posts = [p for pg in pages for p in pg.posts if last is None or p.post_id > last]
    if page.newest_id is not None:
        cursor.remember_post_id(svc.db, source.id, page.newest_id)
    fresh = ChannelPage(page.channel, page.title, posts, page.oldest_id, page.newest_id)
    return outcome, fresh.as_feed(source.language)


async def _read_page(svc: Services, name: str, *, before: int | None) -> ChannelPage:
    assert svc.http is not None
    result = await fetch(svc.http, _web_url(svc, name, before), svc.fetch_options, kind="page")
    return await _parse(result, name)


async def _parse(result: FetchResult, name: str) -> ChannelPage:
    path = urlsplit(result.url).path.rstrip("/")
    if path.lower() != f"/s/{name}".lower():  # t.me redirects a name without preview away
        raise NotAChannelPage(f"no public preview (redirected to {result.url})")
    return await run_cpu(read_channel_page, result.text, url=result.url)


def _web_url(svc: Services, name: str, before: int | None) -> str:
    return preview_url(name, base=svc.settings.telegram_web_base_url, before=before)


async def read_post(client: HttpClient, url: str, options: FetchOptions, *, base: str) -> Article:
    """The post at ``url`` (a post link) as an article; the named errors of
    :mod:`digest.errors` when it cannot be read (``NotAChannelPage``: no public post)."""
    found = post_link(url)
    if found is None:
        raise DigestError(f"not a Telegram post link: {url}")
    page = await fetch(client, embed_url(*found, base=base), options, kind="page")
    post = await run_cpu(read_post_embed, page.text, url=url)
    if post.mainly_a_link:
        try:
            return await read_article(client, post.links[0], options)
        except DigestError:
            pass  # the linked page cannot be read: the post's own words still say something
    return post_article(post)


def post_article(post: ChannelPost) -> Article:
    """A post as an article: its link, title, channel, date and text with quotes.

    >>> from datetime import UTC, datetime
    >>> post = ChannelPost("demo", 5, "https://t.me/demo/5", "Strike on Sumy", "",
    ...                    "Strike on Sumy\\n«We are helping everyone», — said Artem Kobzar.",
    ...                    datetime(2026, 11, 25, tzinfo=UTC), "Sumy Demo")
    >>> article = post_article(post)
    >>> article.site_name, article.text.split("\\n\\n")[0], article.quotes[0].speaker
    ('Sumy Demo', 'Strike on Sumy', 'Artem Kobzar')
    """
    text = "\n\n".join(post.text.split("\n"))
    language = guess_language(post.text)
    return Article(
        url=post.url, canonical_url=post.url, title=post.title, author=post.author,
        published=post.published, site_name=post.outlet, language=language, text=text,
        description=post.summary or None, quotes=find_quotes(text, language=language),
    )
