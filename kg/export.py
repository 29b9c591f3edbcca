"""Whole-graph dumps."""

from __future__ import annotations

import io

import pyoxigraph as ox

from kg.errors import BadRequest
from kg.queries import PREFIXES
from kg.results import GRAPH_FORMATS

DATASET_FORMATS = {"nq", "trig"}


def export_graph(store: ox.Store, fmt: str) -> bytes:
    """The store in `fmt`; quad formats keep the named graphs (and so the provenance)."""
    if fmt not in GRAPH_FORMATS:
        raise BadRequest(f"format {fmt!r} is not one of {', '.join(GRAPH_FORMATS)}")
    buf = io.BytesIO()
    if fmt in DATASET_FORMATS:
        store.dump(buf, GRAPH_FORMATS[fmt])
    else:
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in store)
        ox.serialize(triples, buf, GRAPH_FORMATS[fmt], prefixes=PREFIXES)
    return buf.getvalue()
