"""Admin writes: SPARQL Update and the Graph Store Protocol operations on a store."""

import pyoxigraph as ox
import pytest

from kg import formats
from kg.endpoint.update import delete_graph, graph_name, read_graph, run_update, write_graph
from kg.errors import BadRequest, NotFound, QuerySyntaxError
from kg.store import LocalStore

G = "http://x/g"
TTL = b"<http://x/a> <http://x/b> <http://x/c> ."


def test_an_update_publishes_a_new_version() -> None:
    store = LocalStore(None)
    before = store.version().name
    run_update(store, f"INSERT DATA {{ GRAPH <{G}> {{ <http://x/a> rdfs:label 'a' }} }}")
    assert store.version().name != before
    assert store.current().contains_named_graph(ox.NamedNode(G))


def test_a_malformed_update_is_a_syntax_error_and_changes_nothing() -> None:
    store = LocalStore(None)
    before = store.version().name
    with pytest.raises(QuerySyntaxError):
        run_update(store, "INSERT DATA { oops")
    assert store.version().name == before


def test_put_replaces_post_merges_and_says_when_the_graph_is_new() -> None:
    store, graph, fmt = LocalStore(None), graph_name(G), formats.TURTLE
    assert write_graph(store, graph, TTL, fmt, replace=True) is True
    other = b"<http://x/a> <http://x/b> <http://x/d> ."
    assert write_graph(store, graph, other, fmt, replace=False) is False
    assert len(store.current()) == 2
    write_graph(store, graph, other, fmt, replace=True)
    assert len(store.current()) == 1
    assert b"http://x/d" in read_graph(store, graph, formats.N_TRIPLES)


def test_missing_graphs_and_bad_input_are_named() -> None:
    store = LocalStore(None)
    with pytest.raises(NotFound, match=G):
        read_graph(store, graph_name(G), formats.TURTLE)
    with pytest.raises(NotFound, match=G):
        delete_graph(store, graph_name(G))
    with pytest.raises(BadRequest, match="not an absolute IRI"):
        graph_name("not an iri")
    with pytest.raises(BadRequest, match="not valid text/turtle"):
        write_graph(store, graph_name(G), b"<oops", formats.TURTLE, replace=True)


def test_delete_removes_the_graph() -> None:
    store = LocalStore(None)
    write_graph(store, graph_name(G), TTL, formats.TURTLE, replace=True)
    delete_graph(store, graph_name(G))
    assert not store.current().contains_named_graph(ox.NamedNode(G))
