"""Public path kept for scripts and benchmarks: see :mod:`digest.stories.relevance`."""

from digest.stories.relevance import is_about_war

__all__ = ["is_about_war"]
