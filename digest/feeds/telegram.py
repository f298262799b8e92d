"""Public Telegram channels as sources: the web preview ``https://t.me/s/<channel>`` as items.

The preview page lists a channel's latest posts (about twenty), oldest first, each a
``div.tgme_widget_message`` whose ``data-post`` is ``<channel>/<id>``. This module reads
such a page into items like a feed's, in page order:

* the post link ``https://t.me/<channel>/<id>`` (the id of an edited post does not change,
  so an edit never becomes a second item);
* its date (``<time datetime>``, aware UTC);
* its text, split the way a post reads: the first line that has words is the title, the
  rest is the summary (a link preview's title is added to the summary);
* the channel's title as the outlet; a forward credits the original channel as author.

An album is a single message block with its caption, so it is one item. Service messages
("channel created", "pinned …"), polls and media without text are skipped. The text is kept
as the channel wrote it: footers and emoji markers are removed later, where headlines are
made (:mod:`digest.render.headline`), so nothing here guesses twice.

Pure: bytes or text in, items out; fetching is :mod:`digest.reader.fetch`'s job.

>>> page = '''<html><head><meta property="og:title" content="Demo"></head><body>
... <div class="tgme_channel_info"><div class="tgme_channel_info_header_title">Demo news</div></div>
... <div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="demo/7">
... <div class="tgme_widget_message_bubble"><div class="tgme_widget_message_text">Air defence at work
... <br/>Drones shot down over Kyiv.</div><div class="tgme_widget_message_footer">
... <a class="tgme_widget_message_date" href="https://t.me/demo/7">
... <time datetime="2026-11-25T04:10:00+00:00">04:10</time></a></div></div></div></div>
... </body></html>'''
>>> [post] = parse_channel_page(page, url="https://t.me/s/demo")
>>> post.url, post.title, post.summary, post.outlet, post.published.isoformat()
('https://t.me/demo/7', 'Air defence at work', 'Drones shot down over Kyiv.', 'Demo news', '2026-11-25T04:10:00+00:00')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from digest.errors import NotAChannelPage
from digest.feeds.parse import FeedItem, ParsedFeed
from digest.instants import aware
from digest.language.detect import guess_language
from digest.language.sentences import end_within

PREVIEW_BASE = "https://t.me"
MAX_POSTS = 100
"""Messages read from one page; a real preview page has about twenty."""

TITLE_CHARS = 200
LINK_POST_CHARS = 120
"""A post with a link and less text than this of its own is read as the linked article."""
SUMMARY_CHARS = 600

# Telegram usernames: 5–32 characters, letters, digits and underscores, starting with a
# letter; a few old channels have 4. No leading digit, no double or trailing underscore.
_NAME = re.compile(r"[A-Za-z](?:[A-Za-z0-9]|_(?!_)){2,30}[A-Za-z0-9]")
_HOSTS = frozenset({"t.me", "telegram.me", "www.t.me", "www.telegram.me", "telegram.dog"})
# Paths under t.me that are Telegram's own pages, never a channel.
_RESERVED = frozenset({"joinchat", "addstickers", "addemoji", "share", "proxy", "socks",
                       "setlanguage", "login", "iv", "s", "c", "addlist", "boost", "contact"})
_LINK_TEXT = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")


class ChannelNameError(ValueError):
    """What the user typed is not a public channel's name; the message says why."""

    def __init__(self, reason: str, raw: str) -> None:
        super().__init__(f"{reason}: {raw}")
        self.reason = reason  # "private" (an invite link) or "invalid"
        self.raw = raw


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """One post of a channel, as a digest item.

    ``author`` is the original channel's name when the post forwards another channel's
    post (``forwarded_from`` is then that post's link), else None.
    """

    channel: str
    post_id: int
    url: str
    title: str
    summary: str
    text: str
    published: datetime | None
    outlet: str
    author: str | None = None
    forwarded_from: str | None = None
    edited: bool = False
    links: tuple[str, ...] = ()  # outside links: the text's, then the link preview's

    @property
    def mainly_a_link(self) -> bool:
        """Is the post a pointer to an article: a link and little text of its own?

        >>> ChannelPost("c", 1, "u", "Read this", "", "Read this https://x.org/a", None, "C",
        ...             links=("https://x.org/a",)).mainly_a_link
        True
        """
        own = _LINK_TEXT.sub(" ", self.text)
        return bool(self.links) and len(" ".join(own.split())) < LINK_POST_CHARS

    def feed_item(self, language: str | None = None) -> FeedItem:
        """The post as the feed item polling stores; its link is its id."""
        return FeedItem(
            guid=self.url, url=self.url, title=self.title,
            summary=_cut(self.summary, SUMMARY_CHARS)[0],  # stored like a feed's summary
            published=self.published, source=self.outlet,
            language=language or guess_language(self.text), author=self.author,
        )


@dataclass(frozen=True, slots=True)
class ChannelPage:
    """A preview page: the channel, its title, its readable posts in page order, and the
    lowest post id on the page (skipped posts included), for an older page (``?before=``)."""

    channel: str
    title: str
    posts: list[ChannelPost]
    oldest_id: int | None
    newest_id: int | None

    def as_feed(self, language: str | None = None) -> ParsedFeed:
        items = [post.feed_item(language) for post in reversed(self.posts)]  # newest first
        return ParsedFeed(self.title, f"{PREVIEW_BASE}/{self.channel}", language, None, items)


def channel_name(raw: str) -> str:
    """The channel's username from ``@name``, ``name``, ``t.me/name``, ``t.me/s/name`` or a
    post link; :class:`ChannelNameError` for invite links and what is no username at all.

    >>> [channel_name(x) for x in ("@kyiv_news", "t.me/s/kyiv_news/12", "https://telegram.me/Kyiv_News")]
    ['kyiv_news', 'kyiv_news', 'Kyiv_News']
    >>> channel_name("https://t.me/+AbCdEf123")
    Traceback (most recent call last):
    ...
    digest.feeds.telegram.ChannelNameError: private: https://t.me/+AbCdEf123
    """
    text = raw.strip()
    if text.startswith("@"):
        return _checked(text[1:], raw)
    if "/" not in text and "." not in text:
        return _checked(text, raw)
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if (parts.hostname or "").lower() not in _HOSTS:
        raise ChannelNameError("invalid", raw)
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[0] == "s":
        segments = segments[1:]
    if not segments:
        raise ChannelNameError("invalid", raw)
    if segments[0].startswith("+") or segments[0].lower() == "joinchat":
        raise ChannelNameError("private", raw)
    return _checked(segments[0], raw)


def names_a_channel(raw: str) -> bool:
    """Does ``raw`` look meant as a channel (``@name``, an invite, a t.me link), not a feed?

    >>> [names_a_channel(x) for x in ("@demo", "t.me/demo", "https://t.me/+x", "https://x.org/rss")]
    [True, True, True, False]
    """
    text = raw.strip()
    if text.startswith(("@", "+")):
        return True
    host = urlsplit(text if "://" in text else f"https://{text}").hostname or ""
    return host.lower() in _HOSTS


def _checked(name: str, raw: str) -> str:
    if name.startswith("+"):
        raise ChannelNameError("private", raw)
    if not _NAME.fullmatch(name) or name.lower() in _RESERVED:
        raise ChannelNameError("invalid", raw)
    return name


def post_link(url: str) -> tuple[str, int] | None:
    """The channel and post id of a post link (``t.me/<channel>/<id>``, ``t.me/s/…``).

    >>> post_link("https://t.me/s/demo_chan/12?single"), post_link("https://t.me/demo_chan")
    (('demo_chan', 12), None)
    """
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    if (parts.hostname or "").lower() not in _HOSTS:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if len(segments) != 2 or not segments[1].isdigit():
        return None
    try:
        return _checked(segments[0], url), int(segments[1])
    except ChannelNameError:
        return None


def embed_url(name: str, post_id: int, *, base: str = PREVIEW_BASE) -> str:
    """The post's public embed view (what a website's embedded post shows)."""
    return f"{base.rstrip('/')}/{name}/{post_id}?embed=1&mode=tme"


def read_post_embed(html: str | bytes, *, url: str) -> ChannelPost:
    """The post of an embed page; :class:`NotAChannelPage` when it shows none (a deleted or
    private post, a service message, a poll, media without text)."""
    soup = BeautifulSoup(html, "lxml")
    message = soup.select_one("div.tgme_widget_message[data-post]")
    ref = _post_ref(message) if message is not None else None
    if message is None or ref is None:
        raise NotAChannelPage(f"not a public post: {url}")
    owner = message.select_one(".tgme_widget_message_owner_name")
    outlet = _one_line(owner.get_text()) if owner is not None else ref[0]
    post = _post(message, ref, outlet or ref[0])
    if post is None:
        raise NotAChannelPage(f"the post has no text to read: {url}")
    return post


def preview_url(name: str, *, base: str = PREVIEW_BASE, before: int | None = None) -> str:
    """The preview page of a channel (``?before=`` for the page of older posts).

    >>> preview_url("demo"), preview_url("demo", base="http://127.0.0.1:8080/", before=40)
    ('https://t.me/s/demo', 'http://127.0.0.1:8080/s/demo?before=40')
    """
    url = f"{base.rstrip('/')}/s/{name}"
    return f"{url}?before={before}" if before else url


def is_channel_source(feed_url: str) -> bool:
    """Is this stored source URL a channel's preview (how channel sources are stored)?

    >>> is_channel_source("https://t.me/s/demo"), is_channel_source("https://t.me/rss")
    (True, False)
    """
    return feed_url.startswith(f"{PREVIEW_BASE}/s/")


def parse_channel_page(html: str | bytes, *, url: str) -> list[ChannelPost]:
    """The readable posts of a preview page, in page order (oldest first)."""
    return read_channel_page(html, url=url).posts


def read_channel_page(html: str | bytes, *, url: str) -> ChannelPage:
    """Read a preview page; :class:`NotAChannelPage` when it is none."""
    soup = BeautifulSoup(html, "lxml")
    messages = soup.select("div.tgme_widget_message[data-post]")[:MAX_POSTS]
    info = soup.select_one(".tgme_channel_info")
    if info is None and not messages:
        raise NotAChannelPage(f"not a public channel preview: {url}")
    title = _channel_title(soup)
    refs = [(message, ref) for message in messages if (ref := _post_ref(message)) is not None]
    channel = refs[0][1][0] if refs else _name_from_url(url)
    posts = [post for message, ref in refs if (post := _post(message, ref, title or channel))]
    ids = [ref[1] for _, ref in refs]
    return ChannelPage(channel, title or channel, posts, min(ids, default=None),
                       max(ids, default=None))


def _name_from_url(url: str) -> str:
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return segments[-1] if segments else ""


def _channel_title(soup: BeautifulSoup) -> str:
    header = soup.select_one(".tgme_channel_info_header_title")
    if header is not None:
        return _one_line(header.get_text())
    meta = soup.find("meta", attrs={"property": "og:title"})
    content = meta.get("content") if isinstance(meta, Tag) else None
    return _one_line(content) if isinstance(content, str) else ""


def _post_ref(message: Tag) -> tuple[str, int] | None:
    value = message.get("data-post")
    channel, _, number = (value if isinstance(value, str) else "").partition("/")
    return (channel, int(number)) if channel and number.isdigit() else None


def _post(message: Tag, ref: tuple[str, int], outlet: str) -> ChannelPost | None:
    """One post, or None for service messages, polls and posts without text."""
    classes = message.get_attribute_list("class")
    if "service_message" in classes or message.select_one(".tgme_widget_message_poll"):
        return None
    text = _post_text(message)
    preview = _preview_title(message)
    if not text:
        return None  # media without a caption (a link preview alone carries no news)
    title, summary = split_post(text)
    if preview and preview not in text:
        summary = f"{summary} {preview}".strip()
    channel, post_id = ref
    author, forwarded = _forward(message)
    return ChannelPost(
        channel=channel, post_id=post_id, url=f"{PREVIEW_BASE}/{channel}/{post_id}",
        title=title, summary=summary, text=text,
        published=_published(message), outlet=outlet, author=author,
        forwarded_from=forwarded, edited=_edited(message), links=_links(message),
    )


def _links(message: Tag) -> tuple[str, ...]:
    """Outside http(s) links of the post's text and its link preview, each once."""
    found: list[str] = []
    anchors = [a for block in message.select("div.tgme_widget_message_text")
               if not block.find_parent(class_=re.compile(r"tgme_widget_message_reply"))
               for a in block.find_all("a")]
    anchors += message.select("a.tgme_widget_message_link_preview")
    for anchor in anchors:
        href = anchor.get("href")
        host = (urlsplit(href).hostname or "").lower() if isinstance(href, str) else ""
        if isinstance(href, str) and href.startswith(("http://", "https://")) \
                and host not in _HOSTS and href not in found:
            found.append(href)
    return tuple(found)


def _post_text(message: Tag) -> str:
    """The post's own text: the text block of the bubble, not a quoted reply's."""
    for block in message.select("div.tgme_widget_message_text"):
        if block.find_parent(class_=re.compile(r"tgme_widget_message_(reply|link_preview)")):
            continue
        return _block_text(block)
    return ""


def _block_text(block: Tag) -> str:
    """Text with line breaks where the post has them; inline markup adds nothing."""
    for br in block.find_all("br"):
        br.replace_with("\n")
    lines = (" ".join(line.split()) for line in block.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _preview_title(message: Tag) -> str:
    node = message.select_one(".tgme_widget_message_link_preview .link_preview_title")
    return _one_line(node.get_text()) if node is not None else ""


def _forward(message: Tag) -> tuple[str | None, str | None]:
    node = message.select_one("a.tgme_widget_message_forwarded_from_name, "
                              ".tgme_widget_message_forwarded_from_name")
    if node is None:
        return None, None
    href = node.get("href")
    return _one_line(node.get_text()) or None, href if isinstance(href, str) else None


def _published(message: Tag) -> datetime | None:
    node = message.select_one("a.tgme_widget_message_date time[datetime], time[datetime]")
    raw = node.get("datetime") if node is not None else None
    if not isinstance(raw, str):
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return aware(value).astimezone(UTC)


def _edited(message: Tag) -> bool:
    meta = message.select_one(".tgme_widget_message_meta")
    return meta is not None and "edited" in meta.get_text().lower()


def split_post(text: str) -> tuple[str, str]:
    """Title and summary the way a post reads: the first line with words is the title (a
    long one is cut at a sentence end, else a word, and its rest opens the summary); the
    lines after it are the summary.

    >>> split_post("⚡️\\nMissile strike on Dnipro\\nTwo people injured.\\nDetails later.")
    ('Missile strike on Dnipro', 'Two people injured. Details later.')
    """
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if any(c.isalnum() for c in line)), None)
    if start is None:
        return "", ""
    title, rest = _cut(lines[start], TITLE_CHARS)
    summary = " ".join([rest, *lines[start + 1 :]]).strip()
    return title, " ".join(summary.split())


def _cut(text: str, limit: int) -> tuple[str, str]:
    """``text`` within ``limit`` characters, and what was cut off."""
    if len(text) <= limit:
        return text, ""
    end = end_within(text, limit)
    cut = end if end >= limit // 2 else text.rfind(" ", 0, limit + 1)
    if cut < limit // 2:
        cut = limit
    return text[:cut].rstrip(), text[cut:].strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def iter_channel_posts(pages: list[ChannelPage]) -> Iterator[ChannelPost]:
    """Posts of several pages (an older page first), each once, in post-id order."""
    seen: set[int] = set()
    for post in sorted((p for page in pages for p in page.posts), key=lambda p: p.post_id):
        if post.post_id not in seen:
            seen.add(post.post_id)
            yield post
