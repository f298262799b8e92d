"""Replay a labelled realnews window through the breaking-alert logic, tick by tick.

The replay does what the bot's poll tick will do: every ``tick`` (10 minutes) the items
published so far are visible; :func:`digest.stories.alerts.breaking_candidates` runs on them
with the stories alerted so far; a candidate fires for an audience when its rule holds and the
audience has not been sent that story's key; a story that fires for the first time is
remembered (:class:`~digest.stories.alerts.AlertedStory`), and every later candidate that is
``same_as`` it attaches its reports to it. One memory of alerted stories serves all audiences
(the general rule, and chats following a place); each audience keeps the keys it was sent.

Scoring against the gold labels (``war`` and ``story`` per item): an alert stands for the gold
story of its headline item. Duplicates are alerts of one audience beyond the first for one
gold story.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.realdata import RealItem
from digest.stories.alerts import (
    AlertedStory,
    AlertRules,
    Candidate,
    WarJudge,
    breaking_candidates,
    due,
)
from digest.stories.similarity import Similarity

TICK = timedelta(minutes=10)

StoryTest = Callable[[Sequence[RealItem]], bool]
"""Is a story (its reports) about the followed place?"""


@dataclass(frozen=True, slots=True)
class Audience:
    """Who gets alerts: ``outlets`` in the window, and the stories they care about."""

    name: str
    outlets: int
    about: StoryTest | None = None  # None: every war story (the general rule)


@dataclass(frozen=True, slots=True)
class Alert:
    audience: str
    at: datetime
    key: str
    headline: RealItem
    members: tuple[RealItem, ...]


@dataclass(slots=True)
class _Memory:
    items: dict[str, RealItem]
    alerted_at: datetime


@dataclass(slots=True)
class Replay:
    """What a replay produced; ``ticks_seconds`` is the wall time of each tick's call."""

    alerts: list[Alert] = field(default_factory=list)
    ticks_seconds: list[float] = field(default_factory=list)


def replay(items: Sequence[RealItem], rules: AlertRules, audiences: Sequence[Audience], *,
           memory: bool = True, tick: timedelta = TICK, similarity: Similarity | None = None,
           war: WarJudge | None = None) -> Replay:
    """Run the window in time order; ``memory=False`` is the anchor that forgets what it
    alerted (every tick groups from scratch and alerts every story over the bar).
    ``similarity`` and ``war`` replace the shipped models (see :func:`breaking_candidates`)."""
    import time

    ordered = sorted(items, key=lambda item: item.published)
    alerted: dict[str, _Memory] = {}
    sent: dict[str, set[str]] = defaultdict(set)
    result = Replay()
    now = _first_tick(ordered[0].published, tick)
    end = ordered[-1].published + tick
    visible = 0
    while now <= end:
        while visible < len(ordered) and ordered[visible].published <= now:
            visible += 1
        stories = [AlertedStory(key, tuple(m.items.values()), m.alerted_at)
                   for key, m in alerted.items()] if memory else []
        start = time.perf_counter()
        candidates = breaking_candidates(ordered[:visible], now, stories, rules,
                                         similarity=similarity, war=war)
        result.ticks_seconds.append(time.perf_counter() - start)
        for candidate in candidates:
            _apply(candidate, now, audiences, alerted, sent, result, memory=memory)
        now += tick
    return result


def _apply(candidate: Candidate[RealItem], now: datetime, audiences: Sequence[Audience],
           alerted: dict[str, _Memory], sent: dict[str, set[str]], result: Replay, *,
           memory: bool) -> None:
    fired = False
    for audience in audiences:
        if audience.about is not None and not audience.about(candidate.items):
            continue
        if due(candidate, audience.outlets, sent[audience.name] if memory else set()):
            sent[audience.name].add(candidate.key)
            result.alerts.append(Alert(audience.name, now, candidate.key,
                                       candidate.headline_item, tuple(candidate.items)))
            fired = True
    if candidate.same_as is not None:
        story = alerted[candidate.same_as]
        for item in candidate.items:
            story.items.setdefault(item.url, item)
    elif fired:
        alerted[candidate.key] = _Memory({item.url: item for item in candidate.items}, now)


def _first_tick(moment: datetime, tick: timedelta) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day + tick * ((moment - day) // tick + 1)


# --- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Score:
    alerts: int
    gold_stories: int
    duplicates: int
    headline_not_war: int
    headline_not_war_borderline: int  # of those, items the labels mark borderline
    member_not_war: int
    reachable: int  # gold stories that reach the audience's bar (by the gold labels)
    recalled: int
    median_delay_minutes: float | None

    @property
    def recall(self) -> float:
        return self.recalled / self.reachable if self.reachable else 1.0


def score(alerts: Sequence[Alert], items: Sequence[RealItem], audience: Audience,
          hours: float) -> Score:
    """The figures of one audience's alerts against the gold labels."""
    mine = [alert for alert in alerts if alert.audience == audience.name]
    per_story: dict[str, list[Alert]] = defaultdict(list)
    for alert in mine:
        if alert.headline.war:
            per_story[alert.headline.story].append(alert)
    reached = gold_reach(items, audience, hours)
    delays = [(per_story[story][0].at - when).total_seconds() / 60
              for story, when in reached.items() if story in per_story]
    return Score(
        alerts=len(mine),
        gold_stories=len(per_story),
        duplicates=sum(len(group) - 1 for group in per_story.values()),
        headline_not_war=sum(not alert.headline.war for alert in mine),
        headline_not_war_borderline=sum(not alert.headline.war and alert.headline.borderline
                                        for alert in mine),
        member_not_war=sum(any(not item.war for item in alert.members) for alert in mine),
        reachable=len(reached),
        recalled=sum(story in per_story for story in reached),
        median_delay_minutes=statistics.median(delays) if delays else None,
    )


def gold_reach(items: Sequence[RealItem], audience: Audience,
               hours: float) -> dict[str, datetime]:
    """Gold war stories that reach ``audience.outlets`` distinct outlets within ``hours``
    (and concern the audience's place), with the time of the report that gets them there."""
    stories: dict[str, list[RealItem]] = defaultdict(list)
    for item in sorted(items, key=lambda item: item.published):
        if item.war:
            stories[item.story].append(item)
    span = timedelta(hours=hours)
    reached = {}
    for story, members in stories.items():
        if audience.about is not None and not audience.about(members):
            continue
        for index, last in enumerate(members):
            window = {m.source for m in members[: index + 1] if last.published - m.published <= span}
            if len(window) >= audience.outlets:
                reached[story] = last.published
                break
    return reached
