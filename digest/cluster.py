"""Public path kept for scripts and benchmarks: see :mod:`digest.stories.cluster`."""

from digest.stories.cluster import group_stories

__all__ = ["group_stories"]
