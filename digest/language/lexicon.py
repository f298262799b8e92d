"""The one lexicon of war places, people, organisations and event words (``lexicon.json``).

Every thing the pipeline recognises by name has one entry with one ``id`` and its written forms
in English, Ukrainian and Russian. Three readers share it, so a name is added in one place:

* :mod:`digest.language.textnorm` turns words into language-blind ids for story grouping
  (entries with a ``cluster`` kind: ``place``, ``entity`` or ``concept``);
* :mod:`digest.stories.relevance` scores war relevance with weighted cues (entries naming a
  ``cue``; several entries may feed one cue, e.g. the Russian officials);
* :mod:`digest.stories.rank` counts official statements (entries with ``official``);
* people carry a ``role`` per language, for naming speakers;
* :mod:`digest.stories.follow` reads the ``follows`` section: the regions and topics a chat
  can follow or mute, each a group of entry ids plus a descriptive query for matching by
  meaning (and extra names, in ``forms``, that a user may type for the topic itself).

Forms are stem patterns (:mod:`digest.language.stems`): a trailing ``*`` lets the word go
on (``харків*`` matches «Харкові»), anything else must match the whole word, and a form may
have several words. A spelling shared by Ukrainian and Russian is listed under both.

>>> entry("kharkiv").forms["uk"][:2], entry("kharkiv").cluster, entry("kharkiv").cue
(('харків*', 'харков*'), 'place', 'Kharkiv')
>>> entry("peskov").role["en"], entry("peskov").official
('Kremlin spokesman', True)
>>> cue_specs()["Russian officials"].kind
'theatre'
>>> [(f.key, f.ids) for f in follows() if f.key == "peace-talks"]
[('peace-talks', ('ceasefire-and-peace-talks', 'ceasefire', 'talks', 'peace-process'))]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

PATH = Path(__file__).with_name("lexicon.json")
LANGUAGES = ("en", "uk", "ru")


@dataclass(frozen=True, slots=True)
class Entry:
    """One named thing: its id, type (place, person, organisation, country, event, role,
    topic, outlet), forms per language, and which readers use it."""

    id: str
    type: str
    forms: Mapping[str, tuple[str, ...]]
    cluster: str | None = None
    cue: str | None = None
    official: bool = False
    role: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # a name whose words mean something else inside it: where one of its forms matches, the
    # entries named by its parts do not count ("arms talks" are not peace talks)
    owns: bool = False

    def all_forms(self) -> tuple[str, ...]:
        """Every form once, in file order (en, then uk, then ru)."""
        return tuple(dict.fromkeys(f for language in LANGUAGES for f in self.forms[language]))


@dataclass(frozen=True, slots=True)
class CueSpec:
    """How much a relevance cue weighs and of which kind (core, theatre, action, negative)."""

    label: str
    kind: str
    weight: float


@lru_cache(maxsize=1)
def _document() -> Mapping[str, object]:
    with PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    """All entries in file order."""
    raw = _document()["entries"]
    assert isinstance(raw, list)
    return tuple(_entry(item) for item in raw)


def _entry(item: Mapping[str, object]) -> Entry:
    forms = item["forms"]
    assert isinstance(forms, dict)
    role = item.get("role") or {}
    assert isinstance(role, dict)
    return Entry(
        id=str(item["id"]),
        type=str(item["type"]),
        forms=MappingProxyType({lang: tuple(forms.get(lang, ())) for lang in LANGUAGES}),
        cluster=_optional(item.get("cluster")),
        cue=_optional(item.get("cue")),
        official=bool(item.get("official", False)),
        role=MappingProxyType(dict(role)),
        owns=bool(item.get("owns", False)),
    )


def _optional(value: object) -> str | None:
    return None if value is None else str(value)


@lru_cache(maxsize=1)
def _by_id() -> Mapping[str, Entry]:
    return MappingProxyType({item.id: item for item in entries()})


def entry(entry_id: str) -> Entry:
    """The entry with this id (KeyError when there is none)."""
    return _by_id()[entry_id]


@lru_cache(maxsize=1)
def cue_specs() -> Mapping[str, CueSpec]:
    """Relevance cues by label, in file order (the order decides ties between equal weights)."""
    raw = _document()["cues"]
    assert isinstance(raw, dict)
    return MappingProxyType(
        {label: CueSpec(label, str(spec["kind"]), float(spec["weight"])) for label, spec in raw.items()}
    )


def people() -> tuple[Entry, ...]:
    """Entries of type ``person`` (each with a role per language where known)."""
    return tuple(item for item in entries() if item.type == "person")


@dataclass(frozen=True, slots=True)
class FollowSpec:
    """A preset follow: a region or topic of the settings keyboard, as the lexicon defines it."""

    key: str
    label: str
    kind: str  # "region" or "topic"
    ids: tuple[str, ...]
    query: str
    forms: Mapping[str, tuple[str, ...]]
    also: tuple[str, ...] = ()  # when set, a report must also mention one of these ids


@lru_cache(maxsize=1)
def follows() -> tuple[FollowSpec, ...]:
    """The ``follows`` section in file order; every id names an entry (KeyError otherwise)."""
    raw = _document()["follows"]
    assert isinstance(raw, list)
    specs = []
    for item in raw:
        forms = item.get("forms") or {}
        spec = FollowSpec(
            key=str(item["key"]), label=str(item["label"]), kind=str(item["kind"]),
            ids=tuple(str(i) for i in item["ids"]), query=str(item["query"]),
            forms=MappingProxyType({lang: tuple(forms.get(lang, ())) for lang in LANGUAGES}),
            also=tuple(str(i) for i in item.get("also", ())),
        )
        for entry_id in spec.ids + spec.also:
            entry(entry_id)
        specs.append(spec)
    return tuple(specs)
