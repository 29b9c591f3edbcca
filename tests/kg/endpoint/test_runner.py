"""Where public queries run: worker processes for snapshots on disk, threads in memory."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.endpoint.execute import QueryRequest
from kg.endpoint.runner import ProcessRunner, ThreadRunner, make_runner
from kg.errors import QuerySyntaxError
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
        assert b'"boolean": true' in runner.run(ASK).body
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
        assert b'"boolean": true' in got.body
        assert got.version == store.version().name
    finally:
        runner.close()
