"""The shared lexicon (digest/language/lexicon.json) and its three readers."""

from __future__ import annotations

from collections import defaultdict

from digest.language import lexicon
from digest.language.stems import compile_patterns
from digest.language.textnorm import Kind, gazetteer_term
from digest.stories.rank import _is_official
from digest.stories.relevance import explain_relevance


def test_ids_are_unique_and_every_entry_has_a_form() -> None:
    ids = [item.id for item in lexicon.entries()]
    assert len(ids) == len(set(ids))
    assert all(item.all_forms() for item in lexicon.entries())


def test_every_cue_is_fed_by_an_entry_and_every_entry_cue_exists() -> None:
    fed = {item.cue for item in lexicon.entries() if item.cue}
    assert fed == set(lexicon.cue_specs())


def test_every_form_compiles_as_a_stem_pattern() -> None:
    for item in lexicon.entries():
        assert compile_patterns(item.all_forms()).pattern


def test_no_clustering_stem_belongs_to_two_ids() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for item in lexicon.entries():
        if item.cluster:
            for form in item.all_forms():
                owners[form].add(item.id)
    assert {form: ids for form, ids in owners.items() if len(ids) > 1} == {}


def test_people_roles_come_in_three_languages() -> None:
    with_roles = [p for p in lexicon.people() if p.role]
    assert len(with_roles) >= 20
    assert all(set(p.role) == {"en", "uk", "ru"} for p in with_roles)


def test_one_entry_reaches_all_readers() -> None:
    """Zelensky is a clustering id, a relevance cue and an official, from one entry."""
    assert gazetteer_term("зеленського").text == "@zelensky"
    assert gazetteer_term("zelensky").kind is Kind.ENTITY
    hits = explain_relevance("Zelensky visits the front").hits
    assert "Zelensky" in [hit.label for hit in hits]
    assert _is_official("Зеленський заявив")
    assert not _is_official("Мер відкрив парк")
