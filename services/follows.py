"""Following and muting places, people and topics: what ``/follow``, ``/mute``,
``/following`` and the settings keyboard do, and what digests and alerts read back.

The user's words become a :class:`digest.stories.follow.Topic` (a lexicon id when the words
name something the lexicon knows, in any language and form; free text otherwise). Its query
is encoded once, here, when the engine is there, so stories can also be matched by meaning;
the vector is stored with the follow and never recomputed per digest.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from digest.language.embedding import from_blob, item_text, to_blob
from digest.stories.follow import Topic, bucket_of, preset, resolve_topic, tidy_input
from digest.workers import run_cpu
from services.context import Services
from services.vectors import encoder
from storage import follows as store
from storage.chats import get_chat
from storage.follows import FOLLOW, MUTE, FollowRow
from storage.sources import all_sources


class Outcome(enum.StrEnum):
    DONE = "done"  # a lexicon topic
    FREE = "free"  # free text, matched by meaning
    BAD = "bad"  # not something to follow
    LIMIT = "limit"  # the chat has too many
    LIST = "list"  # several names at once: one at a time
    OUTLET = "outlet"  # a news outlet: that is what /sources chooses
    OUTSIDE = "outside"  # outside the war the bot covers (other conflicts, sport, weather…)


#: What separates the names of a list ("Kharkiv, Odesa; Kyiv"): one follow each is asked.
_LIST = re.compile(r"[,;，؛]|\s/\s")


@dataclass(frozen=True, slots=True)
class FollowResult:
    outcome: Outcome
    label: str = ""
    key: str = ""


async def follow_text(svc: Services, chat_id: int, text: str, mode: str) -> FollowResult:
    """Follow (or mute) what ``text`` names; a list, an outlet or something outside the
    war is not followed, and the result says which."""
    if _LIST.search(text):
        return FollowResult(Outcome.LIST)
    topic = resolve_topic(text)
    if topic is None:
        return FollowResult(Outcome.BAD)
    if topic.free_text and (refused := _refusal(svc, text)) is not None:
        return FollowResult(refused, topic.label, topic.key)
    return await save_topic(svc, chat_id, _in_readers_words(svc, chat_id, topic, text), mode)


def _in_readers_words(svc: Services, chat_id: int, topic: Topic, text: str) -> Topic:
    """The topic labelled the way the reader named it, when the chat reads another language
    than English and typed the name in its own script ("ЗСУ", "Харків"): the lexicon's
    display names are English, and a proper name in the reader's language beats them.
    Presets keep their translated labels; the key (and so the matching) stays the entry's."""
    chat = get_chat(svc.db, chat_id)
    if (topic.free_text or preset(topic.key) is not None or chat is None
            or (chat.language or "en") == "en" or not _CYRILLIC.search(text)):
        return topic
    typed = tidy_input(text)
    return replace(topic, label=typed[:1].upper() + typed[1:])


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _refusal(svc: Services, text: str) -> Outcome | None:
    """Why words the lexicon does not know as a topic are not one: they name an outlet (a
    lexicon bucket, or one of the bot's sources) or something outside the war."""
    bucket = bucket_of(text)
    if bucket == "outlet" or _names_a_source(svc, text):
        return Outcome.OUTLET
    return Outcome.OUTSIDE if bucket == "topic" else None


def _names_a_source(svc: Services, text: str) -> bool:
    """True when every typed word is a word of some source's name ("BBC", "Meduza")."""
    typed = set(tidy_input(text).casefold().split())
    return bool(typed) and any(typed <= set(row.name.casefold().split())
                               for row in all_sources(svc.db))


async def save_topic(svc: Services, chat_id: int, topic: Topic, mode: str) -> FollowResult:
    """Store the topic for the chat, with its encoded query when the engine is there."""
    vector = await _encoded_query(svc, topic)
    row = FollowRow(topic.key, mode, topic.label, topic.query, tuple(sorted(topic.ids)), vector)
    if not store.save(svc.db, chat_id, row):
        return FollowResult(Outcome.LIMIT, topic.label, topic.key)
    return FollowResult(Outcome.FREE if topic.free_text else Outcome.DONE, topic.label, topic.key)


async def toggle_preset(svc: Services, chat_id: int, key: str) -> FollowResult | None:
    """A preset button: follow it, or stop following it when it is followed already.
    None for a key that is no preset (a forged or outdated button)."""
    topic = preset(key)
    if topic is None:
        return None
    current = {row.key: row.mode for row in store.chat_follows(svc.db, chat_id)}
    if current.get(key) == FOLLOW:
        store.remove(svc.db, chat_id, key)
        return FollowResult(Outcome.DONE, topic.label, topic.key)
    return await save_topic(svc, chat_id, topic, FOLLOW)


def chat_follows(svc: Services, chat_id: int) -> list[FollowRow]:
    """What the chat follows and mutes, as /following lists it."""
    return store.chat_follows(svc.db, chat_id)


def remove(svc: Services, chat_id: int, key: str) -> bool:
    """Stop following (or muting) ``key``; False when it was not there."""
    return store.remove(svc.db, chat_id, key)


async def _encoded_query(svc: Services, topic: Topic) -> bytes | None:
    engine = await encoder(svc)
    if engine is None:
        return None
    vectors = await run_cpu(engine.encode, [item_text(topic.query, "")])
    return to_blob(vectors[0])


@dataclass(frozen=True, slots=True)
class ChatTopics:
    """A chat's follows and mutes as the story matcher reads them."""

    follows: tuple[Topic, ...] = ()
    mutes: tuple[Topic, ...] = ()
    vectors: Mapping[str, np.ndarray] = field(default_factory=dict)

    @property
    def all(self) -> tuple[Topic, ...]:
        return self.follows + self.mutes


NO_TOPICS = ChatTopics()


def as_topic(row: FollowRow) -> Topic:
    """A stored follow as the matcher reads it; a preset is taken from the lexicon as it is
    now, so a lexicon update reaches follows stored before it."""
    return preset(row.key) or Topic(key=row.key, label=row.label, ids=frozenset(row.ids), query=row.query)


def chat_topics(svc: Services, chat_id: int) -> ChatTopics:
    rows = store.chat_follows(svc.db, chat_id)
    return topics_from(rows)


def topics_from(rows: Iterable[FollowRow]) -> ChatTopics:
    rows = list(rows)
    return ChatTopics(
        follows=tuple(as_topic(r) for r in rows if r.mode == FOLLOW),
        mutes=tuple(as_topic(r) for r in rows if r.mode == MUTE),
        vectors={r.key: from_blob(r.vector) for r in rows if r.vector is not None},
    )
