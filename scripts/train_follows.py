"""Fit the topic follow models on the labelled real stories; see bench/follow_model.py.

    .venv/bin/python scripts/train_follows.py [--write]

The command lives here, not in bench/follow_model.py: its rows come from
bench/bench_follows.py, which uses the fitting, so the fitting must not import it back.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench import bench_follows, realdata  # noqa: E402
from bench.follow_model import choose_c, fit_all, print_held_out, write  # noqa: E402
from digest.stories.follow import FollowOptions  # noqa: E402
from digest.stories.follow_model import WEIGHTS  # noqa: E402


def main(argv: list[str]) -> None:
    if not realdata.available() or not realdata.available_engine():
        raise SystemExit("needs ../shared/corpus and the embedding engine")
    rows = bench_follows.model_rows()
    confirm = FollowOptions().confirm_cos
    print_held_out(rows, bench_follows.WINDOWS, confirm)
    c = choose_c(rows, bench_follows.WINDOWS, confirm)
    print(f"C chosen leaving each window out in turn: {c}")
    if "--write" in argv:
        write(fit_all(rows, bench_follows.WINDOWS, c), c)
        print(f"wrote {WEIGHTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
