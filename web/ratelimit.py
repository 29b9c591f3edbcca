"""Per-client request budgets: a sliding window per client address, answered with 429 and
`Retry-After` when spent — one minute for the public API (`KG_RATE_LIMIT_PER_MINUTE`), one hour
for practice submissions (`KG_CONTRIBUTE_PER_HOUR`).

`kg serve` runs several server processes on one port, and the kernel hands each connection to
any of them: a budget kept in one process's memory would let a client make N times its
requests. With more than one server process the budgets are kept in one SQLite file in
`KG_CACHE_DIR` (`SharedRateLimiter`: one row per request in the window, each check one short
write transaction, WAL), so every process counts the same requests.
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path

from fastapi import Request

from kg.errors import RateLimited
from kg.settings import Settings
from kg.sqlite_files import BUSY_TIMEOUT, prepare_wal

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
                raise _refusal(self, client, now - stamps[0])
            stamps.append(now)
            if len(self._seen) > 10_000:  # forget idle clients
                for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
                    del self._seen[key]


def _refusal(limiter: RateLimiter, client: str, age: float) -> RateLimited:
    """The 429 for `client`, whose oldest request in the window is `age` seconds old."""
    wait = max(1, math.ceil(limiter.window - age))
    span = "a minute" if limiter.window == WINDOW else f"{limiter.window / 60:g} minutes"
    return RateLimited(
        f"more than {limiter.per_minute} requests in {span} from {client}; retry in {wait} s",
        retry_after=wait,
    )


BUDGETS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS seen "
    "(budget TEXT NOT NULL, client TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS seen_by_client ON seen (budget, client, at)",
)


class SharedRateLimiter(RateLimiter):
    """`RateLimiter` with its budgets in the SQLite file `path`, shared by every process that
    opens it (the clock is wall time, which all processes share). `name` keeps budgets of
    different limits apart in one file."""

    def __init__(self, per_minute: int, path: Path, name: str, *, window: float = WINDOW) -> None:
        super().__init__(per_minute, window=window)
        self._clock = time.time
        self._name = name
        prepare_wal(path, BUDGETS_SCHEMA)
        self._db = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA synchronous=OFF")  # budgets need not survive a power cut
        self._checks = 0

    def check(self, client: str) -> None:
        if self.per_minute <= 0:
            return
        now = self._clock()
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                key = (self._name, client)
                self._db.execute(
                    "DELETE FROM seen WHERE budget = ? AND client = ? AND at <= ?",
                    (*key, now - self.window),
                )
                count, first = self._db.execute(
                    "SELECT COUNT(*), MIN(at) FROM seen WHERE budget = ? AND client = ?", key
                ).fetchone()
                if count >= self.per_minute:
                    raise _refusal(self, client, now - first)
                self._db.execute("INSERT INTO seen VALUES (?, ?, ?)", (*key, now))
                self._checks += 1
                if self._checks % 1000 == 0:  # forget clients that stopped coming
                    self._db.execute(
                        "DELETE FROM seen WHERE budget = ? AND at <= ?",
                        (self._name, now - self.window),
                    )
            finally:
                self._db.execute("COMMIT")


def limiter_for(
    per_minute: int, settings: Settings, name: str, *, window: float = WINDOW
) -> RateLimiter:
    """A limiter every server process of `kg serve` shares when there are several (a store on
    disk and `server_processes` > 1; an in-memory store is served by one process), else one in
    memory."""
    if not settings.in_memory and settings.server_processes > 1:
        path = settings.cache_dir / "rate-limits.sqlite"
        return SharedRateLimiter(per_minute, path, name, window=window)
    return RateLimiter(per_minute, window=window)


def client_of(request: Request) -> str:
    """The client address a budget is counted against."""
    return request.client.host if request.client else "unknown"
