"""Admin writes: SPARQL Update and the SPARQL 1.1 Graph Store HTTP Protocol, each published as
one new snapshot (readers never see half a write)."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg.errors import BadRequest, NotFound, QuerySyntaxError
from kg.formats import Format, parse_graph, serialize_graph
from kg.queries import PREFIXES
from kg.store import GraphStore

GraphName = ox.NamedNode | ox.DefaultGraph


def run_update(store: GraphStore, text: str) -> None:
    """Apply a SPARQL 1.1 Update as one new snapshot, or nothing. Raises `QuerySyntaxError`,
    or `BadRequest` when the engine refuses it (SPARQL 1.1 Update §3: an operation on a graph
    that does not exist fails unless SILENT)."""
    with store.write() as staging:
        try:
            staging.update(text, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:  # e.g. DROP GRAPH of a missing graph
            raise BadRequest(f"update failed, nothing was changed: {exc}") from exc
        del staging  # closed before `write` publishes it (see `LocalStore.apply`)


def graph_name(iri: str | None) -> GraphName:
    if iri is None:
        return ox.DefaultGraph()
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BadRequest(f"graph {iri!r} is not an absolute IRI: {exc}") from exc


def read_graph(store: GraphStore, graph: GraphName, fmt: Format) -> bytes:
    """One graph in `fmt` (N-Quads and TriG write it as their default graph).

    `?default` is the store's own default graph: what SPARQL Update writes without `GRAPH` and
    what a `PUT`/`POST` to `?default` wrote, so a write and a read of it round-trip (SPARQL 1.1
    Graph Store Protocol §5.2 leaves the default graph to the service). Queries without a
    dataset see more: the union of every graph (`sd:UnionDefaultGraph`). Raises `NotFound` for
    a named graph the store does not hold, `NotAcceptable` for RDF/XML that XML 1.0 cannot
    carry."""
    current = store.current()
    if isinstance(graph, ox.NamedNode) and not current.contains_named_graph(graph):
        raise NotFound(f"no graph {graph.value}")
    buf = io.BytesIO()  # dump: what an external store's dataset also offers
    current.dump(buf, ox.RdfFormat.N_TRIPLES, from_graph=graph)
    triples = [q.triple for q in ox.parse(buf.getvalue(), ox.RdfFormat.N_TRIPLES)]
    return serialize_graph(triples, fmt, prefixes=PREFIXES)


def write_graph(
    store: GraphStore, graph: GraphName, data: bytes, fmt: Format, *, replace: bool
) -> bool:
    """PUT (replace) or POST (merge) RDF into a graph; True when the graph is new. Raises
    `BadRequest` naming the format when the body does not parse.

    `?default` writes the store's own default graph, the one graph that is not a named graph:
    PUT replaces only it and POST adds to it; the named graphs stay. It is part of the union
    that `?default` and `/sparql` read."""
    base = graph.value if isinstance(graph, ox.NamedNode) else None
    quads = parse_graph(data, fmt, base_iri=base)
    with store.write() as staging:
        created = isinstance(graph, ox.NamedNode) and not staging.contains_named_graph(graph)
        if replace and not created:
            staging.clear_graph(graph)
        staging.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
        del staging  # closed before `write` publishes it (see `LocalStore.apply`)
    return created


def delete_graph(store: GraphStore, graph: GraphName) -> None:
    """DELETE: drop a named graph (`NotFound` if the store does not hold it), or empty the
    store's own default graph (`?default`), leaving every named graph in place."""
    with store.write() as staging:
        if isinstance(graph, ox.NamedNode):
            if not staging.contains_named_graph(graph):
                raise NotFound(f"no graph {graph.value}")
            staging.remove_graph(graph)
        else:
            staging.clear_graph(graph)
        del staging  # closed before `write` publishes it (see `LocalStore.apply`)
