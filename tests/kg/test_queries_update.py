"""The update text sent to an external store runs as SPARQL Update (checked in pyoxigraph)."""

import pyoxigraph as ox

from kg.queries_update import ALL_TRIPLES, clear_graph, drop_graph, insert_data, insert_where

G = "http://x/g"
LINES = ["<http://x/a> <http://x/b> <http://x/c> ."]
BLANK = ["_:n <http://x/b> <http://x/c> .", "<http://x/a> <http://x/d> _:n ."]


def test_insert_then_drop_and_clear_behave_as_named() -> None:
    store = ox.Store()
    store.update(insert_data(G, LINES))
    store.update(insert_data(None, LINES))
    assert len(store) == 2
    store.update(drop_graph(f"<{G}>"))
    assert not store.contains_named_graph(ox.NamedNode(G))
    store.update(clear_graph(None))
    assert len(store) == 0
    store.update(drop_graph(f"<{G}>"))  # absent already: SILENT


def test_blank_nodes_inserted_together_stay_one_node() -> None:
    store = ox.Store()
    store.update(insert_where(G, BLANK))
    rows = list(
        store.query("SELECT ?n WHERE { GRAPH ?g { ?n <http://x/b> ?c . ?a <http://x/d> ?n } }")
    )
    assert len(rows) == 1


def test_all_triples_reads_back_a_scratch_store() -> None:
    store = ox.Store()
    store.update(insert_data(None, LINES))
    assert len(list(store.query(ALL_TRIPLES))) == 1
