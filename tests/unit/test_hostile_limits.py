"""Flooding: the per-user link budget and the bot-wide cap on concurrent fetches."""

from __future__ import annotations

import asyncio

from services.limits import LinkBudget, LinkLimits, TokenBucket


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_the_burst_then_refuses_with_the_wait() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=5, per_second=10 / 60, clock=clock)
    assert [bucket.take() for _ in range(5)] == [0.0] * 5
    assert bucket.take() == 6.0  # one token every six seconds at 10 a minute


def test_bucket_refills_with_time_but_never_above_capacity() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=5, per_second=10 / 60, clock=clock)
    for _ in range(5):
        bucket.take()
    clock.now += 6.0
    assert bucket.take() == 0.0
    clock.now += 3600.0
    assert [bucket.take() for _ in range(6)] == [0.0] * 5 + [6.0]


def test_bucket_ignores_a_clock_stepping_back() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=1, per_second=1.0, clock=clock)
    bucket.take()
    clock.now -= 500.0
    assert bucket.take() > 0.0


def test_a_message_costing_more_than_the_burst_waits_for_a_full_bucket() -> None:
    clock = FakeClock()
    bucket = TokenBucket(capacity=2, per_second=1.0, clock=clock)
    assert bucket.take(3) == 0.0  # capped at the capacity: never refused forever
    assert bucket.take(3) == 2.0


def test_flooding_user_is_told_once_and_budget_is_per_user() -> None:
    clock = FakeClock()
    limits = LinkLimits(LinkBudget(per_minute=10, burst=5), clock=clock)
    verdicts = [limits.check(1, 1) for _ in range(100)]
    assert sum(v.allowed for v in verdicts) == 5
    assert [v.notify for v in verdicts].count(True) == 1
    assert verdicts[5].wait_seconds == 6
    assert limits.check(2, 1).allowed, "another user's budget is untouched"


def test_a_minute_of_flooding_lets_through_the_burst_plus_the_refill() -> None:
    clock = FakeClock()
    limits = LinkLimits(LinkBudget(per_minute=10, burst=5), clock=clock)
    allowed = 0
    for _ in range(100):  # 100 links in one minute, one every 0.6 s (last at 59.4 s)
        allowed += limits.check(1, 1).allowed
        clock.now += 0.6
    assert allowed == 5 + 9  # the burst, then one every 6 s: at 6, 12, …, 54 s


def test_user_is_told_again_after_a_successful_link() -> None:
    clock = FakeClock()
    limits = LinkLimits(LinkBudget(per_minute=60, burst=1), clock=clock)
    limits.check(1, 1)
    assert limits.check(1, 1).notify
    clock.now += 1.0
    assert limits.check(1, 1).allowed
    assert limits.check(1, 1).notify


def test_many_one_off_senders_do_not_grow_memory_without_bound(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("services.limits.MAX_TRACKED_USERS", 50)
    clock = FakeClock()
    limits = LinkLimits(LinkBudget(per_minute=60, burst=1), clock=clock)
    for user in range(500):
        limits.check(user, 1)
        clock.now += 1.0  # each earlier sender's bucket has refilled by now
    assert len(limits._buckets) <= 50


async def test_no_more_than_the_cap_of_fetches_run_at_once() -> None:
    limits = LinkLimits(LinkBudget(max_concurrent_fetches=3))
    running, peak = 0, 0

    async def fetch() -> None:
        nonlocal running, peak
        async with limits.fetches:
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(fetch() for _ in range(20)))
    assert peak == 3
