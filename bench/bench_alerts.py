"""Breaking alerts replayed on the labelled realnews windows, plus the per-tick cost.

    .venv/bin/python -m bench alerts

Each window is replayed in time order (bench/alerts_replay.py): a poll tick every 10 minutes,
items visible from their ``published`` time, alerted stories remembered and grown the way the
bot's service does. Audiences: everyone opted in (4 outlets within 3 h), chats following Kyiv,
Kharkiv or Kursk (2 outlets; "about the place" is the bot's own follow matcher,
``digest.stories.follow.story_topics``), and, as a stress row,
every war story at 2 outlets.

Methods, side by side:

* **shipped**: digest/stories/alerts.py with its defaults;
* **held-out models**: the same, with the war model and the story pair model fitted without
  the replayed window (the shipped ones saw every window in training);
* **held-out models and same_cut fitted without the window**: the "same as an alerted story"
  cut chosen from :data:`SAME_CUTS` on the other windows' replays (fewest duplicates plus
  missed gold stories), so the shipped cut's choice is checked on a window it never saw;
* **memory by shared reports only**: no similarity check against alerted stories;
* **no memory**: every tick groups from scratch and forgets what it alerted;
* **no war bars**: any story, war or not, whose reports clear the outlet bar.

Columns: alerts; gold stories they stand for (the headline item's); duplicates (alerts to one
audience beyond the first per gold story; goal 0); alerts whose headline is labelled not war
(in brackets: of them, items the labels mark ``borderline``), and whose members at firing time include an item labelled not war (goal 0); gold stories that
reach the audience's bar by the labels, and how many got an alert; median minutes from the
report that brought the gold story over the bar to the alert.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache

from bench import bench_digest, realdata
from bench.alerts_replay import Audience, Replay, replay, score
from digest.language.embedding import item_text
from digest.models import NewsItem
from digest.stories.alerts import (
    AlertedStory,
    AlertRules,
    WarJudge,
    breaking_candidates,
)
from digest.stories.follow import resolve_topic, story_topics
from digest.stories.similarity import EmbeddingSimilarity, Similarity
from digest.stories.war_model import WarModel, judge_item


def follows(words: str) -> Callable[[Sequence[realdata.RealItem]], bool]:
    """A story concerns ``/follow words``: the bot's own matcher (``story_topics``), with the
    follow's query encoded as the bot encodes it when a chat follows it."""
    topic = resolve_topic(words)
    assert topic is not None
    vectors = {topic.key: realdata.cached_vectors([item_text(topic.query, "")])[0]}

    def test(members: Sequence[realdata.RealItem]) -> bool:
        return topic.key in story_topics(members, [topic], vectors)

    return test


RULES = AlertRules()


@lru_cache(maxsize=1)
def audiences() -> tuple[Audience, ...]:
    """Who is alerted in the replay (built on first use: the follows encode their queries)."""
    return (
        Audience("everyone (4 outlets / 3 h)", RULES.outlets),
        Audience("follows Kyiv (2 outlets)", RULES.followed_outlets, follows("Kyiv")),
        Audience("follows Kharkiv (2 outlets)", RULES.followed_outlets, follows("Kharkiv")),
        Audience("follows Kursk (2 outlets)", RULES.followed_outlets, follows("Kursk")),
        Audience("stress: any story at 2 outlets", 2),
    )


NO_SIMILARITY_MATCH = replace(RULES, same_cut=float("inf"))
NO_WAR_BARS = replace(RULES, war_share=0.0, headline_war=0.0)


def main(argv: list[str]) -> None:
    if not realdata.available() or not realdata.available_engine():
        print("skipped: needs ../shared/corpus and the embedding engine")
        return
    speed()  # first, so that its first call is a cold one
    windows = {w: realdata.with_vectors(realdata.realnews(w)) for w in realdata.WINDOWS}
    held_out = held_out_models()
    grid = {(window, cut): replay(items, replace(RULES, same_cut=cut), audiences(),
                                  similarity=held_out[window][0], war=held_out[window][1])
            for window, items in windows.items() for cut in SAME_CUTS}
    for window, items in windows.items():
        cut = fitted_cut(grid, windows, held=window)
        runs = {
            "shipped": replay(items, RULES, audiences()),
            "held-out models": grid[(window, RULES.same_cut)],
            f"held-out models and same_cut (fitted without the window: {cut})":
                grid[(window, cut)],
            "memory by shared reports only": replay(items, NO_SIMILARITY_MATCH, audiences()),
            "no memory (group each tick from scratch)": replay(items, RULES, audiences(),
                                                               memory=False),
            "no war bars": replay(items, NO_WAR_BARS, audiences()),
        }
        table(window, items, runs)


SAME_CUTS = (0.05, 0.1, 0.2, 0.3)
"""The "same as an alerted story" cuts tried; :func:`fitted_cut` picks one per window."""


def fitted_cut(grid: dict[tuple[str, float], Replay],
               windows: dict[str, list[realdata.RealItem]], *, held: str) -> float:
    """The same-story cut with the fewest duplicates plus missed gold stories over every
    audience of the windows other than ``held`` (ties: the first listed)."""
    def cost(window: str, cut: float) -> int:
        run, items = grid[(window, cut)], windows[window]
        scores = [score(run.alerts, items, a, RULES.hours) for a in audiences()]
        return sum(s.duplicates + s.reachable - s.recalled for s in scores)

    return min(SAME_CUTS, key=lambda cut: sum(cost(w, cut) for w in windows if w != held))


def table(window: str, items: Sequence[realdata.RealItem], runs: dict[str, Replay]) -> None:
    ticks = len(next(iter(runs.values())).ticks_seconds)
    print(f"### {window}: {len(items)} items, {ticks} ticks of 10 min\n")
    print("| audience | method | alerts | gold stories | duplicates | headline not war "
          "(borderline) | a member not war | gold reach bar | alerted | median delay (min) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for audience in audiences():
        for name, run in runs.items():
            s = score(run.alerts, items, audience, RULES.hours)
            delay = "-" if s.median_delay_minutes is None else f"{s.median_delay_minutes:.0f}"
            print(f"| {audience.name} | {name} | {s.alerts} | {s.gold_stories} | "
                  f"{s.duplicates} | {s.headline_not_war} ({s.headline_not_war_borderline}) | "
                  f"{s.member_not_war} | "
                  f"{s.reachable} | {s.recalled} | {delay} |")
    print()


# --- models fitted without the replayed window -------------------------------------------------


def held_out_models() -> dict[str, tuple[Similarity, WarJudge]]:
    """Per window: the story pair model and the war model fitted without it (the models
    ``bench digest`` judges each window with)."""
    return {window: (EmbeddingSimilarity(models.pairs), _judge_with(models.war))
            for window, models in bench_digest.held_out_models().items()
            if models.pairs is not None and models.war is not None}


def _judge_with(model: WarModel) -> WarJudge:
    cache: dict[str, tuple[float, bool]] = {}

    def war(item: NewsItem) -> tuple[float, bool]:
        if item.url not in cache:
            verdict = judge_item(item, model)
            cache[item.url] = (verdict.probability, verdict.is_war)
        return cache[item.url]

    return war


# --- speed -------------------------------------------------------------------------------------


STORED = 5000
LOOKBACK_ITEMS = 300


def speed() -> None:
    """breaking_candidates over 5,000 stored items (real texts and vectors, re-dated so that
    about 300 fall in the 24 h lookback) with 20 alerted stories of 15 reports each."""
    base = [i for w in realdata.WINDOWS for i in realdata.with_vectors(realdata.realnews(w))]
    base.sort(key=lambda item: item.published)
    spacing = RULES.lookback / LOOKBACK_ITEMS
    start = base[0].published
    stored = []
    for index in range(STORED):
        item = base[index % len(base)]
        stored.append(replace(item, id=f"{item.id}#{index}", url=f"{item.url}#{index}",
                              published=start + spacing * index))
    now = stored[-1].published
    recent = [item for item in stored if item.published >= now - RULES.lookback]
    alerted = [AlertedStory(f"key-{n}", tuple(recent[n * 15: n * 15 + 15]), now)
               for n in range(20)]
    timings = []
    for tick in range(6):
        at = now + timedelta(minutes=10 * tick)
        started = time.perf_counter()
        breaking_candidates(stored, at, alerted, RULES)
        timings.append(time.perf_counter() - started)
    warm = statistics.median(timings[1:]) * 1000
    print(f"### speed\n\nbreaking_candidates on {len(stored)} stored items with vectors, "
          f"{len(recent)} in the lookback, {len(alerted)} alerted stories: first call of the "
          f"process {timings[0] * 1000:.0f} ms (loads the models, judges every item), then "
          f"median "
          f"{warm:.0f} ms per tick (budget for the whole alert check: 50 ms)\n")
