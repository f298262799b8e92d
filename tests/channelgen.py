"""Channel preview pages (``t.me/s/<channel>``) for tests and benchmarks, in the structure of
the real page (see ``tests/fixtures/telegram/channel_page.html`` for every post shape), and a
page-server route that answers ``?before=`` with the older page like t.me does."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from tests.pageserver import Handler, PageServer, Reply, RequestHandler, static_handler

PAGE_SIZE = 20  # posts on one preview page, as on t.me


@dataclass(frozen=True)
class Post:
    post_id: int
    text: str
    published: datetime


def channel_page(name: str, title: str, posts: Sequence[Post]) -> bytes:
    """A preview page listing ``posts`` oldest first."""
    blocks = "\n".join(_message(name, post) for post in sorted(posts, key=lambda p: p.post_id))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta property="og:title" content="{html.escape(title)}"></head><body><main>
<div class="tgme_channel_info"><div class="tgme_channel_info_header">
<div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(title)}</span></div>
<div class="tgme_channel_info_header_username"><a href="https://t.me/{name}">@{name}</a></div>
</div></div><section class="tgme_channel_history js-message_history">
{blocks}
</section></main></body></html>""".encode()


def post_embed(name: str, title: str, post: Post) -> bytes:
    """The embed view of one post (``t.me/<channel>/<id>?embed=1``)."""
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head>
<body class="widget_frame_base tgme_widget body_widget_post emoji_image nodark">
{_message(name, post, title)}</body></html>""".encode()


def _message(name: str, post: Post, title: str = "") -> str:
    text = "<br/>".join(_linked(line) for line in post.text.split("\n"))
    stamp = post.published.isoformat()
    owner = (f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
             f'href="https://t.me/{name}"><span dir="auto">{html.escape(title)}</span></a></div>') if title else ""
    return f"""<div class="tgme_widget_message_wrap js-widget_message_wrap">
<div class="tgme_widget_message text_not_supported_wrap js-widget_message" data-post="{name}/{post.post_id}">
<div class="tgme_widget_message_bubble">{owner}
<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>
<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
<span class="tgme_widget_message_views">1K</span><span class="tgme_widget_message_meta">
<a class="tgme_widget_message_date" href="https://t.me/{name}/{post.post_id}"><time datetime="{stamp}" class="time">{stamp[11:16]}</time></a></span>
</div></div></div></div></div>"""


def _linked(line: str) -> str:
    """A line with its http(s) words as links, the way Telegram marks them up."""
    return " ".join(
        f'<a href="{html.escape(word)}" target="_blank" rel="noopener">{html.escape(word)}</a>'
        if word.startswith(("http://", "https://")) else html.escape(word)
        for word in line.split(" "))


class ChannelRoute:
    """A channel on the page server: the newest ``PAGE_SIZE`` posts at ``/s/<name>``, older
    ones with ``?before=<id>``; every request is logged with its query."""

    def __init__(self, name: str, title: str, posts: Sequence[Post] = ()) -> None:
        self.name, self.title, self.posts = name, title, list(posts)
        self.requests: list[str] = []

    def handler(self) -> Handler:
        def handle(request: RequestHandler) -> None:
            query = parse_qs(urlsplit(request.path).query)
            self.requests.append(request.path)
            before = int(query["before"][0]) if query.get("before", [""])[0].isdigit() else None
            shown = [p for p in self.posts if before is None or p.post_id < before]
            shown = sorted(shown, key=lambda p: p.post_id)[-PAGE_SIZE:]
            static_handler(Reply(channel_page(self.name, self.title, shown)))(request)
        return handle

    def embed_handler(self) -> Handler:
        """Serve ``/<name>/<id>?embed=1``: route it with :meth:`serve_embeds`."""
        def handle(request: RequestHandler) -> None:
            self.requests.append(request.path)
            post_id = urlsplit(request.path).path.rstrip("/").rsplit("/", 1)[-1]
            found = [p for p in self.posts if str(p.post_id) == post_id]
            reply = Reply(post_embed(self.name, self.title, found[0])) if found else \
                Reply(b"<html><body><div class='tgme_widget_message_error'>Post not found</div></body></html>")
            static_handler(reply)(request)
        return handle

    def serve_embeds(self, server: PageServer) -> None:
        for post in self.posts:
            server.route(f"/{self.name}/{post.post_id}", self.embed_handler())
