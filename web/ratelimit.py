"""Per-client request budgets: a sliding window per client address, answered with 429 and
`Retry-After` when spent — one minute for the public API (`KG_RATE_LIMIT_PER_MINUTE`), one hour
for practice submissions (`KG_CONTRIBUTE_PER_HOUR`)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from fastapi import Request

from kg.errors import RateLimited

WINDOW = 60.0


class RateLimiter:
    """At most `per_minute` requests per client in any `window` seconds (default 60)."""

    def __init__(self, per_minute: int, *, window: float = WINDOW) -> None:
        self.per_minute = per_minute
        self.window = window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._clock = time.monotonic

    def check(self, client: str) -> None:
        """Count one request of `client`, or raise `RateLimited` with the seconds to wait."""
        if self.per_minute <= 0:
            return
        now = self._clock()
        with self._lock:
            stamps = self._seen.setdefault(client, deque())
            while stamps and now - stamps[0] >= self.window:
                stamps.popleft()
            if len(stamps) >= self.per_minute:
                wait = max(1, math.ceil(self.window - (now - stamps[0])))
                span = "a minute" if self.window == WINDOW else f"{self.window / 60:g} minutes"
                raise RateLimited(
                    f"more than {self.per_minute} requests in {span} from {client}; "
                    f"retry in {wait} s",
                    retry_after=wait,
                )
            stamps.append(now)
            if len(self._seen) > 10_000:  # forget idle clients
                for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                    del self._seen[key]


def limit(request: Request) -> None:
    """FastAPI dependency: one request of this client against the app's limiter."""
    limiter: RateLimiter | None = getattr(request.app.state, "limiter", None)
    if limiter is None:
        limiter = request.app.state.limiter = RateLimiter(
            request.app.state.settings.rate_limit_per_minute
        )
    limiter.check(client_of(request))


def client_of(request: Request) -> str:
    """The client address a budget is counted against."""
    return request.client.host if request.client else "unknown"
