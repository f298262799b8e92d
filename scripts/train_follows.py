"""Fit the topic follow models on the labelled real stories; see bench/follow_model.py.

    .venv/bin/python scripts/train_follows.py [--write]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.follow_model import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
