"""Headlines from real items: how many raw titles are too long, lead-ins or carry footers.

``python -m bench headlines [--examples]`` reads every item of the four windows in
``../shared/corpus/realnews/*.jsonl`` and prints, per window, the share of raw titles over
120 characters, ending in ":", with a footer (title or summary), or a bare quotation, and the same for
:func:`digest.render.headline.headline`'s output, plus headlines cut mid-word. With
``--examples``, ten before/after pairs per window (the ones the function changed most).
The footer check here is deliberately independent of the code it checks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from digest.render.headline import headline, lead_text

REALNEWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realnews"
LIMIT = 120
EXAMPLES = 10
_FOOTER = re.compile(
    r"(?i)подпис(?:аться|ывайся|ывайтесь|шись|шитесь)\b|підпис(?:атися|уйся|шись)\b|subscribe|"
    r"прислать новость|без vpn|(?:^|\s)@\w{3,}\W*$|(?:^|\s)#\w+\s*$"
)
# A quotation and nothing else: no one says it and nothing says what it is about.
_BARE_QUOTE = re.compile(r'^["«“„][^"«»“”„]+["»”“][.!?…]?$')
_PICTOGRAPH = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u25a0-\u25ff\ufe0f]")


def _load(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _footer(text: str) -> bool:
    return bool(_FOOTER.search(text) or _PICTOGRAPH.search(text))


def _mid_word(result: str, source: str) -> bool:
    """Does ``result`` end inside a word of ``source`` (its last word is not whole there)?"""
    words = re.findall(r"\w+", result)
    if not words:
        return False
    last = words[-1]
    return re.search(rf"(?<!\w){re.escape(last)}(?!\w)", source) is None


def _share(count: int, total: int) -> str:
    return f"{count:4d} ({100 * count / max(total, 1):4.1f}%)"


def report(path: Path, *, examples: bool) -> None:
    """Print the table (and examples) for one window."""
    items = _load(path)
    pairs = [(item, headline(item["title"], item["summary"], limit=LIMIT)) for item in items]
    raw = [item["title"] for item in items]
    made = [result for _, result in pairs]
    n = len(items)
    print(f"### {path.stem}: {n} items\n")
    print(f"| {'':22} | {'raw title':>13} | {'headline()':>13} |")
    print(f"|{'-' * 24}|{'-' * 15}|{'-' * 15}|")
    rows = [
        (f"> {LIMIT} chars", [len(t) > LIMIT for t in raw], [len(h) > LIMIT for h in made]),
        ("> 125 chars", [len(t) > 125 for t in raw], [len(h) > 125 for h in made]),
        ("ends with ':'", [t.rstrip().endswith(":") for t in raw], [h.endswith(":") for h in made]),
        (
            "footer/marker",
            [_footer(i["title"]) or _footer(i["summary"]) for i in items],
            [_footer(h) for h in made],
        ),
        ("empty", [not t.strip() for t in raw], [not h for h in made]),
        ("a bare quotation", [bool(_BARE_QUOTE.match(t.strip())) for t in raw],
         [bool(_BARE_QUOTE.match(h)) for h in made]),
    ]
    for label, before, after in rows:
        print(f"| {label:22} | {_share(sum(before), n):>13} | {_share(sum(after), n):>13} |")
    mid = sum(_mid_word(h, f"{i['title']} {i['summary']}") for i, h in pairs)
    leads = sum(_footer(lead_text(i["summary"])) for i in items)
    print(f"| {'cut mid-word':22} | {'':>13} | {_share(mid, n):>13} |")
    print(f"| {'footer in lead_text()':22} | {'':>13} | {_share(leads, n):>13} |")
    if examples:
        _examples(pairs)
    print()


def _examples(pairs: list[tuple[dict[str, str], str]]) -> None:
    changed = [(i, h) for i, h in pairs if h != i["title"]]
    changed.sort(key=lambda pair: -abs(len(pair[0]["title"]) - len(pair[1])))
    step = max(len(changed) // EXAMPLES, 1)
    print()
    for item, result in changed[::step][:EXAMPLES]:
        summary = item["summary"][:100] + ("…" if len(item["summary"]) > 100 else "")
        print(f"- before: {item['title']!r}")
        if summary:
            print(f"  summary: {summary!r}")
        print(f"  after:  {result!r} ({len(result)})")


def main(argv: list[str]) -> None:
    """Print one table per window; ``--examples`` adds before/after pairs."""
    paths = sorted(REALNEWS.glob("*.jsonl"))
    if not paths:
        print(f"skipped: {REALNEWS} is absent (the ../shared corpus is not beside this clone)")
        return
    for path in paths:
        report(path, examples="--examples" in argv)
