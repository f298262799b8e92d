"""Fit the story pair model on real labelled pairs; see bench/story_model.py.

    .venv/bin/python scripts/train_story_pairs.py [--write]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.story_model import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
