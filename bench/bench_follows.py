"""Follow matching on real news: does a gold story concern a follow? (issues 14 and 21)

Labels: ``tests/data/follow_labels.tsv`` (10 follows x every gold war story of the four
realnews windows; guideline in ``tests/data/follow_labels.md``). A story "concerns" a follow
when :func:`digest.stories.follow.story_topics` over its reports returns the follow's key.

Methods side by side, per follow and window (P/R/F1, story level):

* **keyword**: the follow's name as literal whole words in the report's language (what
  keyword-filter bots do: :func:`keyword_patterns`);
* **lexicon**: the lexicon's ids and stems alone (``story_topics`` without vectors);
* **lexicon + e5 cuts, window left out**: each window scored with the cuts fitted on the
  other three, without topic models;
* **cuts + topic models, window left out** (:data:`HELD_OUT`): each window scored with the
  cuts and the topic models (``bench/follow_model.py``) fitted on the other three: the
  figures to quote.

The shipped cuts (:class:`FollowOptions`) and topic models (``weights/follows.json``) are
fitted on every window: their errors on those same labels are printed as one line, to show how
far they overfit, never as a quality figure. Then the same pooled over the four windows (with tp/fp/fn), ``--errors`` lists every story the
held-out method gets wrong with its reports' titles (for study; never copied into the repo)
and the evidence it saw (:func:`explainer`: the cosine, the title cut, the held-out model's
probability), and a speed line: ``story_topics`` calls per second for a digest of 200 stories x 20 topics.
"""

from __future__ import annotations

import csv
import re
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import follow_model, realdata
from digest.language import lexicon
from digest.language.embedding import load_encoder
from digest.language.stems import compile_patterns, normalize
from digest.stories.follow import (
    BODY,
    NONE,
    PRESETS,
    TEXT_PREFIX,
    TITLE,
    FollowOptions,
    Topic,
    concerns,
    resolve_topic,
    story_meaning,
    story_strength,
    story_topics,
    topic_kind,
    verdict,
)
from digest.stories.follow_model import TopicModel, load_models, probability

LABELS = realdata.REPO_ROOT / "tests" / "data" / "follow_labels.tsv"
# The windows the follow labels cover: all four realnews windows.
WINDOWS = realdata.WINDOWS
CONFIRM_GRID = tuple(x / 100 for x in range(-5, 30))
ALONE_GRID = tuple(x / 100 for x in range(20, 60, 2))
NEVER = 2.0  # a cut no cosine reaches

Labels = dict[tuple[str, str], dict[str, bool]]  # (window, topic key) -> {story: concerns}
Stories = dict[str, dict[str, list[realdata.RealItem]]]  # window -> story -> items


@dataclass(frozen=True, slots=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def labels(path: Path = LABELS) -> Labels:
    found: Labels = defaultdict(dict)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            found[(row["window"], row["topic"])][row["story"]] = row["concerns"] == "1"
    return dict(found)


def topics(found: Labels) -> dict[str, Topic]:
    """Each labelled key resolved from words a user would type (the key's own words)."""
    resolved = {}
    for _, key in found:
        topic = resolve_topic(key.removeprefix("text:"))
        if topic is None or topic.key != key:
            raise ValueError(f"{key!r} does not resolve to itself: {topic}")
        resolved[key] = topic
    return resolved


def stories() -> Stories:
    """Gold war stories of every window, their reports carrying vectors."""
    found: Stories = {}
    for window in WINDOWS:
        grouped: dict[str, list[realdata.RealItem]] = defaultdict(list)
        for item in realdata.with_vectors(realdata.realnews(window)):
            if item.war and item.story != "-":
                grouped[item.story].append(item)
        found[window] = dict(grouped)
    return found


def topic_vectors(resolved: Mapping[str, Topic]) -> dict[str, np.ndarray]:
    encoder = load_encoder()
    if encoder is None:
        raise RuntimeError("no embedding engine")
    keys = sorted(resolved)
    matrix = encoder.encode([resolved[key].query for key in keys])
    return dict(zip(keys, matrix, strict=True))


Verdict = Callable[[str, str, str], bool]  # (window, story, key) -> concerns


def score(found: Labels, verdict: Verdict, window: str, key: str) -> Score:
    tp = fp = fn = 0
    for story, truth in found[(window, key)].items():
        said = verdict(window, story, key)
        tp += said and truth
        fp += said and not truth
        fn += truth and not said
    return Score(tp, fp, fn)


def evidence_of(found: Labels, resolved: Mapping[str, Topic], grouped: Stories,
                vectors: Mapping[str, np.ndarray]) -> dict[tuple[str, str, str], tuple[str, float | None]]:
    """(window, story, key) -> (how the story names the topic, closest centred cosine)."""
    return {(w, s, k): story_strength(grouped[w][s], resolved[k], vectors)
            for (w, k), by_story in found.items() for s in by_story}


def methods(found: Labels, resolved: Mapping[str, Topic], grouped: Stories,
            vectors: Mapping[str, np.ndarray]) -> dict[str, Verdict]:
    evidence = evidence_of(found, resolved, grouped, vectors)
    meaning = meanings(grouped)
    names = {k: keyword_patterns(resolved[k]) for k in resolved}
    shipped_models = load_models()

    def keyword(w: str, s: str, k: str) -> bool:
        return any(names[k][i.language or "en"].search(normalize(i.title + " " + i.summary))
                   for i in grouped[w][s] if (i.language or "en") in names[k])

    def lexicon(w: str, s: str, k: str) -> bool:
        return bool(story_topics(grouped[w][s], [resolved[k]], {}))

    def shipped(w: str, s: str, k: str) -> bool:
        return bool(story_topics(grouped[w][s], [resolved[k]], vectors))

    cuts, models = held_out_fits(found, evidence, meaning)

    def cuts_held_out(w: str, s: str, k: str) -> bool:
        return concerns(*evidence[(w, s, k)], cuts[w])

    def held_out(w: str, s: str, k: str) -> bool:
        strength, cosine = evidence[(w, s, k)]
        return verdict(topic_kind(resolved[k]), strength, cosine, meaning[(w, s)],
                       models[w].get(k), cuts[w])

    for w in WINDOWS:
        print(f"cuts fitted leaving {w} out: {cuts[w]}")
    print_body_held_out(found, evidence)
    print(f"cuts fitted on every window: {fit(found, evidence, WINDOWS)}")
    print(f"shipped topic models: {', '.join(sorted(shipped_models)) or 'none'}\n")
    in_sample = sum(shipped(w, s, k) != truth for (w, k), by_story in found.items()
                    for s, truth in by_story.items())
    print(f"errors of the shipped cuts and models on the labels they were fitted on: {in_sample} "
          "(in-sample: how far they overfit, not a quality figure)\n")
    return {"keyword": keyword, "lexicon": lexicon,
            "lexicon + e5 cuts, window left out": cuts_held_out,
            HELD_OUT: held_out}


def keyword_patterns(topic: Topic) -> dict[str, re.Pattern[str]]:
    """The keyword anchor's words per language, as a keyword-filter user would set them:
    the follow's English name, and in Ukrainian and Russian the name's first form in the
    lexicon as a prefix keyword ("київ*", "путин*": one word with its endings, none of the
    lexicon's other forms, ids or rules). Free text is its own words in every language."""
    words = {"en": topic.label.lower()}
    spec = next((f for f in lexicon.follows() if f.key == topic.key), None)
    # The entry the follow is named after (its key, or the one id of a place or person),
    # else the preset's own phrasing.
    own = [i for i in sorted(topic.ids) if i == topic.key or len(topic.ids) == 1]
    sources = [lexicon.entry(i).forms for i in own] + ([spec.forms] if spec is not None else [])
    for language in ("uk", "ru"):
        firsts = [forms[language][0] for forms in sources if forms.get(language)]
        words[language] = firsts[0] if firsts else topic.label.lower()
    return {language: compile_patterns([word]) for language, word in words.items()}


Meaning = Mapping[tuple[str, str], np.ndarray | None]  # (window, story) -> story vector
HeldOutFits = tuple[dict[str, FollowOptions], dict[str, dict[str, TopicModel]]]


def held_out_fits(found: Labels, evidence: Evidence, meaning: Meaning) -> HeldOutFits:
    """({window: cuts}, {window: {topic: model}}), each fitted on the other windows only."""
    cuts = {w: fit(found, evidence, [v for v in WINDOWS if v != w]) for w in WINDOWS}
    models = follow_model.held_out(rows_of(found, evidence, meaning), WINDOWS,
                                   {w: cuts[w].confirm_cos for w in WINDOWS})
    return cuts, models


def meanings(grouped: Stories) -> dict[tuple[str, str], np.ndarray | None]:
    return {(w, s): story_meaning(items) for w, by_story in grouped.items()
            for s, items in by_story.items()}


HELD_OUT = "cuts + topic models, window left out"
"""The method the figures are reported for: cuts and models fitted without the scored window."""


def rows_of(found: Labels, evidence: Evidence,
            meaning: Mapping[tuple[str, str], np.ndarray | None]) -> list[follow_model.Row]:
    """Rows for the topic models: labelled topic follows of stories with vectors."""
    topics = follow_model.topic_keys()
    rows = []
    for (w, k), by_story in sorted(found.items()):
        for s, truth in sorted(by_story.items()):
            strength, cosine = evidence[(w, s, k)]
            vector = meaning[(w, s)]
            if k in topics and cosine is not None and vector is not None:
                rows.append(follow_model.Row(w, s, k, strength, cosine, vector, truth))
    return rows


def model_rows() -> list[follow_model.Row]:
    """:func:`rows_of` for the labelled stories (for scripts/train_follows.py)."""
    found = labels()
    resolved = topics(found)
    grouped = stories()
    evidence = evidence_of(found, resolved, grouped, topic_vectors(resolved))
    meaning = meanings(grouped)
    return rows_of(found, evidence, meaning)


Evidence = Mapping[tuple[str, str, str], tuple[str, float | None]]


def fit(found: Labels, evidence: Evidence, windows: Sequence[str],
        leave_out: tuple[str, str] | None = None) -> FollowOptions:
    """The three cuts with the fewest errors over the given windows' labels (without the
    rows of the ``leave_out`` (window, story), when given).

    Ties go to the cuts nearest the lexicon alone (lowest confirm and body cuts, highest
    alone cut): a window where meaning never decides (the Russian one: cross-language
    cosines run low) then does not hand the other window an arbitrary cut.
    """
    rows = [(evidence[(w, story, key)], truth) for (w, key), by_story in found.items()
            if w in windows and _judged_by_cuts(key)
            for story, truth in by_story.items() if (w, story) != leave_out]
    strength = np.array([e[0] for e, _ in rows])
    cosine = np.array([np.nan if e[1] is None else e[1] for e, _ in rows])
    truth = np.array([t for _, t in rows])
    known = ~np.isnan(cosine)

    def errors(kind: str, grid: Sequence[float]) -> np.ndarray:
        """Errors among the rows of one strength, for each cut of the grid."""
        chosen = known & (strength == kind)
        said = cosine[chosen][None, :] >= np.array(grid)[:, None]
        return np.asarray((said != truth[chosen][None, :]).sum(axis=1))

    # the three strengths are disjoint rows: each cut is fitted on its own rows
    title = CONFIRM_GRID[int(np.argmin(errors(TITLE, CONFIRM_GRID)))]
    # a window without summaries has no body-only rows to fit on: it hands on what the
    # lexicon alone does with them (they do not count)
    has_body = bool((known & (strength == BODY)).any())
    body = CONFIRM_GRID[int(np.argmin(errors(BODY, CONFIRM_GRID)))] if has_body else NEVER
    alone_grid = sorted(ALONE_GRID, reverse=True)
    alone = alone_grid[int(np.argmin(errors(NONE, alone_grid)))]
    return FollowOptions(confirm_cos=title, body_cos=body, alone_cos=alone)


def _judged_by_cuts(key: str) -> bool:
    """Places and people are judged by their names alone: their rows do not fit the cuts."""
    topic = resolve_topic(key.removeprefix(TEXT_PREFIX))
    return topic is not None and topic_kind(topic) not in {"place", "person"}


def body_held_out(found: Labels, evidence: Evidence) -> tuple[int, int, int, int, int]:
    """The body cut held out story by story (only reports with summaries have body-only hits,
    so the other window cannot judge it): each story's cut fitted on the other stories.

    Returns (rows, concerned, errors held out, errors at the shipped body cut, errors at the
    title cut, i.e. with no separate body cut).
    """
    rows = [(s, truth, cosine) for (w, k), by_story in found.items()
            for s, truth in by_story.items()
            for strength, cosine in [evidence[(w, s, k)]] if strength == BODY and cosine is not None]

    def best(chosen: Sequence[tuple[str, bool, float]]) -> float:
        errors = [sum((c >= cut) != t for _, t, c in chosen) for cut in CONFIRM_GRID]
        return CONFIRM_GRID[errors.index(min(errors))]

    held = sum((c >= best([r for r in rows if r[0] != s])) != t for s, t, c in rows)
    shipped = sum((c >= FollowOptions().body_cos) != t for _, t, c in rows)
    title = sum((c >= FollowOptions().confirm_cos) != t for _, t, c in rows)
    return len(rows), sum(t for _, t, _ in rows), held, shipped, title


def print_body_held_out(found: Labels, evidence: Evidence) -> None:
    rows, concerned, held, shipped, title = body_held_out(found, evidence)
    print(f"body-only rows: {rows} ({concerned} concerned); errors: {held} with the body cut "
          f"fitted leaving the story out, {shipped} at the shipped body cut, {title} at the "
          "title cut (no separate body cut)")


def table(found: Labels, verdicts: Mapping[str, Verdict]) -> dict[str, dict[tuple[str, str], Score]]:
    return {name: {(w, k): score(found, verdict, w, k) for (w, k) in found}
            for name, verdict in verdicts.items()}


def print_table(found: Labels, scores: Mapping[str, Mapping[tuple[str, str], Score]]) -> None:
    names = list(scores)
    print("| window | follow | stories concerned | " + " | ".join(names) + " |")
    print("|---|---|---:|" + "---:|" * len(names))
    for window in WINDOWS:
        for (w, key) in sorted(k for k in found if k[0] == window):
            positives = sum(found[(w, key)].values())
            cells = [f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f}"
                     for s in (scores[name][(w, key)] for name in names)]
            print(f"| {w} | {key} | {positives} of {len(found[(w, key)])} | " + " | ".join(cells) + " |")
    print("\ncells: precision / recall / F1 at story level (no prediction and nothing to find "
          "counts as 1.00)\n")
    print("| method | " + " | ".join(f"{w}: follows with P and R >= 0.90 (errors)"
                                     for w in WINDOWS)
          + " | errors (FP+FN, every window) |")
    print("|---|" + "---:|" * (len(WINDOWS) + 1))
    for name in names:
        per_window = []
        for window in WINDOWS:
            rows = [s for (w, _), s in scores[name].items() if w == window]
            good = sum(s.precision >= 0.9 and s.recall >= 0.9 for s in rows)
            per_window.append(f"{good} of {len(rows)} ({sum(s.fp + s.fn for s in rows)})")
        errors = sum(s.fp + s.fn for s in scores[name].values())
        print(f"| {name} | " + " | ".join(per_window) + f" | {errors} |")


def print_pooled(found: Labels, scores: Mapping[str, Mapping[tuple[str, str], Score]]) -> None:
    """Every window together, per follow: P/R/F1 and the counts behind them."""
    names = list(scores)
    keys = sorted({key for _, key in found})
    print("| follow (every window) | stories concerned | " + " | ".join(names) + " |")
    print("|---|---:|" + "---:|" * len(names))
    for key in keys:
        positives = sum(sum(found[(w, key)].values()) for w in WINDOWS if (w, key) in found)
        total = sum(len(found[(w, key)]) for w in WINDOWS if (w, key) in found)
        cells = []
        for name in names:
            s = pooled(scores[name], key)
            cells.append(f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f} ({s.tp}/{s.fp}/{s.fn})")
        print(f"| {key} | {positives} of {total} | " + " | ".join(cells) + " |")
    print("\ncells: precision / recall / F1 (tp/fp/fn), every window pooled\n")
    print("| method | follows with pooled P and R >= 0.90 | errors (FP+FN) |")
    print("|---|---:|---:|")
    for name in names:
        rows = [pooled(scores[name], key) for key in keys]
        good = sum(s.precision >= 0.9 and s.recall >= 0.9 for s in rows)
        print(f"| {name} | {good} of {len(rows)} | {sum(s.fp + s.fn for s in rows)} |")


def pooled(by_key: Mapping[tuple[str, str], Score], key: str) -> Score:
    parts = [s for (_, k), s in by_key.items() if k == key]
    return Score(sum(s.tp for s in parts), sum(s.fp for s in parts), sum(s.fn for s in parts))


Explain = Callable[[str, str, str], str]  # (window, story, key) -> the evidence, in words


def print_errors(found: Labels, verdict: Verdict, grouped: Stories, name: str,
                 explain: Explain | None = None) -> None:
    """Every story the method gets wrong, with its reports' titles (studied, never committed)
    and, given ``explain``, the evidence the verdict saw."""
    print(f"errors of {name}:\n")
    for (window, key), by_story in sorted(found.items()):
        for story, truth in sorted(by_story.items()):
            if verdict(window, story, key) == truth:
                continue
            kind = "FN" if truth else "FP"
            why = f" ({explain(window, story, key)})" if explain is not None else ""
            print(f"- {window} {story} {key} {kind}{why}")
            for item in grouped[window][story]:
                print(f"    {item.title[:80]}")


def explainer(found: Labels, evidence: Evidence, meaning: Meaning) -> Explain:
    """How a story names a follow, its cosine, the window's title cut and the probability
    of the topic model fitted without that window: whether an error is the lexicon's, the
    cut's or the model's (a title hit the model rejects, a story the model never finds)."""
    cuts, models = held_out_fits(found, evidence, meaning)

    def explain(w: str, s: str, k: str) -> str:
        strength, cosine = evidence[(w, s, k)]
        said = f"{strength}, cosine {cosine:.2f}" if cosine is not None else strength
        model, vector = models[w].get(k), meaning[(w, s)]
        if model is None or vector is None or cosine is None:
            return said
        p = probability(model, vector, strength, cosine)
        return f"{said}, title cut {cuts[w].confirm_cos:.2f}, held-out model p={p:.2f}"

    return explain


def speed() -> None:
    """story_topics calls per second: 200 stories (real reports) x 20 topics, cold and warm."""
    chosen: list[Topic] = list(PRESETS)
    for words in ("Zelensky", "Putin", "Kursk", "Scholz", "Crimea"):
        topic = resolve_topic(words)
        assert topic is not None
        chosen.append(topic)
    chosen = chosen[:20]
    encoder = load_encoder()
    assert encoder is not None
    topic_vecs = dict(zip([t.key for t in chosen],
                          encoder.encode([t.query for t in chosen]), strict=True))
    items = [item for window in WINDOWS
             for item in realdata.with_vectors(realdata.realnews(window))]
    batch: list[Sequence[realdata.RealItem]] = [items[i:i + 2] for i in range(0, 400, 2)]
    for label in ("first digest (text caches cold)", "next digest (caches warm)"):
        start = time.perf_counter()
        for story in batch:
            story_topics(story, chosen, topic_vecs)
        elapsed = time.perf_counter() - start
        print(f"speed, {label}: {len(batch) / elapsed:,.0f} story_topics calls/s "
              f"({len(batch)} stories x {len(chosen)} topics in {elapsed * 1000:.0f} ms)")


def main(options: list[str]) -> None:
    if not realdata.available() or not realdata.available_engine():
        print("skipped: needs ../shared/corpus and the embedding engine")
        return
    found = labels()
    resolved = topics(found)
    grouped = stories()
    vectors = topic_vectors(resolved)
    print(f"shipped cuts: {FollowOptions()}\n")
    verdicts = methods(found, resolved, grouped, vectors)
    scores = table(found, verdicts)
    print_table(found, scores)
    print()
    print_pooled(found, scores)
    print()
    if "--errors" in options:
        evidence = evidence_of(found, resolved, grouped, vectors)
        print_errors(found, verdicts[HELD_OUT], grouped, HELD_OUT,
                     explainer(found, evidence, meanings(grouped)))
        print()
    speed()
