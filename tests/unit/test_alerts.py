"""Breaking alerts, the story-level decision (digest/stories/alerts.py), on invented items.

The items carry no vectors, so grouping runs on the lexical method and the war judgement on
the lexicon: the same code paths the bot takes without the embedding engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from digest.models import NewsItem
from digest.stories.alerts import (
    AlertedStory,
    AlertRules,
    Candidate,
    alert_due,
    breaking_candidates,
    densest_outlets,
    due,
)

START = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)

STRIKE = (
    "Russian missile strike on Kharkiv kills five, injures 12",
    "Five dead after Russian missiles hit Kharkiv, 12 injured",
    "Kharkiv: Russian missile strike kills five people, 12 injured",
    "Missile attack on Kharkiv leaves five dead and 12 wounded",
    "Russia strikes Kharkiv with missiles, five killed and 12 hurt",
    "Kharkiv mayor: five killed in Russian missile strike, 12 injured",
    "Rescuers in Kharkiv search rubble after missile strike killed five",
    "Ukraine mourns five killed by Russian missiles in Kharkiv",
)
ZOO = (
    "Kharkiv zoo welcomes a baby giraffe",
    "Baby giraffe born at Kharkiv zoo",
    "Kharkiv zoo shows its newborn giraffe",
    "A giraffe calf is born in the Kharkiv zoo",
)


def reports(titles: tuple[str, ...], minutes: list[int], *, prefix: str = "strike",
            outlets: list[str] | None = None) -> list[NewsItem]:
    outlets = outlets or [f"outlet-{index}" for index in range(len(minutes))]
    return [NewsItem(f"https://{outlet}.example/{prefix}/{index}", titles[index % len(titles)],
                     "", START + timedelta(minutes=minute), outlet, "international", "en")
            for index, (minute, outlet) in enumerate(zip(minutes, outlets, strict=True))]


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def general(candidates: list[Candidate[NewsItem]], rules: AlertRules) -> list[Candidate[NewsItem]]:
    return [candidate for candidate in candidates if alert_due(candidate, rules)]


def test_three_outlets_in_three_hours_do_not_fire_four_do() -> None:
    rules = AlertRules()
    items = reports(STRIKE, [0, 30, 60, 90])
    three = breaking_candidates(items[:3], at(100), [], rules)
    assert len(three) == 1 and three[0].outlets_in_window == 3
    assert general(three, rules) == []
    four = breaking_candidates(items, at(100), [], rules)
    assert len(four) == 1 and four[0].outlets_in_window == 4
    assert general(four, rules) == four


def test_one_outlet_posting_four_times_is_one_outlet() -> None:
    items = reports(STRIKE, [0, 10, 20, 30], outlets=["a", "a", "a", "b"])
    (candidate,) = breaking_candidates(items, at(40), [], AlertRules())
    assert candidate.outlets_in_window == 2


def test_four_outlets_over_five_hours_do_not_fire() -> None:
    rules = AlertRules()
    items = reports(STRIKE, [0, 100, 200, 300])  # any 3 h window holds at most 2 of them
    candidates = breaking_candidates(items, at(310), [], rules)
    assert [c.outlets_in_window for c in candidates] == [2]
    assert general(candidates, rules) == []


def test_a_burst_older_than_the_window_is_no_longer_breaking() -> None:
    items = reports(STRIKE, [0, 10, 20, 30])
    assert densest_outlets(items, at(40), 3.0) == 4
    assert densest_outlets(items, at(30 + 181), 3.0) == 0


def test_a_non_war_story_is_never_a_candidate() -> None:
    items = reports(ZOO, [0, 10, 20, 30], prefix="zoo")
    assert breaking_candidates(items, at(40), [], AlertRules()) == []


def test_the_headline_is_a_war_report_and_the_key_the_earliest_url() -> None:
    items = reports(STRIKE, [0, 10, 20, 30])
    (candidate,) = breaking_candidates(items, at(40), [], AlertRules())
    assert candidate.headline_item in items
    assert candidate.key == items[0].url and candidate.same_as is None
    assert candidate.items == items


def test_a_story_growing_across_ticks_alerts_once() -> None:
    """The caller's loop: alert what is due, attach later reports to the alerted story."""
    rules = AlertRules()
    items = reports(STRIKE, [0, 15, 30, 45, 60, 75, 95, 120, 150, 200])
    alerted: dict[str, AlertedStory] = {}
    fired: list[str] = []
    for minute in range(10, 400, 10):
        visible = [item for item in items if item.published <= at(minute)]
        for candidate in breaking_candidates(visible, at(minute), list(alerted.values()), rules):
            if alert_due(candidate, rules):
                fired.append(candidate.key)
                alerted[candidate.key] = AlertedStory(candidate.key, candidate.items, at(minute))
            elif candidate.same_as is not None:
                story = alerted[candidate.same_as]
                known = {item.url for item in story.items}
                grown = [*story.items, *(i for i in candidate.items if i.url not in known)]
                alerted[story.key] = AlertedStory(story.key, grown, story.alerted_at)
    assert fired == [items[0].url]
    assert len(alerted[items[0].url].items) == len(items)


def test_an_alerted_story_is_recognised_after_a_restart_from_its_stored_reports() -> None:
    """Memory is only what the caller persisted: the alerted story and its reports."""
    rules = AlertRules()
    items = reports(STRIKE, [0, 10, 20, 30, 40, 50])
    first = breaking_candidates(items[:4], at(35), [], rules)[0]
    stored = AlertedStory(first.key, tuple(first.items), at(35))
    later = breaking_candidates(items, at(60), [stored], rules)
    assert [(c.same_as, c.outlets_in_window) for c in later] == [(first.key, 6)]
    assert general(later, rules) == []


class FixedSimilarity:
    """Pair scores from a table (by outlet name), so the test decides how grouping splits."""

    threshold = 0.5

    def __init__(self, score: Callable[[str, str], float]) -> None:
        self._score = score

    def pair_scores(self, items: Sequence[NewsItem]) -> dict[tuple[int, int], float]:
        return {(i, j): self._score(items[i].source, items[j].source)
                for i in range(len(items)) for j in range(i + 1, len(items))}


def halves(across: float, *, moved: frozenset[str] = frozenset()) -> FixedSimilarity:
    """Old outlets o* and new outlets n* alike within each half, ``across`` between them;
    ``moved`` old outlets belong with the new half."""

    def side(source: str) -> str:
        return "n" if source in moved else source[0]

    return FixedSimilarity(lambda a, b: 0.9 if side(a) == side(b) else across)


OLD = reports(STRIKE, [0, 10, 20, 30], outlets=["o1", "o2", "o3", "o4"])
NEW = reports(STRIKE[4:], [60, 70, 80, 90], prefix="later", outlets=["n1", "n2", "n3", "n4"])


def test_a_split_off_part_sharing_no_report_is_matched_by_similarity() -> None:
    stored = AlertedStory("strike-key", tuple(OLD), at(35))
    rules = AlertRules(same_cut=0.2)
    close = breaking_candidates(NEW, at(100), [stored], rules, similarity=halves(0.3))
    assert [(c.same_as, c.outlets_in_window) for c in close] == [("strike-key", 4)]
    assert general(close, rules) == []
    apart = breaking_candidates(NEW, at(100), [stored], rules, similarity=halves(0.1))
    assert [(c.same_as, c.key) for c in apart] == [(None, NEW[0].url)]
    assert general(apart, rules) == apart


def test_a_repartitioned_story_sharing_a_report_keeps_its_key() -> None:
    """Two old reports regroup with the new ones: that group is the alerted story even
    when similarity alone would not say so (the cut is out of reach here)."""
    stored = AlertedStory("strike-key", tuple(OLD), at(35))
    rules = AlertRules(same_cut=1.1)
    regrouped = halves(0.05, moved=frozenset({"o3", "o4"}))
    candidates = breaking_candidates([*OLD, *NEW], at(100), [stored], rules,
                                     similarity=regrouped)
    new_half = [c for c in candidates if NEW[0] in c.items]
    assert len(new_half) == 1 and new_half[0].same_as == "strike-key"
    assert {item.source for item in new_half[0].items} == {"o3", "o4", "n1", "n2", "n3", "n4"}
    assert general(candidates, rules) == []


def test_due_per_audience_uses_the_keys_it_was_sent() -> None:
    rules = AlertRules()
    items = reports(STRIKE, [0, 10, 20, 30])
    stored = AlertedStory(items[0].url, tuple(items[:2]), at(15))  # sent to followers at 2
    (candidate,) = breaking_candidates(items, at(40), [stored], rules)
    assert candidate.same_as == candidate.key == items[0].url
    assert due(candidate, rules.outlets, sent=set())  # the general audience has not had it
    assert not due(candidate, rules.followed_outlets, sent={candidate.key})
