"""Fit the event model and print its leave-one-window-out figures (see bench/event_model.py).

    .venv/bin/python scripts/train_events.py [--write]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.event_model import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
