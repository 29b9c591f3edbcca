"""Where public queries run: a pool of worker processes that can be killed at the time limit.

pyoxigraph cannot cancel a query, and a signal does not interrupt it, so every
public query runs in a separate process; one that outlives `KG_SPARQL_TIMEOUT` is killed and
replaced while the server and the other workers carry on. An in-memory store (tests, embedded
use) cannot be shared with other processes: it runs queries in threads, and a query past the
limit is answered with 503 while its thread finishes in the background.

The web server asks with `run_async`: the request goes down the pipe and the event loop waits
for the answer on the pipe's file descriptor, so an uncached query costs no thread hop (about
0.1-0.2 ms each way, more under load on two cores). The answer is read on the loop once the
worker has written it (one pickled `Answer`, at most `KG_SPARQL_ROW_CAP` rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import multiprocessing as mp
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing.process import BaseProcess
from typing import Protocol, TypeVar

from kg import errors
from kg.endpoint.execute import Answer, QueryRequest, SearchFunctions
from kg.endpoint.worker import LOAD_SEARCH, READY, Reply, answer, main
from kg.settings import Settings
from kg.store import GraphStore

log = logging.getLogger(__name__)
STARTUP = 60.0  # seconds a new worker process may take to say it is ready
#: seconds a worker may take to load the search index and model before its first
#: `rikg:similarity` query (about 2 s quiet, 10 s busy; building a missing index takes longer:
#: the server process builds and saves it at start, `SearchService.warm`)
SEARCH_LOAD = 60.0
WAITING_THREADS = 64  # requests of one server process waiting for a busy worker at once
_T = TypeVar("_T")
_R = TypeVar("_R")
__all__ = ["Answer", "QueryRequest", "Runner", "make_runner"]


class Runner(Protocol):
    def run(self, request: QueryRequest) -> Answer: ...

    async def run_async(self, request: QueryRequest) -> Answer: ...

    def close(self) -> None: ...


def make_runner(store: GraphStore, settings: Settings) -> Runner:
    """Worker processes for snapshots on disk; threads on the store it gives for public queries
    otherwise (in memory, or an external store that enforces its own limits)."""
    in_process = store.public_queries(settings.sparql_timeout)
    if in_process is None:
        return ProcessRunner(settings)
    return ThreadRunner(in_process, settings)


def _unwrap(reply: Reply) -> Answer:
    if isinstance(reply, Answer):
        return reply
    name, message = reply
    cls = getattr(errors, name, errors.BadRequest)
    raise cls(message)


ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


def _timeout(limit: float, waited: float) -> errors.QueryTimeout:
    """The 503 of a query stopped at its deadline; when it had spent most of its time waiting
    for a worker, the same query may fit later: `Retry-After` the limit."""
    if waited >= limit / 2:
        return errors.QueryTimeout(
            f"query stopped after {limit:g} s (KG_SPARQL_TIMEOUT), {waited:.1f} s of them "
            "waiting for a free query worker; try again later, or narrow it down",
            retry_after=max(1, math.ceil(limit)),
        )
    return errors.QueryTimeout(
        f"query stopped after {limit:g} s (KG_SPARQL_TIMEOUT); narrow it down with more "
        "selective patterns (a LIMIT helps only a query whose rows are neither counted nor "
        "sorted)"
    )


def _engine_failed(request: QueryRequest) -> errors.EngineFailed:
    """The 500 of a query whose worker stopped under it (`errors.EngineFailed`); for a query
    that sorts, the one way round the engine's known abort."""
    hint = (
        " The engine is known to stop so on ORDER BY over values of several kinds together"
        " (IRIs, text, numbers, dates): sorting by STR(…), or keeping values of one kind with a"
        " FILTER, avoids it."
        if ORDER_BY.search(request.query)
        else ""
    )
    return errors.EngineFailed(
        "the query engine stopped while running this query, which was not answered; it has"
        f" been restarted.{hint}"
    )


def _busy(limit: float, retry_after: float) -> errors.ServiceBusy:
    return errors.ServiceBusy(
        f"every query worker stayed busy for {limit:g} s (KG_SPARQL_TIMEOUT, which counts the "
        "wait for a worker); the service is overloaded: try again in a few seconds",
        retry_after=max(1, math.ceil(retry_after)),
    )


class _Worker:
    def __init__(self, ctx: mp.context.SpawnContext, settings: Settings) -> None:
        self.searching = False  # it has loaded the search index and model (`ProcessRunner`)
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(
            target=main, args=(child, settings), daemon=True, name="kg-sparql-worker"
        )
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class ProcessRunner:
    """`settings.query_workers` processes (this server process's share of
    `KG_SPARQL_WORKERS`). A query's time limit (`KG_SPARQL_TIMEOUT`) runs from when it reaches
    the runner: the wait for an idle worker counts, so no query is answered later than the
    limit (plus the kill); one that finds no worker free in that time is `ServiceBusy`, one
    whose worker is still at it at the deadline `QueryTimeout`. Only the first queries of a
    server process whose workers are still starting wait for the start (at most `STARTUP`)
    before their limit runs; so does a worker's first `rikg:similarity` query for it to load
    the search index and model (about 2 s on a quiet machine, past a 10 s limit on a busy one:
    a researcher's trial saw its first such query stopped, and the load lost with the worker,
    twice in a row)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timeout = settings.sparql_timeout
        self._ctx = mp.get_context("spawn")
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._started = threading.Event()  # set once the first worker is ready
        self._waits = ThreadPoolExecutor(WAITING_THREADS, "kg-sparql-wait")
        self._deadlines: dict[_Worker, float] = {}  # busy workers: when their query must end
        for _ in range(settings.query_workers):
            self._add()

    def _add(self) -> None:
        """Start a worker; it joins the idle pool once it has imported and opened the store."""
        worker = _Worker(self._ctx, self.settings)
        with self._lock:
            self._all.add(worker)

        def wait_ready() -> None:
            try:
                ready = worker.conn.poll(STARTUP) and worker.conn.recv() == READY
            except (EOFError, OSError):
                ready = False
            if ready and not self._closed:
                self._idle.put(worker)
                self._started.set()
            elif not self._closed:
                log.error("a query worker did not start (exit code %s)", worker.process.exitcode)
                worker.kill()
                with self._lock:
                    self._all.discard(worker)

        threading.Thread(target=wait_ready, daemon=True, name="kg-sparql-start").start()

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and start one in its place, once however often it is called."""
        worker.kill()
        with self._lock:
            known = worker in self._all
            self._all.discard(worker)
            self._deadlines.pop(worker, None)
        if known and not self._closed:
            self._add()

    def run(self, request: QueryRequest) -> Answer:
        """The answer to `request`. Raises `QueryTimeout`, `ServiceBusy`, `EngineFailed` (its
        worker stopped under the query) or the query's own error."""
        self._started.wait(STARTUP)  # before the limit runs (see the class)
        return self._run(request, time.monotonic() + self.timeout)

    def _run(self, request: QueryRequest, deadline: float) -> Answer:
        started = time.monotonic()
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - started))
        except queue.Empty:
            raise self._overloaded() from None
        waited = time.monotonic() - started
        try:
            if request.uses_search and not worker.searching:
                self._load_search(worker)
                deadline = time.monotonic() + self.timeout
            self._dispatch(worker, request, deadline)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._killed(worker)
                raise _timeout(self.timeout, waited)
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._died(worker)
            raise _engine_failed(request) from None
        self._done(worker)
        return _unwrap(reply)

    def _load_search(self, worker: _Worker) -> None:
        """Have `worker` load the search index and model, in at most `SEARCH_LOAD` seconds,
        before a query whose time limit is not to run while it loads. Raises `QueryTimeout`
        (the worker replaced) past that, `EOFError` or `OSError` when the worker dies."""
        with self._lock:
            self._deadlines[worker] = time.monotonic() + SEARCH_LOAD
        worker.conn.send(LOAD_SEARCH)
        if not worker.conn.poll(SEARCH_LOAD):
            log.warning(
                "search index not loaded in %.0f s: worker %s killed",
                SEARCH_LOAD,
                worker.process.pid,
            )
            self._replace(worker)
            raise errors.QueryTimeout(
                f"the search index behind rikg:similarity did not load in {SEARCH_LOAD:g} s; "
                "try again later",
                retry_after=max(1, math.ceil(self.timeout)),
            )
        worker.conn.recv()  # READY, or the error the query itself will meet and report
        worker.searching = True

    async def _loaded(self, worker: _Worker) -> None:
        """`_load_search` from the loop. A client that goes away meanwhile does not throw the
        load away (it was what a first query lost): the load finishes in this runner's threads
        and the worker goes back to the pool, or is replaced if the load failed."""
        loading = asyncio.ensure_future(self._in_pool(self._load_search, worker))
        try:
            await asyncio.shield(loading)
        except asyncio.CancelledError:
            loading.add_done_callback(lambda done: self._after_load(worker, done))
            raise

    def _after_load(self, worker: _Worker, done: asyncio.Future[None]) -> None:
        """The worker of a load whose client went away: to the pool once loaded; replaced
        (in this runner's threads: a kill waits) if it died; a load past `SEARCH_LOAD` has
        replaced it already."""
        error = BaseException() if done.cancelled() else done.exception()
        if error is None:
            self._done(worker)
        elif not isinstance(error, errors.QueryTimeout):
            self._waits.submit(self._died, worker)

    def _dispatch(self, worker: _Worker, request: QueryRequest, deadline: float) -> None:
        with self._lock:
            self._deadlines[worker] = deadline
        worker.conn.send(request)

    def _done(self, worker: _Worker) -> None:
        with self._lock:
            self._deadlines.pop(worker, None)
        self._idle.put(worker)

    def _killed(self, worker: _Worker) -> None:
        log.warning(
            "query over the %.1f s limit: worker %s killed", self.timeout, worker.process.pid
        )
        self._replace(worker)

    def _died(self, worker: _Worker) -> None:
        log.error("a query worker died (exit code %s); replaced", worker.process.exitcode)
        self._replace(worker)

    def _overloaded(self) -> errors.ServiceBusy:
        """`ServiceBusy`, with `Retry-After` the seconds until the first busy worker is free
        at the latest (its query's deadline)."""
        with self._lock:
            ends = list(self._deadlines.values())
        return _busy(self.timeout, (min(ends) - time.monotonic()) if ends else 1.0)

    async def run_async(self, request: QueryRequest) -> Answer:
        """`run` for the event loop: the same answers and errors. Waits on the pipe from the
        loop; when no worker is idle (or none has started yet) the wait for one happens in a
        thread of this runner's own pool, as `run` does it, within the same deadline."""
        if not self._started.is_set():
            return await self._in_pool(self.run, request)
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            return await self._in_pool(lambda r: self._run(r, deadline), request)
        if request.uses_search and not worker.searching:
            try:
                await self._loaded(worker)
            except (EOFError, OSError):
                await self._in_pool(self._died, worker)
                raise _engine_failed(request) from None
            deadline = time.monotonic() + self.timeout
        try:
            self._dispatch(worker, request, deadline)
            answered = await self._readable(worker.conn.fileno(), deadline)
            reply: Reply | None = worker.conn.recv() if answered else None
        except asyncio.CancelledError:  # the client went away: the worker's answer is unread
            await self._in_pool(self._replace, worker)
            raise
        except (EOFError, OSError):
            await self._in_pool(self._died, worker)
            raise _engine_failed(request) from None
        if reply is None:
            await self._in_pool(self._killed, worker)
            raise _timeout(self.timeout, 0.0)
        self._done(worker)
        return _unwrap(reply)

    async def _readable(self, fd: int, deadline: float) -> bool:
        """Whether the worker's pipe became readable before `deadline` (monotonic). The
        descriptor is left as it was found (blocking): libuv (uvloop) makes a watched descriptor
        non-blocking, and `recv` reads a whole message from a blocking one."""
        loop = asyncio.get_running_loop()
        readable: asyncio.Future[None] = loop.create_future()

        def ready() -> None:
            if not readable.done():
                readable.set_result(None)

        loop.add_reader(fd, ready)
        try:
            await asyncio.wait_for(readable, max(0.0, deadline - time.monotonic()))
            return True
        except TimeoutError:
            return False
        finally:  # before anything may close the descriptor (a kill, a replacement)
            loop.remove_reader(fd)
            os.set_blocking(fd, True)

    async def _in_pool(self, func: Callable[[_T], _R], arg: _T) -> _R:
        """`func(arg)` in this runner's threads (a wait for a worker, a kill and restart), not
        the loop's default executor, whose few threads (cores + 4) would queue waits behind
        each other under load."""
        return await asyncio.get_running_loop().run_in_executor(self._waits, func, arg)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
            worker.process.join(1)
            if worker.process.is_alive():
                worker.kill()
        self._waits.shutdown(wait=False, cancel_futures=True)


class ThreadRunner:
    """Queries on an in-memory store, in threads; the time limit bounds the wait (for a thread
    and for the answer), not the work. A query still queued at its limit is `ServiceBusy`."""

    def __init__(self, store: GraphStore, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.timeout = settings.sparql_timeout
        self._pool = ThreadPoolExecutor(settings.query_workers, "kg-sparql")
        self._functions = SearchFunctions(store, settings)

    def run(self, request: QueryRequest) -> Answer:
        future = self._pool.submit(answer, self.store, request, self._functions)
        try:
            return _unwrap(future.result(timeout=self.timeout))
        except FutureTimeout:
            if future.cancel():  # never started: every thread stayed busy
                raise _busy(self.timeout, self.timeout) from None
            raise _timeout(self.timeout, 0.0) from None

    async def run_async(self, request: QueryRequest) -> Answer:
        return await asyncio.to_thread(self.run, request)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
