"""The public SPARQL endpoint without HTTP: it owns the query runner and the result cache and
answers a job with (answer, etag, hit); the web route only translates HTTP to and from it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

from kg.endpoint.cache import ResultCache
from kg.endpoint.guard import inspect_update
from kg.endpoint.runner import Answer, QueryRequest, Runner, make_runner
from kg.endpoint.update import run_update
from kg.errors import TooManyQueries
from kg.settings import Settings
from kg.store import GraphStore


@dataclass(frozen=True)
class Served:
    answer: Answer
    #: quoted strong entity tag (RFC 9110 §8.8.3) of this answer as sent; None for a query
    #: whose answer is new each run (`QueryRequest.repeatable`), which no tag may validate
    etag: str | None
    hit: bool  # served from the cache


def _tag(key: str, content_type: str) -> str:
    """The quoted strong entity tag of an answer (its cache `key`) sent as `content_type`: a
    strong validator differs between representations (RFC 9110 §8.8.3), and the same bytes
    under a synonym (`application/json` for SPARQL JSON) are another representation."""
    digest = hashlib.sha256(f"{key}\x00{content_type.lower()}".encode()).hexdigest()
    return f'"{digest[:32]}"'


#: a client's queries that may wait for its slots at once (one more gets 429)
WAITING = 16


class ClientSlots:
    """At most `per_client` queries of one client run at once (in this server process), so
    one client cannot hold every query worker and the others still get one. The client's
    further queries wait their turn, first come first served, for up to `limit` seconds (the
    time limit): a script that sends eight queries at once gets eight answers, in turn (a
    trial's got two and six 429s). A query still waiting at `limit`, or one arriving while
    `waiting` others of the client wait, gets `TooManyQueries` (429, RFC 6585 §4) with
    `Retry-After` the seconds until the client's oldest running query reaches its time limit
    at the latest. Used from the event loop only: no lock."""

    def __init__(self, per_client: int, limit: float, waiting: int = WAITING) -> None:
        self.per_client, self.limit, self.waiting = per_client, limit, waiting
        self._running: dict[str, list[float]] = {}  # client → start times of its queries
        self._queues: dict[str, deque[asyncio.Future[float]]] = {}  # client → waiting turns

    @contextlib.asynccontextmanager
    async def hold(self, client: str) -> AsyncIterator[None]:
        """A slot of `client` for the time of the block, waited for if the client's are
        taken. Raises `TooManyQueries`."""
        running = self._running.setdefault(client, [])
        if len(running) < self.per_client and not self._queues.get(client):
            started = time.monotonic()
            running.append(started)
        else:
            started = await self._turn(client)
        try:
            yield
        finally:
            self._release(client, started)

    async def _turn(self, client: str) -> float:
        """Wait for a slot that `_release` hands over; returns its start time."""
        queue = self._queues.setdefault(client, deque())
        if len(queue) >= self.waiting:
            raise self._refusal(client, f"and {len(queue)} waiting")
        turn: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        queue.append(turn)
        try:
            return await asyncio.wait_for(asyncio.shield(turn), self.limit)
        except BaseException as exc:
            if turn.done():  # handed a slot as the wait ended: give it on
                self._release(client, turn.result())
            else:
                turn.cancel()
            if isinstance(exc, TimeoutError):
                raise self._refusal(client, f"and waited {self.limit:g} s for one") from None
            raise
        finally:
            with contextlib.suppress(ValueError):
                queue.remove(turn)
            if not queue and self._queues.get(client) is queue:
                del self._queues[client]

    def _release(self, client: str, started: float) -> None:
        """End the query of `client` started at `started`; its slot goes to the first query
        of the client still waiting."""
        running = self._running.get(client, [])
        running.remove(started)
        for turn in self._queues.get(client, ()):
            if not turn.done():
                now = time.monotonic()
                running.append(now)
                turn.set_result(now)
                break
        if not running and not self._queues.get(client):
            self._running.pop(client, None)

    def _refusal(self, client: str, more: str) -> TooManyQueries:
        running = self._running.get(client) or [time.monotonic()]
        wait = max(1, math.ceil(min(running) + self.limit - time.monotonic()))
        return TooManyQueries(
            f"{client} already has {len(running)} "
            f"{'query' if len(running) == 1 else 'queries'} running in this server process, as "
            f"many as one client may at once in each (so that others get a query worker), "
            f"{more}; retry in {wait} s",
            retry_after=wait,
        )


class Endpoint:
    """Runs public queries (in worker processes for a store on disk) and caches their answers
    by store version, so an ingest never lets an old answer be served. A client may run at
    most `query_workers − 1` (at least 1) uncached queries at once in one server process
    (`ClientSlots`), unless `KG_RATE_LIMIT_PER_MINUTE` is 0, which lifts every per-client
    limit."""

    def __init__(
        self,
        store: GraphStore,
        settings: Settings,
        *,
        runner: Runner | None = None,
        cache: ResultCache | None = None,
    ) -> None:
        self.store, self.settings = store, settings
        self.runner = runner or make_runner(store, settings)
        self.cache = cache or ResultCache()
        # a per-client limit, like the rate limit: KG_RATE_LIMIT_PER_MINUTE=0 turns both off
        # (benchmarks and load tests send every request from one address)
        self.slots = (
            ClientSlots(max(1, settings.query_workers - 1), settings.sparql_timeout)
            if settings.rate_limit_per_minute > 0
            else None
        )

    def etag(self, job: QueryRequest, content_type: str | None = None) -> str:
        """The entity tag the answer to `job` has on the store as published now, sent under
        `content_type` (default `job.media`)."""
        return _tag(job.key(self.store.version().name), content_type or job.media)

    async def answer_async(
        self, job: QueryRequest, client: str | None = None, content_type: str | None = None
    ) -> Served:
        """The answer to `job`, from the cache or the runner (`Runner.run_async`: a cached
        answer costs no thread hop, and the event loop waits for a worker's answer on its
        pipe); a run holds one of `client`'s slots (none counted without a client). Raises
        `TooManyQueries` (the client's slots stayed taken for the time limit, or too many of its
        queries wait) or the `KGError` of the run
        (`QuerySyntaxError`, `QueryTimeout`, `ServiceBusy`, `NotAcceptable`, `BadRequest`,
        `EngineFailed`).
        The ETag is that of the answer sent under `content_type` (default `job.media`). A job
        that is not `repeatable` always runs, and its answer is neither kept nor tagged."""
        sent = content_type or job.media
        key = job.key(self.store.version().name)
        found = self.cache.get(key) if job.repeatable else None
        if found is not None:
            return Served(found, _tag(key, sent), hit=True)
        started = time.perf_counter()
        slots = self.slots
        async with slots.hold(client) if slots and client is not None else contextlib.nullcontext():
            answer = await self.runner.run_async(job)
        answer = replace(answer, elapsed=time.perf_counter() - started)
        if not job.repeatable:  # RAND(), NOW(): the next run's answer is another one
            return Served(answer, None, hit=False)
        key = job.key(answer.version)  # an ingest may have published while the query ran
        self.cache.put(key, answer)
        return Served(answer, _tag(key, sent), hit=False)

    def update(self, text: str) -> None:
        """Apply a SPARQL Update (the caller has checked the admin token) as one new snapshot.
        Raises `QueryTooLarge`, `Forbidden` (LOAD, SERVICE), `QuerySyntaxError`, `BadRequest`."""
        inspect_update(text, max_bytes=self.settings.sparql_max_query_bytes)
        run_update(self.store, text)
        self.cache.clear()

    def invalidate(self) -> None:
        """Forget cached answers (after a write through another path)."""
        self.cache.clear()

    def close(self) -> None:
        self.runner.close()
