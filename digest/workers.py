"""A small thread pool of our own for CPU-heavy stages (extraction, summaries, grouping).

``asyncio.to_thread`` would use the loop's default executor, which is also where DNS
lookups (``getaddrinfo``) wait: a burst of slow lookups — dozens of feeds polled while a
resolver times out — would then hold up every link reply. A separate pool keeps the two
apart. Two threads: the work is mostly under the GIL, the point is only to keep the event
loop free.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:  # created on first use: importing this module does no work
        _POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="cpu-work")
    return _POOL


async def run_cpu(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run ``func(*args, **kwargs)`` in the CPU pool and await its result.

    >>> asyncio.run(run_cpu(sum, [1, 2, 3]))
    6
    """
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool(), functools.partial(func, *args, **kwargs))
