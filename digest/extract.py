"""Public path kept for scripts and benchmarks: see :mod:`digest.reader.extract`."""

from digest.reader.extract import extract_article

__all__ = ["extract_article"]
