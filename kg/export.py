"""Whole-graph dumps."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg import formats
from kg.errors import BadRequest
from kg.queries import PREFIXES


def export_graph(store: ox.Store, fmt: str) -> bytes:
    """The store in `fmt` (a `kg.formats` graph name: nq, trig, turtle, nt, jsonld, rdfxml, n3).

    Quad formats keep the named graphs (and so the provenance): one statement per triple and
    graph. Triple formats hold the union of the graphs as an RDF graph, a set (RDF 1.1
    Concepts §3): a triple stated in several graphs is written once. Raises `BadRequest` for
    an unknown format."""
    found = formats.by_name(fmt, formats.GRAPH_FORMATS)
    if found is None or found.rdf is None:
        names = ", ".join(n for f in formats.GRAPH_FORMATS for n in f.names)
        raise BadRequest(f"format {fmt!r} is not one of {names}")
    if found in (formats.N_QUADS, formats.TRIG):
        buf = io.BytesIO()
        store.dump(buf, found.rdf)
        return buf.getvalue()
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in store))
    return formats.serialize_graph(triples, found, prefixes=PREFIXES)
