from pathlib import Path

import pytest

from ingest.pipeline import ingest_records
from kg.errors import ValidationFailed
from kg.graphs import select, triple_count
from kg.store import GraphStore, LocalStore
from tests.conftest import BASE

NAMES = "SELECT ?g ?n WHERE { GRAPH ?g { ?s <http://schema.org/name> ?n } }"


def names(store: GraphStore) -> dict[str, str]:
    return {r["g"].rsplit("/", 1)[-1]: r["n"] for r in select(store.current(), NAMES)}


def test_changing_one_file_replaces_exactly_that_record(records_dir: Path) -> None:
    store = LocalStore(None)
    first = ingest_records(store, [records_dir], base=BASE)
    assert len(first.added) == 2
    before = {q for q in store.current() if "test-ngo" in q.graph_name.value}
    path = records_dir / "initiative" / "village-welcome.md"
    path.write_text(path.read_text().replace("name: Village Welcome", "name: Village Welcome II"))
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.updated == [str(path)]
    assert report.unchanged == 1
    assert names(store)["village-welcome"] == "Village Welcome II"
    assert {q for q in store.current() if "test-ngo" in q.graph_name.value} == before


def test_unchanged_sources_write_nothing(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    version = store.version().name
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.changes == 0
    assert store.version().name == version


def test_invalid_record_refuses_the_whole_ingest(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    count = triple_count(store.current())
    bad = records_dir / "initiative" / "broken.md"
    bad.write_text(
        "---\nname: Broken\nthemes: [nonsense]\nsources: {a: {url: 'https://x.org'}}\n---\nB\n"
    )
    with pytest.raises(ValidationFailed, match=r"broken\.md: themes"):
        ingest_records(store, [records_dir], base=BASE)
    assert triple_count(store.current()) == count


def test_keep_going_loads_the_valid_records(records_dir: Path) -> None:
    store = LocalStore(None)
    bad = records_dir / "initiative" / "broken.md"
    bad.write_text(
        "---\nname: Broken\nthemes: [nonsense]\nsources: {a: {url: 'https://x.org'}}\n---\nB\n"
    )
    report = ingest_records(store, [records_dir], base=BASE, keep_going=True)
    assert [e.file for e in report.errors] == [str(bad)]
    assert set(names(store)) == {"village-welcome", "test-ngo"}


def test_removed_file_removes_its_graph(records_dir: Path) -> None:
    store = LocalStore(None)
    ingest_records(store, [records_dir], base=BASE)
    (records_dir / "initiative" / "village-welcome.md").unlink()
    (records_dir / "organisation" / "test-ngo.md").write_text(
        "---\nname: Test NGO\nsources: {a: {url: 'https://x.org'}}\n---\n"
    )
    report = ingest_records(store, [records_dir], base=BASE)
    assert report.removed == [f"{BASE}graph/initiative/village-welcome"]
    assert set(names(store)) == {"test-ngo"}
