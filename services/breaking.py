"""Breaking alerts: after a poll brings news, find stories that just crossed a chat's alert
threshold and queue one short message per chat, through the outbox and the one send gate.

Everything comes from SQLite (recent items with their vectors, the stories alerted before,
each chat's settings), so the check needs no per-chat job and a restart forgets nothing.
The story decisions are pure (:mod:`digest.stories.alerts`); here they meet the chats:

* everyone with alerts on gets a story once it reaches *their* outlet threshold (3, 4, 6…);
  a chat that follows a place gets its stories from 2 outlets;
* a chat that mutes a topic of the story never gets it; nor does a chat in its quiet hours
  (the next digest carries the story in full) or one that had its daily cap;
* ``breaking_sent`` (chat, story) is a primary key, so no chat gets a story twice, also as
  the story grows past the next threshold or after a restart.

The check is cheap when nothing happened: the grouping runs only on the last hours' items,
in the CPU pool, and chats are read only when a story crossed a threshold.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np

from digest.language.lexicon import entry
from digest.render.compose import StoryView, render_alert
from digest.stories.alerts import AlertedStory, AlertRules, Candidate, breaking_candidates
from digest.stories.daily import in_language, outlets
from digest.stories.follow import Topic, story_topics
from digest.workers import run_cpu
from i18n.locale import choose_language, digest_labels
from i18n.texts import say
from services.context import Services
from services.follows import topics_from
from storage import breaking
from storage import follows as follow_store
from storage import items as item_store
from storage.breaking import AlertChat, AlertMessage, BreakingStory, in_quiet_hours
from storage.items import StoredItem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AlertReport:
    candidates: int = 0
    stories: int = 0  # stories for which chats were looked at
    queued: int = 0  # alert messages written to the outbox


async def check_alerts(svc: Services, rules: AlertRules) -> AlertReport:
    """Queue the alerts due now; see the module docstring for who gets what."""
    levels = breaking.alert_levels(svc.db)
    if not levels:
        return AlertReport()  # nobody wants alerts: not even the grouping runs
    now = svc.clock()
    items = item_store.recent_items(svc.db, now - rules.lookback)
    known = {story.key: story for story in breaking.recent_stories(svc.db, now - rules.remember)}
    alerted = _alerted(svc, known.values())
    candidates = await run_cpu(breaking_candidates, items, now, alerted, rules)
    report = AlertReport(candidates=len(candidates))
    check = _Check(rules, levels, known, _alert_topics(svc))
    for candidate in candidates:
        report = _add(report, await _handle(svc, candidate, check))
    return report


def _add(report: AlertReport, queued: int | None) -> AlertReport:
    if queued is None:
        return report
    return replace(report, stories=report.stories + 1, queued=report.queued + queued)


def _alerted(svc: Services, stories: Iterable[BreakingStory]) -> list[AlertedStory]:
    """The stories alerted before, with their reports (pruned ones left out)."""
    stories = list(stories)
    by_id = item_store.items_by_id(svc.db, (i for s in stories for i in s.item_ids))
    return [AlertedStory(s.key, [by_id[i] for i in s.item_ids if i in by_id], s.first_seen_at)
            for s in stories]


@dataclass(frozen=True, slots=True)
class _Topics:
    """Every topic some chat follows or mutes, matched once per story."""

    topics: tuple[Topic, ...]
    vectors: Mapping[str, np.ndarray]


def _alert_topics(svc: Services) -> _Topics:
    found = topics_from(follow_store.distinct_topics(svc.db).values())
    return _Topics(found.all, found.vectors)


@dataclass(frozen=True, slots=True)
class _Check:
    """What one check knows before it looks at the candidates: the rules, the outlet
    thresholds chats chose, the stories alerted before, and the followed topics."""

    rules: AlertRules
    levels: set[int]
    known: Mapping[str, BreakingStory]
    topics: _Topics


async def _handle(svc: Services, candidate: Candidate[StoredItem], check: _Check) -> int | None:
    """Alert the chats this candidate is due for; None when it is due for nobody new."""
    now, rules, topics = svc.clock(), check.rules, check.topics
    key = candidate.key  # the alerted story's key when it is one (``same_as``)
    record = check.known.get(key) or BreakingStory(key, (), now)
    crossed = {level for level in check.levels
               if record.outlets_done < level <= candidate.outlets_in_window}
    matched = story_topics(candidate.items, topics.topics, topics.vectors) if topics.topics else frozenset()
    places = {k for k in matched if _is_place(k)}
    followers = (follow_store.chats_by_key(svc.db, places, follow_store.FOLLOW)
                 if places and not record.followed_done
                 and candidate.outlets_in_window >= rules.followed_outlets else {})
    item_ids = tuple(item.id for item in candidate.items)
    if not crossed and not followers:
        if candidate.same_as and not set(item_ids) <= set(record.item_ids):
            # A known story keeps gathering its reports (written only when it gained one).
            breaking.save_story(svc.db, replace(record, item_ids=item_ids), now=now)
        return None
    muted = set(follow_store.chats_by_key(svc.db, matched, follow_store.MUTE)) if matched else set()
    queued = 0
    async for page in _chat_pages(svc):
        targets = [chat for chat in page
                   if chat.id not in muted and (chat.settings.outlets in crossed or chat.id in followers)]
        targets = _reachable_now(svc, targets, now)
        queued += breaking.queue_alerts(svc.db, [_message(candidate, chat) for chat in targets],
                                        key, now=now)
    # Recorded after the messages: a crash in between re-runs this story on the next check,
    # and breaking_sent's key lets only the chats not yet alerted through.
    breaking.save_story(svc.db, BreakingStory(
        key, item_ids, record.first_seen_at,
        max(record.outlets_done, candidate.outlets_in_window if crossed else 0),
        record.followed_done or bool(followers)), now=now)
    log.info("breaking story %s: %d outlets in %s h, %d chats alerted", key,
             candidate.outlets_in_window, rules.hours, queued)
    return queued


#: Chats read, judged and alerted per transaction: ten thousand chats' alerts at once would
#: hold the event loop (and the database's write lock) for about a second; between pages
#: link replies and the sender go on.
PAGE = 500


async def _chat_pages(svc: Services) -> AsyncIterator[list[AlertChat]]:
    after: int | None = None
    while page := breaking.alert_chats(svc.db, after=after, limit=PAGE):
        yield page
        after = page[-1].id
        await asyncio.sleep(0)


@lru_cache(maxsize=512)
def _is_place(key: str) -> bool:
    """Follows that name a place (the lexicon knows it as one) alert from 2 outlets."""
    try:
        return entry(key).type == "place"
    except KeyError:
        return False


def _reachable_now(svc: Services, chats: Sequence[AlertChat], now: datetime) -> list[AlertChat]:
    """Chats out of their quiet hours and under their daily cap."""
    if not chats:
        return []
    sent = breaking.sent_times(svc.db, [chat.id for chat in chats], now - timedelta(days=1))
    local = _LocalTimes(now)
    return [chat for chat in chats
            if not in_quiet_hours(local.time(chat.timezone), chat.settings.quiet_window())
            and sum(t >= local.midnight(chat.timezone) for t in sent.get(chat.id, ())) < chat.settings.cap]


class _LocalTimes:
    """Local wall-clock time and midnight per timezone, computed once per zone (thousands
    of chats share a handful of zones)."""

    def __init__(self, now: datetime) -> None:
        self._now = now
        self._local: dict[str, datetime] = {}

    def _at(self, zone: str) -> datetime:
        if zone not in self._local:
            self._local[zone] = self._now.astimezone(ZoneInfo(zone))
        return self._local[zone]

    def time(self, zone: str) -> time:
        return self._at(zone).time()

    def midnight(self, zone: str) -> datetime:
        return self._at(zone).replace(hour=0, minute=0, second=0, microsecond=0)


def _message(candidate: Candidate[StoredItem], chat: AlertChat) -> AlertMessage:
    language = choose_language(chat.language, chat.type, None)
    return AlertMessage(chat.id, chat.topic_id, _alert_text(candidate, language))


@lru_cache(maxsize=64)
def _cached_text(headline: str, url: str, reported: tuple[tuple[str, str], ...], language: str) -> str:
    view = StoryView(headline, url, "", None, reported)
    return render_alert(view, say("alert_title", language), digest_labels(language))


def _alert_text(candidate: Candidate[StoredItem], language: str) -> str:
    """The headline in the chat's language when one report has it, with who reports it."""
    first = in_language([candidate.headline_item, *candidate.items], language)
    return _cached_text(first.title, first.url, outlets(candidate.items, first), language)
