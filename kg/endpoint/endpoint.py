"""The public SPARQL endpoint without HTTP: it owns the query runner and the result cache and
answers a job with (answer, etag, hit); the web route only translates HTTP to and from it."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from kg.endpoint.cache import ResultCache
from kg.endpoint.guard import inspect_update
from kg.endpoint.runner import Answer, QueryRequest, Runner, make_runner
from kg.endpoint.update import run_update
from kg.settings import Settings
from kg.store import GraphStore


@dataclass(frozen=True)
class Served:
    answer: Answer
    etag: str  # quoted strong entity tag (RFC 9110 §8.8.3) of this answer
    hit: bool  # served from the cache


class Endpoint:
    """Runs public queries (in worker processes for a store on disk) and caches their answers
    by store version, so an ingest never lets an old answer be served."""

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

    def etag(self, job: QueryRequest) -> str:
        """The entity tag the answer to `job` has on the store as published now."""
        return f'"{job.key(self.store.version().name)}"'

    async def answer_async(self, job: QueryRequest) -> Served:
        """The answer to `job`, from the cache or the runner (`Runner.run_async`: a cached
        answer costs no thread hop, and the event loop waits for a worker's answer on its
        pipe). Raises the `KGError` of the run (`QuerySyntaxError`, `QueryTimeout`,
        `NotAcceptable`, `BadRequest`)."""
        key = job.key(self.store.version().name)
        found = self.cache.get(key)
        if found is not None:
            return Served(found, f'"{key}"', hit=True)
        started = time.perf_counter()
        answer = await self.runner.run_async(job)
        answer = replace(answer, elapsed=time.perf_counter() - started)
        key = job.key(answer.version)  # an ingest may have published while the query ran
        self.cache.put(key, answer)
        return Served(answer, f'"{key}"', hit=False)

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
