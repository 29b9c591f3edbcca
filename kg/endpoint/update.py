"""Admin writes: SPARQL Update and the SPARQL 1.1 Graph Store HTTP Protocol, each published as
one new snapshot (readers never see half a write)."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg.errors import BadRequest, NotFound, QuerySyntaxError
from kg.queries import PREFIXES
from kg.store import GraphStore

GraphName = ox.NamedNode | ox.DefaultGraph


def run_update(store: GraphStore, text: str) -> None:
    with store.write() as staging:
        try:
            staging.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise BadRequest(f"update failed: {exc}") from exc


def graph_name(iri: str | None) -> GraphName:
    if iri is None:
        return ox.DefaultGraph()
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadRequest(f"graph {iri!r} is not an absolute IRI: {exc}") from exc


def read_graph(store: GraphStore, graph: GraphName, fmt: ox.RdfFormat) -> bytes:
    current = store.current()
    if isinstance(graph, ox.NamedNode) and not current.contains_named_graph(graph):
        raise NotFound(f"no graph {graph.value}")
    buf = io.BytesIO()
    current.dump(buf, fmt, from_graph=graph, prefixes=PREFIXES)
    return buf.getvalue()


def write_graph(
    store: GraphStore, graph: GraphName, data: bytes, fmt: ox.RdfFormat, *, replace: bool
) -> bool:
    """PUT (replace) or POST (merge) RDF into a graph; True when the graph is new."""
    try:
        quads = list(
            ox.parse(data, fmt, base_iri=graph.value if isinstance(graph, ox.NamedNode) else None)
        )
    except SyntaxError as exc:
        raise BadRequest(f"the request body is not valid {fmt.name}: {exc}") from exc
    with store.write() as staging:
        created = isinstance(graph, ox.NamedNode) and not staging.contains_named_graph(graph)
        if replace and not created:
            staging.clear_graph(graph)
        staging.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    return created


def delete_graph(store: GraphStore, graph: GraphName) -> None:
    with store.write() as staging:
        if isinstance(graph, ox.NamedNode):
            if not staging.contains_named_graph(graph):
                raise NotFound(f"no graph {graph.value}")
            staging.remove_graph(graph)
        else:
            staging.clear_graph(graph)
