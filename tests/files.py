"""Where the tests find the repository and their own files.

One definition, so a test module reads the same paths whichever folder it sits in
(tests/unit, tests/gate, tests/e2e, tests/slow) instead of counting its parent folders.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
PAGES = FIXTURES / "pages"
# A news article with JSON-LD metadata, quotes and key points: the page several tests serve
# or read when they need "a real article" rather than one particular shape.
ARTICLE_PAGE = PAGES / "jsonld_graph.html"
