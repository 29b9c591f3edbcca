"""Where public queries run: worker processes for snapshots on disk, threads in memory."""

import asyncio
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.endpoint.execute import Answer, QueryRequest
from kg.endpoint.runner import ProcessRunner, ThreadRunner, make_runner
from kg.errors import QuerySyntaxError, QueryTimeout
from kg.settings import Settings
from kg.store import LocalStore

NT = b"<http://x/a> <http://x/b> <http://x/c> ."
ASK = QueryRequest("ASK { ?s ?p ?o }", "application/sparql-results+json", 10)


def test_an_in_memory_store_runs_queries_in_threads_and_errors_keep_their_class() -> None:
    store = LocalStore(None)
    store.bulk_load(ox.parse(NT, ox.RdfFormat.N_TRIPLES))
    runner = make_runner(store, Settings.from_env({"KG_STORE": "memory"}))
    try:
        assert isinstance(runner, ThreadRunner)
        assert json.loads(runner.run(ASK).body)["boolean"] is True
        with pytest.raises(QuerySyntaxError):
            runner.run(QueryRequest("SELECT nonsense", "text/csv", 10))
    finally:
        runner.close()


def test_a_store_on_disk_runs_queries_in_a_worker_process(tmp_path: Path) -> None:
    settings = Settings.from_env({"KG_STORE": str(tmp_path / "store"), "KG_SPARQL_WORKERS": "1"})
    store = LocalStore(settings.store)
    store.bulk_load(ox.parse(NT, ox.RdfFormat.N_TRIPLES))
    runner = make_runner(store, settings)
    try:
        assert isinstance(runner, ProcessRunner)
        got = runner.run(ASK)
        assert json.loads(got.body)["boolean"] is True
        assert got.version == store.version().name
    finally:
        runner.close()


def _slow_query() -> QueryRequest:
    values = " ".join(str(i) for i in range(300))
    blocks = " ".join(f"VALUES ?{v} {{ {values} }}" for v in "abcd")  # 8 × 10⁹ rows to count
    return QueryRequest(
        f"SELECT (COUNT(*) AS ?n) {{ {blocks} }}", "application/sparql-results+json", 10
    )


def _large_answer() -> QueryRequest:
    """An answer far larger than a pipe's buffer (64 KiB), so it arrives in several reads."""
    values = " ".join(f'"{i:0>40}"' for i in range(8000))
    return QueryRequest(
        f"SELECT ?v {{ VALUES ?v {{ {values} }} }}", "application/sparql-results+json", 10_000
    )


def test_the_event_loop_path_answers_times_out_and_leaves_the_pipe_blocking(
    tmp_path: Path,
) -> None:
    """`run_async` as the server calls it, on uvloop as `kg serve` runs: answers, the error
    class of a bad query, a killed and replaced worker past the limit; and the same worker's
    pipe still works for the threaded `run` afterwards (libuv leaves a watched descriptor
    non-blocking, which broke `recv` of the next threaded query)."""
    uvloop = pytest.importorskip("uvloop")  # a dependency of uvicorn[standard]: always there
    settings = Settings.from_env(
        {
            "KG_STORE": str(tmp_path / "store"),
            "KG_SPARQL_WORKERS": "1",
            "KG_SPARQL_TIMEOUT": "1",
        }
    )
    store = LocalStore(settings.store)
    store.bulk_load(ox.parse(NT, ox.RdfFormat.N_TRIPLES))
    runner = ProcessRunner(settings)

    async def scenario() -> None:
        runner.run(ASK)  # waits for the worker to start
        got = await runner.run_async(ASK)
        assert json.loads(got.body)["boolean"] is True
        large = await runner.run_async(_large_answer())
        assert len(json.loads(large.body)["results"]["bindings"]) == 8000
        with pytest.raises(QuerySyntaxError):
            await runner.run_async(QueryRequest("SELECT nonsense", "text/csv", 10))
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            await runner.run_async(_slow_query())
        assert time.monotonic() - started < 10
        again = await runner.run_async(ASK)  # a new worker took the killed one's place
        assert json.loads(again.body)["boolean"] is True

    try:
        uvloop.run(scenario())
        large = runner.run(_large_answer())
        assert len(json.loads(large.body)["results"]["bindings"]) == 8000
    finally:
        runner.close()


def test_queries_over_the_limit_at_once_are_timeouts_and_leave_the_pool_its_size(
    tmp_path: Path,
) -> None:
    """Several clients past the limit at the same time: each gets a timeout (503), never the
    400 of a worker that died under it, and each killed worker is replaced once, so the pool
    keeps its size (a user trial saw a 400 and a pool grown from 2 to 9 workers)."""
    uvloop = pytest.importorskip("uvloop")
    settings = Settings.from_env(
        {
            "KG_STORE": str(tmp_path / "store"),
            "KG_WORKERS": "1",
            "KG_SPARQL_WORKERS": "2",
            "KG_SPARQL_TIMEOUT": "1",
        }
    )
    store = LocalStore(settings.store)
    store.bulk_load(ox.parse(NT, ox.RdfFormat.N_TRIPLES))
    runner = ProcessRunner(settings)

    async def scenario() -> list[BaseException | Answer]:
        return await asyncio.gather(
            *(runner.run_async(_slow_query()) for _ in range(3)), return_exceptions=True
        )

    try:
        runner.run(ASK)
        for _ in range(3):
            outcomes = uvloop.run(scenario())
            assert all(isinstance(o, QueryTimeout) for o in outcomes), outcomes
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and runner._idle.qsize() < 2:
            time.sleep(0.1)
        assert runner._idle.qsize() == 2
        assert len(runner._all) == 2
        assert json.loads(runner.run(ASK).body)["boolean"] is True
    finally:
        runner.close()
