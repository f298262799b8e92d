"""Run every benchmark, or the ones named: ``python -m bench extract summaries``."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import bench

REPO_ROOT = Path(__file__).resolve().parents[1]


def available() -> list[str]:
    return sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules(bench.__path__)
        if info.name.startswith("bench_")
    )


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO_ROOT))
    names = [a for a in argv if not a.startswith("-")] or available()
    unknown = sorted(set(names) - set(available()))
    if unknown:
        print(f"unknown bench: {', '.join(unknown)}; available: {', '.join(available())}")
        return 2
    options = [a for a in argv if a.startswith("-")]
    for name in names:
        print(f"\n## bench {name}\n", flush=True)
        importlib.import_module(f"bench.bench_{name}").main(options)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
