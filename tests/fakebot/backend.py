"""The pieces a Bot API method may touch, bundled so handlers take one argument."""

from __future__ import annotations

from dataclasses import dataclass

from tests.fakebot.faults import FaultInjector
from tests.fakebot.limits import RateLimiter
from tests.fakebot.recording import Recorder
from tests.fakebot.state import World
from tests.fakebot.updates import UpdateQueue


@dataclass(frozen=True)
class Backend:
    """World state, update queue, flood limits, injected faults and the request log."""

    world: World
    updates: UpdateQueue
    limiter: RateLimiter
    faults: FaultInjector
    recorder: Recorder
