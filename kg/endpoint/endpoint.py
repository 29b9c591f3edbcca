"""The public SPARQL endpoint without HTTP: it owns the query runner and the result cache and
answers a job with (answer, etag, hit); the web route only translates HTTP to and from it."""

from __future__ import annotations

import contextlib
import hashlib
import math
import threading
import time
from collections.abc import Iterator
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


class ClientSlots:
    """At most `per_client` queries of one client running at once (in this server process):
    one client cannot hold every query worker, so the others still get one. A client past
    it gets `TooManyQueries` (429, RFC 6585 §4) with `Retry-After` the seconds until its
    oldest running query reaches its time limit (`limit`) at the latest."""

    def __init__(self, per_client: int, limit: float) -> None:
        self.per_client, self.limit = per_client, limit
        self._running: dict[str, list[float]] = {}  # client → start times of its queries
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self, client: str) -> Iterator[None]:
        """A slot of `client` for the time of the block. Raises `TooManyQueries`."""
        started = time.monotonic()
        with self._lock:
            running = self._running.setdefault(client, [])
            if len(running) >= self.per_client:
                wait = max(1, math.ceil(min(running) + self.limit - started))
                raise TooManyQueries(
                    f"{client} already has {len(running)} "
                    f"{'query' if len(running) == 1 else 'queries'} running in this server "
                    f"process, as many as one client may at once in each (so that others get a "
                    f"query worker); retry in {wait} s",
                    retry_after=wait,
                )
            running.append(started)
        try:
            yield
        finally:
            with self._lock:
                running.remove(started)
                if not running:
                    self._running.pop(client, None)


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
        `TooManyQueries` (the client's slots are taken) or the `KGError` of the run
        (`QuerySyntaxError`, `QueryTimeout`, `ServiceBusy`, `NotAcceptable`, `BadRequest`).
        The ETag is that of the answer sent under `content_type` (default `job.media`). A job
        that is not `repeatable` always runs, and its answer is neither kept nor tagged."""
        sent = content_type or job.media
        key = job.key(self.store.version().name)
        found = self.cache.get(key) if job.repeatable else None
        if found is not None:
            return Served(found, _tag(key, sent), hit=True)
        started = time.perf_counter()
        slots = self.slots
        with slots.hold(client) if slots and client is not None else contextlib.nullcontext():
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
