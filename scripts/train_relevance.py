"""Fit the war-relevance model on labelled real items; see bench/relevance_model.py.

    .venv/bin/python scripts/train_relevance.py [--write]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.relevance_model import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
