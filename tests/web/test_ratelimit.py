"""Per-client budgets: a sliding minute, 429 with the seconds to wait."""

import pytest

from kg.errors import RateLimited
from web.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(per_minute: int) -> tuple[RateLimiter, Clock]:
    clock = Clock()
    lim = RateLimiter(per_minute)
    lim._clock = clock
    return lim, clock


def test_the_budget_is_per_client_and_refusal_says_when_to_retry() -> None:
    lim, clock = limiter(2)
    lim.check("a")
    clock.now += 10
    lim.check("a")
    lim.check("b")  # another client has its own budget
    with pytest.raises(RateLimited, match="retry in 50 s") as refused:
        lim.check("a")
    assert refused.value.retry_after == 50
    assert refused.value.status == 429


def test_the_window_slides() -> None:
    lim, clock = limiter(1)
    lim.check("a")
    clock.now += 60
    lim.check("a")  # the first request has left the window


def test_zero_means_no_limit() -> None:
    lim, _ = limiter(0)
    for _ in range(1000):
        lim.check("a")
