"""The short CI version of the load test (issue 8): 20 clients for 20 s against a live server
mixing search, record pages, SPARQL and the home page; nothing fails and memory stays flat.
The long run (50 clients, 2 minutes) is `python -m bench.load`, its figures in the README."""

from pathlib import Path

import pytest

from bench.live import live_server
from bench.load import run
from kg.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e


def test_mixed_load_has_no_failures_and_flat_memory(tmp_path: Path) -> None:
    slugs = sorted(p.stem for p in (PROJECT_ROOT / "ingest/records/initiative").glob("*.md"))
    with live_server(tmp_path, KG_RATE_LIMIT_PER_MINUTE="0") as server:
        report = run(server.url.rstrip("/"), server.process.pid, slugs, clients=20, seconds=20)
    assert report["failed"] == 0, report["failures_sample"]
    assert set(report["routes"]) == {"api_search", "search_page", "record_page", "sparql", "home"}
    for name, route in report["routes"].items():
        assert route["requests"] > 0, name
        assert set(route["statuses"]) <= {200}, (name, route["statuses"])
    memory = report["memory_mib"]
    assert memory["last"] <= memory["after_warmup"] * 1.25, report["memory_samples"]
