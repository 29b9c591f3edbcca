"""Whole-graph export: quad formats keep named graphs (and so provenance)."""

import pyoxigraph as ox
import pytest

from kg.errors import BadRequest
from kg.export import export_graph

NQ = b"<http://x/a> <http://x/b> <http://x/c> <http://x/g1> .\n"


def test_nquads_keep_the_graph_and_turtle_drops_it() -> None:
    store = ox.Store()
    store.load(NQ, ox.RdfFormat.N_QUADS)
    quads = list(ox.parse(export_graph(store, "nq"), ox.RdfFormat.N_QUADS))
    assert [q.graph_name.value for q in quads] == ["http://x/g1"]  # type: ignore[union-attr]
    triples = list(ox.parse(export_graph(store, "ttl"), ox.RdfFormat.TURTLE))
    assert [t.subject.value for t in triples] == ["http://x/a"]


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(BadRequest, match="not one of"):
        export_graph(ox.Store(), "csv")
