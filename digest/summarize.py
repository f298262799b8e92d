"""Public path kept for scripts and benchmarks: see :mod:`digest.reader.summarize`."""

from digest.reader.summarize import key_points

__all__ = ["key_points"]
