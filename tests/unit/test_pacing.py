"""The pacing logic on a hand-driven clock: no sleeping, every limit checked exactly."""

from __future__ import annotations

import random

import pytest

from digest.backoff import Backoff
from services.pacing import Pacer, PacingLimits, SlidingWindow, Window
from tests.fakebot.limits import RateLimiter, RateLimits
from tests.fakebot.limits import Window as ServerWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def drive(pacer: Pacer, clock: FakeClock, chats: list[int]) -> list[tuple[float, int]]:
    """Send to ``chats`` in turn, each as early as the pacer allows; the send log."""
    log = []
    for chat in chats:
        clock.now = max(clock.now, pacer.ready_at(chat))
        pacer.settle(pacer.record(chat))  # answered at once
        log.append((clock.now, chat))
    return log


def test_a_fresh_chat_may_send_at_once(clock: FakeClock) -> None:
    assert Pacer(clock=clock).ready_at(5) == 0.0


def test_one_message_per_second_per_chat_plus_slack(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(slack=0.04), clock=clock)
    pacer.settle(pacer.record(5))
    assert pacer.chat_ready_at(5) == pytest.approx(1.04)
    assert pacer.chat_ready_at(6) == 0.0


def test_groups_get_twenty_a_minute(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(slack=0.0), clock=clock)
    times = [t for t, _ in drive(pacer, clock, [-100] * 21)]
    assert times[19] == pytest.approx(19.0)  # 1/s per chat for the first twenty
    assert times[20] == pytest.approx(60.0)  # then the minute window


def test_private_chats_are_not_held_to_the_group_window(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(slack=0.0), clock=clock)
    times = [t for t, _ in drive(pacer, clock, [100] * 21)]
    assert times[20] == pytest.approx(20.0)


def test_overall_rate_is_kept_and_reached(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(slack=0.04), clock=clock)
    log = drive(pacer, clock, list(range(1, 3001)))
    duration = log[-1][0] - log[0][0]
    rate = (len(log) - 1) / duration
    assert 30 * 0.95 <= rate <= 30
    for (start, _), (end, _) in zip(log, log[30:], strict=False):
        assert end - start >= 1.04 - 1e-9  # 31 sends never fit in the window plus slack


def test_sends_are_spread_not_bursty(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(slack=0.0, min_gap_fraction=0.5), clock=clock)
    times = [t for t, _ in drive(pacer, clock, list(range(1, 61)))]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps[15:]) >= 0.5 / 30 - 1e-9  # once the window is half full
    assert max(times[:15]) - min(times[:15]) < 0.5 / 30  # a short burst goes out at once


def test_the_fake_servers_limiter_never_refuses_the_paced_stream(clock: FakeClock) -> None:
    # The same sliding windows as the local server (tests/fakebot/limits.py), same clock.
    server = RateLimiter(RateLimits.telegram(), clock=clock)
    pacer = Pacer(PacingLimits(), clock=clock)
    rng = random.Random(3)
    chats = [rng.choice([rng.randint(1, 40), -rng.randint(1, 10)]) for _ in range(600)]
    for chat in chats:
        clock.now = max(clock.now, pacer.ready_at(chat))
        sends = pacer.record(chat)
        server.acquire(chat, is_group=chat < 0)
        pacer.settle(sends)
    assert server.rejected == 0


def test_late_arrivals_never_squeeze_the_servers_window(clock: FakeClock) -> None:
    # Requests reach the server 0–150 ms after they leave, at random: the window counts from
    # the answer, so the server's arrival-time windows are never overrun, at ≥ 95% of 30/s.
    server = RateLimiter(RateLimits.telegram(), clock=clock)
    pacer = Pacer(PacingLimits(), clock=clock)
    rng = random.Random(7)
    in_flight: list[tuple[float, int, tuple]] = []  # (arrival, chat, sends)
    started = []
    for chat in range(1, 1501):
        ready = pacer.ready_at(chat)
        while in_flight and in_flight[0][0] <= ready:  # answers that come before the next send
            arrival, done_chat, sends = in_flight.pop(0)
            clock.now = max(clock.now, arrival)
            server.acquire(done_chat, is_group=False)
            pacer.settle(sends)
            ready = pacer.ready_at(chat)
        clock.now = max(clock.now, ready)
        started.append(clock.now)
        in_flight.append((clock.now + rng.uniform(0.0, 0.15), chat, pacer.record(chat)))
        in_flight.sort(key=lambda entry: entry[0])
    for arrival, chat, sends in in_flight:
        clock.now = max(clock.now, arrival)
        server.acquire(chat, is_group=False)
        pacer.settle(sends)
    assert server.rejected == 0
    rate = (len(started) - 1) / (started[-1] - started[0])
    assert rate >= 30 * 0.80  # latency of up to 150 ms costs some rate, never a 429


def test_a_429_holds_only_that_chat(clock: FakeClock) -> None:
    pacer = Pacer(clock=clock)
    assert pacer.on_429(7, retry_after=5.0) is False
    assert pacer.chat_ready_at(7) == 5.0
    assert pacer.ready_at(8) == 0.0


def test_several_chats_with_429_at_once_hold_everyone(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(flood_chats=3, flood_seconds=2.0), clock=clock)
    pacer.on_429(1, 3.0)
    clock.now = 0.5
    pacer.on_429(2, 3.0)
    clock.now = 1.0
    assert pacer.on_429(3, 3.0) is True
    assert pacer.overall_ready_at() == 4.0
    assert pacer.ready_at(99) == 4.0


def test_429s_spread_out_in_time_are_not_a_flood(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(flood_chats=3, flood_seconds=2.0), clock=clock)
    for chat in (1, 2, 3):
        assert pacer.on_429(chat, 1.0) is False
        clock.now += 3.0
    assert pacer.overall_ready_at() <= clock.now


def test_repeated_429s_of_one_chat_are_not_a_flood(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(flood_chats=3), clock=clock)
    assert [pacer.on_429(7, 1.0) for _ in range(5)] == [False] * 5


def test_forget_idle_keeps_memory_flat_without_changing_answers(clock: FakeClock) -> None:
    pacer = Pacer(PacingLimits(slack=0.0), clock=clock)
    drive(pacer, clock, [1, -2, 3])
    pacer.on_429(4, 1.0)
    clock.now = 30.0
    assert pacer.forget_idle() == 4  # 3 per-chat windows and the hold; not -2's minute
    clock.now = 61.0
    assert pacer.forget_idle() >= 1
    assert pacer.ready_at(-2) == 61.0


def test_at_rate_changes_only_the_overall_window() -> None:
    limits = PacingLimits.at_rate(1000)
    assert limits.overall == Window(1000, 1.0)
    assert limits.per_chat == Window(1, 1.0) and limits.per_group == Window(20, 60.0)


def test_sliding_window_forgets_sends_that_left_it() -> None:
    window = SlidingWindow(Window(1, 1.0))
    window.record(0.0).settled = True
    assert window.ready_at(now=0.5, slack=0.0) == 1.0
    assert window.ready_at(now=1.0, slack=0.0) == 1.0
    assert not window.sent


def test_backoff_grows_exponentially_within_the_jitter_and_the_cap() -> None:
    policy = Backoff(base=2.0, cap=60.0)
    rng = random.Random(0)
    for attempt in range(1, 12):
        nominal = min(60.0, 2.0 * 2 ** (attempt - 1))
        assert 0.5 * nominal <= policy.delay(attempt, rng) <= 1.5 * nominal


def test_backoff_jitter_spreads_retries() -> None:
    rng = random.Random(0)
    assert len({round(Backoff().delay(3, rng), 3) for _ in range(20)}) > 10


def test_server_window_type_matches_ours() -> None:
    # The fake server's Telegram preset is what our defaults claim to keep.
    preset, ours = RateLimits.telegram(), PacingLimits()
    pairs = [(preset.overall, ours.overall), (preset.per_chat, ours.per_chat),
             (preset.per_group, ours.per_group)]
    assert all(isinstance(server, ServerWindow) for server, _ in pairs)
    assert all((s.limit, s.seconds) == (o.limit, o.seconds) for s, o in pairs)
