"""From feed items to a ranked digest: war relevance, story grouping, ranking, the daily plan.

Pure stages over plain items; articles are read through a callable the caller injects.
Must not import ``telegram``, ``handlers``, ``services``, ``storage``, ``bot`` or ``httpx``.
"""
