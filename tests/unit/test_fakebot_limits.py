"""Flood limits (429 with retry_after) and fault injection of the fake Bot API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.fakebot import FakeTelegramServer, FakeUser, RateLimits, ServerOptions, Window
from tests.fakebot import fixtures as fakebot_fixtures
from tests.fakebot.errors import ApiError
from tests.fakebot.faults import FaultInjector
from tests.fakebot.fixtures import ServerFactory
from tests.fakebot.limits import RateLimiter


class FakeClock:
    """A clock the test moves by hand, so window arithmetic is exact."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def rejection(limiter: RateLimiter, chat_id: int, is_group: bool = False) -> ApiError:
    with pytest.raises(ApiError) as caught:
        limiter.acquire(chat_id, is_group)
    return caught.value


def test_limits_are_off_by_default() -> None:
    limiter = RateLimiter(RateLimits())
    for _ in range(200):
        limiter.acquire(1, is_group=True)
    assert limiter.rejected == 0


def test_per_chat_limit_gives_retry_after() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(per_chat=Window(1, 1.0)), clock)
    limiter.acquire(1, is_group=False)
    error = rejection(limiter, 1)
    assert (error.status, error.parameters) == (429, {"retry_after": 1})


def test_per_chat_limit_is_per_chat() -> None:
    limiter = RateLimiter(RateLimits(per_chat=Window(1, 1.0)), FakeClock())
    limiter.acquire(1, is_group=False)
    limiter.acquire(2, is_group=False)


def test_window_slides_with_the_clock() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(per_chat=Window(1, 1.0)), clock)
    limiter.acquire(1, is_group=False)
    clock.now += 1.0
    limiter.acquire(1, is_group=False)


def test_group_limit_rounds_retry_after_up() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(per_group=Window(20, 60.0)), clock)
    for _ in range(20):
        limiter.acquire(-5, is_group=True)
        clock.now += 0.5
    assert rejection(limiter, -5, is_group=True).parameters == {"retry_after": 50}


def test_group_limit_ignores_private_chats() -> None:
    limiter = RateLimiter(RateLimits(per_group=Window(1, 60.0)), FakeClock())
    limiter.acquire(7, is_group=False)
    limiter.acquire(7, is_group=False)


def test_overall_limit_spans_chats() -> None:
    limiter = RateLimiter(RateLimits(overall=Window(30, 1.0)), FakeClock())
    for chat_id in range(30):
        limiter.acquire(chat_id, is_group=False)
    assert rejection(limiter, 99).status == 429
    assert limiter.rejected == 1


def test_rejected_sends_do_not_use_up_the_window() -> None:
    clock = FakeClock()
    limiter = RateLimiter(RateLimits(per_chat=Window(1, 1.0)), clock)
    limiter.acquire(1, is_group=False)
    rejection(limiter, 1)
    clock.now += 1.0
    limiter.acquire(1, is_group=False)


def test_telegram_preset_numbers() -> None:
    assert RateLimits.telegram() == RateLimits(Window(1, 1.0), Window(20, 60.0), Window(30, 1.0))


def test_fail_next_is_case_insensitive_and_counted() -> None:
    faults = FaultInjector()
    faults.fail_next("SendMessage", status=502, count=2)
    statuses = [getattr(faults.before_call("sendmessage"), "status", None) for _ in range(3)]
    assert statuses == [502, 502, None]


def test_error_rate_is_reproducible_with_the_seed() -> None:
    def pattern(seed: int) -> list[bool]:
        faults = FaultInjector(seed)
        faults.set_error_rate("sendMessage", 0.3)
        return [faults.before_call("sendMessage") is not None for _ in range(50)]

    assert pattern(7) == pattern(7)
    assert 5 < sum(pattern(7)) < 25


# The shared fixtures, imported the way a conftest.py would expose them.
fake_telegram_factory = fakebot_fixtures.fake_telegram_factory


@pytest.fixture
def tg(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    return fake_telegram_factory()


@pytest.fixture
def limited(fake_telegram_factory: ServerFactory) -> FakeTelegramServer:
    return fake_telegram_factory(ServerOptions(limits=RateLimits(per_chat=Window(1, 60.0))))


@pytest.fixture
def alice_http(tg: FakeTelegramServer) -> Iterator[tuple[FakeUser, httpx.Client]]:
    alice = tg.client.user("Alice")
    tg.client.send_command(alice, "start")
    with httpx.Client(base_url=f"{tg.base_url}{tg.token}/") as client:
        yield alice, client


def test_server_answers_429_over_the_limit(limited: FakeTelegramServer) -> None:
    alice = limited.client.user("Alice")
    limited.client.send_command(alice, "start")
    url = f"{limited.base_url}{limited.token}/sendMessage"
    assert httpx.post(url, json={"chat_id": alice.id, "text": "1"}).status_code == 200
    body = httpx.post(url, json={"chat_id": alice.id, "text": "2"}).json()
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 60",
        "parameters": {"retry_after": 60},
    }
    assert limited.count_429() == 1 and len(limited.sent(alice.id)) == 1


def test_forced_429_for_one_chat(
    tg: FakeTelegramServer, alice_http: tuple[FakeUser, httpx.Client]
) -> None:
    alice, http = alice_http
    tg.faults.force_429(alice.id, retry_after=3)
    first = http.post("sendMessage", json={"chat_id": alice.id, "text": "x"}).json()
    assert first["parameters"] == {"retry_after": 3}
    assert http.post("sendMessage", json={"chat_id": alice.id, "text": "x"}).json()["ok"] is True


def test_injected_5xx_reaches_the_client(
    tg: FakeTelegramServer, alice_http: tuple[FakeUser, httpx.Client]
) -> None:
    alice, http = alice_http
    tg.faults.fail_next("sendMessage", status=500)
    response = http.post("sendMessage", json={"chat_id": alice.id, "text": "x"})
    assert (response.status_code, response.json()["description"]) == (500, "Internal Server Error")
    assert tg.sent(alice.id) == []


def test_delay_hook_applies_to_one_method(
    tg: FakeTelegramServer, alice_http: tuple[FakeUser, httpx.Client]
) -> None:
    alice, http = alice_http
    tg.faults.set_delay(0.2, method="sendMessage")
    delayed = http.post("sendMessage", json={"chat_id": alice.id, "text": "x"})
    undelayed = http.post("getMe")
    assert delayed.elapsed.total_seconds() >= 0.2 > undelayed.elapsed.total_seconds()
