"""Pictures for the README: a real link summary and a real digest, as Telegram shows them.

Both messages come from the bot's own pipeline, run on text written for this project (never
on the third-party seed or corpus): an article page goes through ``extract_article →
gist_of → render_gist``, a handful of feed items through ``plan → story_view →
render_digest``. Each Telegram-HTML message is wrapped in a page that looks like a chat
bubble and photographed with headless Chromium::

    python scripts/render_screenshots.py            # writes docs/img/*.png
    python scripts/render_screenshots.py --out /tmp/shots

Chromium is needed only here (``apt-get install chromium``), never by the bot or its tests.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
# Run as ``python scripts/render_screenshots.py``, Python puts scripts/ on the path, not the
# repository, so the bot's packages would not import.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from digest.models import NewsItem  # noqa: E402
from digest.reader.extract import extract_article  # noqa: E402
from digest.reader.gist import gist_of  # noqa: E402
from digest.render.compose import DigestPage, StoryView, render_alert, render_digest, render_gist  # noqa: E402  # noqa: E402
from digest.render.telegram_html import safe_href  # noqa: E402
from digest.stories.alerts import AlertRules, alert_due, breaking_candidates  # noqa: E402
from digest.stories.daily import (  # noqa: E402
    DigestOptions,
    outlets,
    plan,
    ranked_pool,
    select_for_chat,
    story_view,
)
from digest.stories.follow import resolve_topic, story_topics  # noqa: E402
from i18n.locale import day_label, digest_labels, digest_page  # noqa: E402
from i18n.texts import say  # noqa: E402

OUT_DIR = ROOT / "docs" / "img"
# Fixed clock: the pictures change only when the bot's output does.
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)

# ---------------------------------------------------------------------------------------
# Telegram HTML → browser HTML
# ---------------------------------------------------------------------------------------

# Telegram's HTML parse mode accepts these tags only (Bot API, "HTML style"); anything else
# in a message would be refused by Telegram, so the picture drops it rather than show it.
SIMPLE_TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre"})
ALLOWED_TAGS = SIMPLE_TAGS | {"a", "blockquote", "tg-spoiler", "span", "tg-emoji"}


class _TelegramToHtml(HTMLParser):
    """Re-emits Telegram HTML as page HTML: allowed tags only, text escaped exactly once.

    ``convert_charrefs`` hands us text already unescaped (``&amp;`` → ``&``), so escaping it
    again on the way out restores the original entity instead of doubling it.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        # What each open Telegram tag became (``a`` may become ``span``); dropped tags are
        # not recorded, so their end tags (or their lack: ``<br>``) cannot unbalance ours.
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        opened = _opening_tag(tag, dict(attrs))
        if opened:
            self.open.append(_tag_name(opened))
            self.out.append(opened)

    def handle_endtag(self, tag: str) -> None:
        if tag in ALLOWED_TAGS and self.open:
            self.out.append(f"</{self.open.pop()}>")

    def handle_data(self, data: str) -> None:
        # A bare ``<br>``: a newline after it would break the line twice inside ``<pre>``.
        self.out.append(html.escape(data, quote=False).replace("\n", "<br>"))


def _opening_tag(tag: str, attrs: dict[str, str | None]) -> str | None:
    """The page tag for one Telegram tag, or None when Telegram would not accept it."""
    if tag in SIMPLE_TAGS:
        return f"<{tag}>"
    if tag == "a":
        href = safe_href(attrs.get("href") or "")
        return f'<a href="{html.escape(href)}">' if href else "<span>"
    if tag == "blockquote":
        return '<blockquote class="expandable">' if "expandable" in attrs else "<blockquote>"
    if tag == "tg-spoiler" or (tag == "span" and attrs.get("class") == "tg-spoiler"):
        return '<span class="spoiler">'
    if tag in ALLOWED_TAGS:  # tg-emoji, or a span without the spoiler class: keep the text
        return "<span>"
    return None


def _tag_name(opening: str) -> str:
    """``'<a href="…">'`` → ``'a'``."""
    return opening[1:].split(" ", 1)[0].rstrip(">")


def telegram_to_html(message: str) -> str:
    """Telegram HTML as browser HTML: line breaks become ``<br>``, unknown tags vanish.

    >>> telegram_to_html('<b>Tom &amp; Jerry</b>\\n<script>x</script><a href="javascript:1">y</a>')
    '<b>Tom &amp; Jerry</b><br>x<span>y</span>'
    """
    parser = _TelegramToHtml()
    parser.feed(message)
    parser.close()
    return "".join(parser.out)


@dataclass(frozen=True, slots=True)
class ChatScene:
    """What surrounds the bot's message in the picture."""

    bot_name: str = "War Digest"
    sent_at: str = "08:00"
    user_text: str | None = None  # the user's message the bot answers, if any
    width: int = 560
    earlier: tuple[tuple[str, str], ...] = ()  # the bot's earlier messages: (Telegram HTML, time)


# Emoji come from the colour font only (unicode-range): listed first for all text, it would
# also draw digits, and DejaVu's own monochrome emoji would win otherwise.
_STYLE = """
@font-face { font-family: "Emoji"; src: local("Noto Color Emoji"), local("Apple Color Emoji");
  unicode-range: U+1F000-1FAFF, U+2300-23FF, U+2600-27BF, U+FE0F; }
* { box-sizing: border-box; }
html, body { margin: 0; }
body { min-height: 100vh; display: flex; flex-direction: column; justify-content: flex-end;
  background: #b7cfa6 linear-gradient(160deg, #cfe0bb 0%, #9fc0a0 100%);
  font: 15px/1.38 "Emoji", "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #000; }
.chat { padding: 14px 12px; display: flex; flex-direction: column; gap: 8px; }
.bubble { max-width: 100%; padding: 7px 11px 6px; border-radius: 12px;
  box-shadow: 0 1px 1px rgba(0,0,0,.18); overflow-wrap: anywhere; }
.bot { align-self: flex-start; background: #fff; border-bottom-left-radius: 4px; }
.user { align-self: flex-end; background: #effdde; border-bottom-right-radius: 4px; }
.name { color: #3a8ad4; font-weight: bold; margin-bottom: 2px; }
.time { float: right; margin: 6px 0 -2px 12px; font-size: 12px; color: #8a9aa8; }
.user .time { color: #5fb35a; }
a { color: #168acd; text-decoration: none; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 13px; color: #c2185b; }
pre { background: #f3f5f7; padding: 6px 8px; border-radius: 6px; white-space: pre-wrap; }
blockquote { margin: 4px 0; padding: 2px 8px; border-left: 3px solid #3a8ad4;
  background: #eef5fc; border-radius: 4px; }
.spoiler { background: #c9cfd6; color: transparent; border-radius: 3px; }
"""


def chat_page(message: str, scene: ChatScene = ChatScene()) -> str:
    """A whole HTML page showing ``message`` (Telegram HTML) as a bot's chat bubble.

    >>> '<b>Hi &amp; bye</b>' in chat_page('<b>Hi &amp; bye</b>')
    True
    """
    name = f'<div class="name">{html.escape(scene.bot_name)}</div>'
    bubbles = [_bubble("bot", name + telegram_to_html(text), at) for text, at in scene.earlier]
    if scene.user_text is not None:
        bubbles.append(_bubble("user", html.escape(scene.user_text), scene.sent_at))
    bubbles.append(_bubble("bot", name + telegram_to_html(message), scene.sent_at))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<style>body {{ width: {scene.width}px; }}{_STYLE}</style></head>\n"
            f'<body><div class="chat">\n{"".join(bubbles)}</div></body></html>\n')


def _bubble(kind: str, inner: str, sent_at: str) -> str:
    return f'<div class="bubble {kind}">{inner}<span class="time">{html.escape(sent_at)}</span></div>\n'


# ---------------------------------------------------------------------------------------
# The two messages, from the bot's own pipeline
# ---------------------------------------------------------------------------------------

ARTICLE_URL = "https://kyiv-ledger.example/news/2026/11/kherson-water-station"
# Our own writing: a news story with a byline, a date, and attributed quotes. Paragraphs are
# joined into one line each, as most news sites serve them.
ARTICLE_PARAGRAPHS = (
    "Running water returned to most districts of Kherson on Monday evening, eight days after "
    "Russian artillery damaged the city's main pumping station on the right bank of the Dnipro, "
    "the regional military administration said.",
    "Engineers replaced two pumps and a section of the main pipeline under repeated fire, "
    "working mostly at night to avoid drones that patrol the riverbank during the day. About "
    "60,000 residents had relied on water trucks and public wells since the station was hit.",
    "\"We brought water back to the city street by street, and the last districts on the river "
    "will follow by Wednesday,\" said Serhiy Bondar, the head of the city's water utility.",
    "Shelling of Kherson has intensified this month. Officials counted more than 400 strikes on "
    "the city and nearby villages in the past week, most of them from positions on the occupied "
    "left bank, and three employees of the utility were wounded during the repairs.",
    "The station now runs partly on generators donated by partner cities in Europe, which keep "
    "the pumps going during the frequent power cuts that follow strikes on the grid.",
    "\"Every repair we finish is hit again within days, but the city will not be left without "
    "water,\" regional governor Andriy Moroz told reporters at the station.",
    "Humanitarian groups warned that the water network remains fragile ahead of winter and asked "
    "residents to keep a reserve of drinking water at home.",
)


def article_page() -> str:
    """:data:`ARTICLE_PARAGRAPHS` dressed as a news site serves them: metadata, menu, aside."""
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Kherson restores water supply after week of shelling | Kyiv Ledger</title>
<meta property="og:site_name" content="Kyiv Ledger">
<meta name="author" content="Olena Kravets">
<meta property="article:published_time" content="2026-11-24T18:40:00+02:00">
<link rel="canonical" href="{ARTICLE_URL}">
</head><body>
<nav><a href="/">Home</a> <a href="/war">War</a> <a href="/economy">Economy</a></nav>
<article><h1>Kherson restores water supply after week of shelling</h1>
{body}
</article>
<aside><h3>Read more</h3><a href="/a">Ferry link to the islands suspended</a></aside>
</body></html>"""


def link_summary_message() -> str:
    """The bot's reply to :data:`ARTICLE_URL`: the real reader on our own page."""
    article = extract_article(article_page(), ARTICLE_URL)
    return render_gist(gist_of(article))


def _item(source: str, hours_ago: float, title: str, summary: str) -> NewsItem:
    """A stored feed item as the digest reads it: an international outlet, in English."""
    slug = re.sub(r"[^a-z]+", "-", title.lower()).strip("-")[:48]
    host = re.sub(r"[^a-z]+", "-", source.lower()).strip("-")
    return NewsItem(f"https://{host}.example/{slug}", title, summary,
                    NOW - timedelta(hours=hours_ago), source, "international", "en")


# Our own headlines and summaries, as several invented outlets would report three stories.
FEED_ITEMS = (
    _item("Kyiv Ledger", 3, "Russian drones hit energy facilities in Odesa region overnight",
          "Russia launched more than 60 drones at southern Ukraine overnight, damaging two "
          "substations and leaving about 90,000 homes in Odesa region without power, the "
          "regional governor said. Air defences shot down most of the drones."),
    _item("Northern Wire", 2, "Drone attack cuts power to 90,000 homes in Odesa region",
          "Ukraine's air force said it downed 48 of 63 drones launched overnight, while debris "
          "and direct hits damaged energy facilities in the Odesa region."),
    _item("Euro Desk", 1, "Odesa region left without power after overnight drone attack",
          "Engineers are working to restore electricity after Russian drones struck the "
          "energy grid in Odesa region, officials said."),
    _item("Northern Wire", 5, "Ukraine and Russia exchange prisoners of war in UAE-brokered swap",
          "Ukraine and Russia exchanged 150 prisoners of war each on Monday in a swap mediated "
          "by the United Arab Emirates. \"Every one of them is home now, and we will bring back "
          "the rest,\" said Petro Lysenko, who heads Ukraine's coordination office for "
          "prisoners of war."),
    _item("Dnipro Daily", 4, "150 Ukrainian soldiers return home in latest prisoner swap",
          "Many of the freed soldiers had been held since 2022, the coordination office said "
          "after the exchange of prisoners of war with Russia."),
    _item("Euro Desk", 7, "EU ministers agree new package of sanctions against Russia",
          "European Union foreign ministers agreed a new sanctions package targeting Russian "
          "shadow-fleet tankers and banks that help Moscow evade export controls, diplomats "
          "said after the meeting in Brussels."),
    _item("Kyiv Ledger", 6, "EU adopts sanctions package aimed at Russia's shadow fleet",
          "The new EU sanctions against Russia list 40 more tankers of the shadow fleet and "
          "three banks in third countries."),
)


def digest_message() -> str:
    """The first message of the morning digest for :data:`FEED_ITEMS`.

    Stories are shown from their feed summaries (``article=None``), as the bot does when a
    page cannot be read; the pipeline is otherwise the one the scheduler runs.
    """
    options = DigestOptions()
    views = [story_view(story, None, options) for story in plan(FEED_ITEMS, now=NOW)]
    return render_digest(views, day_label(NOW, "Europe/Kyiv"), DigestPage())[0].text


# The same morning for a reader who follows Kharkiv and mutes sanctions: one more outlet on
# the Odesa strike (four in three hours: a breaking alert at 07:15) and one report from Kharkiv.
FOLLOW_ITEMS = (
    *FEED_ITEMS,
    _item("Black Sea Post", 2.5, "Odesa region: drone attack knocks out power for 90,000 homes",
          "Russian drones damaged two substations in Odesa region overnight, the regional "
          "administration said, as engineers worked to restore electricity."),
    _item("Kharkiv Today", 1, "Glide bomb damages school in Kharkiv; no one hurt, mayor says",
          "A Russian glide bomb struck a school building in Kharkiv's Saltivka district early on "
          "Tuesday. \"The children were not there, and no one was hurt,\" said Mayor Ihor "
          "Terekhov."),
)
ALERT_AT = NOW - timedelta(minutes=45)


def breaking_alert() -> tuple[str, NewsItem]:
    """The alert the check sends at :data:`ALERT_AT` (``breaking_candidates``, then the alert
    renderer), and the story it stands for."""
    seen = [item for item in FOLLOW_ITEMS if item.published <= ALERT_AT]
    candidate = next(c for c in breaking_candidates(seen, ALERT_AT, []) if alert_due(c, AlertRules()))
    headline = candidate.headline_item
    view = StoryView(headline.title, headline.url, "", None, outlets(candidate.items, headline))
    return render_alert(view, say("alert_title", "en"), digest_labels("en")), candidate.items[0]


def followed_digest_message() -> str:
    """The morning digest for a chat following Kharkiv and muting sanctions, after the alert:
    the pipeline's pool, the chat's choice (``select_for_chat``), its marks and footer."""
    kharkiv, sanctions = resolve_topic("Kharkiv"), resolve_topic("sanctions")
    assert kharkiv is not None and sanctions is not None
    _, alerted_item = breaking_alert()
    pool = ranked_pool(FOLLOW_ITEMS, now=NOW)
    hits = [story_topics(story.items, [kharkiv, sanctions], {}) for story in pool]
    selection = select_for_chat(
        len(pool), {i: (kharkiv.label,) for i, keys in enumerate(hits) if kharkiv.key in keys},
        {i for i, keys in enumerate(hits) if sanctions.key in keys},
        {i: ALERT_AT for i, story in enumerate(pool) if alerted_item in story.items}, 7)
    options = DigestOptions()
    views = [replace(story_view(pool[c.index], None, options), followed=c.followed,
                     alerted_at="" if c.alerted is None else f"{c.alerted.astimezone(ZoneInfo('Europe/Kyiv')):%H:%M}")
             for c in selection.chosen]
    page = digest_page("en", muted=selection.muted)
    return render_digest(views, day_label(NOW, "Europe/Kyiv"), page)[0].text


# ---------------------------------------------------------------------------------------
# Photographing a page with headless Chromium
# ---------------------------------------------------------------------------------------

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1")


@dataclass(frozen=True, slots=True)
class Shot:
    """One picture: its file name, the message, and the chat around it."""

    name: str
    message: str
    scene: ChatScene


# Chromium runs the page's scripts before ``--dump-dom`` prints it: this one leaves the height
# the chat needs at the page's width where the dump shows it.
_MEASURE = ('<script>document.body.dataset.height = '
            'Math.ceil(document.querySelector(".chat").getBoundingClientRect().height);</script>')
_MEASURED = re.compile(r'data-height="(\d+)"')
WALLPAPER_ABOVE = 16  # a strip of chat background over the first bubble, as in the app


def find_chromium() -> str | None:
    """The first Chromium-like browser on ``PATH``, or None."""
    return next((path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None)


def run_chromium(browser: str, page_html: str, args: list[str]) -> str:
    """Load ``page_html`` in a fresh headless profile with ``args``; Chromium's stdout."""
    with tempfile.TemporaryDirectory(prefix="shots-") as work:
        page = Path(work) / "page.html"
        page.write_text(page_html, encoding="utf-8")
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={work}/profile", *args, page.as_uri()]
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


def content_height(browser: str, shot: Shot) -> int:
    """Pixels the chat takes at the scene's width, measured by rendering the page once."""
    page = chat_page(shot.message, shot.scene).replace("</body>", _MEASURE + "</body>")
    dumped = run_chromium(browser, page, [f"--window-size={shot.scene.width},200", "--dump-dom"])
    found = _MEASURED.search(dumped)
    if found is None:
        raise RuntimeError("Chromium did not report the page height (did the page script run?)")
    return int(found.group(1))


def screenshot(browser: str, shot: Shot, out_dir: Path) -> Path:
    """Write ``<out_dir>/<shot.name>.png`` just tall enough for the chat."""
    target = out_dir / f"{shot.name}.png"
    height = content_height(browser, shot) + WALLPAPER_ABOVE
    run_chromium(browser, chat_page(shot.message, shot.scene),
                 [f"--window-size={shot.scene.width},{height}", f"--screenshot={target.resolve()}"])
    return target


def shots() -> list[Shot]:
    """The README's pictures: a link and the bot's reply, a morning digest, and a breaking
    alert followed by the digest of a chat that follows Kharkiv and mutes sanctions."""
    return [
        Shot("link-summary", link_summary_message(), ChatScene(sent_at="09:12", user_text=ARTICLE_URL)),
        Shot("digest", digest_message(), ChatScene(sent_at="08:00")),
        Shot("follow-and-alert", followed_digest_message(),
             ChatScene(sent_at="08:00", earlier=((breaking_alert()[0], "07:15"),))),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="folder for the PNG files")
    args = parser.parse_args(argv)
    browser = find_chromium()
    if browser is None:
        print("Chromium not found: install it (Debian/Ubuntu: apt-get install chromium) "
              "and run again. The bot and its tests do not need it.", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for shot in shots():
        path = screenshot(browser, shot, args.out)
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
