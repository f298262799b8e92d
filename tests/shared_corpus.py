"""Where the read-only ``../shared`` folder is, for gate tests that need the real corpus.

Tests that use it are skipped cleanly when it is absent (a clone without ``../shared``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.files import ROOT as REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seed"


def require_shared(path: Path) -> Path:
    """Return ``path``, or skip the calling test when it does not exist."""
    if not path.exists():
        pytest.skip(f"{path} is absent (the ../shared corpus is not beside this clone)")
    return path
