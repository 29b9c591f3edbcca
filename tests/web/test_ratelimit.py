"""Per-client budgets: a sliding minute, 429 with the seconds to wait."""

import multiprocessing
import multiprocessing.synchronize
from pathlib import Path

import pytest

from kg.errors import RateLimited
from kg.settings import Settings
from web.ratelimit import RateLimiter, SharedRateLimiter, limiter_for


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
    clock.now += 59
    with pytest.raises(RateLimited, match="retry in 1 s"):  # the second has not
        lim.check("a")


def test_zero_means_no_limit() -> None:
    lim, _ = limiter(0)
    for _ in range(1000):
        lim.check("a")


def _settings(tmp_path: Path, *, processes: int) -> Settings:
    env = {"KG_STORE": str(tmp_path / "store"), "KG_WORKERS": str(processes)}
    return Settings.from_env(env, cache_dir=tmp_path)


def test_server_processes_share_one_budget(tmp_path: Path) -> None:
    """Two limiters on one file, as two server processes of `kg serve` (the kernel gives each
    connection to either): the client's budget is spent across both, not once in each."""
    two = _settings(tmp_path, processes=2)
    first = limiter_for(3, two, "api")
    second = limiter_for(3, two, "api")
    other_budget = limiter_for(3, two, "submissions")
    assert isinstance(first, SharedRateLimiter)
    first.check("10.0.0.1")
    second.check("10.0.0.1")
    first.check("10.0.0.1")
    with pytest.raises(RateLimited) as refused:
        second.check("10.0.0.1")
    assert 1 <= refused.value.retry_after <= 60
    second.check("10.0.0.2")  # another client has its own budget
    other_budget.check("10.0.0.1")  # and another limit its own
    assert not isinstance(limiter_for(3, _settings(tmp_path, processes=1), "x"), SharedRateLimiter)


def test_a_shared_budget_frees_as_the_window_slides(tmp_path: Path) -> None:
    shared = SharedRateLimiter(1, tmp_path / "limits.sqlite", "api")
    now = [1000.0]
    shared._clock = lambda: now[0]
    shared.check("c")
    with pytest.raises(RateLimited):
        shared.check("c")
    now[0] += 60
    shared.check("c")


def _open_and_spend(path: Path, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    for name in ("api", "submissions", "moderator-logins"):  # each server process opens three
        SharedRateLimiter(10, path, name).check("10.0.0.1")


def test_server_processes_starting_together_all_open_the_budgets_file(tmp_path: Path) -> None:
    """`kg serve`'s server processes start at once and open a new budgets file together; none
    may fail. Each had set WAL mode unconditionally, and SQLite refuses that with "database is
    locked" at once, without waiting, while another connection holds a lock: a starting server
    process died so (seen in a fresh-clone test run). Forked processes released together on a
    fresh file, round after round."""
    fork = multiprocessing.get_context("fork")
    for round_ in range(25):
        path = tmp_path / f"limits-{round_}.sqlite"
        barrier = fork.Barrier(6)
        processes = [fork.Process(target=_open_and_spend, args=(path, barrier)) for _ in range(6)]
        for p in processes:
            p.start()
        for p in processes:
            p.join(60)
        assert [p.exitcode for p in processes] == [0] * 6, f"round {round_}"
        spent = SharedRateLimiter(100, path, "api")
        assert spent._db.execute("SELECT COUNT(*) FROM seen").fetchone()[0] == 18
