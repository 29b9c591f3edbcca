"""Per-client request budgets for the public API (`KG_RATE_LIMIT_PER_MINUTE`): a sliding window
of one minute per client address, answered with 429 and `Retry-After` when spent."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

from kg.errors import RateLimited

WINDOW = 60.0


class RateLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
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
            while stamps and now - stamps[0] >= WINDOW:
                stamps.popleft()
            if len(stamps) >= self.per_minute:
                wait = max(1, math.ceil(WINDOW - (now - stamps[0])))
                raise RateLimited(
                    f"more than {self.per_minute} requests in a minute from {client}; "
                    f"retry in {wait} s",
                    retry_after=wait,
                )
            stamps.append(now)
            if len(self._seen) > 10_000:  # forget idle clients
                for key in [k for k, v in self._seen.items() if not v or now - v[-1] > WINDOW]:
                    del self._seen[key]
