"""Digest messages: stories in order, linked outlets, splits only between stories."""

from __future__ import annotations

from digest.models import Quote
from digest.render.compose import DigestPage, StoryView, render_digest, render_reported_by
from digest.render.telegram_html import MAX_MESSAGE, visible_length


def story(n: int, lead: str = "Something happened.") -> StoryView:
    return StoryView(
        headline=f"Story {n}", url=f"https://a.example/{n}", lead=lead,
        quote=Quote("We will rebuild.", "Mayor"),
        outlets=(("Kyiv Independent", "https://ki.example/1"), ("BBC", "https://bbc.example/2"),
                 ("Reuters", "https://r.example/3"), ("AP", "https://ap.example/4")),
    )


def test_reported_by_names_two_and_counts_the_rest() -> None:
    line = render_reported_by(story(1).outlets)
    assert line.startswith('Reported by <a href="https://ki.example/1">Kyiv Independent</a>, ')
    assert line.endswith("BBC</a> +2")


def test_single_message_with_header_stories_and_footer() -> None:
    [part] = render_digest([story(1), story(2)], "Wed 25 Nov 2026")
    message = part.text
    assert part.stories == (0, 1)
    assert message.startswith("🗞 <b>War digest — Wed 25 Nov 2026</b>")
    assert message.index("1. ") < message.index("2. ")
    assert "<i>Mayor:</i> “We will rebuild.”" in message
    assert message.rstrip().endswith("/settings · /sources")


def test_quiet_day_note() -> None:
    [part] = render_digest([], "Wed 25 Nov 2026")
    assert "quiet day" in part.text and part.stories == ()


def test_long_digest_splits_between_stories_only() -> None:
    stories = [story(n, lead="A long lead sentence about the front. " * 12) for n in range(1, 16)]
    rendered = render_digest(stories, "Wed 25 Nov 2026")
    assert sorted(i for p in rendered for i in p.stories) == list(range(15))
    parts = [p.text for p in rendered]
    assert len(parts) > 1
    assert all(visible_length(p) <= MAX_MESSAGE for p in parts)
    assert parts[0].startswith("🗞") and "/sources" in parts[-1] and "/sources" not in parts[0]
    joined = "\n\n".join(parts)
    assert all(f"<b>{n}. " in joined for n in range(1, 16))
    for part in parts[1:]:
        assert part.startswith("<b>")


def test_debug_view_shows_the_score_explanation() -> None:
    explained = StoryView("H", "https://a.example", "", None, (("A", "https://a.example"),), debug="outlets 1")
    [part] = render_digest([explained], "today", DigestPage(show_debug=True))
    assert "<code>outlets 1</code>" in part.text
