"""What the pages read of the whole graph, once per store version (web/graphfacts.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ingest.pipeline import ingest_records
from tests.conftest import ingested
from tests.web.conftest import CountingStore
from web.graphfacts import graph_facts

BASE = "http://testserver/"


def request_of(store: CountingStore, state: SimpleNamespace) -> Any:
    state.store = store
    return SimpleNamespace(app=SimpleNamespace(state=state))


def test_the_facts_are_read_once_a_version_and_again_after_an_ingest(records_dir: Path) -> None:
    """A concept page read every initiative's summary, the places' labels and the concepts in
    use on its first view (a trial waited 1.5 s for one): read once for the version, the
    pages after share them, and an ingest's new version is read anew."""
    store = CountingStore(ingested(records_dir, base=BASE))
    state = SimpleNamespace()
    first = graph_facts(request_of(store, state))
    assert store.reads == 1
    assert graph_facts(request_of(store, state)) is first
    assert store.reads == 1
    assert f"{BASE}id/initiative/village-welcome" in first.summaries
    assert first.usage  # the concepts in use, by property
    (records_dir / "initiative" / "village-welcome.md").unlink()
    ingest_records(store.inner, [records_dir], base=BASE)
    after = graph_facts(request_of(store, state))
    assert store.reads == 2
    assert after.version != first.version
    assert f"{BASE}id/initiative/village-welcome" not in after.summaries
