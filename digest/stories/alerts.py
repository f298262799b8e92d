"""Breaking alerts, the story-level decision: which war stories are breaking, and which of them
were already alerted.

The caller (the poll tick) passes the stored items of the last :attr:`AlertRules.lookback`,
the stories it has alerted so far (:class:`AlertedStory`, persisted, reloaded after a restart)
and the time. :func:`breaking_candidates` returns every *war* story that has at least
:attr:`AlertRules.followed_outlets` distinct outlets within :attr:`AlertRules.hours`, each marked
with ``same_as`` when it is a story already alerted. The per-chat rules (opt-in, followed places,
quiet hours, daily cap) are the caller's; :func:`alert_due` is the general rule.

How it decides, and why:

1. **Grouping with memory.** The lookback's items are grouped together with the alerted
   stories' items into events, as the digest groups them (:func:`digest.stories.cluster.
   group_stories`, on embeddings when every item carries a vector, then
   :func:`digest.stories.events.merge_points`). A growing event can be split or re-partitioned from one tick to the next,
   so identity never rests on the partition alone: a story that shares a report with an
   alerted story *is* that story; one that shares none is still compared with each alerted
   story by the average pair score of their reports (pairs never compared count 0), at a
   cut looser than grouping's (:attr:`AlertRules.same_cut`), before it counts as new.
2. **A clear war judgement.** An alert wakes people up, so one war-looking report is not
   enough: most of the story's reports must be war (:attr:`AlertRules.war_share`, by
   :func:`digest.stories.war_model.judge`) and the headline report must clear a higher bar
   (:attr:`AlertRules.headline_war`). The bars were fitted by replaying the labelled realnews
   windows (``python -m bench alerts``).
3. **Outlets in the window.** ``outlets_in_window`` is the densest ``hours``-long window of
   the story that *ends* at one of its reports published within the last ``hours``: the
   window ending right now would miss a burst whose first report has just slid out between
   two ticks, and a burst that ended longer ago than ``hours`` is no longer breaking.

Every input of a pair score comes from the two items alone (see
:mod:`digest.stories.similarity`), so the same reports compare the same way on every tick.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Generic, TypeVar

from digest.instants import aware
from digest.models import NewsItem
from digest.stories.cluster import ClusterOptions, default_similarity, group_stories
from digest.stories.events import EventModel, merge_points
from digest.stories.rank import outlet_name
from digest.stories.similarity import Pairs, Similarity
from digest.stories.war_model import judge_item

T = TypeVar("T", bound=NewsItem)

Neighbours = Mapping[str, Mapping[str, float]]

WarJudge = Callable[[NewsItem], tuple[float, bool]]
"""An item's war probability and verdict (:func:`war_judgement` by default)."""


@dataclass(frozen=True, slots=True)
class AlertRules:
    """Thresholds of the alert decision. ``outlets``/``hours``/``followed_outlets`` are the
    product's rules (a chat's settings may change the first two); the rest were fitted on the
    realnews replay (``python -m bench alerts``).

    ``lookback``: items older than this are not grouped (the caller need not pass them).
    ``remember``: an alerted story is still recognised while its newest report (or its alert)
    is younger than this; the caller may forget older ones.
    ``war_share``: the share of a story's reports that must be judged war.
    ``headline_war``: the war probability the headline report must reach.
    ``same_cut``: average pair score (0..1, grouping merges at 0.5; pairs never compared
    count 0) at which a story that shares no report with an alerted story is still taken for
    it. Deliberately loose: on the replay, 0.2 and 0.1 still let a follow-up of an alerted
    story (a visit, then the aid package announced during it) alert again with models fitted
    without that window; 0.05 removes every duplicate, at the price of taking a few distinct
    statements on an alerted subject for it (seen only at 2 outlets, see the bench).

    The war bars sit in the middle of the range where the replay's figures do not move (any
    ``war_share`` from 0.34 to 1.0, ``headline_war`` 0.5 to 0.6); at 0 a story whose reports
    are mostly judged not war could alert, and a headline bar of 0.7 or more loses stories.
    """

    outlets: int = 4
    hours: float = 3.0
    followed_outlets: int = 2
    lookback: timedelta = timedelta(hours=24)
    remember: timedelta = timedelta(hours=48)
    war_share: float = 0.5
    headline_war: float = 0.55
    same_cut: float = 0.05
    cluster: ClusterOptions = field(default_factory=ClusterOptions)
    events: EventModel | None = None  # None: the shipped event model


@dataclass(frozen=True, slots=True)
class AlertedStory:
    """A story the caller has alerted: the key it stores, the reports it had when alerted plus
    those attached since (each tick's ``Candidate.items`` of a story ``same_as`` this key),
    and when it was alerted. Pass the items with their stored vectors."""

    key: str
    items: Sequence[NewsItem]
    alerted_at: datetime


@dataclass(frozen=True, slots=True)
class Candidate(Generic[T]):
    """A war story with at least ``followed_outlets`` outlets in the window.

    ``items``: its reports among the caller's items, earliest first (reports known only from
    an alerted story are not repeated here). ``outlets_in_window``: see the module docstring.
    ``headline_item``: the report to show. ``same_as``: the key of the alerted story this is,
    or None. ``key``: what to store when alerting it (``same_as`` when set). ``war_share``:
    the share of its reports judged war.
    """

    items: list[T]
    outlets_in_window: int
    headline_item: T
    same_as: str | None
    key: str
    war_share: float


def alert_due(candidate: Candidate[T], rules: AlertRules) -> bool:
    """The general rule: a new story with ``rules.outlets`` outlets within ``rules.hours``.

    Right when every alert goes to the general audience. When chats following a place also
    get alerts (at ``rules.followed_outlets``) from the same memory of alerted stories, a story
    first alerted to followers is ``same_as`` when it later reaches ``rules.outlets``: decide
    per audience with :func:`due` instead.
    """
    return candidate.same_as is None and candidate.outlets_in_window >= rules.outlets


def due(candidate: Candidate[T], outlets: int, sent: Container[str]) -> bool:
    """Alert one audience: the story has ``outlets`` in the window and its key (``same_as``
    for an alerted story) is not among the keys this audience was ``sent``."""
    return candidate.outlets_in_window >= outlets and candidate.key not in sent


def breaking_candidates(
    items: Sequence[T],
    now: datetime,
    alerted: Sequence[AlertedStory],
    rules: AlertRules = AlertRules(),
    *,
    similarity: Similarity | None = None,
    war: WarJudge | None = None,
) -> list[Candidate[T]]:
    """Every war story of the lookback with ≥ ``rules.followed_outlets`` outlets in the window,
    most outlets first, each marked ``same_as`` when it is an alerted story.

    ``similarity`` and ``war`` replace the shipped pair model and war judgement (benchmarks
    replay with models fitted without the window they replay)."""
    now = aware(now)
    recent = [item for item in items if _in_lookback(item, now, rules.lookback)]
    memory = [story for story in alerted if _remembered(story, now, rules.remember)]
    batch = _batch(recent, memory)
    if not batch:
        return []
    remembering = _Remembering(similarity or default_similarity(batch, rules.cluster))
    points = group_stories(batch, options=rules.cluster, similarity=remembering)
    # Alerts follow the digest's events: the statements of one briefing or the tallies of
    # one strike are one story here too, so they are alerted once.
    groups = [list(event.items) for event in merge_points([tuple(p) for p in points],
                                                          model=rules.events)]
    scores = remembering.neighbours()
    owners = _owners(memory)
    fresh = {item.url: item for item in recent}
    candidates = []
    for group in groups:
        own = [fresh[item.url] for item in group if item.url in fresh]
        candidate = _candidate(own, group, now, memory, owners, scores, rules, war or war_judgement)
        if candidate is not None:
            candidates.append(candidate)
    return sorted(candidates, key=lambda c: (-c.outlets_in_window, _time(c.items[0])))


# --- the batch and its scores ----------------------------------------------------------------


def _batch(recent: Sequence[NewsItem], memory: Sequence[AlertedStory]) -> list[NewsItem]:
    """The recent items plus the alerted stories' reports not among them (one per URL)."""
    batch: dict[str, NewsItem] = {item.url: item for item in recent}
    for story in memory:
        for item in story.items:
            batch.setdefault(item.url, item)
    return list(batch.values())


class _Remembering:
    """The grouping's similarity, keeping the scores it computed for reuse by URL pair."""

    def __init__(self, inner: Similarity) -> None:
        self._inner = inner
        self._items: Sequence[NewsItem] = ()
        self._scores: Pairs = {}

    @property
    def threshold(self) -> float:
        return self._inner.threshold

    def pair_scores(self, items: Sequence[NewsItem]) -> Pairs:
        self._items, self._scores = items, self._inner.pair_scores(items)
        return self._scores

    def neighbours(self) -> Neighbours:
        """URL → {URL of a report it was compared with: score}; the pairs are sparse."""
        urls = [item.url for item in self._items]
        table: defaultdict[str, dict[str, float]] = defaultdict(dict)
        for (left, right), score in self._scores.items():
            table[urls[left]][urls[right]] = score
            table[urls[right]][urls[left]] = score
        return table


def _owners(memory: Sequence[AlertedStory]) -> dict[str, list[str]]:
    """URL → keys of the alerted stories holding that report."""
    owners: dict[str, list[str]] = defaultdict(list)
    for story in memory:
        for item in story.items:
            owners[item.url].append(story.key)
    return owners


# --- one story -------------------------------------------------------------------------------


def _candidate(
    own: list[T],
    group: Sequence[NewsItem],
    now: datetime,
    memory: Sequence[AlertedStory],
    owners: Mapping[str, list[str]],
    scores: Neighbours,
    rules: AlertRules,
    war: WarJudge,
) -> Candidate[T] | None:
    if not own:
        return None  # only reports of an alerted story, none of them recent
    own.sort(key=_time)
    outlets = densest_outlets(own, now, rules.hours)
    if outlets < rules.followed_outlets:
        return None
    judged = [war(item) for item in own]
    share = sum(is_war for _, is_war in judged) / len(own)
    if share < rules.war_share:
        return None
    headline = _headline(own, [p for p, _ in judged], scores, rules.headline_war)
    if headline is None:
        return None
    same_as = _shared_key(group, owners) or _similar_key(group, memory, owners, scores,
                                                         rules.same_cut)
    return Candidate(own, outlets, headline, same_as, same_as or story_key(own[0]), share)


def densest_outlets(items: Sequence[NewsItem], now: datetime, hours: float) -> int:
    """Distinct outlets (:func:`outlet_name`: a newsroom's feeds and channel are one) in the
    densest ``hours``-long window ending at one of ``items`` published within the last
    ``hours`` (``items`` earliest first)."""
    span = timedelta(hours=hours)
    best = 0
    for end in items:
        end_time = _time(end)
        if end_time < now - span or end_time > now:
            continue
        # One outlet once, whether its report came by feed or by its Telegram channel.
        outlets = {outlet_name(item.source) for item in items
                   if end_time - span <= _time(item) <= end_time}
        best = max(best, len(outlets))
    return best


def _headline(
    own: Sequence[T],
    probabilities: Sequence[float],
    scores: Neighbours,
    bar: float,
) -> T | None:
    """The most central report that clears the war bar: highest summed pair score to the
    story's other reports (the one the others agree with), the earliest on a tie."""
    best: T | None = None
    best_score = -1.0
    for item, probability in zip(own, probabilities, strict=True):
        if probability < bar:
            continue
        near = scores.get(item.url, {})
        centrality = sum(near.get(other.url, 0.0) for other in own)
        if centrality > best_score:
            best, best_score = item, centrality
    return best


def _shared_key(group: Sequence[NewsItem], owners: Mapping[str, list[str]]) -> str | None:
    """The alerted story sharing the most reports with ``group``, if any."""
    shared: dict[str, int] = defaultdict(int)
    for item in group:
        for key in owners.get(item.url, ()):
            shared[key] += 1
    return max(shared, key=lambda key: shared[key]) if shared else None


def _similar_key(
    group: Sequence[NewsItem],
    memory: Sequence[AlertedStory],
    owners: Mapping[str, list[str]],
    scores: Neighbours,
    cut: float,
) -> str | None:
    """The alerted story whose reports are closest to ``group`` on average (average link,
    pairs never compared count 0), if ≥ ``cut``. Walks the group's scored neighbours, not
    every pair with every alerted story."""
    totals: dict[str, float] = defaultdict(float)
    for mine in group:
        for other, score in scores.get(mine.url, {}).items():
            for key in owners.get(other, ()):
                totals[key] += score
    sizes = {story.key: len({item.url for item in story.items}) for story in memory}
    best_key, best = None, cut
    for key, total in totals.items():
        average = total / (len(group) * sizes[key])
        if average >= best:
            best_key, best = key, average
    return best_key


def story_key(first: NewsItem) -> str:
    """The key stored for a newly alerted story: its earliest report's URL."""
    return first.url


# --- war judgement -----------------------------------------------------------------------------


def war_judgement(item: NewsItem) -> tuple[float, bool]:
    """(probability, verdict) of :func:`digest.stories.war_model.judge_item`, the judgement
    the digest uses too (:func:`digest.stories.daily.is_war_item`)."""
    verdict = judge_item(item)
    return verdict.probability, verdict.is_war


# --- time ------------------------------------------------------------------------------------


def _time(item: NewsItem) -> datetime:
    return aware(item.published)


def _in_lookback(item: NewsItem, now: datetime, lookback: timedelta) -> bool:
    return now - lookback <= aware(item.published) <= now


def _remembered(story: AlertedStory, now: datetime, remember: timedelta) -> bool:
    newest = max([aware(story.alerted_at), *(_time(item) for item in story.items)])
    return now - newest <= remember

