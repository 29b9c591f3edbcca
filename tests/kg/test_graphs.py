"""Counts and change detection read from the graph."""

import pyoxigraph as ox

from kg.graphs import (
    content_hashes,
    holds_graph,
    kind_counts,
    record_base,
    select,
    triple_count,
)
from kg.store import LocalStore
from tests.conftest import BASE


def test_counts_per_kind_and_in_total(loaded: LocalStore) -> None:
    assert kind_counts(loaded.current()) == {"initiative": 1, "organisation": 1}
    assert triple_count(loaded.current()) == len(loaded.current())


def test_every_record_graph_has_a_content_hash_of_its_adapter(loaded: LocalStore) -> None:
    hashes = content_hashes(loaded.current(), adapter="records")
    assert set(hashes) == {
        f"{BASE}graph/initiative/village-welcome",
        f"{BASE}graph/organisation/test-ngo",
    }
    assert content_hashes(loaded.current(), adapter="cordis") == {}


def test_select_binds_values_and_leaves_unbound_variables_out() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1")))
    rows = select(
        store,
        "SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o }",
        p=ox.NamedNode("http://x/p"),
    )
    assert rows == [{"s": "http://x/a", "p": "http://x/p", "o": "1"}]
    assert select(store, "SELECT ?s ?p WHERE { ?s ?p ?o }", p=ox.NamedNode("http://x/q")) == []


def test_a_named_graph_is_held_or_not(loaded: LocalStore) -> None:
    assert holds_graph(loaded.current(), f"{BASE}graph/initiative/village-welcome")
    assert holds_graph(loaded.current(), f"{BASE}graph/ontology/theme")
    assert not holds_graph(loaded.current(), f"{BASE}graph/initiative/nothing")
    assert not holds_graph(loaded.current(), "not an IRI")


def test_the_base_records_were_minted_under_is_read_from_the_graph(loaded: LocalStore) -> None:
    assert record_base(loaded.current()) == BASE
    assert record_base(ox.Store()) is None  # nothing ingested yet: nothing to compare
